package leave_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
)

// hrPage fetches an HR page, checks its status and that no message key of the
// HR catalog reached it untranslated, and returns the body.
func hrPage(t *testing.T, c *kaputest.Client, path string, want int) string {
	t.Helper()
	res, body := c.Get(path)
	if res.StatusCode != want {
		t.Fatalf("GET %s = %d; want %d\n%s", path, res.StatusCode, want, body)
	}
	if strings.Contains(body, "leave.hr.") {
		t.Errorf("GET %s shows a raw message key: %s", path, regexp.MustCompile(`leave\.hr\.[a-z0-9_.]+`).FindString(body))
	}
	return body
}

// hrPost sends a form and checks the status; it returns the body.
func hrPost(t *testing.T, c *kaputest.Client, path string, form url.Values, want int) string {
	t.Helper()
	res, body := c.Post(path, form)
	if res.StatusCode != want {
		t.Fatalf("POST %s %v = %d; want %d\n%s", path, form, res.StatusCode, want, body)
	}
	if strings.Contains(body, "leave.hr.") {
		t.Errorf("POST %s shows a raw message key: %s", path, regexp.MustCompile(`leave\.hr\.[a-z0-9_.]+`).FindString(body))
	}
	return body
}

func hrDeptID(t *testing.T, app *kapu.App, name string) uint {
	t.Helper()
	var d people.Department
	if err := app.DB.R.Where("name = ?", name).First(&d).Error; err != nil {
		t.Fatalf("department %s: %v", name, err)
	}
	return d.ID
}

