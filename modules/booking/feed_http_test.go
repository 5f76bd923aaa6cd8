package booking_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/notify"
)

// icsOf returns the .ics attached to a mail, or "".
func icsOf(t *testing.T, m notify.Mail) string {
	t.Helper()
	files, err := m.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f.Name, ".ics") && strings.HasPrefix(f.ContentType, "text/calendar") {
			return string(f.Data)
		}
	}
	return ""
}

func TestBookingInvitationAndFeed(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "employee")
		bookRoom(t, c, bookingForm(t, app, "Projekt; indítás, 1.", "10:00", "11:00"))
		b := lastBooking(t, app, "employee")
		uid := fmt.Sprintf("UID:booking-%d@", b.ID)
		start := "DTSTART:" + b.StartAt.UTC().Format("20060102T150405Z") + "\r\n"

		// The confirmation mail carries the invitation.
		mails := kaputest.MailsTo(t, app, "employee")
		if len(mails) == 0 {
			t.Fatal("no confirmation mail")
		}
		mail := mails[len(mails)-1]
		ics := icsOf(t, mail)
		for _, want := range []string{"BEGIN:VCALENDAR", uid, start, `SUMMARY:Projekt\; indítás\, 1.`, "STATUS:CONFIRMED"} {
			if !strings.Contains(ics, want) {
				t.Errorf("invitation lacks %q:\n%s", want, ics)
			}
		}

		// The admin outbox offers it as a download; nobody else gets it.
		admin := kaputest.SignedIn(t, app, "admin")
		file := fmt.Sprintf("/admin/outbox/%d/files/0", mail.ID)
		if res, body := admin.Get(fmt.Sprintf("/admin/outbox/%d", mail.ID)); res.StatusCode != 200 || !strings.Contains(body, `href="`+file+`"`) {
			t.Errorf("outbox page = %d; want a download link %s", res.StatusCode, file)
		}
		res, body := admin.Get(file)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || body != ics {
			t.Errorf("download = %d %s %s; want the .ics as an attachment", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		if res, _ := admin.Get(fmt.Sprintf("/admin/outbox/%d/files/1", mail.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("a file the mail does not have = %d; want 404", res.StatusCode)
		}
		if res, _ := c.Get(file); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee downloading from the outbox = %d; want 403", res.StatusCode)
		}

		// My bookings links the personal feed; it works without signing in.
		_, mine := c.Get("/bookings/mine")
		m := kaputest.BookingFeedRe.FindStringSubmatch(mine)
		if m == nil {
			t.Fatalf("my bookings do not show the feed address")
		}
		anon := kaputest.NewClient(t, app)
		res, feed := anon.Get(m[1])
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("GET feed = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		for _, want := range []string{uid, start, "STATUS:CONFIRMED", "X-WR-CALNAME:Bookings: Papp Eszter"} {
			if !strings.Contains(feed, want) {
				t.Errorf("feed lacks %q:\n%s", want, feed)
			}
		}
		// Cancelled, the booking stays in the feed with the same UID, cancelled.
		if res, _ := c.Post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", res.StatusCode)
		}
		_, feed = anon.Get(m[1])
		if !strings.Contains(feed, uid) || !strings.Contains(feed, "STATUS:CANCELLED") || strings.Count(feed, "BEGIN:VEVENT") != 1 {
			t.Errorf("feed after cancelling:\n%s", feed)
		}
		// A tampered signature or another person's id is a plain 404.
		tampered := m[1][:strings.LastIndex(m[1], "/")+1] + strings.Repeat("0", 40) + ".ics"
		other := strings.Replace(m[1], fmt.Sprintf("/%d/", b.PersonID), fmt.Sprintf("/%d/", kaputest.Person(t, app, "manager").ID), 1)
		for _, p := range []string{tampered, other, "/bookings/feed/x/abc.ics"} {
			if res, _ := anon.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
			}
		}
	})
}

func TestCarApprovalMailHasInvitation(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	car := demoCar(t, app, "MUS-482")
	emp := kaputest.SignedIn(t, app, "employee")
	emp.Get("/bookings/cars/new")
	if res, _ := emp.Post("/bookings/cars/new", carForm(app, car, 2, "08:00", "12:00")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("car request = %d", res.StatusCode)
	}
	decideByMail(t, app, "manager", true, "")
	before := len(kaputest.MailsTo(t, app, "employee"))
	decideByMail(t, app, "fleet", true, "")
	b := lastBooking(t, app, "employee")
	if b.Status != booking.StatusConfirmed {
		t.Fatalf("request = %s; want confirmed", b.Status)
	}
	mails := kaputest.MailsTo(t, app, "employee")
	if len(mails) != before+1 {
		t.Fatalf("employee got %d mails on approval; want 1", len(mails)-before)
	}
	ics := icsOf(t, mails[len(mails)-1])
	for _, want := range []string{fmt.Sprintf("UID:booking-%d@", b.ID), "MUS-482", "STATUS:CONFIRMED", "Szeged"} {
		if !strings.Contains(ics, want) {
			t.Errorf("approval mail's invitation lacks %q:\n%s", want, ics)
		}
	}
	// The manager's step (not the last) carried no invitation.
	for _, m := range mails[:before] {
		if icsOf(t, m) != "" {
			t.Errorf("mail %q before the approval carries an invitation", m.Subject)
		}
	}
}

// A booking's transaction queues only which confirmation to write; the mail is
// written from the booking as it stands when the outbox is first read, so a
// booking cancelled before that gets no confirmation at all.
func TestBookingConfirmationWrittenLater(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "employee")
		rowOf := func(b booking.Booking) notify.Mail {
			t.Helper()
			var m notify.Mail
			if err := app.DB.R.Where("key = ?", fmt.Sprintf("booking/%d/confirmed|", b.ID)).First(&m).Error; err != nil {
				t.Fatalf("no outbox row for booking %d: %v", b.ID, err)
			}
			return m
		}
		bookRoom(t, c, bookingForm(t, app, "Kept", "09:00", "10:00"))
		kept := lastBooking(t, app, "employee")
		bookRoom(t, c, bookingForm(t, app, "Dropped", "13:00", "14:00"))
		dropped := lastBooking(t, app, "employee")
		if m := rowOf(kept); m.Status != notify.StatusQueued || m.To != "" || m.Subject != "" {
			t.Fatalf("right after booking the row is %s to %q %q; want queued and not yet written", m.Status, m.To, m.Subject)
		}
		if res, _ := c.Post(fmt.Sprintf("/bookings/%d/cancel", dropped.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", res.StatusCode)
		}

		admin := kaputest.SignedIn(t, app, "admin")
		res, body := admin.Get("/admin/outbox")
		if res.StatusCode != 200 || !strings.Contains(body, firstRoom(t, app).Name) {
			t.Errorf("outbox page (%d) does not show the written confirmation", res.StatusCode)
		}
		m := rowOf(kept)
		if m.Status != notify.StatusQueued || m.To != kaputest.Person(t, app, "employee").Email || !strings.Contains(m.Text, "Kept") ||
			!strings.Contains(icsOf(t, m), fmt.Sprintf("UID:booking-%d@", kept.ID)) {
			t.Errorf("kept booking's confirmation = %s to %q:\n%s", m.Status, m.To, m.Text)
		}
		if m := rowOf(dropped); m.Status != notify.StatusCancelled || m.LastError != notify.ErrNothingToSay || m.To != "" {
			t.Errorf("cancelled booking's confirmation = %s %q to %q; want cancelled, nothing sent", m.Status, m.LastError, m.To)
		}
	})
}
