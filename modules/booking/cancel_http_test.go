package booking_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
)

// statusOf reads a booking's status now.
func statusOf(t *testing.T, app *kapu.App, id uint) string {
	t.Helper()
	var b booking.Booking
	if err := app.DB.R.First(&b, id).Error; err != nil {
		t.Fatal(err)
	}
	return b.Status
}

// activeAt counts the active bookings of a resource that overlap b's time.
func activeAt(t *testing.T, app *kapu.App, b booking.Booking) int64 {
	t.Helper()
	var n int64
	app.DB.R.Model(&booking.Booking{}).Where("resource_id = ? AND status IN ? AND start_at < ? AND block_end > ?",
		b.ResourceID, []string{booking.StatusHold, booking.StatusConfirmed}, b.BlockEnd, b.StartAt).Count(&n)
	return n
}

// later moves the booking service's clock d ahead of the real one.
func later(app *kapu.App, d time.Duration) {
	app.Booking.SetClock(func() time.Time { return time.Now().UTC().Add(d) })
}

// Cancelling asks first on a page of its own (and, for kapu.js, as a bare
// form) that says what will be cancelled and who is told, and changes
// nothing; the POST cancels and offers an undo, which restores the booking
// with its equipment, a timeline line, an audit row and a mail to the unit
// told of the cancellation.
func TestBookingCancelConfirmThenUndo(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		projector := kaputest.Resource(t, app, "Projektor")
		room := firstRoom(t, app)
		emp := kaputest.SignedIn(t, app, "employee")
		form := bookingForm(t, app, "Vetítés", "10:00", "11:00")
		form.Set(fmt.Sprintf("eq_%d", projector.ID), "1")
		bookRoom(t, emp, form)
		b := lastMain(t, app, "employee")
		path := fmt.Sprintf("/bookings/%d/cancel", b.ID)

		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, `href="`+path+`"`) || strings.Contains(body, `action="`+path+`"`) {
			t.Errorf("my bookings: the Cancel button is not a link to %s", path)
		}
		res, page := emp.Get(path)
		when := b.StartAt.In(app.Cfg.TZ).Format("15:04") + "–" + b.EndAt.In(app.Cfg.TZ).Format("15:04")
		for _, want := range []string{"Cancel booking", room.Name, when, "1 × Projektor", "Facilities", "10 minutes",
			`action="` + path + `"`, `name="_csrf"`, "Yes, cancel the booking", `href="/bookings/mine"`} {
			if !strings.Contains(page, want) {
				t.Errorf("GET %s = %d; want %q on the confirmation page", path, res.StatusCode, want)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, "http://kapu.test"+path, nil)
		req.Header.Set("Kapu-Fragment", "confirm")
		if res, frag := emp.Do(req); res.StatusCode != 200 || strings.Contains(frag, "<html") || !strings.Contains(frag, `action="`+path+`"`) {
			t.Errorf("the dialog's fetch = %d; want the form alone, without the layout\n%s", res.StatusCode, frag)
		}
		if res, p := emp.Get(path + "?next=//evil.example"); res.StatusCode != 200 ||
			strings.Contains(p, `href="//evil.example"`) || !strings.Contains(p, `name="next" value="/bookings/mine"`) {
			t.Errorf("GET with a foreign next = %d; want the page, going back to /bookings/mine", res.StatusCode)
		}
		if _, p := emp.Get(path + "?next=/bookings?week=2026-12-07"); !strings.Contains(p, `href="/bookings?week=2026-12-07"`) {
			t.Errorf("GET with next=/bookings?week=… does not link back there")
		}
		if got := statusOf(t, app, b.ID); got != booking.StatusConfirmed {
			t.Fatalf("after the confirmation page the booking is %s; want it untouched", got)
		}

		if res, _ := emp.Post(path, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s = %d; want 303", path, res.StatusCode)
		}
		if got := statusOf(t, app, b.ID); got != booking.StatusCancelled {
			t.Fatalf("after the POST the booking is %s; want cancelled", got)
		}
		restore := fmt.Sprintf("/bookings/%d/restore", b.ID)
		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, `action="`+restore+`"`) || !strings.Contains(body, ">Undo<") ||
			!strings.Contains(body, `name="next" value="/bookings/mine"`) {
			t.Fatalf("the message after cancelling offers no Undo posting to %s", restore)
		}
		before := len(kaputest.MailsTo(t, app, "facilities"))

		// Someone else may not undo it, even one who may cancel it.
		fac := kaputest.SignedIn(t, app, "facilities")
		fac.Get("/bookings/mine")
		fac.Post(restore, nil)
		if got := statusOf(t, app, b.ID); got != booking.StatusCancelled {
			t.Errorf("after facilities' undo the booking is %s; want it still cancelled (only who cancelled may undo)", got)
		}

		if res, _ := emp.Post(restore, url.Values{"next": {"/bookings?view=week"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/bookings?view=week" {
			t.Fatalf("POST %s = %d to %q; want 303 back to the page the Undo was pressed on", restore, res.StatusCode, res.Header.Get("Location"))
		}
		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, "The booking is back") {
			t.Errorf("after the undo my bookings do not say the booking is back")
		}
		if got := statusOf(t, app, b.ID); got != booking.StatusConfirmed {
			t.Fatalf("after the undo the booking is %s; want confirmed", got)
		}
		var kids []booking.Booking
		app.DB.R.Where("parent_id = ?", b.ID).Find(&kids)
		if len(kids) != 1 || kids[0].Status != booking.StatusConfirmed {
			t.Errorf("the projector after the undo = %+v; want confirmed again", kids)
		}
		if n := auditCount(t, app, "booking.restore", b.ID); n != 1 {
			t.Errorf("audit rows booking.restore = %d; want 1", n)
		}
		entries, _ := history.Of(app.DB.R, "booking", b.ID)
		if last := entries[len(entries)-1]; last.Action != "restored" || last.To != booking.StatusConfirmed {
			t.Errorf("the booking's last timeline line = %s → %s; want restored → confirmed", last.Action, last.To)
		}
		mails := kaputest.MailsTo(t, app, "facilities")
		if len(mails) != before+1 || !strings.Contains(mails[len(mails)-1].Subject, "needed again") {
			t.Errorf("facilities' mails after the undo = %d (had %d); want one more saying the equipment is needed again", len(mails), before)
		}

		// Cancelled once more, the unit hears of it again (a new outbox key).
		emp.Get(path)
		emp.Post(path, nil)
		if got := len(kaputest.MailsTo(t, app, "facilities")); got != before+2 {
			t.Errorf("facilities' mails after the second cancellation = %d; want %d", got, before+2)
		}
	})
}