func hrFigures(t *testing.T, app *kapu.App, username string, year int) leave.Figures {
	t.Helper()
	f, err := app.Leave.Figures(context.Background(), kaputest.Person(t, app, username).ID, year)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var hrCheckedRe = regexp.MustCompile(`name="checked" value="([^"]*)"`)

func TestLeaveHRForbiddenToOthers(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	gets := []string{"/leave/admin", "/leave/admin/export.csv", "/leave/admin/export.xlsx", "/leave/admin/stats",
		"/leave/admin/types", "/leave/admin/types/new", "/leave/admin/types/1", "/leave/admin/entitlements", "/leave/admin/record"}
	posts := []string{"/leave/admin/types", "/leave/admin/types/1", "/leave/admin/entitlements", "/leave/admin/adjustments", "/leave/admin/record"}
	for _, user := range []string{"employee", "manager", "admin"} {
		c := kaputest.SignedIn(t, app, user)
		c.Get("/leave")
		for _, p := range gets {
			if res, _ := c.Get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s = %d; want 403", user, p, res.StatusCode)
			}
		}
		for _, p := range posts {
			c.Get("/leave") // a fresh CSRF token, so the 403 is the role's
			if res, _ := c.Post(p, url.Values{"code": {"x"}, "days": {"20"}, "year": {"2026"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s = %d; want 403", user, p, res.StatusCode)
			}
		}
	}
	if n := hrCountAudit(t, app, "leave.type.create") + hrCountAudit(t, app, "leave.allocation.bulk"); n != 0 {
		t.Errorf("forbidden posts changed something: %d audit rows", n)
	}
	v := kaputest.NewClient(t, app)
	if res, _ := v.Get("/leave/admin/stats"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("visitor GET /leave/admin/stats = %d; want 303 to the login page", res.StatusCode)
	}
}

func hrCountAudit(t *testing.T, app *kapu.App, action string) int64 {
	t.Helper()
	var n int64
	app.DB.R.Model(&audit.Entry{}).Where("action = ?", action).Count(&n)
	return n
}

func TestLeaveHRTypes(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "hr")
		body := hrPage(t, c, "/leave/admin/types", 200)
		if !strings.Contains(body, "Annual leave") || !strings.Contains(body, `fill="#2563eb"`) {
			t.Errorf("the type list lacks the default types with their colour dots")
		}
		hrPage(t, c, "/leave/admin/types/new", 200)

		form := url.Values{"code": {"Bad Code!"}, "name_hu": {"Apasági"}, "name_en": {""}, "color": {"red"},
			"max_consecutive": {"x5"}, "sort_order": {"7"}, "half_days": {"on"}}
		body = hrPost(t, c, "/leave/admin/types", form, http.StatusUnprocessableEntity)
		// Unreadable numbers are reported first, with everything typed kept.
		for _, want := range []string{`value="Bad Code!"`, `value="Apasági"`, `value="red"`, `value="x5"`, "Enter a whole number.", `id="f-half_days" name="half_days" checked`} {
			if !strings.Contains(body, want) {
				t.Errorf("type form after an error lacks %q", want)
			}
		}
		form.Set("max_consecutive", "5")
		body = hrPost(t, c, "/leave/admin/types", form, http.StatusUnprocessableEntity)
		for _, want := range []string{"Use 1 to 40 lower-case letters", "Choose a colour as #rrggbb", "This field is required.", `value="Bad Code!"`, `value="red"`, `value="5"`} {
			if !strings.Contains(body, want) {
				t.Errorf("type form lacks %q", want)
			}
		}
		dup := url.Values{"code": {"annual"}, "name_hu": {"Másik"}, "name_en": {"Other"}, "color": {"#123456"}, "sort_order": {"9"}, "active": {"on"}}
		body = hrPost(t, c, "/leave/admin/types", dup, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Another leave type already has this code.") || !strings.Contains(body, `value="Másik"`) {
			t.Errorf("duplicate code not refused with the typed values kept")
		}

		good := url.Values{"code": {"paternity"}, "name_hu": {"Apasági szabadság"}, "name_en": {"Paternity leave"}, "color": {"#AA33CC"},
			"max_consecutive": {"10"}, "sort_order": {"5"}, "needs_approval": {"on"}, "active": {"on"}}
		res, _ := c.Post("/leave/admin/types", good)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/leave/admin/types" {
			t.Fatalf("create type = %d %s; want 303 to the list", res.StatusCode, res.Header.Get("Location"))
		}
		body = hrPage(t, c, "/leave/admin/types", 200)
		if !strings.Contains(body, "Paternity leave") || !strings.Contains(body, `fill="#aa33cc"`) || !strings.Contains(body, "was saved") {
			t.Errorf("the new type (colour stored lower-case) or the flash is missing")
		}
		pt := leaveType(t, app, "paternity")
		if !pt.Active || !pt.NeedsApproval || pt.CountsAgainst || pt.HalfDays || pt.MaxConsecutive != 10 || pt.SortOrder != 5 {
			t.Errorf("saved type = %+v", pt)
		}

		// Edit: untick active and needs approval; flags that are unticked are stored as false.
		path := fmt.Sprintf("/leave/admin/types/%d", pt.ID)
		body = hrPage(t, c, path, 200)
		if !strings.Contains(body, `value="paternity"`) || !strings.Contains(body, `id="f-active" name="active" checked`) {
			t.Errorf("the edit form is not filled in")
		}
		edit := url.Values{"code": {"paternity"}, "name_hu": {"Apasági szabadság"}, "name_en": {"Paternity leave"}, "color": {"#aa33cc"},
			"max_consecutive": {"0"}, "sort_order": {"5"}}
		if res, _ := c.Post(path, edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update type = %d; want 303", res.StatusCode)
		}
		pt = leaveType(t, app, "paternity")
		if pt.Active || pt.NeedsApproval || pt.MaxConsecutive != 0 {
			t.Errorf("after deactivating: %+v", pt)
		}
		// Renaming onto another type's code is refused.
		edit.Set("code", "sick")
		if body := hrPost(t, c, path, edit, http.StatusUnprocessableEntity); !strings.Contains(body, "Another leave type already has this code.") {
			t.Errorf("renaming onto an existing code not refused")
		}
		if hrCountAudit(t, app, "leave.type.create") != 1 || hrCountAudit(t, app, "leave.type.update") != 1 {
			t.Errorf("audit: %d creates, %d updates; want 1 and 1", hrCountAudit(t, app, "leave.type.create"), hrCountAudit(t, app, "leave.type.update"))
		}
		// Inactive types can no longer be chosen for leave.
		if body := hrPage(t, c, "/leave/admin/record", 200); strings.Contains(body, "Paternity leave") {
			t.Errorf("an inactive type is offered for recording leave")
		}
		for _, p := range []string{"/leave/admin/types/abc", "/leave/admin/types/0", "/leave/admin/types/999999", "/leave/admin/types/-1"} {
			hrPage(t, c, p, http.StatusNotFound)
		}
		c.Get("/leave/admin/types")
		if res, _ := c.Post("/leave/admin/types/999999", good); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST to an unknown type = %d; want 404", res.StatusCode)
		}
	})
}

