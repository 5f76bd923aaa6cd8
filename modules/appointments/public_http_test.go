package appointments_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/notify"
)

// pubFixture is an office with two desks open 8:00–16:00 on working days,
// a case type citizens book online (30 minutes), one the front desk books
// only, and one no longer offered.
type pubFixture struct {
	app                      *kapu.App
	office                   appointments.Office
	typ, hidden, inactive    appointments.CaseType
	day                      calendar.Date // a working day well inside the window
	base                     string        // the month page of typ at office
	tz                       *time.Location
	typeName, officeName     string
	checklistItem, otherItem string
}

func newPubFixture(t *testing.T, app *kapu.App) *pubFixture {
	t.Helper()
	f := &pubFixture{app: app, tz: app.Cfg.TZ, officeName: "Okmányiroda Teszt", typeName: "Személyi igazolvány teszt",
		checklistItem: "Lakcímkártya", otherItem: "Régi igazolvány"}
	d := app.DB.W
	f.office = appointments.Office{Name: f.officeName, Address: "Fő tér 1.", Phone: "+36 1 234 5678", Email: "okmany@example.hu",
		Directions: "A 9-es busz megállójától 2 perc.", Accessibility: "Akadálymentes bejárat a Kossuth utca felől.", Active: true}
	must(t, d.Create(&f.office).Error)
	f.typ = appointments.CaseType{NameHU: f.typeName, NameEN: "Identity card test", PurposeHU: "Új személyi igazolvány kiadása.",
		PurposeEN: "A new identity card.", DocumentsHU: f.checklistItem + "\n" + f.otherItem, DocumentsEN: "Address card\nOld identity card",
		FeeHU: "Illetékmentes", FeeEN: "Free of charge", Minutes: 30, HorizonDays: 30, LeadDays: 1, LeadMinutes: 0,
		MaxPerEmail: 1, Online: true, Active: true}
	must(t, d.Create(&f.typ).Error)
	f.hidden = appointments.CaseType{NameHU: "Rejtett ügy", NameEN: "Hidden errand", Minutes: 30, HorizonDays: 30, MaxPerEmail: 1, Online: true, Active: true}
	must(t, d.Create(&f.hidden).Error)
	must(t, d.Model(&f.hidden).Update("online", false).Error)
	f.inactive = appointments.CaseType{NameHU: "Megszűnt ügy", NameEN: "Old errand", Minutes: 30, HorizonDays: 30, MaxPerEmail: 1, Online: true, Active: true}
	must(t, d.Create(&f.inactive).Error)
	must(t, d.Model(&f.inactive).Update("active", false).Error)
	for i := 1; i <= 2; i++ {
		desk := appointments.Desk{OfficeID: f.office.ID, Name: fmt.Sprintf("%d. ablak", i), Active: true}
		must(t, d.Create(&desk).Error)
		for _, typ := range []uint{f.typ.ID, f.hidden.ID, f.inactive.ID} {
			must(t, d.Create(&appointments.DeskCaseType{DeskID: desk.ID, CaseTypeID: typ}).Error)
		}
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			must(t, d.Create(&appointments.DeskHours{DeskID: desk.ID, Weekday: wd, From: 8 * 60, To: 16 * 60}).Error)
		}
	}
	f.day = kaputest.WorkdayFrom(t, app, 4)
	f.base = fmt.Sprintf("/appointments/t/%d/o/%d", f.typ.ID, f.office.ID)
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// on is f for another day.
func (f *pubFixture) on(d calendar.Date) *pubFixture {
	g := *f
	g.day = d
	return &g
}

// at is the path of the booking form of hh:mm on f.day.
func (f *pubFixture) at(hhmm string) string { return f.base + "/d/" + f.day.String() + "/at/" + hhmm }

func (f *pubFixture) local(d calendar.Date, hh, mm int) time.Time {
	t, err := calendar.At(d, hh, mm, f.tz)
	if err != nil {
		panic(err)
	}
	return t
}

