package appointments_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// deskFix is an office of the test's own with desks open on hours every
// day, one 20-minute case type they all serve, and the service's clock at
// 8:00 on a working day a week ahead.
type deskFix struct {
	app    *kapu.App
	s      *appointments.Service
	office appointments.Office
	desks  []appointments.Desk
	typ    appointments.CaseType
	day    calendar.Date
}

func newDeskFix(t *testing.T, app *kapu.App, name string, desks int, hours string) *deskFix {
	t.Helper()
	f := &deskFix{app: app, s: app.Appointments, day: kaputest.WorkdayFrom(t, app, 7)}
	w := app.DB.W
	f.office = appointments.Office{Name: name, Address: "Fő tér 1.", Active: true}
	mustDo(t, w.Create(&f.office).Error)
	f.typ = appointments.CaseType{NameHU: "Lakcímkártya " + name, NameEN: "Address card " + name, Minutes: 20,
		HorizonDays: 60, LeadDays: 1, LeadMinutes: 60, MaxPerEmail: 1, Online: true, Active: true}
	mustDo(t, w.Create(&f.typ).Error)
	spans, err := appointments.ParseHoursSpans(hours)
	mustDo(t, err)
	for i := 0; i < desks; i++ {
		d := appointments.Desk{OfficeID: f.office.ID, Name: fmt.Sprintf("%d. ablak", i+1), Active: true}
		mustDo(t, w.Create(&d).Error)
		mustDo(t, w.Create(&appointments.DeskCaseType{DeskID: d.ID, CaseTypeID: f.typ.ID}).Error)
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			for _, sp := range spans {
				mustDo(t, w.Create(&appointments.DeskHours{DeskID: d.ID, Weekday: wd, From: sp.From, To: sp.To}).Error)
			}
		}
		f.desks = append(f.desks, d)
	}
	f.at(8, 0)
	return f
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// at sets the service's clock to hh:mm on the fixture's day.
func (f *deskFix) at(hh, mm int) time.Time {
	now, _ := calendar.At(f.day, hh, mm, f.app.Cfg.TZ)
	now = now.UTC()
	f.s.SetClock(func() time.Time { return now })
	return now
}

