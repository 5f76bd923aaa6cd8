package training_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/training"
)

// TestMyTrainingsOffersTheCalendarFeed: My trainings shows the person's own
// feed address, and that address answers with a calendar.
func TestMyTrainingsOffersTheCalendarFeed(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		res, body := kaputest.SignedIn(t, app, "employee").Get("/training")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /training = %d", res.StatusCode)
		}
		emp := kaputest.Person(t, app, "employee")
		m := regexp.MustCompile(`value="[^"]*(/training/feed/(\d+)/[0-9a-f]+\.ics)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("My trainings shows no calendar feed address")
		}
		if m[2] != itoa(emp.ID) {
			t.Errorf("the feed address is person %s's; want the viewer's (%d)", m[2], emp.ID)
		}
		res, feed := kaputest.NewClient(t, app).Get(m[1])
		if res.StatusCode != http.StatusOK || !strings.Contains(feed, "BEGIN:VCALENDAR") {
			t.Errorf("GET the shown feed address = %d\n%s", res.StatusCode, feed)
		}
	})
}

// TestRoomSessionShowsTheRoomsName: a session held in a Kapu room stores no
// place text; the catalogue, the request form and the person's requests
// name the room instead of showing no place.
func TestRoomSessionShowsTheRoomsName(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		room := kaputest.Resource(t, app, "Nagy tárgyaló")
		tr := f.training(t, f.year, "ROOM-01")
		s := f.session(t, tr, 10, 12)
		if err := app.DB.W.Model(&training.Session{}).Where("id = ?", s.ID).
			Updates(map[string]any{"room_id": room.ID, "place": ""}).Error; err != nil {
			t.Fatal(err)
		}
		emp := kaputest.SignedIn(t, app, "employee")
		for _, path := range []string{"/training/catalogue", "/training/catalogue/" + itoa(tr.ID) + "/request?session=" + itoa(s.ID)} {
			res, body := emp.Get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", path, res.StatusCode)
			}
			if !strings.Contains(html.UnescapeString(body), room.Name) {
				t.Errorf("%s does not name the session's room %q", path, room.Name)
			}
		}
		e := fxEnrol(t, app, s, "employee", training.EnrolEnrolled, "")
		res, body := emp.Get("/training/enrolments/" + itoa(e.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET the enrolment = %d", res.StatusCode)
		}
		if !strings.Contains(html.UnescapeString(body), room.Name) {
			t.Errorf("the enrolment page does not name the session's room %q", room.Name)
		}
	})
}

// TestRoomSessionRequestNamesTheRoomToTheApprover: the manager deciding a
// request for a room-held session reads the room's name as its place.
func TestRoomSessionRequestNamesTheRoomToTheApprover(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		room := kaputest.Resource(t, app, "Nagy tárgyaló")
		tr := f.training(t, f.year, "ROOM-02")
		s := f.session(t, tr, 10, 12)
		if err := app.DB.W.Model(&training.Session{}).Where("id = ?", s.ID).
			Updates(map[string]any{"room_id": room.ID, "place": ""}).Error; err != nil {
			t.Fatal(err)
		}
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/training/catalogue/" + itoa(tr.ID) + "/request?session=" + itoa(s.ID)) // the form, and its CSRF token
		res, _ := emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request",
			url.Values{"session": {itoa(s.ID)}, "reason": {"Kell a munkámhoz."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("request = %d; want 303", res.StatusCode)
		}
		e := lastEnrolment(t, app, "employee")
		if e.ApprovalID == nil {
			t.Fatalf("the request has no approval")
		}
		res, body := kaputest.SignedIn(t, app, "manager").Get("/approvals/" + itoa(*e.ApprovalID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET the approval = %d", res.StatusCode)
		}
		if !strings.Contains(html.UnescapeString(body), room.Name) {
			t.Errorf("the approval page does not name the session's room %q", room.Name)
		}
	})
}

// TestRoomSessionMailNamesTheRoom: the mail of a seat booked on a room-held
// session tells where it is.
func TestRoomSessionMailNamesTheRoom(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		room := kaputest.Resource(t, app, "Nagy tárgyaló")
		tr := f.training(t, f.year, "ROOM-03", func(tr *training.Training) { tr.Mandatory = true })
		s := f.session(t, tr, 10, 12)
		if err := app.DB.W.Model(&training.Session{}).Where("id = ?", s.ID).
			Updates(map[string]any{"room_id": room.ID, "place": ""}).Error; err != nil {
			t.Fatal(err)
		}
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/training/catalogue/" + itoa(tr.ID) + "/request?session=" + itoa(s.ID))
		res, _ := emp.Post("/training/catalogue/"+itoa(tr.ID)+"/request", url.Values{"session": {itoa(s.ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking a mandatory training = %d; want 303", res.StatusCode)
		}
		if e := lastEnrolment(t, app, "employee"); e.Status != training.EnrolEnrolled {
			t.Fatalf("the booking is %s; want enrolled", e.Status)
		}
		found := false
		for _, m := range kaputest.MailsTo(t, app, "employee") {
			if strings.Contains(m.Subject, "ROOM-03") && strings.Contains(m.Text, room.Name) {
				found = true
			}
		}
		if !found {
			t.Errorf("no mail to employee about ROOM-03 names the room %q", room.Name)
		}
		if got := f.load(t, s.ID); got.Place != "" {
			t.Errorf("the session's place became %q; a room-held session stores none", got.Place)
		}
	})
}

// TestRosterOfAComingSessionIsAListNotAForm: before a session ends its
// roster cannot be recorded, so HR sees who is on it and why there is no
// form, not inputs that could only be refused.
func TestRosterOfAComingSessionIsAListNotAForm(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		today := kaputest.Today(t, app)
		tr := fxTraining(t, app, today.Year, "SOON")
		s := fxSession(t, app, tr, today.AddDays(5), today.AddDays(5), training.SessionScheduled)
		fxEnrol(t, app, s, "employee", training.EnrolEnrolled, "")
		res, body := kaputest.SignedIn(t, app, "hr").Get("/training/admin/sessions/" + itoa(s.ID) + "/roster")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET the roster = %d", res.StatusCode)
		}
		if strings.Contains(body, `name="line_0_outcome"`) {
			t.Errorf("the roster of a coming session offers inputs")
		}
		if !strings.Contains(body, html.EscapeString(msg(t, "training.records.err.roster_early"))) {
			t.Errorf("the roster of a coming session does not say why it cannot be recorded yet")
		}
		if !strings.Contains(body, kaputest.Person(t, app, "employee").Name) {
			t.Errorf("the roster of a coming session does not list who is on it")
		}
	})
}

// TestStartPageCardNamesTheRoom: the start page's line of a coming session
// held in a Kapu room says which room.
func TestStartPageCardNamesTheRoom(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		today := kaputest.Today(t, app)
		room := kaputest.Resource(t, app, "Nagy tárgyaló")
		tr := fxTraining(t, app, today.Year, "CARDROOM")
		s := fxSession(t, app, tr, today.AddDays(3), today.AddDays(3), training.SessionScheduled)
		if err := app.DB.W.Model(&training.Session{}).Where("id = ?", s.ID).
			Updates(map[string]any{"room_id": room.ID, "place": ""}).Error; err != nil {
			t.Fatal(err)
		}
		fxEnrol(t, app, s, "employee", training.EnrolEnrolled, "")
		res, body := kaputest.SignedIn(t, app, "employee").Get("/")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET / = %d", res.StatusCode)
		}
		if !strings.Contains(html.UnescapeString(body), room.Name) {
			t.Errorf("the start page's training card does not name the room %q", room.Name)
		}
	})
}