// citizen is a visitor whose every answer is checked for what a public
// page must never do: start a session, show the intranet, fail with a 500.
type citizen struct {
	t *testing.T
	c *kaputest.Client
}

func newCitizen(t *testing.T, app *kapu.App, ip string) *citizen {
	c := kaputest.NewClient(t, app)
	c.IP = ip
	return &citizen{t: t, c: c}
}

func (z *citizen) check(method, path string, res *http.Response, body string) {
	z.t.Helper()
	for _, ck := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(ck, "kapu_session=") {
			z.t.Errorf("%s %s set a session cookie: %s", method, path, ck)
		}
	}
	if res.StatusCode >= 500 {
		z.t.Errorf("%s %s = %d; a public page never answers 5xx\n%s", method, path, res.StatusCode, body)
	}
	if strings.Contains(body, `class="sidebar"`) || strings.Contains(body, `action="/logout"`) {
		z.t.Errorf("%s %s shows the intranet's navigation", method, path)
	}
}

func (z *citizen) get(path string) (*http.Response, string) {
	z.t.Helper()
	res, body := z.c.Get(path)
	z.check("GET", path, res, body)
	return res, body
}

func (z *citizen) head(path string) *http.Response {
	z.t.Helper()
	req, _ := http.NewRequest(http.MethodHead, "http://kapu.test"+path, nil)
	res, body := z.c.Do(req)
	z.check("HEAD", path, res, body)
	return res
}

func (z *citizen) post(path string, form url.Values) (*http.Response, string) {
	z.t.Helper()
	res, body := z.c.Post(path, form)
	z.check("POST", path, res, body)
	return res, body
}

var formTokenRe = regexp.MustCompile(`name="_form" value="([^"]+)"`)

// token is the form token of a page.
func token(t *testing.T, body string) string {
	t.Helper()
	m := formTokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form token on the page:\n%s", body)
	}
	return m[1]
}

// msg is a message as a page shows it (HTML-escaped).
func msg(app *kapu.App, lang, key string, args ...any) string {
	return html.EscapeString(app.Web.Catalog.T(lang, key, args...))
}

func wantStatus(t *testing.T, what string, res *http.Response, want int, body string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d; want %d\n%s", what, res.StatusCode, want, body)
	}
}

// wantIn checks body for each of wants as a reader sees it: the word joiner
// that keeps a time range on one line is invisible.
func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	seen := strings.ReplaceAll(body, "\u2060", "")
	for _, w := range wants {
		if !strings.Contains(seen, w) {
			t.Errorf("%s: page lacks %q", what, w)
		}
	}
}

// bookForm is a filled-in booking form with the token of the form page.
func bookForm(tok string, name, email string) url.Values {
	return url.Values{"_form": {tok}, "name": {name}, "email": {email}, "phone": {"+36 30 123 4567"},
		"note": {"Kerekesszékkel érkezem."}, "privacy": {"yes"}}
}

// snapshot is what a GET must never change: the appointments and the mail.
func snapshot(t *testing.T, app *kapu.App) string {
	t.Helper()
	var rows []appointments.Appointment
	must(t, app.DB.R.Order("id").Find(&rows).Error)
	var mails int64
	must(t, app.DB.R.Model(&notify.Mail{}).Count(&mails).Error)
	var b strings.Builder
	for _, r := range rows {
		desk := uint(0)
		if r.DeskID != nil {
			desk = *r.DeskID
		}
		fmt.Fprintf(&b, "%d %s %v %d %d %v %v|", r.ID, r.Status, r.StartAt, desk, r.Rating, r.ConfirmedAt != nil, r.CancelledAt != nil)
	}
	fmt.Fprintf(&b, "mails=%d", mails)
	return b.String()
}

func appointmentCount(t *testing.T, app *kapu.App) int64 {
	t.Helper()
	var n int64
	must(t, app.DB.R.Model(&appointments.Appointment{}).Count(&n).Error)
	return n
}

