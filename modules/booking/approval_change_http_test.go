package booking_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/notify"
)

// approvalMails are the mails to username that carry decision links.
func approvalMails(t *testing.T, app *kapu.App, username string) []notify.Mail {
	t.Helper()
	var out []notify.Mail
	for _, m := range kaputest.MailsTo(t, app, username) {
		if kaputest.LinkRe.MatchString(m.Text) {
			out = append(out, m)
		}
	}
	return out
}

// checkReplaced checks that an approve link mailed before a change shows the
// "replaced" page and that pressing it decides nothing.
func checkReplaced(t *testing.T, app *kapu.App, what, link, sig string, b booking.Booking) {
	t.Helper()
	c := kaputest.NewClient(t, app)
	if _, page := c.Get(link); !strings.Contains(page, "This link was replaced") {
		t.Errorf("%s: the old link after the change does not say it was replaced", what)
	}
	before := kaputest.ApprovalSnapshot(app)
	if res, _ := kaputest.PostLink(c, link, sig, ""); res.StatusCode != http.StatusConflict {
		t.Errorf("%s: approving with the old link = %d; want 409", what, res.StatusCode)
	}
	if kaputest.ApprovalSnapshot(app) != before {
		t.Errorf("%s: the old link changed the database", what)
	}
	var now booking.Booking
	app.DB.R.First(&now, b.ID)
	if now.Status != booking.StatusHold {
		t.Errorf("%s: after the old link the booking is %s; want still held", what, now.Status)
	}
}

// A room booking waiting for approval that is edited gets a new version of
// its request: the approver's first link shows it was replaced and approves
// nothing, the approver is mailed the new time, and its link approves it.
func TestRoomRequestChangedReplacesLinks(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
		emp := kaputest.SignedIn(t, app, "employee")
		day := kaputest.WorkdayFrom(t, app, 3).String()
		bookRoom(t, emp, url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Testvárosi delegáció"}, "attendees": {"6"}})
		b := lastMain(t, app, "employee")
		mails := approvalMails(t, app, "facilities")
		if len(mails) != 1 {
			t.Fatalf("facilities has %d approval mails; want 1", len(mails))
		}
		oldYes, _ := kaputest.Links(t, mails[0])
		oldSig := kaputest.SigFor(t, app, oldYes)

		path := fmt.Sprintf("/bookings/%d/edit", b.ID)
		emp.Get(path)
		res, body := emp.Post(path, url.Values{"day": {day}, "from": {"14:00"}, "to": {"15:30"}, "title": {"Testvárosi delegáció"},
			"attendees": {"8"}, "scope": {"one"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("editing the held room = %d; want 303\n%s", res.StatusCode, body)
		}
		checkReplaced(t, app, "room", oldYes, oldSig, b)

		req := approvalOf(t, app, booking.KindRoomApproval, b)
		if req.Version != 2 || req.Status != approval.StatusPending {
			t.Errorf("request after the edit = v%d %s; want v2 pending", req.Version, req.Status)
		}
		mails = approvalMails(t, app, "facilities")
		if len(mails) != 2 || !strings.Contains(mails[1].Text, "14:00") || !strings.Contains(mails[1].Text, "15:30") {
			t.Fatalf("facilities has %d approval mails; want a second one with the new time 14:00–15:30", len(mails))
		}
		decideByMail(t, app, "facilities", true, "")
		app.DB.R.First(&b, b.ID)
		if b.Status != booking.StatusConfirmed || b.Attendees != 8 || clockIn(app, b) != "14:00" {
			t.Errorf("after approving the new link: %s at %s for %d; want confirmed at 14:00 for 8", b.Status, clockIn(app, b), b.Attendees)
		}
	})
}

// A pending car request whose destination changes gets a new version too:
// the line manager's old link is replaced, the new mail names the new
// destination, and the new link moves the request on to fleet.
func TestCarRequestChangedReplacesLinks(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "KPU-204")
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/bookings/cars/new")
		form := carForm(app, car, 2, "08:00", "12:00")
		if res, _ := emp.Post("/bookings/cars/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("car request = %d; want 303", res.StatusCode)
		}
		b := lastBooking(t, app, "employee")
		mails := approvalMails(t, app, "manager")
		if len(mails) != 1 {
			t.Fatalf("the manager has %d approval mails; want 1", len(mails))
		}
		oldYes, _ := kaputest.Links(t, mails[0])
		oldSig := kaputest.SigFor(t, app, oldYes)

		path := fmt.Sprintf("/bookings/%d/edit", b.ID)
		emp.Get(path)
		edit := url.Values{"start_day": form["start_day"], "start_time": {"08:00"}, "end_day": form["end_day"], "end_time": {"12:00"},
			"destination": {"Debrecen, Megyeháza"}, "purpose": {"Egyeztetés"}, "passengers": {"3"}}
		if res, body := emp.Post(path, edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("editing the car request = %d; want 303\n%s", res.StatusCode, body)
		}
		checkReplaced(t, app, "car", oldYes, oldSig, b)
		mails = approvalMails(t, app, "manager")
		if len(mails) != 2 || !strings.Contains(mails[1].Text, "Debrecen, Megyeháza") {
			t.Fatalf("the manager has %d approval mails; want a second one naming Debrecen", len(mails))
		}
		decideByMail(t, app, "manager", true, "")
		if n := len(approvalMails(t, app, "fleet")); n != 1 {
			t.Errorf("fleet has %d approval mails after the manager approved the new version; want 1", n)
		}

		// Saving the form unchanged is no change: no new version, no mail.
		emp.Get(path)
		if res, _ := emp.Post(path, edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the car request unchanged = %d; want 303", res.StatusCode)
		}
		if n := len(approvalMails(t, app, "fleet")); n != 1 {
			t.Errorf("fleet has %d approval mails after an unchanged save; want still 1", n)
		}
	})
}

