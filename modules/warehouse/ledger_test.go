package warehouse

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/errs"
)

// Fifty people taking the last units at once: half reserve, half are handed
// the stock at the counter, three units each out of 100. Exactly 33 win, the
// shelf never gives more than it holds, and each of the 17 losers is told
// "only 1 left", which is what was left when they lost.
func TestLastUnitsAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		it := f.item(t, "TON-HP-12A", "db", QtyOf(100))
		const n = 50
		var wg sync.WaitGroup
		results := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if i%2 == 0 {
					_, results[i] = f.s.Reserve(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: QtyOf(3), DepartmentID: f.dept})
				} else {
					_, results[i] = f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: QtyOf(3), DepartmentID: f.dept})
				}
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range results {
			var se *ShortError
			switch {
			case err == nil:
				won++
			case errors.As(err, &se):
				if se.Left != QtyOf(1) || se.Reserved || !errors.Is(err, ErrShort) || !errors.Is(err, errs.Conflict) {
					t.Errorf("loser %d: %v (left %v); want only 1 left, a conflict", i, err, se.Left)
				}
			default:
				t.Errorf("client %d: %v; want nil or ShortError", i, err)
			}
		}
		if won != 33 {
			t.Errorf("%d clients got stock; want 33 (3 each of 100)", won)
		}
		got := f.load(t, it.ID)
		onHand, reserved := f.sums(t, it.ID)
		if got.OnHand != onHand || got.Reserved != reserved || got.Available() != QtyOf(1) || got.Reserved > got.OnHand {
			t.Errorf("item on hand %v reserved %v, ledger %v/%v; want the ledger's sums and 1 left", got.OnHand, got.Reserved, onHand, reserved)
		}
		if m := f.count(t, &Movement{}); m != 1+33 {
			t.Errorf("%d ledger rows; want the receipt and 33", m)
		}
		if drift, err := f.s.Verify(ctx); err != nil || len(drift) != 0 {
			t.Errorf("Verify = %v, %v; want no drift", drift, err)
		}
	})
}

// Handing over reserved stock at once: 10 units reserved, 50 handovers of
// one unit each; 10 succeed, the rest are told nothing more is reserved, and
// the shelf keeps what was not reserved.
func TestReservedHandoversAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		it := f.item(t, "PAP-A4", "rizsma", QtyOf(30))
		_, err := f.s.Reserve(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: QtyOf(10)})
		must(t, err)
		const n = 50
		var wg sync.WaitGroup
		results := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: QtyOf(1), DepartmentID: f.dept, FromReserved: true})
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range results {
			var se *ShortError
			switch {
			case err == nil:
				won++
			case errors.As(err, &se) && se.Reserved && se.Left == 0 && errors.Is(err, ErrNotReserved):
			default:
				t.Errorf("handover %d: %v; want nil or only 0 reserved", i, err)
			}
		}
		got := f.load(t, it.ID)
		if won != 10 || got.OnHand != QtyOf(20) || got.Reserved != 0 {
			t.Errorf("%d handovers, on hand %v, reserved %v; want 10, 20, 0", won, got.OnHand, got.Reserved)
		}
	})
}

// stockModel is the test's own account of an item, against which the
// service's cache and ledger are checked after every step.
type stockModel struct {
	onHand, reserved Qty
	active           bool
	unit             Unit
}

// op is one step of the property test: what it does to the service, and
// what the model says must come of it (nil: refused with want).
type op struct {
	name string
	do   func() (*Movement, error)
	// apply is the model's change when the step is allowed; want the error
	// it must be refused with otherwise (and left, a ShortError's Left).
	apply func()
	want  error
	also  error // a second error the refusal names (a fraction of a retired item)
	left  Qty
}

