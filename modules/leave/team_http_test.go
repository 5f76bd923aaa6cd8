package leave_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/ical"
)

// ltSubmit gives the person an allowance for the year and files a request by `by`.
func ltSubmit(t *testing.T, app *kapu.App, by, username, code string, start, end calendar.Date) *leave.Request {
	t.Helper()
	ctx := context.Background()
	p := kaputest.Person(t, app, username)
	if err := app.Leave.SetAllocation(ctx, kaputest.Person(t, app, "hr").Actor(), p.ID, start.Year, 50, "test"); err != nil {
		t.Fatal(err)
	}
	r, err := app.Leave.Submit(ctx, kaputest.Person(t, app, by).Actor(), p.ID, leave.RequestInput{TypeID: leaveType(t, app, code).ID, Start: start, End: end})
	if err != nil {
		t.Fatalf("%s submits %s %s–%s for %s: %v", by, code, start, end, username, err)
	}
	return r
}

// ltMonday is the first Monday on or after the day: September has no public
// holiday, so the week from the second Monday of September is five working days.
func ltMonday(d calendar.Date) calendar.Date {
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}

func ltPlanDays(t *testing.T, app *kapu.App, username string) int64 {
	t.Helper()
	var n int64
	app.DB.R.Model(&leave.PlanDay{}).Where("person_id = ?", kaputest.Person(t, app, username).ID).Count(&n)
	return n
}

var ltRequestLinkRe = regexp.MustCompile(`href="/leave/new\?type=(\d+)&amp;start=([0-9-]+)&amp;end=([0-9-]+)"`)