func TestLeaveHREntitlements(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		year := calendar.Today(app.Cfg.TZ).Year
		dept := hrDeptID(t, app, "Hatósági Osztály") // with the Ügyfélszolgálati Iroda below it
		joined := calendar.NewDate(year, time.July, 1)
		if err := app.DB.W.Model(&people.Person{}).Where("username = ?", "lakatos.bence").Update("employed_from", joined).Error; err != nil {
			t.Fatal(err)
		}
		var inScope int64
		app.DB.R.Model(&people.Person{}).Where("active = ? AND department_id IN ?", true,
			[]uint{dept, hrDeptID(t, app, "Ügyfélszolgálati Iroda")}).Count(&inScope)

		c := kaputest.SignedIn(t, app, "hr")
		hrPage(t, c, "/leave/admin/entitlements", 200)
		ys := strconv.Itoa(year)
		form := url.Values{"year": {ys}, "days": {"20,5"}, "department_id": {strconv.Itoa(int(dept))}, "pro_rata": {"on"}, "action": {"check"}}

		// The check says how many people it reaches and changes nothing.
		body := hrPost(t, c, "/leave/admin/entitlements", form, 200)
		if !strings.Contains(body, fmt.Sprintf("Set for %d people", inScope)) || !strings.Contains(body, "Lakatos Bence") || !strings.Contains(body, "pro rata") {
			t.Fatalf("the check does not announce %d people and the pro-rata person\n%s", inScope, body)
		}
		m := hrCheckedRe.FindStringSubmatch(body)
		if m == nil || m[1] == "" {
			t.Fatal("the check carries no confirmation key")
		}
		if f := hrFigures(t, app, "employee", year); f.Allocated != 0 {
			t.Fatalf("the check changed the allocation to %d", f.Allocated)
		}

		// Applying other values than were checked asks for a new check.
		form.Set("action", "apply")
		form.Set("checked", m[1])
		form.Set("days", "25")
		body = hrPost(t, c, "/leave/admin/entitlements", form, 200)
		if !strings.Contains(body, "changed since the check") || hrFigures(t, app, "employee", year).Allocated != 0 {
			t.Fatalf("apply with unchecked values was not sent back for a new check")
		}

		form.Set("days", "20,5")
		res, _ := c.Post("/leave/admin/entitlements", form)
		if want := fmt.Sprintf("/leave/admin?dept=%d&year=%d", dept, year); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("apply = %d %q; want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
		}
		body = hrPage(t, c, res.Header.Get("Location"), 200)
		if !strings.Contains(body, fmt.Sprintf("set for %d people", inScope)) {
			t.Errorf("no flash after applying")
		}
		for _, u := range []string{"employee", "manager", "frontdesk", "torok.ildiko"} {
			if f := hrFigures(t, app, u, year); f.Allocated != 41 || f.Remaining != 41 {
				t.Errorf("%s: allocated %d remaining %d; want 41 half days", u, f.Allocated, f.Remaining)
			}
		}
		for _, u := range []string{"hr", "admin", "racz.anita"} {
			if f := hrFigures(t, app, u, year); f.Allocated != 0 {
				t.Errorf("%s outside the department got %d half days", u, f.Allocated)
			}
		}
		// Joined on 1 July: about half of 20.5 days, rounded to a half day.
		got := hrFigures(t, app, "lakatos.bence", year).Allocated
		if want := leave.ProRata(41, year, joined, calendar.Date{}); got != want || got < 19 || got > 22 {
			t.Errorf("pro-rata allocation = %d half days; want %d (about 20.5)", got, want)
		}

		// Applying the same again changes nobody.
		form.Set("action", "check")
		body = hrPost(t, c, "/leave/admin/entitlements", form, 200)
		if !strings.Contains(body, "setting it changes nothing") {
			t.Errorf("a repeated setting should announce no changes")
		}
		var entries int64
		app.DB.R.Model(&leave.Entry{}).Where("kind = ? AND year = ?", leave.KindAllocation, year).Count(&entries)
		if entries != inScope {
			t.Errorf("%d allocation entries; want one per person (%d)", entries, inScope)
		}
		if hrCountAudit(t, app, "leave.allocation.bulk") != 1 {
			t.Errorf("the bulk setting is not in the audit log once")
		}

		// Everyone, without pro rata.
		all := url.Values{"year": {ys}, "days": {"20"}, "department_id": {""}, "action": {"check"}}
		body = hrPost(t, c, "/leave/admin/entitlements", all, 200)
		all.Set("checked", hrCheckedRe.FindStringSubmatch(body)[1])
		all.Set("action", "apply")
		if res, _ := c.Post("/leave/admin/entitlements", all); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("apply to everyone = %d", res.StatusCode)
		}
		for _, u := range []string{"hr", "lakatos.bence", "employee"} {
			if f := hrFigures(t, app, u, year); f.Allocated != 40 {
				t.Errorf("%s: %d half days after setting 20 for everyone; want 40", u, f.Allocated)
			}
		}

		// Bad input comes back typed, with messages.
		for _, bad := range []url.Values{
			{"year": {ys}, "days": {"abc"}, "action": {"check"}},
			{"year": {ys}, "days": {"20.25"}, "action": {"check"}},
			{"year": {ys}, "days": {"-3"}, "action": {"check"}},
			{"year": {"1999"}, "days": {"20"}, "action": {"check"}},
			{"year": {ys}, "days": {"20"}, "department_id": {"999999"}, "action": {"check"}},
			{"year": {ys}, "days": {"20"}, "department_id": {"x"}, "action": {"apply"}},
		} {
			body := hrPost(t, c, "/leave/admin/entitlements", bad, http.StatusUnprocessableEntity)
			if !strings.Contains(body, "Some fields need your attention") || !strings.Contains(body, `value="`+bad.Get("days")+`"`) {
				t.Errorf("bad entitlement %v: no summary or typed value", bad)
			}
		}
	})
}