// Changing "this and following" dates of a series of a room that needs
// approval changes every date's request: each gets a new version and mail,
// and the old links of the later dates are replaced too.
func TestSeriesChangeReplacesLinksOfEveryDate(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
		emp := kaputest.SignedIn(t, app, "employee")
		first := weeklyWorkday(t, app, 3, 3).String()
		emp.Get("/bookings/new")
		form := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {first}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Heti egyeztetés"}, "repeat": {"weekly"}, "count": {"3"}, "confirm": {"1"}}
		if res, body := emp.Post("/bookings/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking the series = %d; want 303\n%s", res.StatusCode, body)
		}
		var dates []booking.Booking
		app.DB.R.Where("resource_id = ? AND series_id IS NOT NULL", room.ID).Order("start_at").Find(&dates)
		mails := approvalMails(t, app, "facilities")
		if len(dates) != 3 || len(mails) != 3 {
			t.Fatalf("series: %d dates, %d approval mails; want 3 and 3", len(dates), len(mails))
		}
		oldYes, _ := kaputest.Links(t, mails[2]) // the last date's
		oldSig := kaputest.SigFor(t, app, oldYes)

		path := fmt.Sprintf("/bookings/%d/edit", dates[0].ID)
		emp.Get(path)
		res, body := emp.Post(path, url.Values{"day": {first}, "from": {"13:00"}, "to": {"14:00"}, "title": {"Heti egyeztetés"},
			"scope": {"following"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("changing the dates = %d; want 303\n%s", res.StatusCode, body)
		}
		for _, d := range dates {
			if req := approvalOf(t, app, booking.KindRoomApproval, d); req.Version != 2 {
				t.Errorf("date %d: request v%d; want v2", d.ID, req.Version)
			}
		}
		if n := len(approvalMails(t, app, "facilities")); n != 6 {
			t.Errorf("facilities has %d approval mails; want 6 (a new one per date)", n)
		}
		checkReplaced(t, app, "last date", oldYes, oldSig, dates[2])
	})
}

// clockIn is a booking's local start time.
func clockIn(app *kapu.App, b booking.Booking) string {
	return b.StartAt.In(app.Cfg.TZ).Format("15:04")
}

// Each form books its own kind of resource: the room form (and a series)
// refuses a car or a piece of equipment as the room, and the car request a
// room, each with the message next to the resource field and nothing stored.
func TestBookingFormsBookTheirOwnKind(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "ABC-123")
		projector := kaputest.Resource(t, app, "Projektor")
		room := firstRoom(t, app)
		emp := kaputest.SignedIn(t, app, "employee")
		day := kaputest.WorkdayFrom(t, app, 2).String()
		count := func() (bookings, requests int64) {
			app.DB.R.Model(&booking.Booking{}).Where("person_id = ?", kaputest.Person(t, app, "employee").ID).Count(&bookings)
			app.DB.R.Model(&approval.Request{}).Count(&requests)
			return
		}
		b0, r0 := count()
		roomForm := func(id uint, extra ...string) url.Values {
			v := url.Values{"resource": {fmt.Sprint(id)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"}, "title": {"Rossz űrlap"}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		tests := []struct {
			name, path string
			form       url.Values
			field, msg string
		}{
			{"car on the room form", "/bookings/new", roomForm(car.ID), "resource", "Choose a room here"},
			{"equipment on the room form", "/bookings/new", roomForm(projector.ID), "resource", "Choose a room here"},
			{"car as a series preview", "/bookings/new", roomForm(car.ID, "repeat", "weekly", "count", "2"), "resource", "Choose a room here"},
			{"car as a series", "/bookings/new", roomForm(car.ID, "repeat", "weekly", "count", "2", "confirm", "1"), "resource", "Choose a room here"},
			{"room on the car form", "/bookings/cars/new", url.Values{"car": {fmt.Sprint(room.ID)}, "start_day": {day}, "start_time": {"10:00"},
				"end_day": {day}, "end_time": {"11:00"}, "destination": {"Szeged"}, "purpose": {"Egyeztetés"}}, "car", "Choose one of the pool cars"},
		}
		for _, tt := range tests {
			emp.Get("/bookings/new")
			res, body := emp.Post(tt.path, tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tt.msg) ||
				!strings.Contains(body, fmt.Sprintf(`id="f-%s-error"`, tt.field)) {
				t.Errorf("%s = %d; want 422 saying %q next to the %s field", tt.name, res.StatusCode, tt.msg, tt.field)
			}
		}
		if b, r := count(); b != b0 || r != r0 {
			t.Errorf("after the wrong forms: %d bookings, %d approval requests; want %d and %d", b, r, b0, r0)
		}
	})
}
