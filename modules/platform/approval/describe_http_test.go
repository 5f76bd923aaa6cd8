package approval_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/people"
)

// setLang makes a demo person read Kapu (and their mail) in lang.
func setLang(t *testing.T, app *kapu.App, username, lang string) {
	t.Helper()
	if err := app.DB.W.Model(&people.Person{}).Where("username = ?", username).Update("lang", lang).Error; err != nil {
		t.Fatal(err)
	}
}

// annualLeave is the demo's annual leave type.
func annualLeave(t *testing.T, app *kapu.App) leave.Type {
	t.Helper()
	types, err := app.Leave.Types(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range types {
		if ty.Code == "annual" {
			return ty
		}
	}
	t.Fatal("no annual leave type")
	return leave.Type{}
}

// rowWith is the inbox table row that contains text, or "".
func rowWith(page, text string) string {
	for _, row := range strings.Split(page, "<tr") {
		if strings.Contains(row, text) {
			return row
		}
	}
	return ""
}

// An English-speaking manager reads the leave requests of a Hungarian-speaking
// employee in English: titles, dates and days in the inbox, on the request
// page and in the mails; each mail in its recipient's language with the
// dates in its subject. Two requests of the same person are told apart by
// their dates, and the inbox says who else of the team is away then.
func TestApprovalTitlesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		setLang(t, app, "employee", "hu")
		setLang(t, app, "manager", "en")
		annual := annualLeave(t, app)
		year := calendar.Today(app.Cfg.TZ).Year + 1
		kaputest.Allocate(t, app, "employee", year, 25)
		kaputest.Allocate(t, app, "lakatos.bence", year, 25)
		// The second Monday of June: the week stays inside June.
		june := calendar.NewDate(year, time.June, 1)
		start := june.AddDays((8-int(june.Weekday()))%7 + 7)
		hr := kaputest.Person(t, app, "hr").Actor()
		emp := kaputest.Person(t, app, "employee")
		// A teammate's approved leave overlaps the first request only.
		if _, err := app.Leave.Submit(ctx, hr, kaputest.Person(t, app, "lakatos.bence").ID, leave.RequestInput{TypeID: annual.ID, Start: start.AddDays(1), End: start.AddDays(2)}); err != nil {
			t.Fatal(err)
		}
		first, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start.AddDays(4)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: start.AddDays(14), End: start.AddDays(15)}); err != nil {
			t.Fatal(err)
		}
		var stored approval.Request
		app.DB.R.First(&stored, *first.ApprovalID)
		if stored.Title != "Szabadság: Papp Eszter" {
			t.Fatalf("stored title = %q; want the requester's Hungarian snapshot (the fallback this test looks past)", stored.Title)
		}
		firstWhen := fmt.Sprintf("%d–%d Jun %d", start.Day, start.AddDays(4).Day, year)
		secondWhen := fmt.Sprintf("%d–%d Jun %d", start.AddDays(14).Day, start.AddDays(15).Day, year)

		mgr := kaputest.SignedIn(t, app, "manager")
		res, page := mgr.Get("/approvals")
		if res.StatusCode != 200 {
			t.Fatalf("GET /approvals = %d", res.StatusCode)
		}
		page = html.UnescapeString(page)
		if strings.Contains(page, "Szabadság") {
			t.Errorf("the English inbox shows the Hungarian title")
		}
		row1, row2 := rowWith(page, firstWhen), rowWith(page, secondWhen)
		for _, c := range []struct{ row, name, days string }{{row1, "first", "5 working days"}, {row2, "second", "2 working days"}} {
			if c.row == "" || !strings.Contains(c.row, "Annual leave: Papp Eszter") || !strings.Contains(c.row, c.days) {
				t.Errorf("inbox row of the %s request = %q; want the English title, its dates and %q", c.name, c.row, c.days)
			}
		}
		if !strings.Contains(row1, "Also away from the team: Lakatos Bence") {
			t.Errorf("the first row does not name the teammate away then:\n%s", row1)
		}
		if strings.Contains(row2, "Lakatos Bence") {
			t.Errorf("the second row names a teammate who is not away then:\n%s", row2)
		}
		if _, body := mgr.Get(fmt.Sprintf("/approvals/%d", *first.ApprovalID)); !strings.Contains(html.UnescapeString(body), "<h1>Annual leave: Papp Eszter</h1>") {
			t.Errorf("the request page does not show the English title")
		}

		// The mails: the manager's in English, with the dates in the subject.
		mails := kaputest.MailsTo(t, app, "manager")
		if len(mails) != 2 {
			t.Fatalf("manager mails = %d; want 2", len(mails))
		}
		if want := "Approval needed – Annual leave: Papp Eszter, " + firstWhen; mails[0].Subject != want {
			t.Errorf("approval mail subject = %q; want %q", mails[0].Subject, want)
		}
		if mails[0].Subject == mails[1].Subject {
			t.Errorf("the two requests' mails look alike: %q", mails[0].Subject)
		}

		// The manager approves in the app: the flash names the request in
		// English; the employee's mail is Hungarian, HR's English, both dated.
		res, _ = mgr.Post(fmt.Sprintf("/approvals/%d", *first.ApprovalID), url.Values{"decision": {"approve"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve = %d; want 303", res.StatusCode)
		}
		if _, body := mgr.Get("/approvals"); !strings.Contains(html.UnescapeString(body), "You approved Annual leave: Papp Eszter, "+firstWhen) {
			t.Errorf("the flash after approving does not name the request in English with its dates")
		}
		huWhen := fmt.Sprintf("%d. jún. %d–%d.", year, start.Day, start.AddDays(4).Day)
		out := kaputest.MailsTo(t, app, "employee")
		if want := "Jóváhagyott szabadság: Papp Eszter, " + huWhen; len(out) != 1 || out[0].Subject != want {
			t.Fatalf("employee's outcome mails = %d; want one, %q", len(out), want)
		}
		var hrSubjects []string
		for _, m := range kaputest.MailsTo(t, app, "hr") {
			hrSubjects = append(hrSubjects, m.Subject)
		}
		want := "Approved annual leave: Papp Eszter, " + firstWhen
		if !contains(hrSubjects, want) {
			t.Errorf("HR's mail subjects = %q; want %q", hrSubjects, want)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// After the first of two steps a car request's pages say who approved it and
// when, and whom it waits for now, in each reader's language; its mails
// carry the car and the time, and the outcome names what was approved.
func TestApprovalProgressAfterTheFirstStep(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		setLang(t, app, "employee", "hu")
		cars, err := app.Booking.Resources(context.Background(), booking.KindCar)
		if err != nil || len(cars) == 0 {
			t.Fatalf("demo cars: %v", err)
		}
		car := cars[0]
		day := calendar.Today(app.Cfg.TZ).AddDays(1).String()
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/bookings/cars/new") // the form, and with it the CSRF token
		res, body := emp.Post("/bookings/cars/new", url.Values{"car": {fmt.Sprint(car.ID)}, "start_day": {day}, "start_time": {"08:00"},
			"end_day": {day}, "end_time": {"12:00"}, "destination": {"Szeged"}, "purpose": {"Egyeztetés"}, "passengers": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("car request = %d; want 303\n%s", res.StatusCode, body)
		}
		var b booking.Booking
		app.DB.R.Where("person_id = ?", kaputest.Person(t, app, "employee").ID).Order("id DESC").First(&b)
		year := calendar.Today(app.Cfg.TZ).Year
		enWhen := i18n.FormatTimeRangeIn("en", b.StartAt, b.EndAt, app.Cfg.TZ, year)
		huWhen := i18n.FormatTimeRangeIn("hu", b.StartAt, b.EndAt, app.Cfg.TZ, year)

		mgrMails := kaputest.MailsTo(t, app, "manager")
		if len(mgrMails) != 1 {
			t.Fatalf("manager mails = %d; want 1", len(mgrMails))
		}
		if want := "Approval needed – Car request: Papp Eszter, " + car.Name + ", " + enWhen; mgrMails[0].Subject != want {
			t.Errorf("manager's subject = %q; want %q", mgrMails[0].Subject, want)
		}
		approve, _ := kaputest.Links(t, mgrMails[0])
		if res, body := kaputest.PostLink(kaputest.NewClient(t, app), approve, kaputest.SigFor(t, app, approve), ""); res.StatusCode != 200 {
			t.Fatalf("step 1 by link = %d\n%s", res.StatusCode, body)
		}

		// The approver's link page, opened again, says where the request went.
		_, page := kaputest.NewClient(t, app).Get(approve)
		page = html.UnescapeString(page)
		for _, want := range []string{"Step 1 was approved by Kiss Márton on ", "; now waiting for step 2 of 2: Sipos Attila.", "Waiting for step 2 of 2"} {
			if !strings.Contains(page, want) {
				t.Errorf("the link page after step 1 lacks %q", want)
			}
		}
		if strings.Contains(page, "Waiting for a decision") {
			t.Errorf("the link page after step 1 still says only \"Waiting for a decision\"")
		}
		// The requester, who reads Hungarian, sees the same on the request page.
		var ar approval.Request
		app.DB.R.Where("kind = ? AND subject_id = ?", booking.KindCarApproval, fmt.Sprint(b.ID)).First(&ar)
		_, page = emp.Get(fmt.Sprintf("/approvals/%d", ar.ID))
		page = html.UnescapeString(page)
		for _, want := range []string{"1. lépés: Kiss Márton jóváhagyta (", "Most a következő, 2. lépés vár döntésre (összesen 2 lépés): Sipos Attila.", "Döntésre vár: 2/2. lépés"} {
			if !strings.Contains(page, want) {
				t.Errorf("the requester's page after step 1 lacks %q", want)
			}
		}

		_, page = emp.Get("/approvals")
		if want := "Sipos Attila döntésére vár (2/2. lépés)"; !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("the requester's list of own requests lacks %q", want)
		}

		// Fleet approves; the requester's mail says what was approved, and when.
		fleet := kaputest.MailsTo(t, app, "fleet")
		if len(fleet) != 1 {
			t.Fatalf("fleet mails = %d; want 1", len(fleet))
		}
		approve, _ = kaputest.Links(t, fleet[0])
		if res, body := kaputest.PostLink(kaputest.NewClient(t, app), approve, kaputest.SigFor(t, app, approve), ""); res.StatusCode != 200 {
			t.Fatalf("step 2 by link = %d\n%s", res.StatusCode, body)
		}
		out := kaputest.MailsTo(t, app, "employee")
		if want := "Jóváhagyott autóigénylés: " + car.Name + ", " + huWhen; len(out) == 0 || out[len(out)-1].Subject != want {
			t.Errorf("requester's mails = %d; want the last one %q", len(out), want)
		}
	})
}

// The inbox describes its rows in a fixed number of queries: titles, dates,
// days and teammates away cost the same for one request as for five.
func TestApprovalInboxQueriesDoNotGrowWithRows(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		annual := annualLeave(t, app)
		year := calendar.Today(app.Cfg.TZ).Year + 1
		mgr := kaputest.Person(t, app, "manager")
		var queries int
		count := func(*gorm.DB) { queries++ }
		for name, cb := range map[string]interface {
			Register(string, func(*gorm.DB)) error
		}{"query": app.DB.R.Callback().Query().After("gorm:query"), "row": app.DB.R.Callback().Row().After("gorm:row")} {
			if err := cb.Register("test:count_"+name, count); err != nil {
				t.Fatal(err)
			}
		}
		inboxQueries := func() (int, int) {
			queries = 0
			items, err := app.Approval.InboxIn(ctx, mgr.ID, "en")
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.Summary.When == "" || it.Summary.Extent == "" {
					t.Errorf("inbox item %q has no dates or length", it.Title)
				}
			}
			return len(items), queries
		}
		jan := calendar.NewDate(year, time.January, 4)
		for _, who := range []string{"employee", "lakatos.bence", "simon.reka", "balogh.tamas", "szalai.adam"} {
			kaputest.Allocate(t, app, who, year, 25)
		}
		submit := func(who string, week int) {
			p := kaputest.Person(t, app, who)
			start := kaputest.WorkdayOnOrAfter(t, app, jan.AddDays(7*week))
			if _, err := app.Leave.Submit(ctx, p.Actor(), p.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start}); err != nil {
				t.Fatalf("submit for %s: %v", who, err)
			}
		}
		submit("employee", 0)
		rows1, one := inboxQueries()
		for i, who := range []string{"lakatos.bence", "simon.reka", "balogh.tamas", "szalai.adam"} {
			submit(who, i+1)
		}
		rows5, five := inboxQueries()
		if rows1 != 1 || rows5 != 5 {
			t.Fatalf("inbox rows = %d, then %d; want 1, then 5", rows1, rows5)
		}
		if one == 0 {
			t.Fatal("no queries were counted; the counter is not hooked in")
		}
		if five != one {
			t.Errorf("the inbox took %d queries for 1 request and %d for 5; want the same", one, five)
		}
	})
}