func TestLeaveHRAdjustment(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		year := calendar.Today(app.Cfg.TZ).Year
		emp := kaputest.Person(t, app, "employee")
		c := kaputest.SignedIn(t, app, "hr")
		body := hrPage(t, c, fmt.Sprintf("/leave/admin/entitlements?person=%d", emp.ID), 200)
		if !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Papp Eszter`, emp.ID)) {
			t.Errorf("?person= does not preselect the person")
		}
		form := url.Values{"adj_person_id": {strconv.Itoa(int(emp.ID))}, "adj_year": {strconv.Itoa(year)}, "adj_days": {"2,5"}, "adj_reason": {"  "}}
		body = hrPost(t, c, "/leave/admin/adjustments", form, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Give a reason for the adjustment.") || !strings.Contains(body, `value="2,5"`) {
			t.Errorf("an adjustment without a reason is not refused with the days kept")
		}
		for _, bad := range []url.Values{
			{"adj_person_id": {"abc"}, "adj_year": {strconv.Itoa(year)}, "adj_days": {"1"}, "adj_reason": {"x"}},
			{"adj_person_id": {"999999"}, "adj_year": {strconv.Itoa(year)}, "adj_days": {"1"}, "adj_reason": {"x"}},
			{"adj_person_id": {strconv.Itoa(int(emp.ID))}, "adj_year": {strconv.Itoa(year)}, "adj_days": {"0"}, "adj_reason": {"x"}},
			{"adj_person_id": {strconv.Itoa(int(emp.ID))}, "adj_year": {strconv.Itoa(year)}, "adj_days": {"1.3"}, "adj_reason": {"x"}},
			{"adj_person_id": {strconv.Itoa(int(emp.ID))}, "adj_year": {"1990"}, "adj_days": {"1"}, "adj_reason": {"x"}},
			{"adj_person_id": {strconv.Itoa(int(emp.ID))}, "adj_year": {strconv.Itoa(year)}, "adj_days": {"1"}, "adj_reason": {strings.Repeat("é", 301)}},
		} {
			hrPost(t, c, "/leave/admin/adjustments", bad, http.StatusUnprocessableEntity)
		}
		if f := hrFigures(t, app, "employee", year); f.Allocated != 0 {
			t.Fatalf("refused adjustments booked %d half days", f.Allocated)
		}
		form.Set("adj_reason", "2 children under 16")
		res, _ := c.Post("/leave/admin/adjustments", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("adjustment = %d; want 303", res.StatusCode)
		}
		if body := hrPage(t, c, res.Header.Get("Location"), 200); !strings.Contains(body, "2.5 days booked for Papp Eszter") {
			t.Errorf("no flash after the adjustment")
		}
		form.Set("adj_days", "-1")
		form.Set("adj_reason", "correction")
		c.Post("/leave/admin/adjustments", form)
		if f := hrFigures(t, app, "employee", year); f.Allocated != 3 {
			t.Errorf("after +2.5 and −1 days: %d half days; want 3", f.Allocated)
		}
		var e leave.Entry
		app.DB.R.Where("person_id = ? AND kind = ?", emp.ID, leave.KindAdjustment).Order("id").First(&e)
		if e.Reason != "2 children under 16" || e.Halves != 5 {
			t.Errorf("ledger entry = %+v", e)
		}
	})
}

// hrNextWorkday returns the first working day on or after d.
func hrNextWorkday(t *testing.T, app *kapu.App, d calendar.Date) calendar.Date {
	t.Helper()
	w, err := app.Calendar.NextWorkday(context.Background(), d.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestLeaveHRRecordOnBehalf(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		hr := kaputest.Person(t, app, "hr")
		emp := kaputest.Person(t, app, "employee")
		start := hrNextWorkday(t, app, calendar.Today(app.Cfg.TZ).AddDays(14))
		year := start.Year
		if err := app.Leave.SetAllocation(ctx, hr.Actor(), emp.ID, year, 40, "test"); err != nil {
			t.Fatal(err)
		}
		annual := leaveType(t, app, "annual")
		c := kaputest.SignedIn(t, app, "hr")
		body := hrPage(t, c, fmt.Sprintf("/leave/admin/record?person=%d", emp.ID), 200)
		if !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Papp Eszter (Hatósági Osztály)`, emp.ID)) {
			t.Errorf("?person= does not preselect the person")
		}
		form := url.Values{"person_id": {strconv.Itoa(int(emp.ID))}, "type_id": {strconv.Itoa(int(annual.ID))},
			"start": {start.String()}, "end": {start.String()}, "end_half": {"on"}, "comment": {"reported by phone"}, "action": {"check"}}
		body = hrPost(t, c, "/leave/admin/record", form, 200)
		if !strings.Contains(body, "Left in "+strconv.Itoa(year)+" afterwards: 19.5 days") {
			t.Errorf("the check does not show what the person has left")
		}

		// Errors come back typed, in words about the person, not "you".
		for _, bad := range []struct {
			change url.Values
			want   string
		}{
			{url.Values{"person_id": {""}}, "Pick one of the offered choices."},
			{url.Values{"person_id": {"999999"}}, "Pick one of the offered choices."},
			{url.Values{"start": {"2026-02-30"}}, "Enter a date as YYYY-MM-DD."},
			{url.Values{"end": {start.AddDays(-3).String()}}, "The last day is before the first day."},
			{url.Values{"end": {start.AddDays(120).String()}, "end_half": {""}}, "The person does not have enough days left"},
		} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			for k, v := range bad.change {
				f[k] = v
			}
			f.Set("action", "record")
			body := hrPost(t, c, "/leave/admin/record", f, http.StatusUnprocessableEntity)
			if !strings.Contains(body, bad.want) || !strings.Contains(body, "reported by phone") {
				t.Errorf("record %v: want %q with the comment kept", bad.change, bad.want)
			}
		}

		form.Set("action", "record")
		res, _ := c.Post("/leave/admin/record", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/leave/requests/") {
			t.Fatalf("record = %d %s; want 303 to the request", res.StatusCode, res.Header.Get("Location"))
		}
		var req leave.Request
		app.DB.R.Where("person_id = ?", emp.ID).First(&req)
		if req.Status != leave.StatusApproved || req.CreatedBy != hr.ID || req.Halves != 1 || req.ApprovalID != nil {
			t.Errorf("recorded request = %+v; want approved at once, by HR, half a day", req)
		}
		if mails := kaputest.MailsTo(t, app, "manager"); len(mails) != 0 {
			t.Errorf("the manager was asked to approve leave HR recorded: %d mails", len(mails))
		}
		// The same days again overlap.
		if body := hrPost(t, c, "/leave/admin/record", form, http.StatusUnprocessableEntity); !strings.Contains(body, "The person already has leave") {
			t.Errorf("an overlapping record was not refused")
		}

		// The overview shows it: half a day approved ahead, 19.5 left.
		body = hrPage(t, c, fmt.Sprintf("/leave/admin?year=%d&q=papp", year), 200)
		row := regexp.MustCompile(`(?s)<th scope="row">Papp Eszter</th>.*?</tr>`).FindString(body)
		for _, w := range []string{">20<", ">0.5<", ">19.5<"} {
			if !strings.Contains(row, w) {
				t.Errorf("overview row lacks %s:\n%s", w, row)
			}
		}
	})
}