func (f *deskFix) book(t *testing.T, hh, mm int, name string) *appointments.Appointment {
	t.Helper()
	start, _ := calendar.At(f.day, hh, mm, f.app.Cfg.TZ)
	a, err := f.s.Book(context.Background(), kaputest.Person(t, f.app, "frontdesk").Actor(),
		appointments.BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: start, Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com"})
	mustDo(t, err)
	return a
}

func (f *deskFix) dayPath() string {
	return "/desk?" + url.Values{"office": {web.FormatID(f.office.ID)}, "date": {f.day.String()}}.Encode()
}

func (f *deskFix) load(t *testing.T, id uint) appointments.Appointment {
	t.Helper()
	var a appointments.Appointment
	mustDo(t, f.app.DB.R.First(&a, id).Error)
	return a
}

func TestDeskClerkRunsADay(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Okmányiroda próba", 2, "08:00-12:00")
		a1, a2 := f.book(t, 9, 0, "Kiss Anna"), f.book(t, 9, 20, "Szabó Ödön")
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		res, body := clerk.Get(f.dayPath())
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /desk = %d\n%s", res.StatusCode, body)
		}
		for _, want := range []string{a1.Code, a2.Code, "Kiss Anna", "Szabó Ödön", "Address card", "/desk/a/" + web.FormatID(a1.ID) + "/arrive"} {
			if !strings.Contains(body, want) {
				t.Errorf("the day does not show %q", want)
			}
		}
		next := f.dayPath()
		step := func(id uint, name string, form url.Values, want int) {
			t.Helper()
			if form == nil {
				form = url.Values{}
			}
			form.Set("next", next)
			res, body := clerk.Post("/desk/a/"+web.FormatID(id)+"/"+name, form)
			if res.StatusCode != want {
				t.Fatalf("POST %s = %d; want %d\n%s", name, res.StatusCode, want, body)
			}
			if want == http.StatusSeeOther && res.Header.Get("Location") != next {
				t.Errorf("POST %s went to %q; want %q", name, res.Header.Get("Location"), next)
			}
		}
		// The buttons read as what the clerk does; the state is its own text.
		if !strings.Contains(body, ">Mark arrived</button>") {
			t.Errorf("the day has no \"Mark arrived\" button")
		}
		for _, lang := range []string{"hu", "en"} {
			for _, pair := range [][2]string{{"arrive", "arrived"}, {"call", "called"}, {"serve", "served"}, {"no_show", "no_show"}} {
				button, state := msg(app, lang, "appointments.desk.step."+pair[0]), msg(app, lang, "appointments.desk.status."+pair[1])
				if button == state {
					t.Errorf("%s: the %s button reads %q, the same as the state", lang, pair[0], button)
				}
			}
		}
		f.at(8, 55)
		step(a1.ID, "serve", nil, http.StatusConflict) // not called yet
		step(a1.ID, "arrive", nil, http.StatusSeeOther)
		if _, body := clerk.Get(f.dayPath()); !strings.Contains(body, ">Arrived</span>") || !strings.Contains(body, ">Call in</button>") {
			t.Errorf("after the arrival the row does not show the state \"Arrived\" and the \"Call in\" button")
		}
		step(a1.ID, "arrive", nil, http.StatusConflict)
		step(a1.ID, "call", url.Values{"desk": {web.FormatID(f.desks[1].ID)}}, http.StatusSeeOther)
		step(a1.ID, "serve", nil, http.StatusSeeOther)
		got := f.load(t, a1.ID)
		if got.Status != appointments.StatusServed || got.ArrivedAt == nil || got.CalledAt == nil || got.ServedAt == nil ||
			got.CalledDeskID == nil || *got.CalledDeskID != f.desks[1].ID {
			t.Errorf("after the day's steps = %+v", got)
		}
		step(a2.ID, "no-show", nil, http.StatusConflict) // before its time
		if got := f.load(t, a2.ID); got.Status != appointments.StatusBooked {
			t.Errorf("a refused no-show changed the status to %s", got.Status)
		}
		f.at(9, 21)
		step(a2.ID, "no-show", nil, http.StatusSeeOther)
		if got := f.load(t, a2.ID); got.Status != appointments.StatusNoShow {
			t.Errorf("no-show = %s", got.Status)
		}
		step(a2.ID, "undo", nil, http.StatusSeeOther)
		if got := f.load(t, a2.ID); got.Status != appointments.StatusBooked {
			t.Errorf("undone no-show = %s; want booked", got.Status)
		}
		_, body = clerk.Get(f.dayPath())
		if !strings.Contains(body, "Undone") {
			t.Errorf("the undo's message is missing")
		}
		// The timeline on the appointment's page has every step.
		_, body = clerk.Get("/desk/a/" + web.FormatID(a1.ID))
		for _, want := range []string{"marked the citizen as arrived", "called the citizen to a desk", "marked the citizen as served", "2. ablak"} {
			if !strings.Contains(body, want) {
				t.Errorf("the appointment's page lacks %q", want)
			}
		}
		// A call to another office's desk is refused.
		other := newDeskFix(t, app, "Adóiroda próba", 1, "08:00-12:00")
		b := f.book(t, 10, 0, "Tóth Gábor")
		step(b.ID, "arrive", nil, http.StatusSeeOther)
		step(b.ID, "call", url.Values{"desk": {web.FormatID(other.desks[0].ID)}}, http.StatusNotFound)
		if got := f.load(t, b.ID); got.Status != appointments.StatusArrived {
			t.Errorf("a refused call changed the status to %s", got.Status)
		}

		// An employee is sent to the citizens' pages, and may not act.
		emp := kaputest.SignedIn(t, app, "employee")
		if res, _ := emp.Get("/desk"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/appointments" {
			t.Errorf("GET /desk as an employee = %d %s; want 303 /appointments", res.StatusCode, res.Header.Get("Location"))
		}
		emp.Get("/profile")
		if res, _ := emp.Post("/desk/a/"+web.FormatID(b.ID)+"/serve", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee's step = %d; want 403", res.StatusCode)
		}
		if res, _ := emp.Get("/desk/a/" + web.FormatID(b.ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee's look at an appointment = %d; want 403", res.StatusCode)
		}
	})
}

