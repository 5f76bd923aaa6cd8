package leave_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/calendar"
)

// carriedUsedBy counts the half days of counting, approved leave a person took
// in year up to day: the carried-over days used in time. The demo's leave is
// whole days.
func carriedUsedBy(t *testing.T, app *kapu.App, personID uint, year int, day calendar.Date) int {
	t.Helper()
	ctx := context.Background()
	var reqs []leave.Request
	err := app.DB.R.Joins("JOIN leave_types t ON t.id = leave_requests.type_id AND t.counts_against = ?", true).
		Where("leave_requests.person_id = ? AND leave_requests.status = ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			personID, leave.StatusApproved, day, calendar.NewDate(year, time.January, 1)).Find(&reqs).Error
	if err != nil {
		t.Fatal(err)
	}
	used := 0
	for _, r := range reqs {
		end := r.EndDate
		if end.After(day) {
			end = day
		}
		n, err := app.Calendar.WorkdaysBetween(ctx, r.StartDate, end)
		if err != nil {
			t.Fatal(err)
		}
		used += 2 * n
	}
	return used
}

// A fresh demo shows true balances without anyone running a job by hand: the
// days carried over from last year and not used by their expiry day have
// expired once today is past it, on the figures and on the employee's page.
// Catching up again, as a restart would, changes nothing.
func TestLeaveFreshDemoBalancesAreTrue(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		today := calendar.Today(app.Cfg.TZ)
		emp := kaputest.Person(t, app, "employee")
		f, err := app.Leave.Figures(ctx, emp.ID, today.Year)
		if err != nil {
			t.Fatal(err)
		}
		if f.Carried <= 0 || f.CarryExpiry.IsZero() {
			t.Fatalf("the demo employee carried nothing over: %+v", f)
		}
		want := 0
		if today.After(f.CarryExpiry) {
			want = max(0, f.Carried-carriedUsedBy(t, app, emp.ID, today.Year, f.CarryExpiry))
		}
		if f.Expired != want {
			t.Errorf("on %s the demo employee's expired days = %v; want %v (carried %v, usable until %s)",
				today, float64(f.Expired)/2, float64(want)/2, float64(f.Carried)/2, f.CarryExpiry)
		}

		c := kaputest.SignedIn(t, app, "employee")
		body := hrPage(t, c, "/leave", 200)
		left := regexp.MustCompile(`<span class="stat-value">([^<]*)</span><span class="stat-label">Days left</span>`).FindStringSubmatch(body)
		if len(left) < 2 || left[1] != hrDays(f.Remaining) {
			t.Errorf("the employee's page says %q days left; want %s", left, hrDays(f.Remaining))
		}
		if want > 0 && !strings.Contains(body, ">Expired<") {
			t.Errorf("the employee's page does not show the expired days")
		}

		before := allFigures(t, app, today.Year)
		for i := 0; i < 2; i++ {
			if err := app.Jobs.CatchUpAll(ctx); err != nil {
				t.Fatal(err)
			}
			if err := app.Jobs.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
		}
		after := allFigures(t, app, today.Year)
		for id, f := range before {
			if after[id] != f {
				t.Errorf("person %d: catching up again changed %+v\n  to %+v", id, f, after[id])
			}
		}
		var doubled int64
		app.DB.R.Model(&leave.Entry{}).Select("person_id, year").Where("kind = ?", leave.KindExpiry).
			Group("person_id, year").Having("COUNT(*) > 1").Count(&doubled)
		if doubled != 0 {
			t.Errorf("%d person-years have more than one expiry entry", doubled)
		}
		if drift, _ := app.Leave.CheckBalances(ctx); len(drift) != 0 {
			t.Errorf("demo balances drifted from the ledger: %+v", drift)
		}
	}, kaputest.WithHistory())
}

// allFigures is everyone's figures for a year, by person.
func allFigures(t *testing.T, app *kapu.App, year int) map[uint]leave.Figures {
	t.Helper()
	var ids []uint
	app.DB.R.Table("people").Where("active = ?", true).Pluck("id", &ids)
	out := map[uint]leave.Figures{}
	for _, id := range ids {
		f, err := app.Leave.Figures(context.Background(), id, year)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = f
	}
	return out
}