// mailTo is the newest mail to addr, written by its composer if queued with Later.
func mailTo(t *testing.T, app *kapu.App, addr, subject string) notify.Mail {
	t.Helper()
	if _, err := app.Outbox.ComposeDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var rows []notify.Mail
	must(t, app.DB.R.Where("to_addr = ?", addr).Order("id DESC").Find(&rows).Error)
	for _, r := range rows {
		if strings.Contains(r.Subject, subject) {
			return r
		}
	}
	t.Fatalf("no mail to %s about %q among %d", addr, subject, len(rows))
	return notify.Mail{}
}

var locationToken = regexp.MustCompile(`^/appointments/my/([A-Za-z0-9_-]{43})\?new=1$`)

// TestPublicBookingFlow books an appointment over HTTP as a citizen would,
// from the list of case types to the personal page and the confirmation
// mail, then moves and cancels it through the personal link.
func TestPublicBookingFlow(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		z := newCitizen(t, app, "10.1.0.1")

		res, body := z.get("/appointments")
		wantStatus(t, "the list", res, 200, body)
		wantIn(t, "the list", body, "Identity card test", `href="/appointments/t/`+fmt.Sprint(f.typ.ID)+`"`, "<main", "/appointments/privacy")
		for _, hidden := range []string{"Hidden errand", "Old errand"} {
			if strings.Contains(body, hidden) {
				t.Errorf("the list shows %q, which citizens cannot book", hidden)
			}
		}
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("the list has %d h1; want 1", n)
		}

		res, body = z.get(fmt.Sprintf("/appointments/t/%d", f.typ.ID))
		wantStatus(t, "a type with one office", res, http.StatusSeeOther, body)
		if loc := res.Header.Get("Location"); loc != f.base {
			t.Fatalf("a type with one office goes to %q; want its month %q", loc, f.base)
		}

		res, body = z.get(f.base + "?month=" + f.day.String()[:7])
		wantStatus(t, "the month", res, 200, body)
		dayPath := f.base + "/d/" + f.day.String()
		wantIn(t, "the month", body, `href="`+dayPath+`"`, "<table", `<th scope="col">`, "free time", "Old identity card", f.officeName)

		res, body = z.get(dayPath)
		wantStatus(t, "the day", res, 200, body)
		wantIn(t, "the day", body, `href="`+f.at("0900")+`"`, `href="`+f.at("1530")+`"`, "Morning", "Afternoon")

		res, body = z.get(f.at("0900"))
		wantStatus(t, "the form", res, 200, body)
		wantIn(t, "the form", body, "Old identity card", `name="website"`, `name="privacy"`, "09:00–09:30", "/appointments/privacy")
		tok := token(t, body)
		time.Sleep(2100 * time.Millisecond) // a person takes longer than a bot to fill it in

		email := "kovacs.anna@example.hu"
		res, body = z.post(f.at("0900"), bookForm(tok, "Kovács Anna", email))
		wantStatus(t, "booking", res, http.StatusSeeOther, body)
		m := locationToken.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("booking goes to %q; want the personal page with ?new=1", res.Header.Get("Location"))
		}
		my := "/appointments/my/" + m[1]

		res, body = z.get(my + "?new=1")
		wantStatus(t, "the personal page", res, 200, body)
		var appt appointments.Appointment
		must(t, app.DB.R.Where("email = ?", email).First(&appt).Error)
		wantIn(t, "the personal page", body, appt.Code, msg(app, "en", "appt.my.note_new"), "Fő tér 1.", "09:00–09:30",
			"Old identity card", my+"/ics", my+"/move", my+"/cancel")
		if appt.Lang != "en" || appt.IP != "10.1.0.1" || appt.Name != "Kovács Anna" {
			t.Errorf("stored lang %q, ip %q, name %q; want en, 10.1.0.1, Kovács Anna", appt.Lang, appt.IP, appt.Name)
		}

		mail := mailTo(t, app, email, "Appointment confirmed")
		wantIn(t, "the confirmation mail", mail.Text, appt.Code, "http://localhost:8080"+my, f.officeName, "Fő tér 1.", "09:00–09:30", "Old identity card")
		files, err := mail.Files()
		must(t, err)
		if len(files) != 1 || !strings.HasSuffix(files[0].Name, ".ics") {
			t.Fatalf("the confirmation carries %d files; want one .ics", len(files))
		}
		start := f.local(f.day, 9, 0)
		wantIn(t, "the mail's .ics", string(files[0].Data), "BEGIN:VEVENT", "DTSTART:"+start.UTC().Format("20060102T150405Z"))

		res, body = z.get(my + "/ics")
		wantStatus(t, "the .ics", res, 200, body)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("the .ics is %q; want text/calendar", ct)
		}
		if strings.Count(body, "BEGIN:VEVENT") != 1 || !strings.Contains(body, "DTSTART:"+start.UTC().Format("20060102T150405Z")) {
			t.Errorf("the .ics lacks the one event at %s:\n%s", start, body)
		}

		// Every link the mail and the page carry, opened (GET and HEAD), changes nothing.
		before := snapshot(t, app)
		for _, p := range []string{my, my + "/ics", my + "/cancel", my + "/move", my + "/move/d/" + f.day.String(),
			my + "/confirm", my + "/rate?score=5"} {
			z.get(p)
			z.head(p)
		}
		if after := snapshot(t, app); after != before {
			t.Fatalf("opening the links changed something:\n%s\n%s", before, after)
		}

		// Move to 14:00 of the day after, through the month and the day.
		next := kaputest.WorkdayOnOrAfter(t, app, f.day.AddDays(1))
		res, body = z.get(my + "/move?month=" + next.String()[:7])
		wantStatus(t, "the move month", res, 200, body)
		wantIn(t, "the move month", body, `href="`+my+`/move/d/`+next.String()+`"`)
		res, body = z.get(my + "/move/d/" + next.String())
		wantStatus(t, "the move day", res, 200, body)
		wantIn(t, "the move day", body, `name="at" value="1400"`)
		// 15:00 is taken at both desks meanwhile: the move says so and keeps the old time.
		var others []string
		for _, who := range []string{"elso", "masodik"} {
			other, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "10.1.9.9"}, appointments.BookInput{Consent: true,
				CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: f.local(next, 15, 0), Name: "Más Valaki", Email: who + "@example.hu", Lang: "en"})
			must(t, err)
			others = append(others, other.Code, other.Email)
		}
		moveTok := token(t, body)
		res, tbody := z.post(my+"/move", url.Values{"_form": {moveTok}, "date": {next.String()}, "at": {"1500"}})
		wantStatus(t, "moving to a time taken meanwhile", res, http.StatusConflict, tbody)
		wantIn(t, "moving to a time taken meanwhile", tbody, msg(app, "en", "appt.err.taken"), `name="at" value="1400"`)
		if strings.Contains(tbody, `value="1500"`) {
			t.Errorf("the taken time is still offered")
		}
		must(t, app.DB.R.First(&appt, appt.ID).Error)
		if !appt.StartAt.Equal(f.local(f.day, 9, 0)) {
			t.Fatalf("a refused move changed the time to %v", appt.StartAt)
		}
		res, body = z.post(my+"/move", url.Values{"_form": {moveTok}, "date": {next.String()}, "at": {"1400"}})
		wantStatus(t, "moving", res, http.StatusSeeOther, body)
		if loc := res.Header.Get("Location"); loc != my+"?moved=1" {
			t.Errorf("moving goes to %q", loc)
		}
		must(t, app.DB.R.First(&appt, appt.ID).Error)
		if want := f.local(next, 14, 0); !appt.StartAt.Equal(want) {
			t.Errorf("moved to %v; want %v", appt.StartAt, want)
		}
		moved := mailTo(t, app, email, "New time")
		files, _ = moved.Files()
		if len(files) != 1 || !strings.Contains(string(files[0].Data), "DTSTART:"+f.local(next, 14, 0).UTC().Format("20060102T150405Z")) {
			t.Errorf("the move's mail lacks the new .ics")
		}
		_, body = z.get(my + "?moved=1")
		wantIn(t, "the page after moving", body, msg(app, "en", "appt.my.note_moved"), "14:00–14:30")
		for _, theirs := range append(others, "Más Valaki") {
			if strings.Contains(body, theirs) {
				t.Errorf("the personal page shows another citizen's %q", theirs)
			}
		}

		// Cancel: the question, then the button.
		res, body = z.get(my + "/cancel")
		wantStatus(t, "the cancel question", res, 200, body)
		res, body = z.post(my+"/cancel", url.Values{"_form": {token(t, body)}})
		wantStatus(t, "cancelling", res, http.StatusSeeOther, body)
		must(t, app.DB.R.First(&appt, appt.ID).Error)
		if appt.Status != appointments.StatusCancelled {
			t.Errorf("status after cancelling %q", appt.Status)
		}
		mailTo(t, app, email, "Appointment cancelled")
		_, body = z.get(my + "?cancelled=1")
		wantIn(t, "the page after cancelling", body, msg(app, "en", "appt.my.note_cancelled"), msg(app, "en", "appt.status.cancelled"))
		if strings.Contains(body, my+"/move") {
			t.Errorf("a cancelled appointment still offers to move")
		}
	}, kaputest.BehindProxy())
}

