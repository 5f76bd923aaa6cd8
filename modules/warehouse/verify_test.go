package warehouse

import (
	"context"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// Verify finds every kind of drift between cache and ledger: a cache raised
// on an item that never moved, a reservation changed by hand, a ledger row
// deleted; and names nothing else.
func TestVerifyFindsDrift(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		moved := f.item(t, "A-1", "db", QtyOf(10))
		_, err := f.s.Reserve(ctx, f.keeper, Reservation{ItemID: moved.ID, Quantity: QtyOf(4)})
		must(t, err)
		still := f.item(t, "B-1", "db", 0)
		reserved := f.item(t, "C-1", "kg", QtyOf(3))
		clean := f.item(t, "D-1", "db", QtyOf(2))
		must(t, d.W.Exec("UPDATE warehouse_items SET on_hand = 7000 WHERE id = ?", still.ID).Error)
		must(t, d.W.Exec("UPDATE warehouse_items SET reserved = 500 WHERE id = ?", reserved.ID).Error)
		must(t, d.W.Exec("DELETE FROM warehouse_movements WHERE item_id = ? AND kind = 'reserve'", moved.ID).Error)
		drift, err := f.s.Verify(ctx)
		must(t, err)
		want := []Drift{
			{ItemID: moved.ID, Code: "A-1", OnHand: QtyOf(10), Reserved: QtyOf(4), LedgerOnHand: QtyOf(10), LedgerReserved: 0},
			{ItemID: still.ID, Code: "B-1", OnHand: QtyOf(7), Reserved: 0, LedgerOnHand: 0, LedgerReserved: 0},
			{ItemID: reserved.ID, Code: "C-1", OnHand: QtyOf(3), Reserved: 500, LedgerOnHand: QtyOf(3), LedgerReserved: 0},
		}
		if len(drift) != len(want) {
			t.Fatalf("Verify = %+v; want %+v (not %s)", drift, want, clean.Code)
		}
		for i := range want {
			if drift[i] != want[i] {
				t.Errorf("drift %d = %+v; want %+v", i, drift[i], want[i])
			}
		}
	})
}