func TestDeskSearchFindsByCodeAndName(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Keresés próba", 1, "08:00-12:00")
		a := f.book(t, 9, 0, "Kovács Ilona")
		f.book(t, 9, 20, "Nagy Péter")
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		for _, q := range []string{a.Code, strings.ToLower(strings.ReplaceAll(a.Code, "-", "")), "kovács", "ILONA"} {
			_, body := clerk.Get(f.dayPath() + "&q=" + url.QueryEscape(q))
			if !strings.Contains(body, "Kovács Ilona") || strings.Contains(body, "Nagy Péter") {
				t.Errorf("search %q: wrong rows", q)
			}
		}
	})
}

func TestDeskWalkIns(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Sorszám próba", 1, "08:00-12:00")
		f.book(t, 9, 0, "Kiss Anna")
		f.at(8, 35) // 8:40 is free, within ten minutes
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		clerk.Get(f.dayPath())
		walkIn := func(name string) string {
			t.Helper()
			res, body := clerk.Post("/desk/walk-in", url.Values{"office": {web.FormatID(f.office.ID)},
				"type": {web.FormatID(f.typ.ID)}, "name": {name}, "next": {f.dayPath()}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("walk-in = %d\n%s", res.StatusCode, body)
			}
			_, body = clerk.Get(f.dayPath())
			return body
		}
		body := walkIn("Első Ernő")
		if !strings.Contains(body, "Walk-in booked") || !strings.Contains(body, "08:40") {
			t.Errorf("a walk-in with a free desk was not booked at 8:40")
		}
		var first appointments.Appointment
		mustDo(t, app.DB.R.Where("name = ?", "Első Ernő").First(&first).Error)
		if first.Status != appointments.StatusArrived || first.Source != appointments.SourceWalkIn || first.DeskID == nil || first.Ticket != 0 {
			t.Errorf("walk-in in a gap = %+v", first)
		}
		// 9:00 is booked: the next two wait, with tickets 1 and 2.
		for i, name := range []string{"Második Mária", ""} {
			body = walkIn(name)
			if !strings.Contains(body, fmt.Sprintf("ticket no. %d is on the waiting list", i+1)) {
				t.Errorf("walk-in %d got no ticket %d", i+2, i+1)
			}
		}
		var waiting []appointments.Appointment
		mustDo(t, app.DB.R.Where("office_id = ? AND status = ?", f.office.ID, appointments.StatusWaiting).Order("ticket").Find(&waiting).Error)
		if len(waiting) != 2 || waiting[0].Ticket != 1 || waiting[1].Ticket != 2 || waiting[0].DeskID != nil || waiting[0].StartAt != nil {
			t.Fatalf("waiting list = %+v", waiting)
		}
		if !strings.Contains(body, "No. 1") || !strings.Contains(body, "No. 2") {
			t.Errorf("the day does not list the tickets")
		}
		// Calling ticket 1 to the desk shows on the waiting room's screen.
		res, _ := clerk.Post("/desk/a/"+web.FormatID(waiting[0].ID)+"/call", url.Values{"desk": {web.FormatID(f.desks[0].ID)}, "next": {f.dayPath()}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("call a ticket = %d", res.StatusCode)
		}
		if got := f.load(t, waiting[0].ID); got.Status != appointments.StatusCalled {
			t.Errorf("called ticket = %s", got.Status)
		}
		// Ticket 2 left before being called: off the list, and back by undo.
		for _, st := range []struct{ step, want string }{{"no-show", appointments.StatusNoShow}, {"undo", appointments.StatusWaiting}} {
			res, _ = clerk.Post("/desk/a/"+web.FormatID(waiting[1].ID)+"/"+st.step, url.Values{"next": {f.dayPath()}})
			if got := f.load(t, waiting[1].ID); res.StatusCode != http.StatusSeeOther || got.Status != st.want {
				t.Errorf("%s of a waiting walk-in = %d, %s; want 303, %s", st.step, res.StatusCode, got.Status, st.want)
			}
		}
	})
}

