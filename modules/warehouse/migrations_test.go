package warehouse

import (
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// The database itself refuses what the ledger must never allow, by name, on
// both databases: a write that bypasses the service cannot make stock
// negative, reserve more than is on hand, or rewrite the ledger.
func TestStockGuardsInTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		it := f.item(t, "KAPCS-10", "doboz", QtyOf(5))
		cases := []struct {
			name, sql string
			args      []any
			want      string
		}{
			{"negative on hand", "UPDATE warehouse_items SET on_hand = -1000, reserved = 0 WHERE id = ?", []any{it.ID}, ConstraintOnHand},
			{"reserved above on hand", "UPDATE warehouse_items SET reserved = on_hand + 1 WHERE id = ?", []any{it.ID}, ConstraintReserved},
			{"negative reserved", "UPDATE warehouse_items SET reserved = -1 WHERE id = ?", []any{it.ID}, ConstraintReserved},
			{"new item reserving nothing it has", `INSERT INTO warehouse_items (code, name_hu, name_en, category, unit, location, reorder_level, unit_price, active, on_hand, reserved, created_at, updated_at)
				VALUES ('X-1', 'X', '', 'office', 'db', '', 0, 0, true, 0, 1000, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil, ConstraintReserved},
			{"unknown kind", `INSERT INTO warehouse_movements (item_id, kind, quantity, reserved, on_hand_after, reserved_after, created_at)
				VALUES (?, 'gift', 1000, 0, 0, 0, CURRENT_TIMESTAMP)`, []any{it.ID}, ConstraintMovement},
			{"a row that moves nothing", `INSERT INTO warehouse_movements (item_id, kind, quantity, reserved, on_hand_after, reserved_after, created_at)
				VALUES (?, 'receipt', 0, 0, 0, 0, CURRENT_TIMESTAMP)`, []any{it.ID}, ConstraintMovement},
			{"rewriting the ledger", "UPDATE warehouse_movements SET quantity = quantity + 1000", nil, ConstraintMovement},
		}
		for _, c := range cases {
			err := d.W.Exec(c.sql, c.args...).Error
			if !db.IsConstraint(err, c.want) {
				t.Errorf("%s: %v; want the database to refuse it as %s", c.name, err, c.want)
			}
		}
		if got := f.load(t, it.ID); got.OnHand != QtyOf(5) || got.Reserved != 0 {
			t.Errorf("stock %v/%v after the refused writes; want 5/0", got.OnHand, got.Reserved)
		}
	})
}