// A randomised sequence of every movement, many of them refused, on three
// items (whole units, kilograms, one retired and brought back): after each
// step the cached on hand and reserved equal both the ledger's sums and the
// model's, a refused step leaves no ledger or audit row, and each ledger row
// carries the balance it left. Verify then finds nothing, and finds an item
// whose cache is corrupted by hand.
func TestLedgerProperty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 15))
		items := []*Item{f.item(t, "BOR-C5", "db", 0), f.item(t, "TIS-PADLO", "kg", 0), f.item(t, "NYOMT-ADO", "csomag", 0)}
		model := map[uint]*stockModel{}
		for _, it := range items {
			model[it.ID] = &stockModel{active: true, unit: it.UnitInfo()}
		}
		// qty is mostly a sensible amount in the item's unit, sometimes one
		// that must be refused: zero, negative, a fraction of a whole unit,
		// absurdly large.
		qty := func(m *stockModel) Qty {
			switch r := rng.IntN(20); {
			case r == 0:
				return 0
			case r == 1:
				return -QtyOf(int64(1 + rng.IntN(5)))
			case r == 2:
				return MaxQty + 1
			case r == 3:
				return QtyOf(int64(rng.IntN(4))) + 500 // x.5
			}
			if m.unit.Whole {
				return QtyOf(int64(1 + rng.IntN(12)))
			}
			return Qty(1 + rng.IntN(12_000)) // up to 12 kg, to the gram
		}
		// badQty is the error a quantity itself must be refused with, if any.
		badQty := func(q Qty, m *stockModel) error {
			switch {
			case q <= 0:
				return ErrQuantity
			case q > MaxQty:
				return ErrTooMuch
			case m.unit.Whole && q%QtyScale != 0:
				return ErrFraction
			}
			return nil
		}
		var lastMovements, lastAudit int64
		lastMovements, lastAudit = f.count(t, &Movement{}), f.count(t, &audit.Entry{})
		for step := range 400 {
			it := items[rng.IntN(len(items))]
			m := model[it.ID]
			q := qty(m)
			avail := m.onHand - m.reserved
			var o op
			switch rng.IntN(8) {
			case 0:
				o = op{name: "receive", do: func() (*Movement, error) {
					return f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: q, Supplier: "Papír Zrt.", DeliveryNote: fmt.Sprint("SZL-", step)})
				}, apply: func() { m.onHand += q }}
				if o.want = badQty(q, m); !m.active && (o.want == nil || o.want == ErrFraction) {
					o.want, o.also = ErrInactive, o.want
				}
			case 1:
				o = op{name: "reserve", do: func() (*Movement, error) {
					return f.s.Reserve(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: q, DepartmentID: f.dept2})
				}, apply: func() { m.reserved += q }}
				switch o.want = badQty(q, m); {
				case !m.active && (o.want == nil || o.want == ErrFraction):
					o.want, o.also = ErrInactive, o.want
				case o.want != nil:
				case avail < q:
					o.want, o.left = ErrShort, avail
				}
			case 2:
				o = op{name: "issue", do: func() (*Movement, error) {
					return f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: q, DepartmentID: f.dept})
				}, apply: func() { m.onHand -= q }}
				if o.want = badQty(q, m); o.want == nil && avail < q {
					o.want, o.left = ErrShort, avail
				}
			case 3:
				o = op{name: "issue reserved", do: func() (*Movement, error) {
					return f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: q, DepartmentID: f.dept, FromReserved: true})
				}, apply: func() { m.onHand -= q; m.reserved -= q }}
				if o.want = badQty(q, m); o.want == nil && m.reserved < q {
					o.want, o.left = ErrNotReserved, m.reserved
				}
			case 4:
				o = op{name: "return", do: func() (*Movement, error) {
					return f.s.Return(ctx, f.keeper, Return{ItemID: it.ID, Quantity: q, DepartmentID: f.dept})
				}, apply: func() { m.onHand += q }, want: badQty(q, m)}
			case 5:
				o = op{name: "release", do: func() (*Movement, error) {
					return f.s.Release(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: q})
				}, apply: func() { m.reserved -= q }}
				if o.want = badQty(q, m); o.want == nil && m.reserved < q {
					o.want, o.left = ErrNotReserved, m.reserved
				}
			case 6:
				o = op{name: "write off", do: func() (*Movement, error) {
					return f.s.WriteOff(ctx, f.keeper, WriteOff{ItemID: it.ID, Quantity: q, Reason: "beázás"})
				}, apply: func() { m.onHand -= q }}
				if o.want = badQty(q, m); o.want == nil && avail < q {
					o.want, o.left = ErrShort, avail
				}
			case 7:
				// A count: mostly against the current stock, sometimes
				// against a stale one; the counted figure around it.
				expected := m.onHand
				stale := rng.IntN(6) == 0
				if stale {
					expected += QtyOf(1)
				}
				counted := m.onHand + QtyOf(int64(rng.IntN(7)-3))
				if !m.unit.Whole {
					counted = m.onHand + Qty(rng.IntN(6001)-3000)
				}
				if counted < 0 {
					counted = 0
				}
				o = op{name: "count", do: func() (*Movement, error) {
					return f.s.Adjust(ctx, f.keeper, Count{ItemID: it.ID, Expected: expected, Counted: counted, Reason: "leltár"})
				}, apply: func() { m.onHand = counted }}
				switch {
				case counted == expected:
					o.want = ErrNoDifference
				case stale:
					o.want = ErrStale
				case counted < m.reserved:
					o.want = ErrBelowReserve
				}
			}
			// Now and then the third item is retired, or brought back.
			if rng.IntN(25) == 0 {
				third := items[2]
				model[third.ID].active = !model[third.ID].active
				in := ItemInput{Code: third.Code, NameHU: third.NameHU, Category: third.Category, Unit: third.Unit, Active: model[third.ID].active}
				_, err := f.s.UpdateItem(ctx, f.keeper, third.ID, in)
				must(t, err)
				lastAudit++
				if it == third {
					continue // the op above was judged on the old state
				}
			}
			mv, err := o.do()
			if o.want == nil {
				if err != nil {
					t.Fatalf("step %d %s %v of %s: %v; want it done", step, o.name, q, it.Code, err)
				}
				o.apply()
				if mv.OnHandAfter != m.onHand || mv.ReservedAfter != m.reserved {
					t.Fatalf("step %d %s: ledger row says %v/%v after; want %v/%v", step, o.name, mv.OnHandAfter, mv.ReservedAfter, m.onHand, m.reserved)
				}
				lastMovements++
				lastAudit++
			} else {
				var se *ShortError
				if !errors.Is(err, o.want) || (o.also != nil && !errors.Is(err, o.also)) {
					t.Fatalf("step %d %s %v of %s (model %v/%v): %v; want %v (and %v)", step, o.name, q, it.Code, m.onHand, m.reserved, err, o.want, o.also)
				}
				if errors.As(err, &se) && se.Left != o.left {
					t.Fatalf("step %d %s: left %v; want %v", step, o.name, se.Left, o.left)
				}
			}
			for _, x := range items {
				got, want := f.load(t, x.ID), model[x.ID]
				onHand, reserved := f.sums(t, x.ID)
				if got.OnHand != want.onHand || got.Reserved != want.reserved || onHand != want.onHand || reserved != want.reserved {
					t.Fatalf("step %d %s: %s cached %v/%v, ledger %v/%v; model %v/%v",
						step, o.name, x.Code, got.OnHand, got.Reserved, onHand, reserved, want.onHand, want.reserved)
				}
			}
			if mvs, aud := f.count(t, &Movement{}), f.count(t, &audit.Entry{}); mvs != lastMovements || aud != lastAudit {
				t.Fatalf("step %d %s: %d ledger and %d audit rows; want %d and %d", step, o.name, mvs, aud, lastMovements, lastAudit)
			}
		}
		t.Logf("%d ledger rows", lastMovements)
		if drift, err := f.s.Verify(ctx); err != nil || len(drift) != 0 {
			t.Fatalf("Verify = %v, %v; want no drift", drift, err)
		}
		// A cache changed behind the ledger's back is found, with both figures.
		bad := items[1]
		must(t, d.W.Exec("UPDATE warehouse_items SET on_hand = on_hand + 1000 WHERE id = ?", bad.ID).Error)
		drift, err := f.s.Verify(ctx)
		must(t, err)
		want := model[bad.ID]
		if len(drift) != 1 || drift[0].ItemID != bad.ID || drift[0].Code != bad.Code ||
			drift[0].OnHand != want.onHand+QtyOf(1) || drift[0].LedgerOnHand != want.onHand || drift[0].Reserved != want.reserved || drift[0].LedgerReserved != want.reserved {
			t.Errorf("Verify after corrupting %s = %+v; want that item, cached %v, ledger %v", bad.Code, drift, want.onHand+QtyOf(1), want.onHand)
		}
	})
}