// TestPublicBadInput is the bad-input table, in both languages: each
// a clear message in the citizen's language, what was typed kept, nothing
// changed and never a 500.
func TestPublicBadInput(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		for i, lang := range []string{"hu", "en"} {
			t.Run(lang, func(t *testing.T) {
				f := f.on(kaputest.WorkdayOnOrAfter(t, app, f.day.AddDays(i))) // a day of its own
				z := newCitizen(t, app, fmt.Sprintf("10.2.0.%d", i+1))
				z.get("/appointments?lang=" + lang) // the switch; kept in the cookie
				T := func(key string, args ...any) string { return msg(app, lang, key, args...) }

				_, body := z.get(f.at("1000"))
				tok := token(t, body)
				// The honeypot spends its token: it gets one of its own (a second later, so another).
				time.Sleep(1100 * time.Millisecond)
				_, body = z.get(f.at("1000"))
				hpTok := token(t, body)
				time.Sleep(2100 * time.Millisecond)
				name := "Szűcs Ödön " + lang

				// Others take 10:30 at both desks while the citizen types.
				for _, who := range []string{"gyors", "fürge"} {
					_, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "10.2.9.9"}, appointments.BookInput{Consent: true,
						CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: f.local(f.day, 10, 30),
						Name: "Gyors Géza", Email: who + "." + lang + "@example.hu", Lang: lang})
					must(t, err)
				}
				// An appointment to rate twice, and one whose data is erased.
				served, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "10.2.9.9"}, appointments.BookInput{Consent: true,
					CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: f.local(f.day, 11, 0),
					Name: "Elégedett Elek", Email: "elek." + lang + "@example.hu", Lang: lang})
				must(t, err)
				must(t, app.DB.W.Model(served).Update("status", appointments.StatusServed).Error)
				servedLink := app.Appointments.LinkPath(served)
				erased, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "10.2.9.9"}, appointments.BookInput{Consent: true,
					CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: f.local(f.day, 11, 30),
					Name: "Törölt Tamás", Email: "tamas." + lang + "@example.hu", Lang: lang})
				must(t, err)
				erasedLink := app.Appointments.LinkPath(erased)
				must(t, app.DB.W.Model(erased).Updates(map[string]any{"link_salt": "", "name": "", "email": ""}).Error)

				tooLong := strings.Repeat("a", 1001)
				outside := f.base + "/d/" + calendar.Today(f.tz).AddDays(60).String() + "/at/0900"
				today := f.base + "/d/" + calendar.Today(f.tz).String() + "/at/0900"
				gets := []struct {
					what, path string
					status     int
					want       []string
				}{
					{"an unknown case type", "/appointments/t/99999", 404, []string{T("appt.err.unknown_type")}},
					{"a hidden case type", fmt.Sprintf("/appointments/t/%d", f.hidden.ID), 422, []string{T("appt.err.not_online")}},
					{"an inactive case type", fmt.Sprintf("/appointments/t/%d", f.inactive.ID), 404, []string{T("appt.err.unknown_type")}},
					{"a hidden case type's month", fmt.Sprintf("/appointments/t/%d/o/%d", f.hidden.ID, f.office.ID), 422, []string{T("appt.err.not_online")}},
					{"an office that does not serve it", fmt.Sprintf("/appointments/t/%d/o/99999", f.typ.ID), 404, []string{T("appt.err.unknown_office")}},
					{"a day beyond the horizon", outside, 422, []string{T("appt.err.too_late")}},
					{"a time that is not a slot", f.at("0915"), 422, []string{T("appt.err.not_a_slot")}},
					{"a tampered link", "/appointments/my/" + strings.Repeat("x", 43), 404, []string{T("appt.gone.title"), T("appt.pub.start_again")}},
					{"an erased appointment's link", erasedLink, 404, []string{T("appt.gone.title")}},
					{"a link with a slash in it", "/appointments/my/%2e%2e", 404, nil},
					{"a day that is no date", f.base + "/d/2026-02-30", 404, nil},
				}
				for _, g := range gets {
					before := snapshot(t, app)
					res, body := z.get(g.path)
					if res.StatusCode != g.status {
						t.Errorf("%s: status %d; want %d", g.what, res.StatusCode, g.status)
					}
					wantIn(t, g.what, body, g.want...)
					if !strings.Contains(body, `lang="`+lang+`"`) {
						t.Errorf("%s: the page is not in %s", g.what, lang)
					}
					if after := snapshot(t, app); after != before {
						t.Errorf("%s changed something", g.what)
					}
				}
				// Before the lead time: today is either not bookable yet or no slot at all.
				if res, body := z.get(today); res.StatusCode != 422 ||
					!(strings.Contains(body, T("appt.err.too_soon")) || strings.Contains(body, T("appt.err.not_a_slot"))) {
					t.Errorf("a time before the lead time: status %d", res.StatusCode)
				}

				posts := []struct {
					what   string
					path   string
					form   url.Values
					status int
					want   []string
				}{
					{"an invalid email", f.at("1000"), bookForm(tok, name, "anna@"), 422,
						[]string{T("appt.err.email"), `value="` + html.EscapeString(name) + `"`, "Kerekesszékkel érkezem."}},
					{"an over-long note", f.at("1000"), func() url.Values { v := bookForm(tok, name, "ok@example.hu"); v.Set("note", tooLong); return v }(), 422,
						[]string{T("appt.err.note_too_long"), `value="ok@example.hu"`}},
					{"no name and a bad phone at once", f.at("1000"), func() url.Values {
						v := bookForm(tok, "", "ok@example.hu")
						v.Set("phone", "hívjon")
						return v
					}(), 422, []string{T("appt.err.name"), T("appt.err.phone"), `value="hívjon"`}},
					{"the notice not accepted", f.at("1000"), func() url.Values { v := bookForm(tok, name, "ok@example.hu"); v.Del("privacy"); return v }(), 422,
						[]string{T("appt.err.privacy"), `value="ok@example.hu"`}},
					{"a slot taken meanwhile", f.at("1030"), bookForm(tok, name, "ok@example.hu"), 409,
						[]string{T("appt.err.taken"), `name="alt" value="` + f.day.String() + `/1100"`, `value="` + html.EscapeString(name) + `"`}},
					{"an address that holds one already", f.at("1000"), bookForm(tok, name, "gyors."+lang+"@example.hu"), 409,
						[]string{T("appt.err.too_many"), `value="gyors.` + lang + `@example.hu"`}},
					{"a time that is not a slot", f.at("1015"), bookForm(tok, name, "ok@example.hu"), 422, []string{T("appt.err.not_a_slot")}},
					{"a day beyond the horizon", outside, bookForm(tok, name, "ok@example.hu"), 422, []string{T("appt.err.too_late")}},
					{"a tampered form token", f.at("1000"), bookForm(tok+"x", name, "ok@example.hu"), 422,
						[]string{T("appt.err.form_token"), `value="` + html.EscapeString(name) + `"`}},
					{"no form token", f.at("1000"), func() url.Values { v := bookForm(tok, name, "ok@example.hu"); v.Del("_form"); return v }(), 422,
						[]string{T("appt.err.form_token")}},
					{"a filled honeypot", f.at("1000"), func() url.Values {
						v := bookForm(hpTok, name, "ok@example.hu")
						v.Set("website", "http://spam")
						return v
					}(), 422,
						[]string{T("appt.err.not_booked")}},
					{"a hidden case type", fmt.Sprintf("/appointments/t/%d/o/%d/d/%s/at/1000", f.hidden.ID, f.office.ID, f.day), bookForm(tok, name, "ok@example.hu"), 422,
						[]string{T("appt.err.not_online")}},
					{"a second rating", servedLink + "/rate", url.Values{"score": {"4"}}, 409, []string{T("appt.err.rated")}},
					{"a rating out of range", servedLink + "/rate", url.Values{"score": {"9"}}, 422, []string{T("appt.err.rating")}},
					{"cancelling a served one", servedLink + "/cancel", url.Values{}, 409, []string{T("appt.err.not_active")}},
					{"a move to a time that is not a slot", servedLink + "/move", url.Values{"date": {f.day.String()}, "at": {"1015"}}, 409, []string{T("appt.err.not_active")}},
					{"cancelling through a tampered link", "/appointments/my/" + strings.Repeat("y", 43) + "/cancel", url.Values{}, 404, []string{T("appt.gone.title")}},
				}
				// The first rating goes through; the table's is the second.
				_, rbody := z.get(servedLink + "/rate?score=5")
				manageTok := token(t, rbody)
				if !strings.Contains(rbody, `value="5" required checked`) {
					t.Errorf("the rating form does not preselect the mail's score")
				}
				res, body := z.post(servedLink+"/rate", url.Values{"_form": {manageTok}, "score": {"5"}, "note": {"Gyors volt."}})
				wantStatus(t, "the first rating", res, http.StatusSeeOther, body)
				for _, p := range posts {
					if p.form.Get("_form") == "" && !strings.Contains(p.what, "no form token") {
						p.form.Set("_form", manageTok)
					}
					before := snapshot(t, app)
					res, body := z.post(p.path, p.form)
					if res.StatusCode != p.status {
						t.Errorf("%s: status %d; want %d\n%s", p.what, res.StatusCode, p.status, body)
					}
					wantIn(t, p.what, body, p.want...)
					if after := snapshot(t, app); after != before {
						t.Errorf("%s changed something:\n%s\n%s", p.what, before, after)
					}
				}

				// One of the offered times books with what was typed.
				res, body = z.post(f.at("1030"), func() url.Values {
					v := bookForm(tok, name, "valaszto."+lang+"@example.hu")
					v.Set("alt", f.day.String()+"/1100")
					return v
				}())
				wantStatus(t, "booking an offered time", res, http.StatusSeeOther, body)
				var picked appointments.Appointment
				must(t, app.DB.R.Where("email = ?", "valaszto."+lang+"@example.hu").First(&picked).Error)
				if want := f.local(f.day, 11, 0); !picked.StartAt.Equal(want) || picked.Lang != lang {
					t.Errorf("the offered time booked %v in %q; want %v in %q", picked.StartAt, picked.Lang, want, lang)
				}
			})
		}
	}, kaputest.BehindProxy())
}

