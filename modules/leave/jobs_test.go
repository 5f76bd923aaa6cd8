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

// expiries counts a person's expiry entries of a year: at most one, however often the jobs ran.
func (e *teamEnv) expiries(t *testing.T, personID uint, year int) int64 {
	t.Helper()
	var n int64
	e.d.R.Model(&Entry{}).Where("person_id = ? AND year = ? AND kind = ?", personID, year, KindExpiry).Count(&n)
	return n
}

// runDateJobs runs the two date-driven jobs twice each, as a start-up
// catch-up followed by the night's scheduled run would.
func (e *teamEnv) runDateJobs(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := e.svc.NewYear(ctx); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ExpiryDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// Kapu was down on the days the leave jobs were due: the next run (at
// start-up) applies each missed date once, in order, and later runs change nothing.
func TestDateJobsCatchUpMissedDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		hr := e.hr.Actor()
		annual := e.typeByCode(t, "annual").ID
		e.at("2025-01-02")
		e.runDateJobs(t) // a new installation: 2025 is HR's
		if f, _ := e.svc.Figures(ctx, e.ann.ID, 2025); f.Allocated != 0 {
			t.Fatalf("the first run on a new installation allocated %+v; want HR's figures only", f)
		}
		if err := e.svc.SetAllocation(ctx, hr, e.ann.ID, 2025, 40, "base"); err != nil {
			t.Fatal(err)
		}
		e.at("2025-06-02")
		if _, err := e.svc.Submit(ctx, hr, e.ann.ID, RequestInput{TypeID: annual, Start: teamDate(t, "2025-06-02"), End: teamDate(t, "2025-06-06")}); err != nil {
			t.Fatal(err)
		}

		// Down from December 2025 to 10 April 2026: 1 January and 1 April both passed.
		e.at("2026-04-10")
		e.runDateJobs(t)
		f, _ := e.svc.Figures(ctx, e.ann.ID, 2026)
		if f.Allocated != 40 || f.Carried != 30 || f.Expired != 30 || f.Remaining != 40 {
			t.Errorf("Ann's 2026 after a restart on 10 April = %+v; want 20 days, 15 carried and expired, 20 left", f)
		}
		if n := e.expiries(t, e.ann.ID, 2026); n != 1 {
			t.Errorf("Ann's 2026 expiry entries = %d; want 1", n)
		}
		if n := e.mails(t, e.ann.Email); n != 0 {
			t.Errorf("expiry warnings after the expiry = %d; want none", n)
		}

		// Down again for more than a year, to 1 February 2028: 2027 and 2028 open in
		// turn, and 2027's carried days expire before what is left of 2027 moves on.
		e.at("2027-01-05") // HR records 5 days of June 2026 after the fact
		if _, err := e.svc.Submit(ctx, hr, e.ann.ID, RequestInput{TypeID: annual, Start: teamDate(t, "2026-06-01"), End: teamDate(t, "2026-06-05")}); err != nil {
			t.Fatal(err)
		}
		e.at("2028-02-01")
		e.runDateJobs(t)
		f27, _ := e.svc.Figures(ctx, e.ann.ID, 2027)
		f28, _ := e.svc.Figures(ctx, e.ann.ID, 2028)
		// 2026 left 40 − 10 = 30 → carried into 2027, unused by 31 March 2027: expired.
		if f27.Allocated != 40 || f27.Expired != 30 || e.expiries(t, e.ann.ID, 2027) != 1 {
			t.Errorf("Ann's 2027 = %+v (%d expiry entries); want 20 days allocated, the 15 carried expired once", f27, e.expiries(t, e.ann.ID, 2027))
		}
		// 2027's own 20 days move to 2028, usable until 31 March 2028.
		if f28.Allocated != 40 || f28.Carried != 40 || f28.Expired != 0 || f28.Remaining != 80 {
			t.Errorf("Ann's 2028 on 1 February = %+v; want 20 allocated, 20 carried, none expired yet", f28)
		}
		e.at("2028-04-03")
		e.runDateJobs(t)
		if f28, _ = e.svc.Figures(ctx, e.ann.ID, 2028); f28.Expired != 40 || f28.Remaining != 40 || e.expiries(t, e.ann.ID, 2028) != 1 {
			t.Errorf("Ann's 2028 after its expiry = %+v; want the 20 carried days expired once", f28)
		}
		if drift, _ := e.svc.CheckBalances(ctx); len(drift) != 0 {
			t.Errorf("balances drifted: %+v", drift)
		}
	})
}
