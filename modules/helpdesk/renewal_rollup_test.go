package helpdesk

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// renewalDirect is the renewal report as it was computed before the rollup:
// every asset read in full and one aggregate over all the assets' tickets.
// It is the oracle the rollup must agree with.
func (s *Service) renewalDirect(ctx context.Context, a actor.Actor, f RenewalFilter) ([]RenewalRow, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	now := s.now().UTC()
	r := s.db.R.WithContext(ctx)
	q := r.Model(&Asset{}).Where("state <> ?", AssetRetired)
	if f.QueueKey != "" {
		q = q.Where("queue_key = ?", f.QueueKey)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if f.DepartmentID != 0 {
		q = q.Where("department_id = ?", f.DepartmentID)
	}
	var list []Asset
	if err := q.Find(&list).Error; err != nil {
		return nil, err
	}
	var aggs []renewalAgg
	if err := s.renewalFaults(r, now.AddDate(-1, 0, 0), now).Scan(&aggs).Error; err != nil {
		return nil, err
	}
	byAsset := map[uint]renewalAgg{}
	for _, g := range aggs {
		byAsset[g.AssetID] = g
	}
	return rankRenewal(list, byAsset, calendar.DateOf(now, s.tz)), nil
}

// sameRenewal says how got differs from want, or "": the same assets in the
// same order, the same counts and costs, the hours and points the same but
// for the last bits of a float sum taken in another order.
func sameRenewal(got, want []RenewalRow) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows; want %d", len(got), len(want))
	}
	close := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	for i, g := range got {
		w := want[i]
		if g.Asset.ID != w.Asset.ID {
			// An order may differ only between scores equal but for the float noise.
			if !close(g.Score, w.Score) {
				return fmt.Sprintf("rank %d: %s (%.9f); want %s (%.9f)", i+1, g.Asset.Tag, g.Score, w.Asset.Tag, w.Score)
			}
			continue
		}
		if g.Rank != w.Rank || g.Asset.Tag != w.Asset.Tag || g.Asset.Price != w.Asset.Price || g.Asset.QueueKey != w.Asset.QueueKey ||
			g.Faults != w.Faults || g.RepairCost != w.RepairCost || !close(g.DowntimeHours, w.DowntimeHours) ||
			g.AgeMonths != w.AgeMonths || g.WarrantyEnded != w.WarrantyEnded || !close(g.CostShare, w.CostShare) ||
			!close(g.LifeShare, w.LifeShare) || !close(g.Score, w.Score) {
			return fmt.Sprintf("%s:\n%+v\nwant\n%+v", g.Asset.Tag, g, w)
		}
	}
	return ""
}

