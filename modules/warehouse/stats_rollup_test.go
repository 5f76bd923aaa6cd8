package warehouse

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/stats"
)

// StatsDirect is Stats read straight from the ledger, without the rollup:
// the oracle of the rollup's test and the benchmark's baseline.
func StatsDirect(s *Service, ctx context.Context, a actor.Actor, p stats.Period) (*Stats, error) {
	return s.stats(ctx, a, p, false)
}

// sameStats says how got differs from want, or "": every figure equal, the
// days out of stock but for the last bits of a float sum.
func sameStats(got, want *Stats) string {
	if got.Total != want.Total || got.Flow != want.Flow || got.Monthly != want.Monthly {
		return fmt.Sprintf("total %+v flow %+v; want %+v %+v", got.Total, got.Flow, want.Total, want.Flow)
	}
	if !reflect.DeepEqual(got.Buckets, want.Buckets) {
		return fmt.Sprintf("buckets\n%+v\nwant\n%+v", got.Buckets, want.Buckets)
	}
	if !reflect.DeepEqual(got.Depts, want.Depts) || !reflect.DeepEqual(got.Cats, want.Cats) {
		return fmt.Sprintf("departments %+v categories %+v; want %+v %+v", got.Depts, got.Cats, want.Depts, want.Cats)
	}
	if len(got.Items) != len(want.Items) {
		return fmt.Sprintf("%d items; want %d", len(got.Items), len(want.Items))
	}
	for i := range got.Items {
		if got.Items[i].Item.ID != want.Items[i].Item.ID || got.Items[i].Use != want.Items[i].Use {
			return fmt.Sprintf("item %d: %s %+v; want %s %+v", i, got.Items[i].Item.Code, got.Items[i].Use, want.Items[i].Item.Code, want.Items[i].Use)
		}
	}
	for _, d := range []struct {
		name      string
		got, want stats.Dist
	}{{"to decision", got.ToDecision, want.ToDecision}, {"to handover", got.ToHandover, want.ToHandover}, {"lead", got.LeadTotal, want.LeadTotal}} {
		if !maps.Equal(d.got, d.want) {
			return fmt.Sprintf("%s %v; want %v", d.name, d.got, d.want)
		}
	}
	out := map[uint]Outage{}
	for _, o := range want.Outages {
		out[o.Item.ID] = o
	}
	if len(got.Outages) != len(want.Outages) {
		return fmt.Sprintf("%d outages; want %d", len(got.Outages), len(want.Outages))
	}
	for _, o := range got.Outages {
		w, ok := out[o.Item.ID]
		if !ok || o.Times != w.Times || o.Now != w.Now || math.Abs(o.Days-w.Days) > 1e-9 {
			return fmt.Sprintf("outage of %s %+v; want %+v", o.Item.Code, o, w)
		}
	}
	return ""
}