// An undo is refused after UndoWindow, and when someone booked the slot
// meanwhile: the person is told which, and nothing is double-booked.
func TestBookingUndoRefused(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		bookRoom(t, emp, bookingForm(t, app, "Egyeztetés", "13:00", "14:00"))
		b := lastMain(t, app, "employee")
		path, restore := fmt.Sprintf("/bookings/%d/cancel", b.ID), fmt.Sprintf("/bookings/%d/restore", b.ID)

		emp.Get(path)
		emp.Post(path, nil)
		later(app, booking.UndoWindow+time.Minute)
		emp.Post(restore, nil)
		app.Booking.SetClock(func() time.Time { return time.Now().UTC() })
		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, "Too late to undo") {
			t.Errorf("an undo after %v does not say it is too late", booking.UndoWindow)
		}
		if got := statusOf(t, app, b.ID); got != booking.StatusCancelled {
			t.Errorf("after a late undo the booking is %s; want cancelled", got)
		}

		// Booked again (and cancelled again) so the window is open: someone
		// else takes the slot first.
		bookRoom(t, emp, bookingForm(t, app, "Egyeztetés", "13:00", "14:00"))
		b = lastMain(t, app, "employee")
		path, restore = fmt.Sprintf("/bookings/%d/cancel", b.ID), fmt.Sprintf("/bookings/%d/restore", b.ID)
		emp.Get(path)
		emp.Post(path, nil)
		mgr := kaputest.SignedIn(t, app, "manager")
		bookRoom(t, mgr, bookingForm(t, app, "Vezetői", "13:30", "14:30"))
		emp.Get("/bookings/mine")
		if res, _ := emp.Post(restore, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("undo of a taken slot = %d; want 303 back to the list with a message", res.StatusCode)
		}
		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, "the slot was taken meanwhile") {
			t.Errorf("an undo of a taken slot does not say the slot was taken meanwhile")
		}
		if got := statusOf(t, app, b.ID); got != booking.StatusCancelled {
			t.Errorf("after the refused undo the booking is %s; want cancelled", got)
		}
		if n := activeAt(t, app, b); n != 1 {
			t.Errorf("active bookings of the slot = %d; want 1 (the manager's)", n)
		}
	})
}