// TestLeaveHROverviewEqualsFigures checks the overview's batch arithmetic
// against Figures for everyone in the full demo (allowances, carry-over, leave
// taken and ahead, sick days, pending requests), in two years.
func TestLeaveHROverviewEqualsFigures(t *testing.T) {
	t.Parallel()
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			app := kaputest.New(t, dialect, kaputest.WithHistory())
			ctx := context.Background()
			today := calendar.Today(app.Cfg.TZ)
			queries := hrCountQueries(app)
			for _, year := range []int{today.Year - 1, today.Year} {
				*queries = 0
				rows, total, err := app.Leave.Overview(ctx, leave.OverviewFilter{Year: year, All: true})
				if err != nil {
					t.Fatal(err)
				}
				if *queries == 0 {
					t.Fatal("the query counter counted nothing")
				}
				t.Logf("%d: %d people in %d queries", year, len(rows), *queries)
				if *queries > 8 {
					t.Errorf("the overview of %d people took %d queries; want a fixed handful", len(rows), *queries)
				}
				if int64(len(rows)) != total || total < 40 {
					t.Fatalf("overview has %d rows of %d; want everyone", len(rows), total)
				}
				nonZero := map[string]bool{}
				for _, r := range rows {
					f, err := app.Leave.Figures(ctx, r.PersonID, year)
					if err != nil {
						t.Fatal(err)
					}
					f.Planned = 0 // the overview does not show planned days
					if r.Figures != f {
						t.Errorf("%d %s: overview %+v\n  != Figures %+v", year, r.Name, r.Figures, f)
					}
					for name, v := range map[string]int{"taken": f.Taken, "future": f.Future, "pending": f.Pending, "carried": f.Carried} {
						if v != 0 {
							nonZero[name] = true
						}
					}
				}
				if year == today.Year && len(nonZero) < 3 {
					t.Errorf("the demo exercises only %v; the comparison needs leave taken, ahead and pending", nonZero)
				}
			}
			// The page agrees too, paged.
			c := kaputest.SignedIn(t, app, "hr")
			body := hrPage(t, c, fmt.Sprintf("/leave/admin?year=%d&dept=%d", today.Year, hrDeptID(t, app, "Hatósági Osztály")), 200)
			if !strings.Contains(body, `<th scope="row">Török Ildikó</th>`) || strings.Contains(body, `<th scope="row">Kovács Henrietta</th>`) {
				t.Errorf("the department filter does not take the sub-departments and only them")
			}
			f := hrFigures(t, app, "employee", today.Year)
			row := regexp.MustCompile(`(?s)<th scope="row">Papp Eszter</th>.*?</tr>`).FindString(body)
			for _, v := range []int{f.Allocated, f.Carried, f.Taken, f.Future, f.Pending, f.Remaining} {
				if !strings.Contains(row, ">"+hrDays(v)+"<") {
					t.Errorf("the page row lacks %s:\n%s", hrDays(v), row)
				}
			}
			body = hrPage(t, c, fmt.Sprintf("/leave/admin?year=%d&page=2", today.Year), 200)
			if !strings.Contains(body, "Nobody matches") {
				t.Errorf("page 2 of under 50 people should be empty")
			}
			hrPage(t, c, "/leave/admin?dept=abc", http.StatusNotFound)
			hrPage(t, c, "/leave/admin?dept=999999", http.StatusNotFound)
			hrPage(t, c, "/leave/admin?year=abc&page=-3&q=%25", 200)

			// Past 200 people the overview reads the whole year at once; it must
			// agree with Figures and with its own pages all the same.
			extra := people.Department{Name: "Extra"}
			app.DB.W.Create(&extra)
			var staff []people.Person
			for i := range 180 {
				staff = append(staff, people.Person{Username: fmt.Sprintf("x%03d", i), Name: fmt.Sprintf("Extra %03d", i),
					Email: fmt.Sprintf("x%03d@example.org", i), DepartmentID: &extra.ID, Active: true})
			}
			if err := app.DB.W.CreateInBatches(&staff, 100).Error; err != nil {
				t.Fatal(err)
			}
			hrActor := kaputest.Person(t, app, "hr").Actor()
			for _, p := range staff[:10] {
				if err := app.Leave.SetAllocation(ctx, hrActor, p.ID, today.Year, 44, "test"); err != nil {
					t.Fatal(err)
				}
			}
			*queries = 0
			all, total, err := app.Leave.Overview(ctx, leave.OverviewFilter{Year: today.Year, All: true})
			if err != nil || len(all) < 220 || int64(len(all)) != total {
				t.Fatalf("overview of everyone: %d rows of %d, %v", len(all), total, err)
			}
			if *queries > 8 {
				t.Errorf("the overview of %d people took %d queries", len(all), *queries)
			}
			var paged []leave.OverviewRow
			for page := 1; len(paged) < len(all); page++ {
				rows, _, err := app.Leave.Overview(ctx, leave.OverviewFilter{Year: today.Year, Page: page})
				if err != nil || len(rows) == 0 {
					t.Fatalf("page %d: %d rows, %v", page, len(rows), err)
				}
				paged = append(paged, rows...)
			}
			for i, r := range all {
				f, err := app.Leave.Figures(ctx, r.PersonID, today.Year)
				if err != nil {
					t.Fatal(err)
				}
				f.Planned = 0
				if r.Figures != f || paged[i] != r {
					t.Errorf("%s: whole-year %+v\n  page %+v\n  Figures %+v", r.Name, r.Figures, paged[i].Figures, f)
				}
			}
		})
	}
}