// TestStatsRollupMatchesLedger walks the store at random over fourteen
// months (requests submitted, approved in full or for less, rejected,
// cancelled, handed over and confirmed; receipts, issues at the counter,
// returns, write-offs and counts, on four items one of them measured in
// litres), moving the clock over month ends, and checks that the figures
// read with the rollup are those computed from the ledger and the requests
// alone, for the year, the last 365 days, a range ending mid-month, this
// month and a week; then after rows were written back-dated straight into
// a closed month, as the demo and a seed do.
func TestStatsRollupMatchesLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(15, 12))
		clock := testNow.AddDate(-1, -2, 0)
		f.s.SetClock(func() time.Time { return clock })
		items := []*Item{f.item(t, "PAP-A4-80", "rizsma", QtyOf(40)), f.item(t, "TON-HP-12A", "db", QtyOf(3)),
			f.item(t, "TIS-SZAPPAN", "l", 7500), f.item(t, "TOL-KEK", "db", QtyOf(2))}
		must(t, d.W.Model(&Item{}).Where("id = ?", items[1].ID).Update("unit_price", 18990).Error)
		must(t, d.W.Model(&Item{}).Where("id = ?", items[2].ID).Update("unit_price", 1333).Error)
		depts := []uint{f.dept, f.dept2}
		check := func(step string) {
			t.Helper()
			today := calendar.DateOf(clock, f.s.tz())
			periods := []stats.Period{stats.PeriodOf(stats.Year, today), stats.PeriodOf(stats.Year, today.AddDays(-365)),
				stats.RangeOf(today.AddDays(-364), today), stats.RangeOf(today.AddDays(-200), today.AddDays(-40)),
				stats.PeriodOf(stats.Month, today), stats.PeriodOf(stats.Week, today)}
			for _, p := range periods {
				got, err := f.s.Stats(ctx, f.keeper, p)
				must(t, err)
				want, err := StatsDirect(f.s, ctx, f.keeper, p)
				must(t, err)
				if diff := sameStats(got, want); diff != "" {
					t.Fatalf("%s, at %s, %s %s–%s: %s", step, clock.Format(time.RFC3339), p.Kind, p.From, p.Last(), diff)
				}
			}
		}
		var reqs []*Request
		for step := range 400 {
			clock = clock.Add(time.Duration(rng.IntN(36*60)) * time.Minute)
			it := items[rng.IntN(len(items))]
			dept := depts[rng.IntN(len(depts))]
			qty := QtyOf(int64(1 + rng.IntN(3)))
			if it.Unit == "l" {
				qty = Qty(250 + rng.IntN(2000))
			}
			var err error
			switch op := rng.IntN(12); {
			case op < 2 || len(reqs) == 0:
				var lines []LineInput
				for _, i := range rng.Perm(len(items))[:1+rng.IntN(2)] {
					lines = append(lines, LineInput{ItemID: items[i].ID, Quantity: strconv.Itoa(1 + rng.IntN(3))})
				}
				r, e := f.s.SubmitRequest(ctx, f.emp, RequestInput{DepartmentID: dept, Purpose: "Ügyfélszolgálat",
					NeededBy: calendar.DateOf(clock, f.s.tz()).AddDays(7), Lines: lines})
				must(t, e)
				reqs = append(reqs, r)
			case op == 2:
				r := reqs[rng.IntN(len(reqs))]
				var less []LineDecision
				for _, l := range f.detail(t, r.ID).Lines {
					if rng.IntN(3) == 0 {
						less = append(less, LineDecision{LineID: l.ID, Quantity: strconv.FormatInt(int64(l.Requested/QtyScale)/2, 10), Reason: "kevesebb"})
					}
				}
				_, err = f.s.ApproveLines(ctx, f.boss, r.ID, less, "")
				if errors.Is(err, ErrNotPending) || errors.Is(err, ErrNothingApproved) {
					err = nil
				}
			case op == 3:
				r := reqs[len(reqs)-1]
				_, err = f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: *r.ApprovalID, Approve: rng.IntN(3) > 0, Comment: "A keret elfogyott."})
				if errors.Is(err, approval.ErrDecided) {
					err = nil
				}
			case op == 4:
				if _, err = f.s.CancelRequest(ctx, f.emp, reqs[rng.IntN(len(reqs))].ID); errors.Is(err, ErrNotCancellable) {
					err = nil
				}
			case op == 5:
				r := reqs[rng.IntN(len(reqs))]
				for _, step := range []func(context.Context, actor.Actor, uint) error{f.s.MarkReady, f.s.HandOver} {
					if e := step(ctx, f.keeper, r.ID); e != nil && !errors.Is(e, ErrNothingReady) {
						err = e
					}
				}
				if e := f.s.ConfirmRequest(ctx, f.emp, r.ID); rng.IntN(2) == 0 && e == nil {
					err = nil
				}
			case op == 6:
				_, err = f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: qty * 3, Supplier: "Irodaszer Kft.", DeliveryNote: "SZL-" + strconv.Itoa(step)})
			case op == 7 || op == 8:
				_, err = f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: qty, DepartmentID: dept})
			case op == 9:
				_, err = f.s.Return(ctx, f.keeper, Return{ItemID: it.ID, Quantity: qty, DepartmentID: dept, Reason: "Nem kellett"})
			case op == 10:
				if rng.IntN(2) == 0 {
					_, err = f.s.WriteOff(ctx, f.keeper, WriteOff{ItemID: it.ID, Quantity: qty, Reason: "Sérült"})
				} else {
					cur := f.load(t, it.ID)
					if counted := max(cur.Reserved, cur.OnHand-QtyOf(1)); counted != cur.OnHand {
						_, err = f.s.Adjust(ctx, f.keeper, Count{ItemID: it.ID, Counted: counted, Expected: cur.OnHand, Reason: "Leltár"})
					}
				}
			default: // only the time passes, now and then over a month's end
				clock = clock.Add(time.Duration(rng.IntN(12)) * 24 * time.Hour)
			}
			var short *ShortError
			if err != nil && !errors.As(err, &short) {
				t.Fatalf("step %d: %v", step, err)
			}
			if step%40 == 39 {
				check(fmt.Sprintf("step %d", step))
			}
		}
		f.checkLedger(t)
		var kinds []struct {
			Kind string
			N    int
		}
		must(t, d.W.Model(&Movement{}).Select("kind, COUNT(*) AS n").Group("kind").Scan(&kinds).Error)
		seen := map[string]int{}
		for _, k := range kinds {
			seen[k.Kind] = k.N
		}
		for _, k := range Kinds {
			if seen[k] == 0 {
				t.Errorf("the walk wrote no %s rows (%v); want every kind", k, seen)
			}
		}
		var stored, cells int64
		d.W.Model(&statsRequest{}).Count(&stored)
		d.W.Model(&statsCell{}).Count(&cells)
		if stored == 0 || cells == 0 {
			t.Errorf("the rollup holds %d request summaries and %d cells; want some of each", stored, cells)
		}
		check("the end")

		// This month's stock value is the shelf's worth now; a month still
		// to come has none.
		st, err := f.s.Stats(ctx, f.keeper, stats.PeriodOf(stats.Year, calendar.DateOf(clock, f.s.tz())))
		must(t, err)
		var worth int64
		for _, it := range items {
			cur := f.load(t, it.ID)
			worth += int64(cur.OnHand) * cur.UnitPrice
		}
		for _, b := range st.Buckets {
			switch {
			case b.Now && b.Value != forints(worth):
				t.Errorf("this month (%s) is worth %d; the shelf now %d", b.From, b.Value, forints(worth))
			case b.Future && b.Value != 0:
				t.Errorf("%s, still to come, is worth %d; want none", b.From, b.Value)
			}
		}

		// A row written back-dated into a closed month, as a seed writes:
		// the rollup builds that month again.
		back := clock.AddDate(0, -3, 0)
		must(t, d.W.Exec(`INSERT INTO warehouse_movements (item_id, kind, quantity, reserved, on_hand_after, reserved_after,
			department_id, supplier, delivery_note, reason, created_at) VALUES (?, ?, ?, 0, ?, 0, ?, '', '', '', ?)`,
			items[0].ID, KindIssue, -QtyOf(2), f.load(t, items[0].ID).OnHand, f.dept2, back).Error)
		check("after a back-dated row")
		clock = clock.AddDate(0, 1, 2)
		check("a month later")
	})
}
