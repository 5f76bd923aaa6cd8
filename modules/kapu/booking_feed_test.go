package kapu

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/booking"
	"kapu/modules/platform/notify"
)

var bookingFeedRe = regexp.MustCompile(`value="http://[^"]+(/bookings/feed/\d+/[0-9a-f]+\.ics)"`)

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
	eachDialect(t, func(t *testing.T, app *App) {
		c := newClientAs(t, app, "employee")
		bookRoom(t, c, bookingForm(t, app, "Projekt; indítás, 1.", "10:00", "11:00"))
		b := lastBooking(t, app, "employee")
		uid := fmt.Sprintf("UID:booking-%d@", b.ID)
		start := "DTSTART:" + b.StartAt.UTC().Format("20060102T150405Z") + "\r\n"

		// The confirmation mail carries the invitation.
		mails := mailsTo(t, app, "employee")
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
		admin := newClientAs(t, app, "admin")
		file := fmt.Sprintf("/admin/outbox/%d/files/0", mail.ID)
		if res, body := admin.get(fmt.Sprintf("/admin/outbox/%d", mail.ID)); res.StatusCode != 200 || !strings.Contains(body, `href="`+file+`"`) {
			t.Errorf("outbox page = %d; want a download link %s", res.StatusCode, file)
		}
		res, body := admin.get(file)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || body != ics {
			t.Errorf("download = %d %s %s; want the .ics as an attachment", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		if res, _ := admin.get(fmt.Sprintf("/admin/outbox/%d/files/1", mail.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("a file the mail does not have = %d; want 404", res.StatusCode)
		}
		if res, _ := c.get(file); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee downloading from the outbox = %d; want 403", res.StatusCode)
		}

		// My bookings links the personal feed; it works without signing in.
		_, mine := c.get("/bookings/mine")
		m := bookingFeedRe.FindStringSubmatch(mine)
		if m == nil {
			t.Fatalf("my bookings do not show the feed address")
		}
		anon := newClient(t, app)
		res, feed := anon.get(m[1])
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("GET feed = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		for _, want := range []string{uid, start, "STATUS:CONFIRMED", "X-WR-CALNAME:Bookings: Papp Eszter"} {
			if !strings.Contains(feed, want) {
				t.Errorf("feed lacks %q:\n%s", want, feed)
			}
		}
		// Cancelled, the booking stays in the feed with the same UID, cancelled.
		if res, _ := c.post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", res.StatusCode)
		}
		_, feed = anon.get(m[1])
		if !strings.Contains(feed, uid) || !strings.Contains(feed, "STATUS:CANCELLED") || strings.Count(feed, "BEGIN:VEVENT") != 1 {
			t.Errorf("feed after cancelling:\n%s", feed)
		}
		// A tampered signature or another person's id is a plain 404.
		tampered := m[1][:strings.LastIndex(m[1], "/")+1] + strings.Repeat("0", 40) + ".ics"
		other := strings.Replace(m[1], fmt.Sprintf("/%d/", b.PersonID), fmt.Sprintf("/%d/", person(t, app, "manager").ID), 1)
		for _, p := range []string{tampered, other, "/bookings/feed/x/abc.ics"} {
			if res, _ := anon.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
			}
		}
	})
}

func TestCarApprovalMailHasInvitation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	car := demoCar(t, app, "MUS-482")
	emp := newClientAs(t, app, "employee")
	emp.get("/bookings/cars/new")
	if res, _ := emp.post("/bookings/cars/new", carForm(app, car, 2, "08:00", "12:00")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("car request = %d", res.StatusCode)
	}
	decideByMail(t, app, "manager", true, "")
	before := len(mailsTo(t, app, "employee"))
	decideByMail(t, app, "fleet", true, "")
	b := lastBooking(t, app, "employee")
	if b.Status != booking.StatusConfirmed {
		t.Fatalf("request = %s; want confirmed", b.Status)
	}
	mails := mailsTo(t, app, "employee")
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
	eachDialect(t, func(t *testing.T, app *App) {
		c := newClientAs(t, app, "employee")
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
		if res, _ := c.post(fmt.Sprintf("/bookings/%d/cancel", dropped.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", res.StatusCode)
		}

		admin := newClientAs(t, app, "admin")
		res, body := admin.get("/admin/outbox")
		if res.StatusCode != 200 || !strings.Contains(body, firstRoom(t, app).Name) {
			t.Errorf("outbox page (%d) does not show the written confirmation", res.StatusCode)
		}
		m := rowOf(kept)
		if m.Status != notify.StatusQueued || m.To != person(t, app, "employee").Email || !strings.Contains(m.Text, "Kept") ||
			!strings.Contains(icsOf(t, m), fmt.Sprintf("UID:booking-%d@", kept.ID)) {
			t.Errorf("kept booking's confirmation = %s to %q:\n%s", m.Status, m.To, m.Text)
		}
		if m := rowOf(dropped); m.Status != notify.StatusCancelled || m.LastError != notify.ErrNothingToSay || m.To != "" {
			t.Errorf("cancelled booking's confirmation = %s %q to %q; want cancelled, nothing sent", m.Status, m.LastError, m.To)
		}
	})
}

// Replacing the calendar links on the profile ends every link given out
// before, bookings and leave alike; the pages then show new links that work.
func TestFeedLinksReplaced(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		c := newClientAs(t, app, "employee")
		links := func() (bookings, leave string) {
			t.Helper()
			_, mine := c.get("/bookings/mine")
			_, overview := c.get("/leave")
			b, l := bookingFeedRe.FindStringSubmatch(mine), ltFeedRe.FindStringSubmatch(overview)
			if b == nil || l == nil {
				t.Fatal("My bookings or My leave shows no feed link")
			}
			return b[1], l[0]
		}
		calendarApp := newClient(t, app)
		fetch := func(path string) int {
			t.Helper()
			res, _ := calendarApp.get(path)
			return res.StatusCode
		}
		oldBookings, oldLeave := links()
		if fetch(oldBookings) != http.StatusOK || fetch(oldLeave) != http.StatusOK {
			t.Fatal("the feed links do not work before they are replaced")
		}
		c.get("/profile")
		if res, _ := c.post("/profile/feeds", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("replace the links = %d; want 303", res.StatusCode)
		}
		if _, body := c.get("/profile"); !strings.Contains(body, "Your calendar links were replaced") {
			t.Error("the profile does not confirm the new links")
		}
		newBookings, newLeave := links()
		if newBookings == oldBookings || newLeave == oldLeave {
			t.Fatal("the pages still show the old links")
		}
		for path, want := range map[string]int{oldBookings: 404, oldLeave: 404, newBookings: 200, newLeave: 200} {
			if got := fetch(path); got != want {
				t.Errorf("GET %s = %d; want %d", path, got, want)
			}
		}
		// Someone else's links are untouched.
		other := newClientAs(t, app, "manager")
		if _, mine := other.get("/bookings/mine"); fetch(bookingFeedRe.FindStringSubmatch(mine)[1]) != http.StatusOK {
			t.Error("another person's booking feed stopped working")
		}
	})
}
