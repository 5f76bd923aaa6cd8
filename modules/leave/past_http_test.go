package leave_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/calendar"
)

// pastWorkday is the last working day before today.
func pastWorkday(t *testing.T, app *kapu.App) calendar.Date {
	t.Helper()
	for d := calendar.Today(app.Cfg.TZ).AddDays(-1); ; d = d.AddDays(-1) {
		ok, err := app.Calendar.IsWorkday(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return d
		}
	}
}

// requestsOf counts a person's leave requests.
func requestsOf(t *testing.T, app *kapu.App, username string) int64 {
	t.Helper()
	var n int64
	app.DB.R.Model(&leave.Request{}).Where("person_id = ?", kaputest.Person(t, app, username).ID).Count(&n)
	return n
}

const (
	pastNoteEN  = "normally recorded by HR"
	pastErrorEN = "This leave starts before today: see the note below."
)

// An employee asking for leave that starts before today is warned next to
// the first day and pointed to HR; nothing is sent until they tick "send
// anyway", and then it goes to the manager as usual.
func TestLeavePastStart(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		day := pastWorkday(t, app)
		kaputest.Allocate(t, app, "employee", day.Year, 20)
		annual := leaveType(t, app, "annual")
		c := kaputest.SignedIn(t, app, "employee")
		c.Get("/leave/new")
		form := url.Values{"type_id": {fmt.Sprint(annual.ID)}, "start": {day.String()}, "comment": {"forgot to ask"}, "action": {"check"}}

		res, body := c.Post("/leave/new", form)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, pastNoteEN) || !strings.Contains(body, `name="past_ok"`) || !strings.Contains(body, "working days") {
			t.Errorf("checking a past day = %d; want the cost with the past-start note and its checkbox\n%s", res.StatusCode, body)
		}

		form.Set("action", "send")
		res, body = c.Post("/leave/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, pastErrorEN) || !strings.Contains(body, pastNoteEN) {
			t.Errorf("sending without ticking = %d; want 422 with the message and the note\n%s", res.StatusCode, body)
		}
		if !strings.Contains(body, `id="f-start-error"`) || !strings.Contains(body, "forgot to ask") || !strings.Contains(body, `value="`+day.String()+`"`) {
			t.Errorf("the warning is not next to the first day, or the form lost what was typed")
		}
		if n := requestsOf(t, app, "employee"); n != 0 {
			t.Fatalf("a past request was sent without confirmation (%d requests)", n)
		}

		form.Set("past_ok", "on")
		res, _ = c.Post("/leave/new", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sending with the box ticked = %d; want 303", res.StatusCode)
		}
		if _, body := c.Get(res.Header.Get("Location")); !strings.Contains(body, "Waiting for approval") {
			t.Errorf("the confirmed past request does not wait for the manager")
		}

		// A request from today on says nothing of the past.
		next := kaputest.WorkdayFrom(t, app, 0)
		kaputest.Allocate(t, app, "employee", next.Year, 20)
		res, body = c.Post("/leave/new", url.Values{"type_id": {fmt.Sprint(annual.ID)}, "start": {next.String()}, "action": {"check"}})
		if res.StatusCode != http.StatusOK || strings.Contains(body, pastNoteEN) || strings.Contains(body, `name="past_ok"`) {
			t.Errorf("checking %s (not past) = %d; want no past-start note", next, res.StatusCode)
		}
	})
}

// The same in Hungarian.
func TestLeavePastStartInHungarian(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	day := pastWorkday(t, app)
	kaputest.Allocate(t, app, "employee", day.Year, 20)
	c := kaputest.SignedIn(t, app, "employee")
	c.Get("/profile")
	c.Post("/profile/language", url.Values{"lang": {"hu"}})
	c.Get("/leave/new")
	res, body := c.Post("/leave/new", url.Values{"type_id": {fmt.Sprint(leaveType(t, app, "annual").ID)}, "start": {day.String()}, "action": {"send"}})
	for _, want := range []string{"Ez a szabadság a mai napnál korábban kezdődik", "általában a HR rögzíti", "Tudom, mégis elküldöm a kérelmemet"} {
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Errorf("a past request in Hungarian = %d; want 422 with %q", res.StatusCode, want)
		}
	}
}

// HR records leave already taken on the record form, approved at once and
// without any warning; only HR's own past leave, a request of their own, asks
// for the confirmation.
func TestLeaveHRRecordsPastLeave(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		day := pastWorkday(t, app)
		kaputest.Allocate(t, app, "employee", day.Year, 20)
		emp := kaputest.Person(t, app, "employee")
		before, _ := app.Leave.Figures(ctx, emp.ID, day.Year)
		c := kaputest.SignedIn(t, app, "hr")
		c.Get("/leave/admin/record")
		form := url.Values{"person_id": {fmt.Sprint(emp.ID)}, "type_id": {fmt.Sprint(leaveType(t, app, "annual").ID)}, "start": {day.String()}, "action": {"check"}}
		body := hrPost(t, c, "/leave/admin/record", form, http.StatusOK)
		if strings.Contains(body, pastNoteEN) || strings.Contains(body, `name="past_ok"`) {
			t.Errorf("HR's record form warns about a past day")
		}
		if !strings.Contains(body, "leave already taken") {
			t.Errorf("the record form does not say it is for leave already taken")
		}
		form.Set("action", "record")
		res, _ := c.Post("/leave/admin/record", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("recording past leave = %d; want 303", res.StatusCode)
		}
		if _, body := c.Get(res.Header.Get("Location")); !strings.Contains(body, "Approved") {
			t.Errorf("the recorded past leave is not approved")
		}
		after, _ := app.Leave.Figures(ctx, emp.ID, day.Year)
		if after.Taken != before.Taken+2 || after.Remaining != before.Remaining-2 {
			t.Errorf("after recording one past day: taken %v → %v, left %v → %v; want one more taken, one fewer left",
				before.Taken, after.Taken, before.Remaining, after.Remaining)
		}

		hr := kaputest.Person(t, app, "hr")
		kaputest.Allocate(t, app, "hr", day.Year, 20)
		form.Set("person_id", fmt.Sprint(hr.ID))
		body = hrPost(t, c, "/leave/admin/record", form, http.StatusUnprocessableEntity)
		if !strings.Contains(body, pastErrorEN) || !strings.Contains(body, `name="past_ok"`) {
			t.Errorf("HR's own past leave on the record form comes back without the note and its checkbox")
		}
	})
}