// TestPublicFormTooFast: a booking form posted within two seconds of being
// shown is a script's; it gets the form again and nothing is stored.
func TestPublicFormTooFast(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		z := newCitizen(t, app, "10.3.0.1")
		_, body := z.get(f.at("0900"))
		res, body := z.post(f.at("0900"), bookForm(token(t, body), "Bot Béla", "bot@example.hu"))
		wantStatus(t, "a fast post", res, 422, body)
		wantIn(t, "a fast post", body, msg(app, "en", "appt.err.form_too_fast"), `value="Bot Béla"`)
		if n := appointmentCount(t, app); n != 0 {
			t.Errorf("%d appointments stored", n)
		}
		// Another visitor's token (bound to their cookie) does not work either.
		other := newCitizen(t, app, "10.3.0.2")
		_, obody := other.get(f.at("0900"))
		time.Sleep(2100 * time.Millisecond)
		res, body = z.post(f.at("0900"), bookForm(token(t, obody), "Bot Béla", "bot@example.hu"))
		wantStatus(t, "a foreign token", res, 422, body)
		wantIn(t, "a foreign token", body, msg(app, "en", "appt.err.form_token"))
	}, kaputest.BehindProxy())
}

// TestPublicRateLimit: one address posting the booking form over and over
// gets 429 after 20 tries in ten minutes; another address is not affected.
func TestPublicRateLimit(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		z := newCitizen(t, app, "10.4.0.1")
		form := bookForm("bad", "Sok Sándor", "sok@example.hu")
		for i := 0; i < 20; i++ {
			if res, body := z.post(f.at("0900"), form); res.StatusCode != 422 {
				t.Fatalf("post %d: status %d; want 422\n%s", i+1, res.StatusCode, body)
			}
		}
		res, body := z.post(f.at("0900"), form)
		wantStatus(t, "the 21st post", res, http.StatusTooManyRequests, body)
		if res.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
		wantIn(t, "the 429 page", body, "pub-header", msg(app, "en", "error.too_many"))
		other := newCitizen(t, app, "10.4.0.2")
		if res, _ := other.post(f.at("0900"), form); res.StatusCode != 422 {
			t.Errorf("another address: status %d; want 422", res.StatusCode)
		}
	}, kaputest.BehindProxy())
}

