package kapu_test

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/ical"
	"kapu/modules/platform/notify"
)

// TestBrowserAppointments is the citizens' appointment service end to end in
// Chromium, on the demo's offices and case types. A citizen on a 360 px phone
// with JavaScript switched off books an address-card appointment in
// Hungarian (case type, office, a day of the month, a time, the form) and
// lands on their personal page; the confirmation mail in the outbox carries
// the personal link and a calendar file. Through the link they move it to
// another time of the day, and the old time no longer holds their desk. The
// front desk (signed in, JavaScript on) marks them arrived, calls them to
// the desk and marks them served; the thank-you job mails five rating links.
// The citizen opens one (nothing is recorded yet), rates, sees the thanks,
// and the same form sent again from a second tab is refused with a message.
// axe-core checks each page on the way, none may scroll sideways at 360 px.
//
// The service's clock stands at 07:30 on the next working day (Monday to
// Friday, when the demo's desks are open), moving on with real time, so the
// citizen books a time of "today" and the front desk serves it that day,
// whatever day the test runs.
func TestBrowserAppointments(t *testing.T) {
	chromium := findChromium(t)
	axeJS := findAxe(t)
	app := kaputest.New(t, db.SQLite)
	ctx := context.Background()
	tz := app.Cfg.TZ

	day := kaputest.NextWorkday(t, app)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday { // a Saturday made a working day
		day = kaputest.WorkdayOnOrAfter(t, app, day.AddDays(1))
	}
	opening, err := calendar.At(day, 7, 30, tz)
	if err != nil {
		t.Fatal(err)
	}
	// The clock is set before the server runs, and reads nothing that changes:
	// the requests' goroutines only ever read it.
	started := time.Now()
	app.Appointments.SetClock(func() time.Time { return opening.Add(time.Since(started)).UTC() })
	base := serveAppointments(t, app)

	// The demo's address card: booked the same day, at two offices.
	var typ appointments.CaseType
	app.DB.R.Where("name_en = ?", "Address card and registering an address").Limit(1).Find(&typ)
	var office appointments.Office
	app.DB.R.Where("name = ?", "Okmányiroda").Limit(1).Find(&office)
	if typ.ID == 0 || office.ID == 0 || typ.LeadDays != 0 {
		t.Fatalf("the demo has no same-day address card case type or no Okmányiroda: %+v, %+v", typ, office)
	}
	offices, err := app.Appointments.OfficesFor(ctx, typ.ID)
	if err != nil || len(offices) < 2 {
		t.Fatalf("the address card is served at %d offices (%v); the test wants the office chooser", len(offices), err)
	}

	b := startBrowser(t, chromium, base)
	start := time.Now()
	defer func() { t.Logf("browser flow took %s", time.Since(start).Round(time.Millisecond)) }()
	var found layoutFindings
	defer func() { found.report(t.Errorf, "") }()
	b.noScript()
	b.do("emulate a 360px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	check := func(b *browser, page, where string) {
		b.t.Helper()
		if r := evalJS[overflowResult](b, "measure sideways overflow", overflowJS+"(false)"); r.Page > r.View {
			msg := fmt.Sprintf("the page is %d px wide in a %d px window", r.Page, r.View)
			if len(r.Out) > 0 {
				msg += "; sticks out most: " + r.Out[0].Sel
			}
			found.add(page, msg, where)
		}
		// axe-core waits on timers, which a page without JavaScript never
		// fires: scripts are on for its run only (the page has loaded; none
		// of its own run then, and the citizens' pages have none).
		off := strings.Contains(where, "no JavaScript")
		if off {
			b.scripts(true)
		}
		b.axe(&found, axeJS, page, where)
		if off {
			b.scripts(false)
		}
		if b.shots != "" {
			b.savePNG("appointments-" + strings.NewReplacer(" ", "-", "/", "-").Replace(page) + ".png")
		}
	}
	citizen := "the citizen at 360 px, no JavaScript"

	// 1. Book: the case types, the offices, the month, the day, the form.
	res := b.open("/appointments?lang=hu")
	b.wantPage(res, 200, "/appointments")
	if lang := b.attr("html", "lang"); lang != "hu" {
		b.fatalf("?lang=hu shows the page in %q", lang)
	}
	check(b, "case types", citizen)
	typeLink := fmt.Sprintf(`a[href="/appointments/t/%d"]`, typ.ID)
	if !b.exists(typeLink) {
		b.fatalf("the start page does not list the case type %q (%s)", typ.NameHU, typeLink)
	}
	res = b.follow("choose the address card", chromedp.Click(chromedp.CSS(typeLink)))
	b.wantPage(res, 200, fmt.Sprintf("/appointments/t/%d", typ.ID))
	if h := b.text("h1"); h != typ.NameHU {
		b.fatalf("the case type's page is headed %q; want %q", h, typ.NameHU)
	}
	check(b, "case type", citizen)
	monthPath := fmt.Sprintf("/appointments/t/%d/o/%d", typ.ID, office.ID)
	res = b.follow("choose the Okmányiroda", chromedp.Click(chromedp.CSS(`a.btn[href="`+monthPath+`"]`)))
	b.wantPage(res, 200, monthPath)
	check(b, "month", citizen)
	dayPath := monthPath + "/d/" + day.String()
	todayCell := `td.pub-free.pub-today a[href="` + dayPath + `"]`
	if !b.exists(todayCell) {
		b.fatalf("the month does not offer today (%s) as a day with free times (%s)", day, todayCell)
	}
	res = b.follow("choose today in the month", chromedp.Click(chromedp.CSS(todayCell)))
	b.wantPage(res, 200, dayPath)
	check(b, "day", citizen)
	times := evalJS[[]string](b, "read the day's times",
		`Array.from(document.querySelectorAll("ul.pub-times a[href]")).map(a => a.getAttribute("href"))`)
	if len(times) < 2 {
		b.fatalf("today has %d free times at the Okmányiroda; the test needs two: %q", len(times), times)
	}
	first := times[0]
	firstHHMM := first[strings.LastIndex(first, "/")+1:]
	firstAt := atHHMM(t, day, firstHHMM, tz)
	if firstAt.Before(opening.Add(time.Hour)) {
		b.fatalf("the first time offered, %s, is not an hour after the clock's %s (the case type's lead)", firstAt.In(tz), opening)
	}
	res = b.follow("choose the first free time", chromedp.Click(chromedp.CSS(`ul.pub-times a[href="`+first+`"]`)))
	formShown := time.Now()
	b.wantPage(res, 200, dayPath+"/at/"+firstHHMM)
	if when := b.text(".pub-summary"); !strings.Contains(when, firstAt.In(tz).Format("15:04")) {
		b.fatalf("the form's summary does not name the chosen time %s: %q", firstAt.In(tz).Format("15:04"), when)
	}
	check(b, "form", citizen)
	const email = "kovacs.anna@example.hu"
	b.do("fill in the citizen's details",
		chromedp.SendKeys(chromedp.ID("f-name"), "Kovács Anna"),
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SendKeys(chromedp.ID("f-phone"), "+36 30 123 4567"),
		chromedp.SendKeys(chromedp.ID("f-note"), "Babakocsival érkezem."),
		chromedp.Click(chromedp.ID("f-privacy")),
	)
	if !b.checked("#f-privacy") {
		b.fatalf("clicking the notice's checkbox did not tick it")
	}
	// The form refuses what comes back within two seconds (a script's speed).
	time.Sleep(time.Until(formShown.Add(2200 * time.Millisecond)))
	res = b.follow("send the booking form", chromedp.Click(chromedp.CSS(`form.pub-form .form-actions button[type="submit"]`)))
	if b.exists(".form-errors") {
		b.fatalf("the booking was refused: %q", b.text(".form-errors"))
	}
	b.wantPage(res, 200, `/appointments/my/[A-Za-z0-9_-]+`)
	myPath := strings.TrimPrefix(strings.SplitN(res.URL, "?", 2)[0], base)
	var appt appointments.Appointment
	app.DB.R.Where("email = ?", email).Limit(1).Find(&appt)
	if appt.ID == 0 || appt.Status != appointments.StatusBooked || appt.StartAt == nil || !appt.StartAt.Equal(firstAt) {
		b.fatalf("the database holds %+v; want a booked appointment at %s", appt, firstAt)
	}
	if myPath != app.Appointments.LinkPath(&appt) {
		b.fatalf("the booking led to %s; want the appointment's personal page", myPath)
	}
	if note := b.text(".alert-success"); note != "Lefoglaltuk! Visszaigazoló e-mailt küldtünk a megadott címre." {
		b.fatalf("the personal page after booking says %q; want that it is booked and mailed", note)
	}
	if code := b.text(".pub-code"); code != appt.Code {
		b.fatalf("the personal page shows the code %q; want %q", code, appt.Code)
	}
	if when := b.text(".pub-box dl"); !strings.Contains(when, firstAt.In(tz).Format("15:04")) {
		b.fatalf("the personal page does not show the time %s: %q", firstAt.In(tz).Format("15:04"), when)
	}
	check(b, "personal page", citizen)

	// 2. The confirmation mail: the personal link and the calendar file.
	mails := apptMails(t, app, email)
	if len(mails) != 1 {
		t.Fatalf("the citizen has %d mails in the outbox; want the confirmation", len(mails))
	}
	link := base + myPath
	if !strings.Contains(mails[0].Text, link) || !strings.Contains(mails[0].HTML, `href="`+link+`"`) {
		t.Errorf("the confirmation mail does not carry the personal link %s:\n%s", link, mails[0].Text)
	}
	if mails[0].Lang != "hu" {
		t.Errorf("the confirmation mail is in %q; the citizen booked in Hungarian", mails[0].Lang)
	}
	if !strings.Contains(mails[0].Text, appt.Code) {
		t.Errorf("the confirmation mail does not give the code %s", appt.Code)
	}
	wantICS(t, mails[0], firstAt)

	// 3. Move it through the personal page to the day's last free time.
	res = b.follow("choose to move the appointment", chromedp.Click(chromedp.CSS(`.pub-actions a[href="`+myPath+`/move"]`)))
	b.wantPage(res, 200, myPath+"/move")
	check(b, "move month", citizen)
	moveDay := myPath + "/move/d/" + day.String()
	res = b.follow("choose today to move to", chromedp.Click(chromedp.CSS(`td.pub-free a[href="`+moveDay+`"]`)))
	b.wantPage(res, 200, moveDay)
	check(b, "move day", citizen)
	offered := evalJS[[]string](b, "read the times to move to",
		`Array.from(document.querySelectorAll("form button[name=at]")).map(b => b.value)`)
	if len(offered) == 0 || slices.Contains(offered, firstHHMM) {
		b.fatalf("the move offers %q; want other times, not the appointment's own %s", offered, firstHHMM)
	}
	newHHMM := offered[len(offered)-1]
	newAt := atHHMM(t, day, newHHMM, tz)
	res = b.follow("move to "+newHHMM, chromedp.Click(chromedp.CSS(`form button[name="at"][value="`+newHHMM+`"]`)))
	b.wantPage(res, 200, myPath)
	if note := b.text(".alert-success"); note != "Áthelyeztük az időpontját. Az új időpontról e-mailt küldtünk." {
		b.fatalf("after the move the personal page says %q; want that it moved", note)
	}
	if when := b.text(".pub-box dl"); !strings.Contains(when, newAt.In(tz).Format("15:04")) || strings.Contains(when, firstAt.In(tz).Format("15:04")+"–") {
		b.fatalf("after the move the personal page does not show the new time %s alone: %q", newAt.In(tz).Format("15:04"), when)
	}
	oldDesk := *appt.DeskID
	app.DB.R.First(&appt, appt.ID)
	if !appt.StartAt.Equal(newAt) || appt.Status != appointments.StatusBooked || appt.Moves != 1 {
		t.Fatalf("after the move the appointment is %s at %s (%d moves); want booked at %s", appt.Status, appt.StartAt, appt.Moves, newAt)
	}
	var holding int64
	app.DB.R.Model(&appointments.Appointment{}).Where("desk_id = ? AND start_at = ? AND status IN ?", oldDesk, firstAt,
		[]string{appointments.StatusPending, appointments.StatusBooked, appointments.StatusArrived, appointments.StatusCalled, appointments.StatusServed}).
		Count(&holding)
	if holding != 0 {
		t.Errorf("after the move %d appointments still hold desk %d at %s", holding, oldDesk, firstAt)
	}
	if free, err := app.Appointments.Times(ctx, actor.Actor{}, &typ, office.ID, day); err != nil ||
		!slices.ContainsFunc(free, func(s appointments.Slot) bool { return s.Start.Equal(firstAt) }) {
		t.Errorf("after the move the old time %s is not offered to citizens (%v)", firstAt.In(tz), err)
	}
	if mails = apptMails(t, app, email); len(mails) != 2 {
		t.Errorf("after the move the citizen has %d mails; want the confirmation and the move's", len(mails))
	} else {
		wantICS(t, mails[1], newAt)
	}

	// 4. The front desk, signed in with JavaScript on, serves the citizen.
	desk := b.newTab(chromedp.WithNewBrowserContext())
	desk.do("the desk's window", chromedp.EmulateViewport(1280, 900))
	desk.login("frontdesk", "demo")
	deskPath := fmt.Sprintf("/desk?office=%d&date=%s", office.ID, day)
	res = desk.open(deskPath)
	desk.wantPage(res, 200, "/desk")
	row := fmt.Sprintf(`a[href="/desk/a/%d"]`, appt.ID)
	if !desk.exists(row) || desk.text(row) != appt.Code {
		desk.fatalf("the front desk's day does not list the appointment %s (%s)", appt.Code, row)
	}
	check(desk, "desk day", "the front desk at 1280 px")
	for _, st := range []struct{ step, status string }{
		{"arrive", appointments.StatusArrived},
		{"call", appointments.StatusCalled},
		{"serve", appointments.StatusServed},
	} {
		btn := fmt.Sprintf(`form[action="/desk/a/%d/%s"] button[type="submit"]`, appt.ID, st.step)
		if !desk.exists(btn) {
			desk.fatalf("the appointment's row has no %s button (%s)", st.step, btn)
		}
		res = desk.follow("press "+st.step, chromedp.Click(chromedp.CSS(btn)))
		desk.wantPage(res, 200, "/desk")
		if q := desk.query(); q.Get("date") != day.String() || q.Get("office") != fmt.Sprint(office.ID) {
			desk.fatalf("after %s the desk is at %s; want the same office and day", st.step, desk.location())
		}
		if msg := desk.text(".flash-success"); !strings.Contains(msg, appt.Code) {
			desk.fatalf("after %s the message %q does not name %s", st.step, msg, appt.Code)
		}
		app.DB.R.First(&appt, appt.ID)
		if appt.Status != st.status {
			desk.fatalf("after %s the appointment is %s; want %s", st.step, appt.Status, st.status)
		}
	}
	if appt.CalledDeskID == nil || *appt.CalledDeskID != *appt.DeskID || appt.ServedAt == nil {
		t.Errorf("the served appointment was called to desk %v (its own is %d), served at %v", appt.CalledDeskID, *appt.DeskID, appt.ServedAt)
	}

	// 5. The thank-you mail's rating links: a GET shows the form, the POST
	// records it once.
	if n, err := app.Appointments.SendThanks(ctx); err != nil || n != 1 {
		t.Fatalf("the thank-you job mailed %d (%v); want the one served citizen", n, err)
	}
	mails = apptMails(t, app, email)
	thanks := mails[len(mails)-1]
	rate := regexp.MustCompile(regexp.QuoteMeta(link)+`/rate\?score=([1-5])"`).FindAllStringSubmatch(thanks.HTML, -1)
	var scores []string
	for _, m := range rate {
		scores = append(scores, m[1])
	}
	if !slices.Equal(scores, []string{"1", "2", "3", "4", "5"}) {
		t.Fatalf("the thank-you mail (%q) has the rating links %q; want scores 1 to 5 on the personal link", thanks.Subject, scores)
	}
	for _, n := range scores {
		if !strings.Contains(thanks.Text, link+"/rate?score="+n) {
			t.Errorf("the thank-you mail's text part has no rating link for %s:\n%s", n, thanks.Text)
		}
	}
	res = b.open(myPath + "/rate?score=4")
	b.wantPage(res, 200, myPath+"/rate")
	if !b.checked(`input[name="score"][value="4"]`) {
		b.fatalf("the rating link for 4 opens the form without 4 ticked")
	}
	app.DB.R.First(&appt, appt.ID)
	if appt.Rating != 0 || appt.RatedAt != nil {
		t.Fatalf("opening the rating link recorded a rating %d at %v; a GET must change nothing", appt.Rating, appt.RatedAt)
	}
	check(b, "rate", citizen)
	// The mail opened twice: a second tab with the same link's form.
	again := b.newTab()
	again.noScript()
	res = again.open(myPath + "/rate?score=2")
	again.wantPage(res, 200, myPath+"/rate")
	b.do("write a comment", chromedp.SendKeys(chromedp.ID("f-note"), "Gyors és kedves ügyintézés."))
	res = b.follow("send the rating", chromedp.Click(chromedp.CSS(`form.pub-form button[type="submit"]`)))
	b.wantPage(res, 200, myPath)
	if note := b.text(".alert-success"); note != "Köszönjük a visszajelzését!" {
		b.fatalf("after rating the personal page says %q; want the thanks", note)
	}
	if !strings.Contains(b.text("main"), "Köszönjük, értékelése: 4 / 5.") || b.exists(`form[action$="/rate"]`) {
		b.fatalf("after rating the personal page does not show the score 4, or still offers to rate")
	}
	check(b, "personal page rated", citizen)
	res = again.follow("send the rating again from the other tab", chromedp.Click(chromedp.CSS(`form.pub-form button[type="submit"]`)))
	again.wantPage(res, 409, myPath+"/rate")
	if msg := again.text(".alert-warning"); msg != "Ezt az ügyintézést már értékelte. Köszönjük!" {
		again.fatalf("a second rating is refused with %q; want that it was rated already", msg)
	}
	if again.exists(`form[action$="/rate"]`) {
		again.fatalf("the refused second rating offers the form again")
	}
	check(again, "rate refused", citizen)
	app.DB.R.First(&appt, appt.ID)
	if appt.Rating != 4 || appt.RatingNote != "Gyors és kedves ügyintézés." {
		t.Errorf("the rating stored is %d with %q; want the first one, 4 with its comment", appt.Rating, appt.RatingNote)
	}

	// The test's own check: the citizen's tab really ran no script, the
	// desk's did (the intranet's pages load htmx; the citizens' load none).
	htmx := `typeof window.htmx !== "undefined"`
	if b.open("/login"); evalJS[bool](b, "look for htmx", htmx) {
		b.fatalf("the citizen's tab ran the sign-in page's scripts: JavaScript is not off")
	}
	if !evalJS[bool](desk, "look for htmx", htmx) {
		desk.fatalf("the desk's tab has no htmx: the check for JavaScript cannot tell on from off")
	}
}

