package warehouse

import (
	"context"
	"errors"
	"slices"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// A movement refused by a stock that changes before the reason is read: on
// PostgreSQL another transaction may commit between the refused update and
// the locked read. A delivery that makes room lets the reservation through
// (with the balance after both), and a unit changed meanwhile is judged as
// it is now: half a bottle is refused. SQLite's one writer
// leaves no such gap (another write would wait for this one).
func TestStockChangesBetweenRefusalAndReason(t *testing.T) {
	if !slices.Contains(dbtest.Dialects(), db.Postgres) {
		t.Skip("needs KAPU_TEST_POSTGRES: SQLite has no gap between the two statements")
	}
	ctx := context.Background()
	t.Run("room made", func(t *testing.T) {
		f := newFixture(t, dbtest.Open(t, db.Postgres))
		it := f.item(t, "BOR-LC4", "db", QtyOf(5))
		calls := 0
		f.s.refused = func() {
			calls++
			_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: QtyOf(5), Supplier: "Boríték Bt.", DeliveryNote: "B-2"})
			must(t, err)
		}
		mv, err := f.s.Reserve(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: QtyOf(8)})
		if err != nil || calls != 1 || mv.OnHandAfter != QtyOf(10) || mv.ReservedAfter != QtyOf(8) {
			t.Fatalf("Reserve = %+v, %v after %d refusals; want it done on 10 on hand, once refused", mv, err, calls)
		}
		if drift, err := f.s.Verify(ctx); err != nil || len(drift) != 0 {
			t.Errorf("Verify = %v, %v; want no drift", drift, err)
		}
	})
	t.Run("unit changed", func(t *testing.T) {
		f := newFixture(t, dbtest.Open(t, db.Postgres))
		it := f.item(t, "TIS-ABLAK", "l", 0)
		f.s.refused = func() {
			in := ItemInput{Code: it.Code, NameHU: it.NameHU, Category: it.Category, Unit: "flakon", Active: true}
			_, err := f.s.UpdateItem(ctx, f.keeper, it.ID, in)
			must(t, err)
		}
		_, err := f.s.Release(ctx, f.keeper, Reservation{ItemID: it.ID, Quantity: 2500})
		if !errors.Is(err, ErrFraction) {
			t.Errorf("Release of 2.5 l while the unit became bottles: %v; want ErrFraction", err)
		}
		if n := f.count(t, &Movement{}); n != 0 {
			t.Errorf("%d ledger rows; want none", n)
		}
	})
}