func TestDeskTicketsUnderTwoClerksAtOnce(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Roham próba", 1, "10:00-12:00") // nothing open at 8:00: all wait
		clerks := []*kaputest.Client{kaputest.SignedIn(t, app, "frontdesk"), kaputest.SignedIn(t, app, "juhasz.laura")}
		for _, c := range clerks {
			c.Get(f.dayPath())
		}
		const each = 6
		var wg sync.WaitGroup
		var failed atomic.Int32
		for _, c := range clerks {
			wg.Add(1)
			go func(c *kaputest.Client) {
				defer wg.Done()
				for i := 0; i < each; i++ {
					req, _ := http.NewRequest(http.MethodPost, "http://kapu.test/desk/walk-in", strings.NewReader(url.Values{
						"_csrf": {c.CSRF}, "office": {web.FormatID(f.office.ID)}, "type": {web.FormatID(f.typ.ID)}}.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					for _, ck := range c.Cookies() {
						req.AddCookie(ck)
					}
					res, err := app.Web.App.Test(req, -1)
					if err != nil || res.StatusCode != http.StatusSeeOther {
						failed.Add(1)
					}
				}
			}(c)
		}
		wg.Wait()
		if failed.Load() > 0 {
			t.Fatalf("%d walk-ins failed", failed.Load())
		}
		var tickets []int
		mustDo(t, app.DB.R.Model(&appointments.Appointment{}).Where("office_id = ?", f.office.ID).Order("ticket").Pluck("ticket", &tickets).Error)
		if len(tickets) != 2*each {
			t.Fatalf("tickets = %v; want %d", tickets, 2*each)
		}
		for i, tk := range tickets {
			if tk != i+1 {
				t.Fatalf("tickets = %v; want 1..%d, each once", tickets, 2*each)
			}
		}
	})
}

func TestDeskCloseMovesWhatFits(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Zárás próba", 2, "08:00-12:00")
		// 10:00 at both desks, 10:20 at the first: closing the first moves
		// 10:20 to the second and leaves 10:00 (the second is taken then).
		a, b, c := f.book(t, 10, 0, "Kiss Anna"), f.book(t, 10, 0, "Nagy Béla"), f.book(t, 10, 20, "Fodor Cecília")
		if *a.DeskID != f.desks[0].ID || *b.DeskID != f.desks[1].ID || *c.DeskID != f.desks[0].ID {
			t.Fatalf("desks = %d %d %d", *a.DeskID, *b.DeskID, *c.DeskID)
		}
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		q := url.Values{"desk": {web.FormatID(f.desks[0].ID)}, "date": {f.day.String()}, "reason": {"Beteg az ügyintéző"}}
		res, body := clerk.Get("/desk/close?" + q.Encode())
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Appointments affected: 2.") {
			t.Fatalf("close confirm = %d\n%s", res.StatusCode, body)
		}
		if res, _ := clerk.Get("/desk/close?" + url.Values{"desk": {web.FormatID(f.desks[0].ID)}, "date": {f.day.String()}}.Encode()); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("close without a reason = %d; want 422", res.StatusCode)
		}
		res, _ = clerk.Post("/desk/close", q)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close = %d", res.StatusCode)
		}
		_, body = clerk.Get(res.Header.Get("Location"))
		if !strings.Contains(body, "1 moved to other desks, 1 asked to rebook") {
			t.Errorf("the close's message is missing")
		}
		if got := f.load(t, c.ID); *got.DeskID != f.desks[1].ID || got.Status != appointments.StatusBooked {
			t.Errorf("10:20 = desk %d %s; want the second desk", *got.DeskID, got.Status)
		}
		if got := f.load(t, a.ID); *got.DeskID != f.desks[0].ID || got.Status != appointments.StatusBooked {
			t.Errorf("10:00 = desk %d %s; want it left booked at the first", *got.DeskID, got.Status)
		}
		// New bookings that day go to the open desk only, at once.
		if d := f.book(t, 11, 0, "Vass Dénes"); *d.DeskID != f.desks[1].ID {
			t.Errorf("a booking after the close went to desk %d; want the open one", *d.DeskID)
		}
		// The one left is asked to pick another time with their own link.
		asked := false
		for _, m := range mailsTo(t, app, a.Email) {
			asked = asked || strings.Contains(m.Text, app.Appointments.LinkURL(a)+"/move")
		}
		if !asked {
			t.Errorf("the citizen left on the closed desk got no mail with a move link")
		}
		// The one moved to another desk keeps their time: no "moved" mail.
		if _, err := app.Outbox.ComposeDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, m := range mailsTo(t, app, c.Email) {
			if strings.Contains(m.Key, "/moved/") || strings.Contains(m.Subject, "New time") {
				t.Errorf("the citizen moved only to another desk got %q", m.Subject)
			}
		}
		if !strings.Contains(body, "Closed") {
			t.Errorf("the day does not show the desk closed")
		}
		if res, _ := clerk.Post("/desk/close", q); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("closing again = %d; want 422", res.StatusCode)
		}
		// A past day: the form again with the date marked, nothing closed.
		past := url.Values{"desk": {web.FormatID(f.desks[1].ID)}, "date": {calendar.DateOf(f.at(8, 0), app.Cfg.TZ).AddDays(-1).String()}, "reason": {"tévedés"}}
		before := snapshot(t, app)
		for _, try := range []func() (*http.Response, string){
			func() (*http.Response, string) { return clerk.Get("/desk/close?" + past.Encode()) },
			func() (*http.Response, string) { return clerk.Post("/desk/close", past) },
		} {
			res, body := try()
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The day is past") || strings.Contains(body, `class="btn btn-danger"`) {
				t.Errorf("closing a past day = %d; want 422 with the date marked and no close button", res.StatusCode)
			}
		}
		var n int64
		mustDo(t, app.DB.R.Model(&appointments.DeskException{}).Where("desk_id = ?", f.desks[1].ID).Count(&n).Error)
		if n != 0 || snapshot(t, app) != before {
			t.Errorf("a refused close of a past day changed something (%d exceptions)", n)
		}
	})
}