// The running balance of the ledger: in id order, each row's after columns
// are the sums up to it, also for an item moved from many goroutines.
func TestRunningBalance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		it := f.item(t, "TOLL-KEK", "db", QtyOf(40))
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				switch i % 3 {
				case 0:
					_, err = f.s.Reserve(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: QtyOf(2)})
				case 1:
					_, err = f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: QtyOf(1), DepartmentID: f.dept})
				default:
					_, err = f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: QtyOf(3), Supplier: "X Kft.", DeliveryNote: "1"})
				}
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var rows []Movement
		must(t, d.W.Where("item_id = ?", it.ID).Order("id").Find(&rows).Error)
		var onHand, reserved Qty
		for _, r := range rows {
			onHand, reserved = onHand+r.Quantity, reserved+r.Reserved
			if r.OnHandAfter != onHand || r.ReservedAfter != reserved {
				t.Errorf("row %d (%s) says %v/%v after; the sums to it are %v/%v", r.ID, r.Kind, r.OnHandAfter, r.ReservedAfter, onHand, reserved)
			}
		}
	})
}

// Bad input is refused with a clear error, and nothing changes: no ledger
// row, no audit row, the same stock.
func TestBadMovements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		box := f.item(t, "GEM-28", "doboz", QtyOf(10))
		soap := f.item(t, "SZAPPAN", "l", QtyOf(4))
		old := f.item(t, "FAX-TEKERCS", "tekercs", QtyOf(6))
		_, err := f.s.UpdateItem(ctx, f.keeper, old.ID, ItemInput{Code: old.Code, NameHU: old.NameHU, Category: "office", Unit: old.Unit, Active: false})
		must(t, err)
		_, err = f.s.Reserve(ctx, f.keeper, Reservation{ItemID: box.ID, Quantity: QtyOf(4)})
		must(t, err)
		receipt := func(id uint, q Qty) func() error {
			return func() error {
				_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: id, Quantity: q, Supplier: "Irodaszer Kft.", DeliveryNote: "SZL-9"})
				return err
			}
		}
		cases := []struct {
			name string
			do   func() error
			want []error
		}{
			{"zero", receipt(box.ID, 0), []error{ErrQuantity}},
			{"negative", receipt(box.ID, -QtyOf(3)), []error{ErrQuantity}},
			{"absurd", receipt(box.ID, MaxQty+1), []error{ErrTooMuch}},
			{"half a box", receipt(box.ID, 1500), []error{ErrFraction}},
			{"unknown item", receipt(999999, QtyOf(1)), []error{ErrNotFound}},
			{"retired item: no new stock", receipt(old.ID, QtyOf(1)), []error{ErrInactive}},
			{"retired item: no new promise", func() error {
				_, err := f.s.Reserve(ctx, f.keeper, Reservation{ItemID: old.ID, Quantity: QtyOf(1)})
				return err
			}, []error{ErrInactive}},
			{"receipt without supplier or note", func() error {
				_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: box.ID, Quantity: QtyOf(1), Supplier: "  "})
				return err
			}, []error{ErrSupplier, ErrDeliveryNote}},
			{"control characters", func() error {
				_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: box.ID, Quantity: QtyOf(1), Supplier: "A\x00B", DeliveryNote: "1"})
				return err
			}, []error{ErrText}},
			{"issue without department", func() error {
				_, err := f.s.Issue(ctx, f.keeper, Issue{ItemID: box.ID, Quantity: QtyOf(1)})
				return err
			}, []error{ErrDepartment}},
			{"issue to an unknown department", func() error {
				_, err := f.s.Issue(ctx, f.keeper, Issue{ItemID: box.ID, Quantity: QtyOf(1), DepartmentID: 424242})
				return err
			}, []error{ErrDepartment}},
			{"issue more than available (4 of 10 reserved)", func() error {
				_, err := f.s.Issue(ctx, f.keeper, Issue{ItemID: box.ID, Quantity: QtyOf(7), DepartmentID: f.dept})
				return err
			}, []error{ErrShort}},
			{"release more than reserved", func() error {
				_, err := f.s.Release(ctx, f.keeper, Reservation{ItemID: box.ID, Quantity: QtyOf(5)})
				return err
			}, []error{ErrNotReserved}},
			{"write-off without reason", func() error {
				_, err := f.s.WriteOff(ctx, f.keeper, WriteOff{ItemID: soap.ID, Quantity: QtyOf(1)})
				return err
			}, []error{ErrReason}},
			{"write-off of reserved stock", func() error {
				_, err := f.s.WriteOff(ctx, f.keeper, WriteOff{ItemID: box.ID, Quantity: QtyOf(7), Reason: "törött"})
				return err
			}, []error{ErrShort}},
			{"count of a changed stock", func() error {
				_, err := f.s.Adjust(ctx, f.keeper, Count{ItemID: soap.ID, Expected: QtyOf(5), Counted: QtyOf(3), Reason: "leltár"})
				return err
			}, []error{ErrStale}},
			{"count below the reserved", func() error {
				_, err := f.s.Adjust(ctx, f.keeper, Count{ItemID: box.ID, Expected: QtyOf(10), Counted: QtyOf(3), Reason: "leltár"})
				return err
			}, []error{ErrBelowReserve}},
			{"count with no difference", func() error {
				_, err := f.s.Adjust(ctx, f.keeper, Count{ItemID: box.ID, Expected: QtyOf(10), Counted: QtyOf(10), Reason: "leltár"})
				return err
			}, []error{ErrNoDifference}},
			{"count in half boxes", func() error {
				_, err := f.s.Adjust(ctx, f.keeper, Count{ItemID: box.ID, Expected: QtyOf(10), Counted: 9500, Reason: "leltár"})
				return err
			}, []error{ErrFraction}},
			{"negative count without reason", func() error {
				_, err := f.s.Adjust(ctx, f.keeper, Count{ItemID: box.ID, Expected: QtyOf(10), Counted: -QtyOf(1)})
				return err
			}, []error{ErrQuantity, ErrReason}},
			{"an employee", func() error {
				_, err := f.s.Issue(ctx, f.emp, Issue{ItemID: box.ID, Quantity: QtyOf(1), DepartmentID: f.dept})
				return err
			}, []error{ErrForbidden}},
			{"an administrator", func() error {
				_, err := f.s.Reserve(ctx, f.admin, Reservation{ItemID: box.ID, Quantity: QtyOf(1)})
				return err
			}, []error{ErrForbidden}},
			{"the system", func() error {
				_, err := f.s.Receive(ctx, actor.System(), Receipt{ItemID: box.ID, Quantity: QtyOf(1), Supplier: "X", DeliveryNote: "1"})
				return err
			}, []error{ErrForbidden}},
		}
		snapshot := func() string {
			var items []Item
			must(t, d.W.Order("id").Find(&items).Error)
			s := fmt.Sprint(f.count(t, &Movement{}), f.count(t, &audit.Entry{}))
			for _, it := range items {
				s += fmt.Sprintf(" %s:%v/%v", it.Code, it.OnHand, it.Reserved)
			}
			return s
		}
		before := snapshot()
		for _, c := range cases {
			err := c.do()
			for _, w := range c.want {
				if !errors.Is(err, w) {
					t.Errorf("%s: %v; want %v", c.name, err, w)
				}
			}
			if err != nil && errs.KindOf(err) == nil {
				t.Errorf("%s: %v has no kind; the web layer would answer 500", c.name, err)
			}
			if after := snapshot(); after != before {
				t.Errorf("%s changed the database: %s; was %s", c.name, after, before)
			}
		}
	})
}
