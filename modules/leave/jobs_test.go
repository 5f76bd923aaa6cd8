package leave

import (
	"context"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify"
)

// at moves the service's clock to 09:00 UTC of a day.
func (e *teamEnv) at(day string) {
	t, _ := time.Parse("2006-01-02", day)
	e.svc.now = func() time.Time { return t.Add(9 * time.Hour) }
}

func (e *teamEnv) mails(t *testing.T, to string) int64 {
	t.Helper()
	var n int64
	e.d.R.Model(&notify.Mail{}).Where("to_addr = ?", to).Count(&n)
	return n
}

func TestNewYearCarryOverAndExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		hr := e.hr.Actor()
		annual := e.typeByCode(t, "annual").ID
		if err := e.svc.SetAllocation(ctx, hr, e.ann.ID, 2025, 40, "base"); err != nil {
			t.Fatal(err)
		}
		e.at("2025-06-02")
		if _, err := e.svc.Submit(ctx, hr, e.ann.ID, RequestInput{TypeID: annual, Start: teamDate(t, "2025-06-02"), End: teamDate(t, "2025-06-06")}); err != nil {
			t.Fatal(err)
		}

		e.at("2026-01-02")
		for i := 0; i < 2; i++ { // the job may run twice; it must give nothing twice
			if err := e.svc.NewYear(ctx); err != nil {
				t.Fatal(err)
			}
		}
		f, _ := e.svc.Figures(ctx, e.ann.ID, 2026)
		if f.Allocated != 40 || f.Carried != 30 || f.CarryExpiry != teamDate(t, "2026-03-31") {
			t.Errorf("Ann's 2026 after the new-year job = %+v; want 20 days, 15 carried until 31 March", f)
		}
		if b, _ := e.svc.Figures(ctx, e.bob.ID, 2026); b.Allocated != 2*20 {
			t.Errorf("Bob (no allocation last year) got %v days; want the configured 20", float64(b.Allocated)/2)
		}

		// 3 carried days used in March; a week before the expiry Ann is warned, once.
		e.at("2026-03-09")
		if _, err := e.svc.Submit(ctx, hr, e.ann.ID, RequestInput{TypeID: annual, Start: teamDate(t, "2026-03-10"), End: teamDate(t, "2026-03-12")}); err != nil {
			t.Fatal(err)
		}
		e.at("2026-03-25")
		for i := 0; i < 2; i++ {
			if err := e.svc.ExpiryDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := e.mails(t, e.ann.Email); n != 1 {
			t.Errorf("expiry warnings to Ann = %d; want 1", n)
		}
		e.at("2026-04-01")
		for i := 0; i < 2; i++ {
			if err := e.svc.ExpiryDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		f, _ = e.svc.Figures(ctx, e.ann.ID, 2026)
		if f.Expired != 24 || f.Remaining != 40+30-6-24 {
			t.Errorf("after the expiry job: expired %v, left %v; want 12 expired, 20 left", float64(f.Expired)/2, float64(f.Remaining)/2)
		}
		if drift, _ := e.svc.CheckBalances(ctx); len(drift) != 0 {
			t.Errorf("balances drifted: %+v", drift)
		}
	})
}

func TestAutumnReminder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		hr := e.hr.Actor()
		e.svc.SetAllocation(ctx, hr, e.ann.ID, 2026, 40, "base")
		e.svc.SetAllocation(ctx, hr, e.bob.ID, 2026, 4, "base")
		e.at("2026-10-05")
		if err := e.svc.AutumnReminder(ctx); err != nil || e.mails(t, e.ann.Email) != 0 {
			t.Errorf("the reminder ran while switched off: %v", err)
		}
		e.svc.cfg.LeaveAutumnReminder, e.svc.cfg.LeaveAutumnMinDays = config.MonthDay{Month: time.October, Day: 1}, 5
		for i := 0; i < 2; i++ {
			if err := e.svc.AutumnReminder(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := e.mails(t, e.ann.Email); n != 1 {
			t.Errorf("autumn reminders to Ann (20 days unplanned) = %d; want 1", n)
		}
		if n := e.mails(t, e.bob.Email); n != 0 {
			t.Errorf("autumn reminders to Bob (2 days left) = %d; want 0", n)
		}
	})
}
