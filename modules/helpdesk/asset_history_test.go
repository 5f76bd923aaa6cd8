package helpdesk

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// faultAt reports a fault about asset at instant at, resolved after the
// given downtime (none: still open), with its work and parts.
func (f *fixture) faultAt(t testing.TB, a actor.Actor, assetID uint, at time.Time, down time.Duration, mins int, cost int64) *Ticket {
	t.Helper()
	was := f.clock
	f.clock = at
	defer func() { f.clock = was }()
	in := f.input()
	in.AssetID = &assetID
	tk, err := f.s.Report(context.Background(), a, in)
	must(t, err)
	upd := map[string]any{"work_mins": mins, "parts_cost": cost}
	if down > 0 {
		upd["resolved_at"], upd["state"] = at.Add(down), StateResolved
	}
	must(t, f.d.W.Model(&Ticket{}).Where("id = ?", tk.ID).Updates(upd).Error)
	return tk
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestAssetHistoryFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		dep := f.dept(t, "Pénzügy")
		in := printer("NY-1")
		in.OwnerID, in.DepartmentID = &f.emp.ID, &dep.ID
		// Bought 2 March 2024, two years before testNow; 60 months' life, warranty over.
		in.PurchasedOn, in.WarrantyEnd = calendar.NewDate(2024, 3, 2), calendar.NewDate(2025, 3, 2)
		as, err := f.s.SaveAsset(ctx, f.it1, 0, in)
		must(t, err)
		other, err := f.s.SaveAsset(ctx, f.it1, 0, printer("NY-2"))
		must(t, err)

		f.faultAt(t, f.emp, as.ID, testNow.AddDate(0, -6, 0), 10*time.Hour, 45, 12000)
		f.faultAt(t, f.emp, as.ID, testNow.AddDate(0, -1, 0), 30*time.Hour, 120, 30000)
		f.faultAt(t, f.emp, as.ID, testNow.Add(-4*time.Hour), 0, 0, 0) // open: down till now
		f.faultAt(t, f.emp, other.ID, testNow.AddDate(0, -2, 0), 5*time.Hour, 10, 999)
		dup := f.faultAt(t, f.emp, as.ID, testNow.AddDate(0, -1, 0), time.Hour, 0, 500)
		must(t, d.W.Model(&Ticket{}).Where("id = ?", dup.ID).Update("merged_into_id", dup.ID-1).Error)

		h, err := f.s.AssetHistory(ctx, f.it1, as.ID)
		must(t, err)
		if len(h.Tickets) != 4 {
			t.Fatalf("%d tickets in the history; want the asset's 4 (not the other asset's)", len(h.Tickets))
		}
		if h.Tickets[0].ID == 0 || h.Tickets[len(h.Tickets)-1].DowntimeHours != 10 {
			t.Errorf("history = %+v; want newest first, the oldest down 10 h", h.Tickets)
		}
		// The duplicate is listed but does not count.
		if h.Faults != 3 || !near(h.DowntimeHours, 44) || h.WorkMins != 165 || h.RepairCost != 42000 {
			t.Errorf("totals = %d faults, %.2f h down, %d min, %d Ft; want 3, 44, 165, 42000", h.Faults, h.DowntimeHours, h.WorkMins, h.RepairCost)
		}
		if h.OwnerName != "Papp Eszter" || h.DepartmentName != "Pénzügy" {
			t.Errorf("owner, department = %q, %q", h.OwnerName, h.DepartmentName)
		}
		if h.AgeMonths != 24 || h.LifeUsed() != 40 || !h.WarrantyEnded {
			t.Errorf("age %d months, %d%% of life, warranty ended %v; want 24, 40, true", h.AgeMonths, h.LifeUsed(), h.WarrantyEnded)
		}
		// In service from 2 March 2024 00:00 Budapest to testNow, less 44 h, over 3 faults.
		service := testNow.Sub(calendar.NewDate(2024, 3, 2).Start(budapest))
		want := (service - 44*time.Hour).Hours() / 24 / 3
		if !near(h.MTBFDays, want) || h.MTBFDays < 240 || h.MTBFDays > 245 {
			t.Errorf("MTBF = %.3f days; want %.3f", h.MTBFDays, want)
		}
		if h.CostShare() != 22 { // 42 000 of 189 000
			t.Errorf("cost share = %d%%; want 22", h.CostShare())
		}

		// No fault yet: no MTBF.
		clean, err := f.s.SaveAsset(ctx, f.it1, 0, printer("NY-3"))
		must(t, err)
		h2, err := f.s.AssetHistory(ctx, f.it1, clean.ID)
		must(t, err)
		if h2.Faults != 0 || h2.MTBFDays != 0 {
			t.Errorf("a fault-free asset: %d faults, MTBF %.1f; want 0, 0", h2.Faults, h2.MTBFDays)
		}
		if _, err := f.s.AssetHistory(ctx, f.emp, as.ID); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee reads the history: %v; want forbidden", err)
		}
		if _, err := f.s.AssetHistory(ctx, f.it1, 99999); !errors.Is(err, ErrAssetNotFound) {
			t.Errorf("a missing asset: %v; want not found", err)
		}
	})
}

func TestMTBF(t *testing.T) {
	cases := []struct {
		service, down time.Duration
		faults        int
		want          time.Duration
	}{
		{100 * time.Hour, 10 * time.Hour, 3, 30 * time.Hour},
		{100 * time.Hour, 0, 0, 0},
		{10 * time.Hour, 20 * time.Hour, 1, 0},
	}
	for _, c := range cases {
		if got := MTBF(c.service, c.down, c.faults); got != c.want {
			t.Errorf("MTBF(%v, %v, %d) = %v; want %v", c.service, c.down, c.faults, got, c.want)
		}
	}
}