func TestLeavePlanPage(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		next := app.Leave.Today().Year + 1
		annual := leaveType(t, app, "annual")
		c := kaputest.SignedIn(t, app, "employee")
		res, body := c.Get(fmt.Sprintf("/leave/plan?year=%d", next))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, fmt.Sprintf("My plan for %d", next)) ||
			strings.Count(body, `<table class="cal-month">`) != 12 || !strings.Contains(body, "Nothing planned in this year yet.") {
			t.Fatalf("GET /leave/plan = %d; want twelve months and an empty plan", res.StatusCode)
		}

		// Wednesday before Easter to Wednesday after: Good Friday, the weekend and
		// Easter Monday are skipped, and the four working days stay one block.
		easter := calendar.Easter(next)
		from, to := easter.AddDays(-4), easter.AddDays(3)
		var want []calendar.Date
		for d := from; !d.After(to); d = d.AddDays(1) {
			if ok, _ := app.Calendar.IsWorkday(ctx, d); ok {
				want = append(want, d)
			}
		}
		if len(want) != 4 {
			t.Fatalf("working days around Easter %d = %v; want four", next, want)
		}
		res, _ = c.Post("/leave/plan", url.Values{"start": {from.String()}, "end": {to.String()}, "type_id": {fmt.Sprint(annual.ID)}, "year": {fmt.Sprint(next)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /leave/plan = %d; want 303", res.StatusCode)
		}
		if n := ltPlanDays(t, app, "employee"); n != int64(len(want)) {
			t.Errorf("planned days = %d; want the %d working days", n, len(want))
		}
		_, body = c.Get(res.Header.Get("Location"))
		if !strings.Contains(body, fmt.Sprintf("%d days were added to your plan.", len(want))) {
			t.Errorf("the plan page does not confirm the added days")
		}
		links := ltRequestLinkRe.FindAllStringSubmatch(body, -1)
		if len(links) != 1 || links[0][1] != fmt.Sprint(annual.ID) || links[0][2] != want[0].String() || links[0][3] != want[len(want)-1].String() {
			t.Errorf("request links = %v; want one block %s – %s", links, want[0], want[len(want)-1])
		}
		if strings.Count(body, `class="moved`) != len(want) {
			t.Errorf("the grid marks %d planned days; want %d", strings.Count(body, `class="moved`), len(want))
		}
		// The one-click request opens the filled-in request form.
		if res, body := c.Get("/leave/new?type=" + links[0][1] + "&start=" + links[0][2] + "&end=" + links[0][3]); res.StatusCode != 200 || !strings.Contains(body, `value="`+links[0][2]+`"`) {
			t.Errorf("the block's request link = %d; want the form with its dates", res.StatusCode)
		}

		// Bad input: the form comes back with messages and what was typed.
		cases := []struct {
			start, end, msg string
		}{
			{"20/10/" + fmt.Sprint(next), "later", "Enter a date as YYYY-MM-DD."},
			{to.String(), from.String(), "The last day is before the first day."},
			{fmt.Sprintf("%d-01-04", next+2), fmt.Sprintf("%d-01-05", next+2), "last year, this year and next year only"},
		}
		for _, tt := range cases {
			c.Get("/leave/plan")
			res, body := c.Post("/leave/plan", url.Values{"start": {tt.start}, "end": {tt.end}, "type_id": {fmt.Sprint(annual.ID)}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tt.msg) ||
				!strings.Contains(body, `value="`+tt.start+`"`) || !strings.Contains(body, `value="`+tt.end+`"`) {
				t.Errorf("plan %q–%q = %d; want 422 with %q and the typed dates", tt.start, tt.end, res.StatusCode, tt.msg)
			}
		}

		// A request inside the block takes its day out of the plan list.
		asked := want[2]
		ltSubmit(t, app, "employee", "employee", "annual", asked, asked)
		_, body = c.Get(fmt.Sprintf("/leave/plan?year=%d", next))
		links = ltRequestLinkRe.FindAllStringSubmatch(body, -1)
		if len(links) != 2 || links[0][3] != want[1].String() || links[1][2] != want[3].String() {
			t.Errorf("blocks around the requested %s = %v; want two", asked, links)
		}

		// Nobody changes someone else's plan: the service refuses, and the form only touches one's own.
		emp, mgr := kaputest.Person(t, app, "employee"), kaputest.Person(t, app, "manager")
		if _, err := app.Leave.PlanAdd(ctx, mgr.Actor(), emp.ID, from, to, annual.ID); !errors.Is(err, leave.ErrForbidden) {
			t.Errorf("the manager planning for the employee: %v; want ErrForbidden", err)
		}
		if err := app.Leave.PlanRemove(ctx, kaputest.Person(t, app, "hr").Actor(), emp.ID, from, to); !errors.Is(err, leave.ErrForbidden) {
			t.Errorf("HR removing the employee's plan: %v; want ErrForbidden", err)
		}
		m := kaputest.SignedIn(t, app, "manager")
		m.Get("/leave/plan")
		m.Post("/leave/plan/remove", url.Values{"start": {from.String()}, "end": {to.String()}})
		if n := ltPlanDays(t, app, "employee"); n != int64(len(want)) {
			t.Errorf("the employee's plan after the manager's remove = %d days; want %d", n, len(want))
		}

		// Remove deletes the block's days.
		res, _ = c.Post("/leave/plan/remove", url.Values{"start": {links[0][2]}, "end": {links[0][3]}, "year": {fmt.Sprint(next)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove = %d; want 303", res.StatusCode)
		}
		if n := ltPlanDays(t, app, "employee"); n != int64(len(want)-2) {
			t.Errorf("plan days after removing the first block = %d; want %d", n, len(want)-2)
		}
		if res, _ := c.Post("/leave/plan/remove", url.Values{"start": {"x"}, "end": {to.String()}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("remove with a bad date = %d; want 400", res.StatusCode)
		}
		_, audit := kaputest.SignedIn(t, app, "admin").Get("/admin/audit?entity=leave_plan")
		if !strings.Contains(audit, "leave.plan.add") || !strings.Contains(audit, "leave.plan.remove") {
			t.Errorf("the audit log does not show the plan changes")
		}
	})
}

func TestLeaveTeamCalendar(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		next := app.Leave.Today().Year + 1
		week := ltMonday(calendar.NewDate(next, time.September, 8))
		ltSubmit(t, app, "hr", "employee", "annual", week, week.AddDays(2))                          // approved: HR records it
		ltSubmit(t, app, "lakatos.bence", "lakatos.bence", "sick", week.AddDays(1), week.AddDays(1)) // private, approved at once
		ltSubmit(t, app, "simon.reka", "simon.reka", "annual", week.AddDays(3), week.AddDays(4))     // waits for the manager
		month := fmt.Sprintf("/leave/team?month=%d-09", next)

		res, body := kaputest.SignedIn(t, app, "manager").Get(month)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("manager GET %s = %d; want 200", month, res.StatusCode)
		}
		for _, want := range []string{"Team calendar: September " + fmt.Sprint(next), "Papp Eszter", "Lakatos Bence", "Fehér Dóra", // the office under the department too
			"<title>Annual leave</title>", "<title>Away</title>", "<title>Annual leave – waiting for approval</title>", `stroke-dasharray`} {
			if !strings.Contains(body, want) {
				t.Errorf("the manager's team calendar lacks %q", want)
			}
		}
		if strings.Contains(body, "Sick leave") || strings.Contains(body, "Mészáros László") {
			t.Errorf("the manager's team calendar names the private type or shows another department")
		}
		if n := strings.Count(body, "<title>Annual leave</title>"); n != 3 {
			t.Errorf("approved annual leave drawn on %d days; want 3", n)
		}

		// A colleague sees the private type only as "away"; HR sees it by name.
		_, body = kaputest.SignedIn(t, app, "employee").Get(month)
		if !strings.Contains(body, "<title>Away</title>") || strings.Contains(body, "Sick leave") {
			t.Errorf("a colleague's view of sick leave is not a neutral 'Away'")
		}
		hatosagi := hrDeptID(t, app, "Hatósági Osztály")
		_, body = kaputest.SignedIn(t, app, "hr").Get(fmt.Sprintf("%s&dept=%d", month, hatosagi))
		if !strings.Contains(body, "<title>Sick leave</title>") || strings.Contains(body, "<title>Away</title>") {
			t.Errorf("HR does not see the private type by name")
		}

		// Who may open which department.
		penzugy, iroda := hrDeptID(t, app, "Pénzügyi Osztály"), hrDeptID(t, app, "Ügyfélszolgálati Iroda")
		tests := []struct {
			user string
			dept uint
			want int
		}{
			{"employee", hatosagi, 200},
			{"employee", penzugy, 403},
			{"employee", iroda, 403},
			{"manager", iroda, 200}, // under the department the manager heads
			{"manager", penzugy, 403},
			{"hr", penzugy, 200},
			{"hr", 999999, 404},
		}
		for _, tt := range tests {
			if res, _ := kaputest.SignedIn(t, app, tt.user).Get(fmt.Sprintf("%s&dept=%d", month, tt.dept)); res.StatusCode != tt.want {
				t.Errorf("%s GET dept %d = %d; want %d", tt.user, tt.dept, res.StatusCode, tt.want)
			}
		}
		// The select offers only what may be opened; the navigation keeps the department.
		_, body = kaputest.SignedIn(t, app, "manager").Get(fmt.Sprintf("%s&dept=%d", month, iroda))
		if strings.Contains(body, fmt.Sprintf(`<option value="%d"`, penzugy)) || !strings.Contains(body, fmt.Sprintf(`<option value="%d"`, hatosagi)) {
			t.Errorf("the manager's department select offers the wrong departments")
		}
		if !strings.Contains(body, fmt.Sprintf(`href="/leave/team?month=%d-10&amp;dept=%d"`, next, iroda)) {
			t.Errorf("the next-month link does not keep the department")
		}
	})
}