// serveAppointments is serve with the address known before the server
// runs: the appointments service copied the configuration's address when it
// was built, and its mails' links must point here.
func serveAppointments(t *testing.T, app *kapu.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	app.Cfg.BaseURL = "http://" + ln.Addr().String()
	app.Appointments.BaseURL = app.Cfg.BaseURL
	go func() { _ = app.Web.App.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.Web.App.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Logf("shutdown: %v", err)
		}
	})
	return app.Cfg.BaseURL
}

// noScript switches JavaScript off in the tab, for the pages it loads from
// now on: the citizens' pages must work without it.
func (b *browser) noScript() {
	b.t.Helper()
	b.scripts(false)
}

// scripts switches the tab's JavaScript on or off.
func (b *browser) scripts(on bool) {
	b.t.Helper()
	b.do(fmt.Sprintf("switch JavaScript on: %v", on), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// newTab opens another tab of the same Chromium, closed when the test ends;
// with chromedp.WithNewBrowserContext it has cookies of its own.
func (b *browser) newTab(opts ...chromedp.ContextOption) *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, opts...)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a new tab: %v", err)
	}
	return &browser{t: b.t, ctx: ctx, base: b.base, shots: b.shots, out: b.out}
}

// atHHMM is the path's "0930" on d as an instant.
func atHHMM(t *testing.T, d calendar.Date, hhmm string, tz *time.Location) time.Time {
	t.Helper()
	var h, m int
	if _, err := fmt.Sscanf(hhmm, "%02d%02d", &h, &m); err != nil {
		t.Fatalf("time %q: %v", hhmm, err)
	}
	at, err := calendar.At(d, h, m, tz)
	if err != nil {
		t.Fatal(err)
	}
	return at.UTC()
}

// apptMails are the outbox's mails to a citizen, oldest first, written as
// the delivery job would write them.
func apptMails(t *testing.T, app *kapu.App, email string) []notify.Mail {
	t.Helper()
	if _, err := app.Outbox.ComposeDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []notify.Mail
	app.DB.R.Where("to_addr = ?", email).Order("id").Find(&out)
	return out
}

// wantICS checks that m carries one calendar file, of an event starting at start.
func wantICS(t *testing.T, m notify.Mail, start time.Time) {
	t.Helper()
	files, err := m.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || !strings.HasSuffix(files[0].Name, ".ics") || !strings.HasPrefix(files[0].ContentType, "text/calendar") {
		t.Errorf("the mail %q carries %d files; want one .ics (text/calendar): %+v", m.Subject, len(files), files)
		return
	}
	if want := "DTSTART:" + ical.UTC(start); !strings.Contains(string(files[0].Data), want) {
		t.Errorf("the mail %q's calendar file has no %s:\n%s", m.Subject, want, files[0].Data)
	}
}