// An undo and new bookings of the same slot at once: exactly one wins, on
// both databases, and the others are told kindly (no 500).
func TestBookingUndoRace(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		const rivals = 6
		emp := kaputest.SignedIn(t, app, "employee")
		form := bookingForm(t, app, "Versenyfutás", "15:00", "16:00")
		bookRoom(t, emp, form)
		b := lastMain(t, app, "employee")
		emp.Get(fmt.Sprintf("/bookings/%d/cancel", b.ID))
		emp.Post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil)
		emp.Get("/bookings/mine")

		var others []*kaputest.Client
		for _, u := range []string{"manager", "hr", "it"} {
			c := kaputest.SignedIn(t, app, u)
			c.Get("/bookings/new")
			others = append(others, c)
		}
		type answer struct {
			status int
			err    error
		}
		answers := make(chan answer, rivals+1)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i <= rivals; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				var a answer
				if i == 0 {
					a.status, _, a.err = rushPost(app, emp, fmt.Sprintf("/bookings/%d/restore", b.ID), nil)
				} else {
					a.status, _, a.err = rushPost(app, others[i%len(others)], "/bookings/new", form)
				}
				answers <- a
			}(i)
		}
		close(start)
		wg.Wait()
		close(answers)
		for a := range answers {
			if a.err != nil || a.status >= 500 {
				t.Errorf("a racer got %d, %v; want an answer that is not a server error", a.status, a.err)
			}
		}
		if n := activeAt(t, app, b); n != 1 {
			t.Errorf("active bookings of the slot after the race = %d; want exactly 1", n)
		}
	})
}

// "Cancel this and all following" asks first, listing the dates; its undo
// brings back the dates still free and names those someone took meanwhile.
func TestSeriesCancelConfirmThenUndo(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := firstRoom(t, app)
		projector := kaputest.Resource(t, app, "Projektor")
		in := booking.SeriesInput{BookingInput: booking.BookingInput{ResourceID: room.ID, Title: "Heti",
			Equipment: []booking.EquipmentLine{{ResourceID: projector.ID, Quantity: 1}}}, First: weeklyWorkday(t, app, 8, 4),
			From: "10:00", To: "11:00", Rule: booking.RepeatWeekly, Count: 4}
		ser, _, err := app.Booking.BookSeries(context.Background(), kaputest.Person(t, app, "employee").Actor(), in)
		if err != nil {
			t.Fatal(err)
		}
		got := occurrences(t, app, ser.ID)
		emp := kaputest.SignedIn(t, app, "employee")
		third := got[2].StartAt.In(app.Cfg.TZ)
		path := fmt.Sprintf("/bookings/%d/cancel-following", got[1].ID)
		res, page := emp.Get(path)
		if res.StatusCode != 200 || !strings.Contains(page, "Cancel 3 dates") || !strings.Contains(page, `action="`+path+`"`) {
			t.Fatalf("GET %s = %d; want a page asking to cancel 3 dates", path, res.StatusCode)
		}
		for _, o := range got {
			if s := statusOf(t, app, o.ID); s != booking.StatusConfirmed {
				t.Fatalf("after the confirmation page a date is %s; want all untouched", s)
			}
		}
		if res, _ := emp.Post(path, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s = %d; want 303", path, res.StatusCode)
		}
		restore := fmt.Sprintf("/bookings/%d/restore-following", got[1].ID)
		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, `action="`+restore+`"`) {
			t.Fatalf("the message after cancelling the series offers no undo")
		}
		// The manager books the third date's slot meanwhile.
		seriesBook(t, app, "manager", room, calendar.DateOf(third, app.Cfg.TZ), "10:00", "11:00")

		before := len(kaputest.MailsTo(t, app, "facilities"))
		emp.Get("/bookings/mine")
		emp.Post(restore, nil)
		_, body := emp.Get("/bookings/mine")
		if mails := kaputest.MailsTo(t, app, "facilities"); len(mails) != before+1 || !strings.Contains(mails[len(mails)-1].Subject, "needed again") {
			t.Errorf("facilities' mails after the series' undo = %d (had %d); want one more saying the projector is needed again", len(mails), before)
		}
		if !strings.Contains(body, "2 dates of the series are back") || !strings.Contains(body, "1 date stays cancelled") {
			t.Errorf("the undo's messages do not say 2 dates are back and 1 was taken")
		}
		want := []string{booking.StatusConfirmed, booking.StatusConfirmed, booking.StatusCancelled, booking.StatusConfirmed}
		for i, o := range got {
			if s := statusOf(t, app, o.ID); s != want[i] {
				t.Errorf("date %d after the undo = %s; want %s", i+1, s, want[i])
			}
		}
		if n := activeAt(t, app, got[2]); n != 1 {
			t.Errorf("active bookings of the taken date = %d; want 1", n)
		}
	})
}