// TestRenewalRollupMatchesTickets walks the service at random over fourteen
// months (faults reported about assets, taken, worked with parts, resolved,
// closed, reopened, merged; planned maintenance tickets), moving the clock
// so the year's window slides over month ends, and checks that the report
// from the rollup is the one computed straight from the tickets, before and
// after a rebuild from scratch.
func TestRenewalRollupMatchesTickets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withCatalog(t, newFixture(t, d))
		ctx := context.Background()
		rnd := rand.New(rand.NewPCG(14, 12))
		must(t, d.W.Model(&Queue{}).Where("id = ?", f.maintQueue.ID).Update("lead_id", f.fac.ID).Error)
		f.clock = testNow.AddDate(-1, -2, 0)
		var assets []uint
		for i := range 8 {
			in := printer(fmt.Sprintf("NY-%d", i))
			in.Price = int64(50000 + rnd.IntN(4)*50000)
			if i == 7 {
				in = AssetInput{Tag: "KAZ-1", Type: "kazán", Building: "Városháza", QueueKey: QueueMaintenance, Price: 900000}
			}
			as, err := f.s.SaveAsset(ctx, f.it1, 0, in)
			must(t, err)
			assets = append(assets, as.ID)
		}
		_, err := f.s.SavePlan(ctx, f.fac, assets[7], 0, PlanInput{Title: "Kazán karbantartása", CategoryID: f.maintCat,
			EveryMonths: 1, NextDue: calendar.DateOf(f.clock, budapest).AddDays(3)})
		must(t, err)
		// check reads the report now and as it will be some days on, so the
		// window's first instant falls in either half of its month.
		check := func(step string) {
			t.Helper()
			was := f.clock
			defer func() { f.clock = was }()
			for _, later := range []int{0, 9, 16, 23} {
				f.clock = was.AddDate(0, 0, later)
				for _, flt := range []RenewalFilter{{}, {QueueKey: QueueMaintenance}} {
					got, err := f.s.Renewal(ctx, f.it1, flt)
					must(t, err)
					want, err := f.s.renewalDirect(ctx, f.it1, flt)
					must(t, err)
					if diff := sameRenewal(got, want); diff != "" {
						t.Fatalf("%s, at %s, filter %+v: %s", step, f.clock.Format(time.RFC3339), flt, diff)
					}
				}
			}
		}
		staff := []actor.Actor{f.it1, f.fac}
		var ids []uint
		faults, worked, resolved, merged, planned := 0, 0, 0, 0, 0
		for step := range 500 {
			f.clock = f.clock.Add(time.Duration(rnd.IntN(24*60)) * time.Minute)
			var id uint
			if len(ids) > 0 {
				id = ids[rnd.IntN(len(ids))]
			}
			switch k := rnd.IntN(12); {
			case k < 3 || id == 0:
				in := f.input()
				as := assets[rnd.IntN(len(assets))]
				if as == assets[7] {
					in.QueueKey, in.CategoryID = QueueMaintenance, f.maintCat
				}
				in.AssetID = &as
				tk, err := f.s.Report(ctx, f.emp, in)
				must(t, err)
				ids = append(ids, tk.ID)
				faults++
			case k == 3:
				for _, a := range staff {
					_ = f.s.Take(ctx, a, id)
				}
			case k == 4:
				for _, a := range staff {
					if _, err := f.s.AddWork(ctx, a, id, WorkInput{Text: "Alkatrész", Minutes: 10,
						Parts: []PartInput{{Name: "Görgő", Quantity: 1 + rnd.IntN(3), UnitCost: int64(1000 + rnd.IntN(20000))}}}); err == nil {
						worked++
					}
				}
			case k == 5 || k == 6:
				for _, a := range staff {
					if f.s.Resolve(ctx, a, id, ResolvedRepaired, "Kész.") == nil {
						resolved++
					}
				}
			case k == 7:
				for _, a := range staff {
					_ = f.s.ChangeState(ctx, a, id, StateClosed, "")
				}
			case k == 8:
				for _, a := range staff {
					_ = f.s.ChangeState(ctx, a, id, StateInProgress, "Mégsem jó.")
				}
			case k == 9:
				if len(ids) > 1 && f.s.Merge(ctx, f.it1, id, ids[rnd.IntN(len(ids))]) == nil {
					merged++
				}
			case k == 10:
				n, err := f.s.RunMaintenance(ctx)
				must(t, err)
				planned += n
			case k == 11:
				// Nothing changes; only the window moves on, past a month's end now and then.
				f.clock = f.clock.Add(time.Duration(rnd.IntN(20)) * 24 * time.Hour)
			}
			if step%25 == 24 {
				check(fmt.Sprintf("step %d", step))
			}
		}
		if faults < 80 || worked < 20 || resolved < 30 || merged < 3 || planned < 3 {
			t.Fatalf("the walk reported %d, worked %d, resolved %d, merged %d, planned %d; want a real mix", faults, worked, resolved, merged, planned)
		}
		check("the end")
		// Rows written straight into the tables: the rollup learns of them
		// by the rebuild (markNewRenewal for new tickets).
		must(t, d.W.Model(&Ticket{}).Where("id = ?", ids[0]).Update("parts_cost", 123456).Error)
		must(t, f.s.RebuildStats(ctx))
		check("after the rebuild")
		f.clock = f.clock.AddDate(0, 1, 3)
		check("a month later")
	})
}