func TestDeskDisplay(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Kijelző próba", 1, "10:00-12:00")
		a := f.book(t, 10, 0, "Titkos Tamás")
		ctx := context.Background()
		clerk := kaputest.Person(t, app, "frontdesk").Actor()
		f.at(9, 50)
		_, err := f.s.Arrive(ctx, clerk, a.ID)
		mustDo(t, err)
		_, err = f.s.Call(ctx, clerk, a.ID, f.desks[0].ID)
		mustDo(t, err)
		w, err := f.s.WalkIn(ctx, clerk, f.office.ID, f.typ.ID, "Rejtett Rita")
		mustDo(t, err)
		_, err = f.s.Call(ctx, clerk, w.ID, f.desks[0].ID)
		mustDo(t, err)

		screen := kaputest.NewClient(t, app) // not signed in
		before := snapshot(t, app)
		path := f.s.DisplayPath(f.office.ID)
		res, body := screen.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("display = %d\n%s", res.StatusCode, body)
		}
		for _, want := range []string{a.Code, fmt.Sprintf(">%d<", w.Ticket), "1. ablak", `http-equiv="refresh" content="10"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the display lacks %q", want)
			}
		}
		for _, never := range []string{"Titkos", "Rejtett", "nav-link", "logout"} {
			if strings.Contains(body, never) {
				t.Errorf("the display shows %q", never)
			}
		}
		if after := snapshot(t, app); after != before {
			t.Errorf("GET of the display changed the appointments: %s → %s", before, after)
		}
		for _, bad := range []string{
			fmt.Sprintf("/appointments/display/%d/%s", f.office.ID, strings.Repeat("0", 40)),
			fmt.Sprintf("/appointments/display/%d/%s", f.office.ID+1, path[strings.LastIndex(path, "/")+1:]),
			"/appointments/display/x/y",
		} {
			if res, _ := screen.Get(bad); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", bad, res.StatusCode)
			}
		}
		// A quarter of an hour later the calls have left the screen.
		f.at(10, 10)
		if _, body := screen.Get(path); strings.Contains(body, a.Code) {
			t.Errorf("an old call is still on the screen")
		}
	})
}

func TestDeskBookAndMoveAndCancel(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Telefon próba", 1, "08:00-12:00")
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		q := url.Values{"type": {web.FormatID(f.typ.ID)}, "office": {web.FormatID(f.office.ID)}, "date": {f.day.String()}}
		res, body := clerk.Get("/desk/book?" + q.Encode())
		start, _ := calendar.At(f.day, 9, 0, app.Cfg.TZ)
		unix := fmt.Sprint(start.Unix())
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="`+unix+`"`) {
			t.Fatalf("book form = %d, without 9:00\n%s", res.StatusCode, body)
		}
		form := url.Values{"type": q["type"], "office": q["office"], "date": q["date"], "start": {unix},
			"name": {""}, "email": {"nem-email"}, "phone": {"+36 30 123 4567"}}
		res, body = clerk.Post("/desk/book", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Give the citizen") || !strings.Contains(body, "not an email address") {
			t.Errorf("bad booking = %d; want 422 with the name and email marked", res.StatusCode)
		}
		form.Set("name", "Telefonos Teréz")
		form.Set("email", "")
		res, _ = clerk.Post("/desk/book", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/desk/a/") {
			t.Fatalf("booking = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		page := res.Header.Get("Location")
		var a appointments.Appointment
		mustDo(t, app.DB.R.Where("name = ?", "Telefonos Teréz").First(&a).Error)
		if a.Source != appointments.SourcePhone || a.Email != "" {
			t.Errorf("phone booking = %+v", a)
		}
		_, body = clerk.Get(page)
		if !strings.Contains(body, a.Code) || !strings.Contains(body, "Booked:") {
			t.Errorf("the appointment page lacks the code or the flash")
		}
		// Move to 10:00.
		to, _ := calendar.At(f.day, 10, 0, app.Cfg.TZ)
		res, _ = clerk.Post(page+"/move", url.Values{"start": {fmt.Sprint(to.Unix())}, "reason": {"kérte"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("move = %d", res.StatusCode)
		}
		if got := f.load(t, a.ID); !got.StartAt.Equal(to) {
			t.Errorf("moved to %v; want %v", got.StartAt, to)
		}
		res, _ = clerk.Post(page+"/move", url.Values{"start": {"12345"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("move to a non-slot = %d; want 422", res.StatusCode)
		}
		// Cancel: a reason is needed, then a confirmation.
		if res, _ := clerk.Get(page + "/cancel"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("cancel without a reason = %d; want 422", res.StatusCode)
		}
		res, body = clerk.Get(page + "/cancel?reason=" + url.QueryEscape("lemondta telefonon"))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "lemondta telefonon") {
			t.Fatalf("cancel confirm = %d", res.StatusCode)
		}
		if got := f.load(t, a.ID); got.Status != appointments.StatusBooked {
			t.Errorf("the confirmation cancelled already")
		}
		res, _ = clerk.Post(page+"/cancel?reason="+url.QueryEscape("lemondta telefonon"), url.Values{"next": {page}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", res.StatusCode)
		}
		if got := f.load(t, a.ID); got.Status != appointments.StatusCancelled || got.CancelReason != "lemondta telefonon" {
			t.Errorf("cancelled = %s %q", got.Status, got.CancelReason)
		}
	})
}

// queryCounter counts the statements run on g (reads, rows, raw SQL)
// while on is set.
type queryCounter struct{ on, n atomic.Int32 }

func countQueries(t *testing.T, g *gorm.DB) *queryCounter {
	t.Helper()
	qc := &queryCounter{}
	count := func(*gorm.DB) {
		if qc.on.Load() == 1 {
			qc.n.Add(1)
		}
	}
	mustDo(t, g.Callback().Query().After("gorm:query").Register("test:count", count))
	mustDo(t, g.Callback().Row().After("gorm:row").Register("test:count", count))
	mustDo(t, g.Callback().Raw().After("gorm:raw").Register("test:count", count))
	return qc
}

// during is the statements fn ran.
func (qc *queryCounter) during(fn func()) int {
	qc.n.Store(0)
	qc.on.Store(1)
	fn()
	qc.on.Store(0)
	return int(qc.n.Load())
}

func TestDeskDayQueriesStayFlat(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Lekérdezés próba", 3, "08:00-12:00")
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		clerk.Get(f.dayPath())
		qc := countQueries(t, app.DB.R)
		measure := func() int {
			return qc.during(func() {
				if res, _ := clerk.Get(f.dayPath()); res.StatusCode != http.StatusOK {
					t.Fatalf("GET /desk = %d", res.StatusCode)
				}
			})
		}
		f.book(t, 9, 0, "Egy Elek")
		few := measure()
		for i := 0; i < 8; i++ {
			f.book(t, 9+i/3, (i%3)*20, fmt.Sprintf("Sok%d Soma", i))
		}
		if many := measure(); many != few {
			t.Errorf("the day took %d queries with 1 appointment, %d with 9; want the same", few, many)
		}
		if few < 5 || few > 15 {
			t.Errorf("the day took %d queries; want a handful", few)
		}
	})
}

func TestDeskBadInputIsA4xx(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newDeskFix(t, app, "Rossz bemenet", 1, "08:00-12:00")
		a := f.book(t, 9, 0, "Kertes Kata") // a name that is also the shape of a code
		clerk := kaputest.SignedIn(t, app, "frontdesk")
		clerk.Get(f.dayPath())
		id := web.FormatID(a.ID)
		gets := []struct {
			path string
			want int
		}{
			{"/desk?office=abc&date=tegnap&q=" + url.QueryEscape(`<script>"'%_\`), http.StatusOK},
			{"/desk?office=999999", http.StatusNotFound},
			{"/desk?q=" + strings.Repeat("x", 2000), http.StatusOK},
			{"/desk/a/abc", http.StatusNotFound},
			{"/desk/a/999999", http.StatusNotFound},
			{"/desk/a/" + id + "?date=holnap", http.StatusOK},
			{"/desk/book?type=x&office=y&date=z", http.StatusUnprocessableEntity},
			{"/desk/book?type=999&office=1&date=" + f.day.String(), http.StatusUnprocessableEntity},
			{"/desk/close?desk=x&date=y&reason=", http.StatusUnprocessableEntity},
			{"/desk/close?desk=999999&date=" + f.day.String() + "&reason=x", http.StatusUnprocessableEntity},
		}
		for _, g := range gets {
			if res, body := clerk.Get(g.path); res.StatusCode != g.want {
				t.Errorf("GET %s = %d; want %d\n%.300s", g.path, res.StatusCode, g.want, body)
			}
		}
		posts := []struct {
			path string
			form url.Values
			want int
		}{
			{"/desk/a/abc/arrive", nil, http.StatusNotFound},
			{"/desk/a/" + id + "/fly", nil, http.StatusNotFound},
			{"/desk/a/" + id + "/call", url.Values{"desk": {"ablak"}}, http.StatusUnprocessableEntity},
			{"/desk/a/" + id + "/call", url.Values{"desk": {"999999"}}, http.StatusNotFound},
			{"/desk/a/" + id + "/move", url.Values{"start": {"-1"}}, http.StatusUnprocessableEntity},
			{"/desk/a/" + id + "/move", url.Values{"start": {"1"}, "reason": {strings.Repeat("x", 600)}}, http.StatusUnprocessableEntity},
			{"/desk/a/" + id + "/cancel", url.Values{"reason": {"  "}}, http.StatusUnprocessableEntity},
			{"/desk/book", url.Values{"type": {"x"}, "start": {"x"}}, http.StatusUnprocessableEntity},
			{"/desk/walk-in", url.Values{"office": {"x"}, "type": {"y"}, "next": {"//evil.example/"}}, http.StatusSeeOther},
			{"/desk/walk-in", url.Values{"office": {web.FormatID(f.office.ID)}, "type": {web.FormatID(f.typ.ID)}, "name": {strings.Repeat("n", 300)}}, http.StatusSeeOther},
			{"/desk/close", url.Values{"desk": {"1"}, "date": {"x"}, "reason": {"y"}}, http.StatusUnprocessableEntity},
		}
		for _, p := range posts {
			res, body := clerk.Post(p.path, p.form)
			if res.StatusCode != p.want {
				t.Errorf("POST %s = %d; want %d\n%.300s", p.path, res.StatusCode, p.want, body)
			}
			if loc := res.Header.Get("Location"); strings.HasPrefix(loc, "//") || strings.Contains(loc, "evil") {
				t.Errorf("POST %s went to %q", p.path, loc)
			}
		}
		if got := f.load(t, a.ID); got.Status != appointments.StatusBooked {
			t.Errorf("bad requests changed the appointment to %s", got.Status)
		}
		var n int64
		app.DB.R.Model(&appointments.Appointment{}).Where("office_id = ?", f.office.ID).Count(&n)
		if n != 1 {
			t.Errorf("bad requests made %d appointments; want only the one booked", n)
		}
		// A name shaped like a code is still found by name.
		if _, body := clerk.Get(f.dayPath() + "&q=kertes"); !strings.Contains(body, a.Code) {
			t.Errorf("a search for kertes did not find Kertes Kata")
		}
		// The pages speak Hungarian too.
		clerk.Get("/profile")
		clerk.Post("/profile/language", url.Values{"lang": {"hu"}})
		for path, want := range map[string]string{f.dayPath(): "Várólista", "/desk/a/" + id: "Áthelyezés másik időpontra", "/desk/book": "Foglalás ügyfél nevében", "/desk/close": "Ablak zárása egy napra"} {
			if _, body := clerk.Get(path); !strings.Contains(body, want) {
				t.Errorf("GET %s in Hungarian lacks %q", path, want)
			}
		}
	})
}