// TestPublicConfirm: a case type the citizen must confirm sends the
// confirmation link; its GET only shows the button, the POST confirms.
func TestPublicConfirm(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		must(t, app.DB.W.Model(&f.typ).Updates(map[string]any{"must_confirm": true, "hold_minutes": 60}).Error)
		z := newCitizen(t, app, "10.5.0.1")
		z.get("/appointments?lang=hu")
		appt, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "10.5.0.1"}, appointments.BookInput{Consent: true,
			CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: f.local(f.day, 9, 0), Name: "Megerősítő Márta", Email: "marta@example.hu", Lang: "hu"})
		must(t, err)
		mail := mailTo(t, app, "marta@example.hu", "erősítse meg")
		link := app.Appointments.LinkURL(appt) + "/confirm"
		wantIn(t, "the confirm mail", mail.Text, link, "09:00–09:30")
		my := app.Appointments.LinkPath(appt)
		before := snapshot(t, app)
		z.head(my + "/confirm")
		res, body := z.get(my + "/confirm")
		wantStatus(t, "the confirm page", res, 200, body)
		if snapshot(t, app) != before {
			t.Fatalf("opening the confirmation link confirmed")
		}
		res, body = z.post(my+"/confirm", url.Values{"_form": {token(t, body)}})
		wantStatus(t, "confirming", res, http.StatusSeeOther, body)
		must(t, app.DB.R.First(appt, appt.ID).Error)
		if appt.Status != appointments.StatusBooked {
			t.Errorf("status after confirming %q", appt.Status)
		}
		_, body = z.get(my + "?confirmed=1")
		wantIn(t, "after confirming", body, msg(app, "hu", "appt.my.note_confirmed"), `lang="hu"`)
	}, kaputest.BehindProxy())
}
