package warehouse

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/people"
)

// demoSuppliers deliver each category.
var demoSuppliers = map[string]string{
	"paper": "Papír-Ker Kft.", "toner": "Tonerpont Zrt.", "office": "Irodaszer Centrum Kft.",
	"cleaning": "Higiénia Plusz Kft.", "hygiene": "Higiénia Plusz Kft.", "forms": "Nyomtatványellátó Kft.",
	"it": "Kábel-Bolt Bt.", "other": "Metro Kereskedelmi Kft.",
}

// demoEvent is one planned movement of the demo's ledger.
type demoEvent struct {
	at   time.Time
	item int // index into demoItems
	c    change
}

// demo stocks the store: the catalogue (demoItems) and, through the ledger's
// own post, a balance for every item. With the history it is a year of
// deliveries, hand-overs to the departments, a few returns and write-offs;
// a few items end at or below their reorder level, so the low-stock list and
// its alert have something to show. Every row goes through post, so Verify
// finds the caches equal to the ledger.
func (m *Module) demo(ctx context.Context, o demo.Options) error {
	s := m.svc
	if m.deps.People == nil {
		return nil
	}
	keeper, err := m.deps.People.ByUsername(ctx, "storekeeper")
	if err != nil {
		return err
	}
	a := keeper.Actor()
	var depts []uint
	if err := s.db.W.WithContext(ctx).Model(&people.Department{}).Order("id").Pluck("id", &depts).Error; err != nil {
		return err
	}
	if len(depts) == 0 {
		return nil
	}
	now := s.now()
	ids := make([]uint, len(demoItems))
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		for i, d := range demoItems {
			it := Item{Code: d.code, NameHU: d.hu, NameEN: d.en, Category: d.cat, Unit: d.unit, Location: d.shelf,
				ReorderLevel: QtyOf(d.level), UnitPrice: d.price, Active: true,
				CreatedAt: now.AddDate(-1, 0, -7), UpdatedAt: now.AddDate(-1, 0, -7)}
			if err := tx.Create(&it).Error; err != nil {
				return err
			}
			ids[i] = it.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(15, uint64(now.Year())))
	var events []demoEvent
	for i, d := range demoItems {
		events = append(events, demoPlan(rng, i, ids[i], d, depts, now, o.History)...)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
	return m.demoRequests(ctx, o, a, events) // posts the ledger, with the requests its issues served
}

// demoLow says whether the demo item i ends at or below its reorder level.
func demoLow(i int) bool { return i%23 == 5 }

// demoPlan is item i's movements: without the history one delivery a week
// ago; with it a year, week by week, refilled whenever it fell to its level.
func demoPlan(rng *rand.Rand, i int, id uint, d demoItem, depts []uint, now time.Time, history bool) []demoEvent {
	unit := QtyOf(1)
	receipt := func(at time.Time, q Qty) demoEvent {
		return demoEvent{at: at, item: i, c: change{active: true, mv: Movement{ItemID: id, Kind: KindReceipt, Quantity: q,
			Supplier: demoSuppliers[d.cat], DeliveryNote: fmt.Sprintf("SZL-%d/%05d", at.Year(), 100+rng.IntN(9000))}}}
	}
	issue := func(at time.Time, q Qty) demoEvent {
		dept := depts[rng.IntN(len(depts))]
		return demoEvent{at: at, item: i, c: change{department: true, mv: Movement{ItemID: id, Kind: KindIssue, Quantity: -q, DepartmentID: &dept}}}
	}
	level := QtyOf(d.level)
	full := QtyOf(2*d.level + 3*d.weekly + 1)
	if !history {
		q := full
		if demoLow(i) {
			q = max(level-unit, unit)
		}
		return []demoEvent{receipt(workHour(now.AddDate(0, 0, -7), 8), q)}
	}
	start := now.AddDate(-1, 0, -3)
	var out []demoEvent
	out = append(out, receipt(workHour(start, 8), full))
	bal := full
	for w := 0; w < 52; w++ {
		week := start.AddDate(0, 0, 7*w+3)
		last := w >= 46 && demoLow(i)
		if bal <= level && !last {
			q := full - bal
			out = append(out, receipt(workHour(week, 8), q))
			bal += q
		}
		n := 0
		switch {
		case d.weekly >= 6:
			n = 2 + rng.IntN(3)
		case d.weekly > 0:
			n = 1 + rng.IntN(2)
		case rng.IntN(6) == 0:
			n = 1
		}
		var ats []time.Time
		for k := 0; k < n; k++ {
			ats = append(ats, workHour(week.AddDate(0, 0, rng.IntN(5)), 9+rng.IntN(6), rng.IntN(60)))
		}
		sort.Slice(ats, func(a, b int) bool { return ats[a].Before(ats[b]) })
		for _, at := range ats {
			per := max(d.weekly, 1)
			q := QtyOf(max(1, per/int64(max(n, 1))+int64(rng.IntN(int(per/2)+1))-per/4))
			if q > bal {
				continue
			}
			out = append(out, issue(at, q))
			bal -= q
			if rng.IntN(60) == 0 && q >= unit {
				dept := *out[len(out)-1].c.mv.DepartmentID
				out = append(out, demoEvent{at: at.Add(26 * time.Hour), item: i, c: change{department: true, mv: Movement{
					ItemID: id, Kind: KindReturn, Quantity: unit, DepartmentID: &dept, Reason: "Feleslegesen igényelt"}}})
				bal += unit
			}
		}
		if w == 30 && bal > unit && rng.IntN(12) == 0 {
			out = append(out, demoEvent{at: workHour(week.AddDate(0, 0, 4), 14), item: i, c: change{mv: Movement{
				ItemID: id, Kind: KindWriteOff, Quantity: -unit, Reason: "Sérült csomagolás, beázott a raktárban"}}})
			bal -= unit
		}
	}
	// The state the demo promises: the chosen few low, every other item above its level.
	end := now.Add(-20 * time.Hour)
	switch {
	case demoLow(i) && bal > level:
		out = append(out, issue(end, bal-level+unit*Qty(rng.IntN(2))))
	case !demoLow(i) && bal <= level:
		out = append(out, receipt(end, full-bal))
	}
	return out
}

// workHour is t's day at hour, moved back to Friday from a weekend.
func workHour(t time.Time, hour int, minute ...int) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, -1)
	case time.Sunday:
		t = t.AddDate(0, 0, -2)
	}
	m := 10 + t.Day()%40
	if len(minute) > 0 {
		m = minute[0] % 60
	}
	return time.Date(t.Year(), t.Month(), t.Day(), hour, m, 0, 0, time.UTC)
}

// postDemo posts the events in time order, a few hundred a transaction,
// each stamped with its own time (the demo runs before the jobs start).
func (m *Module) postDemo(ctx context.Context, a actor.Actor, events []demoEvent) error {
	s := m.svc
	st, err := s.prepare(ctx)
	if err != nil {
		return err
	}
	clock := s.now
	defer func() { s.now = clock }()
	for from := 0; from < len(events); from += 500 {
		batch := events[from:min(from+500, len(events))]
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			for _, ev := range batch {
				at := ev.at
				s.now = func() time.Time { return at }
				if _, err := s.post(tx, st, a, ev.c); err != nil {
					return fmt.Errorf("%s %s: %w", demoItems[ev.item].code, ev.c.mv.Kind, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