// num writes half days the way the English pages do.
func hrDays(halves int) string {
	if halves%2 == 0 {
		return strconv.Itoa(halves / 2)
	}
	return strconv.FormatFloat(float64(halves)/2, 'f', 1, 64)
}

// hrCountQueries counts the reads on the app's database from now on.
func hrCountQueries(app *kapu.App) *int {
	n := new(int)
	inc := func(*gorm.DB) { *n++ }
	// The reader and the writer share their callbacks (one gorm.Config).
	_ = app.DB.R.Callback().Query().After("gorm:query").Register("test:count_query", inc)
	_ = app.DB.R.Callback().Row().After("gorm:row").Register("test:count_row", inc)
	return n
}

func TestLeaveHRExports(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		year := calendar.Today(app.Cfg.TZ).Year
		hr := kaputest.Person(t, app, "hr")
		for _, u := range []string{"employee", "manager"} {
			if err := app.Leave.SetAllocation(ctx, hr.Actor(), kaputest.Person(t, app, u).ID, year, 41, "test"); err != nil {
				t.Fatal(err)
			}
		}
		c := kaputest.SignedIn(t, app, "hr")
		ys := strconv.Itoa(year)
		res, body := c.Get("/leave/admin/export.csv?year=" + ys)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("CSV = %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		if !strings.HasPrefix(body, "\ufeffPerson,Department,Entitlement,") {
			t.Errorf("CSV does not start with a BOM and a comma-separated header: %q", body[:min(60, len(body))])
		}
		lines := strings.Split(strings.TrimSpace(body), "\r\n")
		var active int64
		app.DB.R.Model(&people.Person{}).Where("active = ?", true).Count(&active)
		if int64(len(lines)-1) != active {
			t.Errorf("CSV has %d rows; want every active person (%d), not one page", len(lines)-1, active)
		}
		if !strings.Contains(body, "\r\nPapp Eszter,Hatósági Osztály,20.5,0,0,0,0,0,20.5\r\n") {
			t.Errorf("CSV lacks the English row of Papp Eszter:\n%s", body)
		}
		// In Hungarian, days take the decimal comma.
		c.Get("/profile")
		c.Post("/profile/language", url.Values{"lang": {"hu"}})
		_, body = c.Get("/leave/admin/export.csv?year=" + ys + "&dept=" + strconv.Itoa(int(hrDeptID(t, app, "Hatósági Osztály"))))
		if !strings.Contains(body, "Papp Eszter;Hatósági Osztály;20,5;0;0;0;0;0;20,5") || strings.Contains(body, "Kovács Henrietta") {
			t.Errorf("Hungarian CSV for the department is wrong:\n%s", body)
		}

		res, body = c.Get("/leave/admin/export.xlsx?year=" + ys + "&q=eszter")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("XLSX = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("the XLSX does not open: %v", err)
		}
		defer x.Close()
		sheet := x.GetSheetName(0)
		if sheet != "Szabadság "+ys {
			t.Errorf("sheet name = %q", sheet)
		}
		rows, _ := x.GetRows(sheet)
		var at int
		for i, r := range rows {
			if len(r) > 0 && r[0] == "Papp Eszter" {
				at = i + 1
			}
		}
		if at == 0 || len(rows) != 3 { // header, Papp Eszter, Varga Eszter
			t.Fatalf("XLSX rows = %v", rows)
		}
		cell := fmt.Sprintf("C%d", at)
		if v, _ := x.GetCellValue(sheet, cell); v != "20.5" {
			t.Errorf("%s = %q; want 20.5", cell, v)
		}
		if typ, _ := x.GetCellType(sheet, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("days are stored as text")
		}
		if h, _ := x.GetCellValue(sheet, "C1"); h != "Éves keret" {
			t.Errorf("header C1 = %q", h)
		}
		if id, _ := x.GetCellStyle(sheet, "A1"); id == 0 {
			t.Errorf("the header row has no style")
		} else if st, _ := x.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("the header row is not bold")
		}
		if w, _ := x.GetColWidth(sheet, "A"); w < 20 {
			t.Errorf("column A width = %v", w)
		}
		if res, _ := c.Get("/leave/admin/export.xlsx?dept=zz"); res.StatusCode != http.StatusNotFound {
			t.Errorf("export with a bad department = %d; want 404", res.StatusCode)
		}
	})
}