// Deleting a resource asks first on a page that names it and says only one
// never booked can go; the page deletes nothing.
func TestBookingAdminDeleteAsksFirst(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		r := spareRoom(t, app)
		c := kaputest.SignedIn(t, app, "facilities")
		edit := fmt.Sprintf("/bookings/admin/%d", r.ID)
		if _, body := c.Get(edit); !strings.Contains(body, `href="`+edit+`/delete"`) {
			t.Errorf("the resource form's Delete is not a link to %s/delete", edit)
		}
		res, body := c.Get(edit + "/delete")
		for _, want := range []string{"Delete " + r.Name + "?", "never booked", `action="` + edit + `/delete"`, `href="` + edit + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s/delete = %d; want %q on the confirmation page", edit, res.StatusCode, want)
			}
		}
		var n int64
		app.DB.R.Model(&booking.Resource{}).Where("id = ?", r.ID).Count(&n)
		if n != 1 {
			t.Fatalf("the confirmation page deleted the resource")
		}
		if res, _ := kaputest.SignedIn(t, app, "employee").Get(edit + "/delete"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee opening the delete confirmation = %d; want 403", res.StatusCode)
		}
		if res, _ := c.Post(edit+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("POST %s/delete = %d; want 303", edit, res.StatusCode)
		}
		app.DB.R.Model(&booking.Resource{}).Where("id = ?", r.ID).Count(&n)
		if n != 0 {
			t.Errorf("after the POST the resource is still there")
		}
	})
}

// The confirmation and the undo speak Hungarian in a Hungarian session,
// including a series' last date (a plural of one).
func TestCancelPagesInHungarian(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	room := firstRoom(t, app)
	in := booking.SeriesInput{BookingInput: booking.BookingInput{ResourceID: room.ID, Title: "Heti"}, First: weeklyWorkday(t, app, 8, 2),
		From: "10:00", To: "11:00", Rule: booking.RepeatWeekly, Count: 2}
	ser, _, err := app.Booking.BookSeries(context.Background(), kaputest.Person(t, app, "employee").Actor(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := occurrences(t, app, ser.ID)
	c := kaputest.SignedIn(t, app, "employee")
	c.Get("/lang/hu?next=/bookings/mine")
	pages := []struct {
		path string
		want []string
	}{
		{fmt.Sprintf("/bookings/%d/cancel", got[0].ID), []string{"Foglalás lemondása", "Lemondja ezt a foglalást", "Igen, lemondom", "Nem, maradjon", "10 percig"}},
		{fmt.Sprintf("/bookings/%d/cancel-following", got[1].ID), []string{"az utolsó alkalmát", "Igen, lemondom ezt az alkalmat"}},
	}
	for _, p := range pages {
		res, body := c.Get(p.path)
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s in Hungarian = %d; want %q", p.path, res.StatusCode, w)
			}
		}
		if strings.Contains(body, "cancel_confirm.") {
			t.Errorf("GET %s in Hungarian shows an untranslated key", p.path)
		}
	}
	c.Post(pages[1].path, nil)
	if _, body := c.Get("/bookings/mine"); !strings.Contains(body, "1 alkalmát lemondtuk") || !strings.Contains(body, ">Visszavonás<") {
		t.Errorf("the Hungarian message after cancelling the last date lacks the text or the Visszavonás button")
	}
}