func TestLeaveFeed(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		next := app.Leave.Today().Year + 1
		week := ltMonday(calendar.NewDate(next, time.September, 8))
		kept := ltSubmit(t, app, "hr", "employee", "annual", week, week.AddDays(2))
		gone := ltSubmit(t, app, "hr", "employee", "annual", week.AddDays(14), week.AddDays(15))
		if _, err := app.Leave.Cancel(ctx, kaputest.Person(t, app, "hr").Actor(), gone.ID); err != nil {
			t.Fatal(err)
		}
		pending := ltSubmit(t, app, "employee", "employee", "annual", week.AddDays(21), week.AddDays(21))

		_, overview := kaputest.SignedIn(t, app, "employee").Get("/leave")
		m := kaputest.LeaveFeedRe.FindStringSubmatch(overview)
		if m == nil {
			t.Fatalf("My leave shows no feed link")
		}
		v := kaputest.NewClient(t, app) // calendar apps do not sign in
		other := kaputest.Person(t, app, "manager").ID
		for _, path := range []string{
			"/leave/feed/" + m[1] + "/" + strings.Repeat("0", len(m[2])) + ".ics",
			"/leave/feed/" + m[1] + "/" + m[2][:20] + ".ics",
			fmt.Sprintf("/leave/feed/%d/%s.ics", other, m[2]),
			"/leave/feed/x/" + m[2] + ".ics",
		} {
			if res, body := v.Get(path); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
				t.Errorf("GET %s = %d; want the 404 page", path, res.StatusCode)
			}
		}
		res, body := v.Get(m[0])
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != ical.ContentType {
			t.Fatalf("GET feed = %d %q; want 200 text/calendar", res.StatusCode, res.Header.Get("Content-Type"))
		}
		ymd := func(d calendar.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }
		base, _ := url.Parse(app.Cfg.BaseURL)
		for _, want := range []string{"BEGIN:VCALENDAR\r\n", "BEGIN:VEVENT\r\n",
			fmt.Sprintf("UID:leave-%d@%s\r\n", kept.ID, base.Hostname()),
			"DTSTART;VALUE=DATE:" + ymd(week) + "\r\nDTEND;VALUE=DATE:" + ymd(week.AddDays(3)) + "\r\n",
			"SUMMARY:Annual leave\r\n", "END:VCALENDAR\r\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("the feed lacks %q:\n%s", want, body)
			}
		}
		for _, r := range []*leave.Request{gone, pending} {
			if strings.Contains(body, fmt.Sprintf("UID:leave-%d@", r.ID)) || strings.Contains(body, "DTSTART;VALUE=DATE:"+ymd(r.StartDate)) {
				t.Errorf("the feed lists request %d (%s)", r.ID, r.Status)
			}
		}
		if strings.Count(body, "BEGIN:VEVENT") != 1 {
			t.Errorf("the feed has %d events; want 1", strings.Count(body, "BEGIN:VEVENT"))
		}
	})
}