func TestLeaveHRStats(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		hr := kaputest.Person(t, app, "hr")
		start := hrNextWorkday(t, app, calendar.Today(app.Cfg.TZ).AddDays(7))
		year := start.Year
		sick := leaveType(t, app, "sick")
		annual := leaveType(t, app, "annual")
		for _, u := range []string{"employee", "frontdesk", "racz.anita"} {
			p := kaputest.Person(t, app, u)
			if err := app.Leave.SetAllocation(ctx, hr.Actor(), p.ID, year, 40, "test"); err != nil {
				t.Fatal(err)
			}
			if _, err := app.Leave.Submit(ctx, hr.Actor(), p.ID, leave.RequestInput{TypeID: annual.ID, Start: start, End: start}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := app.Leave.Submit(ctx, hr.Actor(), kaputest.Person(t, app, "employee").ID, leave.RequestInput{TypeID: sick.ID, Start: start.AddDays(1), End: start.AddDays(1)}); err != nil {
			t.Fatal(err)
		}
		st, err := app.Leave.Stats(ctx, leave.StatsFilter{Year: year})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total.Leave < 7 || st.Total.Allocated != 120 || st.Total.Remaining != 114 {
			t.Errorf("stats totals = %+v", st.Total)
		}

		c := kaputest.SignedIn(t, app, "hr")
		ys := strconv.Itoa(year)
		body := hrPage(t, c, "/leave/admin/stats?year="+ys, 200)
		for _, want := range []string{"<svg", `role="img"`, "<title>", "Sick leave", "Hatósági Osztály", "Remaining at year end", `<table class="visually-hidden">`} {
			if !strings.Contains(body, want) {
				t.Errorf("stats page lacks %q", want)
			}
		}
		if strings.Count(body, "<svg role=\"img\"") != 3 {
			t.Errorf("want 3 charts (month, type, department); got %d", strings.Count(body, "<svg role=\"img\""))
		}
		body = hrPage(t, c, fmt.Sprintf("/leave/admin/stats?year=%s&dept=%d", ys, hrDeptID(t, app, "Pénzügyi Osztály")), 200)
		if strings.Contains(body, "Hatósági Osztály</th>") || !strings.Contains(body, "Pénzügyi Osztály") {
			t.Errorf("the department filter does not narrow the table")
		}
		res, csvBody := c.Get("/leave/admin/stats?format=csv&year=" + ys)
		if res.StatusCode != 200 || !strings.HasPrefix(csvBody, "\ufeffDepartment,People,") || !strings.Contains(csvBody, "Total,") {
			t.Errorf("stats CSV = %d %q", res.StatusCode, csvBody[:min(80, len(csvBody))])
		}
		hrPage(t, c, "/leave/admin/stats?dept=-1", http.StatusNotFound)
		hrPage(t, c, "/leave/admin/stats?dept=999999", http.StatusNotFound)
		// A year without leave renders without charts.
		if body := hrPage(t, c, "/leave/admin/stats?year="+strconv.Itoa(year-5), 200); !strings.Contains(body, "No approved leave") {
			t.Errorf("an empty year should say so")
		}
	})
}

// Both languages render every HR page with no missing message.
func TestLeaveHRPagesInHungarian(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite", kaputest.WithHistory())
	c := kaputest.SignedIn(t, app, "hr")
	c.Get("/profile")
	c.Post("/profile/language", url.Values{"lang": {"hu"}})
	for _, p := range []string{"/leave/admin", "/leave/admin/stats", "/leave/admin/types", "/leave/admin/types/new", "/leave/admin/types/1", "/leave/admin/entitlements", "/leave/admin/record"} {
		body := hrPage(t, c, p, 200)
		if !strings.Contains(body, `lang="hu"`) {
			t.Errorf("%s is not in Hungarian", p)
		}
	}
	body := hrPage(t, c, "/leave/admin/stats", 200)
	if !strings.Contains(body, "márc.") || !strings.Contains(body, "munkanap") {
		t.Errorf("the Hungarian charts lack Hungarian labels")
	}
}

