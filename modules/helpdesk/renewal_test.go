package helpdesk

import (
	"context"
	"errors"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestRenewalRanksTheWorstFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		dep := f.dept(t, "Pénzügy")
		// bad: bought four years ago with a 48-month life, warranty over,
		// eight faults this year (seven counted in the window), repairs
		// past half its price.
		bad := printer("BAD-1")
		bad.PurchasedOn, bad.WarrantyEnd, bad.LifeMonths, bad.Price = calendar.NewDate(2022, 3, 2), calendar.NewDate(2024, 3, 2), 48, 100000
		bad.DepartmentID = &dep.ID
		b, err := f.s.SaveAsset(ctx, f.it1, 0, bad)
		must(t, err)
		for i := range 7 {
			f.faultAt(t, f.emp, b.ID, testNow.AddDate(0, -1-i, 0), 20*time.Hour, 30, 10000)
		}
		f.faultAt(t, f.emp, b.ID, testNow.AddDate(-2, 0, 0), 5*time.Hour, 0, 5000) // before the window: cost only
		// fair: one short fault, young, under warranty.
		fair := printer("FAIR-1")
		fair.PurchasedOn, fair.WarrantyEnd, fair.LifeMonths, fair.Price = calendar.NewDate(2025, 3, 2), calendar.NewDate(2028, 3, 2), 60, 200000
		fr, err := f.s.SaveAsset(ctx, f.it1, 0, fair)
		must(t, err)
		f.faultAt(t, f.emp, fr.ID, testNow.AddDate(0, -2, 0), 8*time.Hour, 0, 20000)
		// unknown: nothing known about it, no faults.
		_, err = f.s.SaveAsset(ctx, f.it1, 0, AssetInput{Tag: "ANY-1", Type: "szék", QueueKey: QueueMaintenance})
		must(t, err)
		// retired: left out whatever its figures.
		old := bad
		old.Tag, old.State = "OLD-1", AssetRetired
		_, err = f.s.SaveAsset(ctx, f.it1, 0, old)
		must(t, err)

		// faultAt writes the figures straight into the tickets, past the
		// service's marks: the rollup is rebuilt as after any such write.
		must(t, f.s.RebuildStats(ctx))
		rows, err := f.s.Renewal(ctx, f.it1, RenewalFilter{})
		must(t, err)
		if len(rows) != 3 || rows[0].Asset.Tag != "BAD-1" || rows[1].Asset.Tag != "FAIR-1" || rows[2].Asset.Tag != "ANY-1" {
			t.Fatalf("ranking = %v; want BAD-1, FAIR-1, ANY-1 (the retired one left out)", tags(rows))
		}
		r := rows[0]
		// 7 faults (full 30), 140 h (full 20), 75 000 of 100 000 (15), 48 of 48 months (20), warranty over (10).
		if r.Faults != 7 || !near(r.DowntimeHours, 140) || r.RepairCost != 75000 || !near(r.CostShare, 0.75) ||
			r.AgeMonths != 48 || !near(r.LifeShare, 1) || !r.WarrantyEnded {
			t.Errorf("BAD-1 figures = %+v", r)
		}
		if !near(r.FaultPoints, 30) || !near(r.DowntimePoints, 20) || !near(r.CostPoints, 15) || !near(r.AgePoints, 20) ||
			!near(r.WarrantyPoints, 10) || !near(r.Score, 95) {
			t.Errorf("BAD-1 points = %.2f %.2f %.2f %.2f %.2f = %.2f; want 30 20 15 20 10 = 95",
				r.FaultPoints, r.DowntimePoints, r.CostPoints, r.AgePoints, r.WarrantyPoints, r.Score)
		}
		r = rows[1]
		// 1 fault (5), 8 h (2), 20 000 of 200 000 (2), 12 of 60 months (4), warranty on (0).
		if r.Faults != 1 || !near(r.Score, 13) || !near(r.FaultPoints, 5) || !near(r.DowntimePoints, 2) || !near(r.CostPoints, 2) ||
			!near(r.AgePoints, 4) || r.WarrantyEnded {
			t.Errorf("FAIR-1 = %+v; want 5+2+2+4+0 = 13", r)
		}
		if r := rows[2]; r.Score != 0 || r.CostShare != -1 || r.LifeShare != -1 || r.AgeMonths != -1 {
			t.Errorf("ANY-1 = %+v; want 0 with unknowns marked", r)
		}

		// Filters: queue, type, department.
		for _, c := range []struct {
			f    RenewalFilter
			want []string
		}{
			{RenewalFilter{QueueKey: QueueMaintenance}, []string{"ANY-1"}},
			{RenewalFilter{Type: "nyomtató"}, []string{"BAD-1", "FAIR-1"}},
			{RenewalFilter{DepartmentID: dep.ID}, []string{"BAD-1"}},
		} {
			rows, err := f.s.Renewal(ctx, f.fac, c.f)
			must(t, err)
			if got := tags(rows); len(got) != len(c.want) || got[0] != c.want[0] {
				t.Errorf("Renewal(%+v) = %v; want %v", c.f, got, c.want)
			}
		}
		if _, err := f.s.Renewal(ctx, f.emp, RenewalFilter{}); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee's renewal report: %v; want forbidden", err)
		}
	})
}

func tags(rows []RenewalRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Asset.Tag
	}
	return out
}