// Odd input (bytes PostgreSQL refuses, numbers out of range, garbage ids) is a
// form error, a 404 or an empty list, never a 500.
func TestLeaveHRNeverFailsOnOddInput(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "hr")
		emp := strconv.Itoa(int(kaputest.Person(t, app, "employee").ID))
		annual := strconv.Itoa(int(leaveType(t, app, "annual").ID))
		for _, p := range []string{"/leave/admin?q=%ff%00x", "/leave/admin?year=99999999999999&page=99999999", "/leave/admin/stats?year=-1",
			"/leave/admin/export.csv?q=%ff", "/leave/admin/record?person=abc&start=nonsense", "/leave/admin/entitlements?person=%00"} {
			hrPage(t, c, p, 200)
		}
		for _, tc := range []struct {
			path string
			form url.Values
		}{
			{"/leave/admin/types", url.Values{"code": {"ok\xff"}, "name_hu": {"\xff\x00"}, "name_en": {"x"}, "color": {"#123456"}, "sort_order": {"99999999999999999999"}}},
			{"/leave/admin/adjustments", url.Values{"adj_person_id": {emp}, "adj_year": {"2026"}, "adj_days": {"1e400"}, "adj_reason": {"\xff"}}},
			{"/leave/admin/adjustments", url.Values{"adj_person_id": {emp}, "adj_year": {"99999999999999999999"}, "adj_days": {"NaN"}, "adj_reason": {"\x00"}}},
			{"/leave/admin/entitlements", url.Values{"year": {"2026"}, "days": {"Inf"}, "action": {"check"}}},
			{"/leave/admin/record", url.Values{"person_id": {emp}, "type_id": {annual}, "start": {"2026-13-01"}, "comment": {"\xff\x00"}, "action": {"record"}}},
		} {
			hrPost(t, c, tc.path, tc.form, http.StatusUnprocessableEntity)
		}
		// Invalid bytes in a comment are dropped, not refused.
		start := hrNextWorkday(t, app, calendar.Today(app.Cfg.TZ).AddDays(21))
		sick := strconv.Itoa(int(leaveType(t, app, "sick").ID))
		res, _ := c.Post("/leave/admin/record", url.Values{"person_id": {emp}, "type_id": {sick}, "start": {start.String()}, "comment": {"phone\xff\x00 call"}, "action": {"record"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("record with odd bytes in the comment = %d; want 303", res.StatusCode)
		}
		var r leave.Request
		app.DB.R.Order("id DESC").First(&r)
		if r.Comment != "phone call" {
			t.Errorf("comment = %q", r.Comment)
		}
	})
}

// A bulk setting that fails part-way changes nobody and says at whom it stopped.
func TestLeaveHREntitlementsAllOrNothing(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		year := calendar.Today(app.Cfg.TZ).Year
		last := kaputest.Person(t, app, "torok.ildiko") // sorts last in the department, so the others go first
		var stmts []string
		if app.DB.Dialect == "postgres" {
			stmts = []string{
				fmt.Sprintf(`CREATE FUNCTION hr_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
				 BEGIN IF NEW.person_id = %d THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`, last.ID),
				`CREATE TRIGGER hr_test_fail BEFORE INSERT ON leave_ledger FOR EACH ROW EXECUTE FUNCTION hr_test_fail()`,
			}
		} else {
			stmts = []string{fmt.Sprintf(`CREATE TRIGGER hr_test_fail BEFORE INSERT ON leave_ledger
			 WHEN NEW.person_id = %d BEGIN SELECT RAISE(ABORT, 'boom'); END`, last.ID)}
		}
		for _, s := range stmts {
			if err := app.DB.W.Exec(s).Error; err != nil {
				t.Fatal(err)
			}
		}
		c := kaputest.SignedIn(t, app, "hr")
		hrPage(t, c, "/leave/admin/entitlements", 200)
		form := url.Values{"year": {strconv.Itoa(year)}, "days": {"20"}, "department_id": {strconv.Itoa(int(hrDeptID(t, app, "Hatósági Osztály")))}, "action": {"check"}}
		body := hrPost(t, c, "/leave/admin/entitlements", form, 200)
		form.Set("checked", hrCheckedRe.FindStringSubmatch(body)[1])
		form.Set("action", "apply")
		body = hrPost(t, c, "/leave/admin/entitlements", form, http.StatusInternalServerError)
		if !strings.Contains(body, "Nothing was changed") || !strings.Contains(body, "Török Ildikó") || !strings.Contains(body, `value="20"`) {
			t.Errorf("the failure is not reported on the form with the person it stopped at")
		}
		for _, u := range []string{"employee", "manager", "frontdesk"} {
			if f := hrFigures(t, app, u, year); f.Allocated != 0 {
				t.Errorf("%s kept %d half days of a failed bulk setting", u, f.Allocated)
			}
		}
		var n int64
		app.DB.R.Model(&leave.Entry{}).Count(&n)
		if n != 0 || hrCountAudit(t, app, "leave.allocation.set") != 0 {
			t.Errorf("a failed bulk setting left %d ledger rows behind", n)
		}
	})
}
