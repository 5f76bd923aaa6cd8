package warehouse

import (
	"context"
	"errors"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// codes are the items' codes, in order.
func codes(items []LowItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}

func sameCodes(got []LowItem, want ...string) bool {
	c := codes(got)
	if len(c) != len(want) {
		return false
	}
	for i := range c {
		if c[i] != want[i] {
			return false
		}
	}
	return true
}

func TestLowStockList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		// Every fixture item has reorder level 5.
		paper := f.item(t, "PAP", "rizsma", QtyOf(3))  // available 3: low
		toner := f.item(t, "TON", "db", QtyOf(9))      // 9 on hand, 5 reserved: available 4, low
		f.item(t, "GEM", "doboz", QtyOf(6))            // above the level
		soap := f.item(t, "SZAP", "kg", 1200)          // 1.2 kg: low
		f.item(t, "ELL", "db", QtyOf(5))               // exactly at the level: low
		ordered := f.item(t, "REND", "db", QtyOf(1))   // 1 + 4 on order = 5: still low
		ordered2 := f.item(t, "REND2", "db", QtyOf(1)) // 1 + 5 on order = 6: not low
		_, err := f.s.Reserve(ctx, f.keeper, Reservation{ItemID: toner.ID, Quantity: QtyOf(5)})
		must(t, err)
		retired := f.item(t, "RET", "db", QtyOf(1))
		f.shelf(t, retired, "", false) // retired: not watched
		// No reorder level, no stock: not watched.
		_, err = f.s.CreateItem(ctx, f.keeper, ItemInput{Code: "NOLVL", NameHU: "Szint nélkül", Category: "office", Unit: "db", Active: true})
		must(t, err)

		// A level of 2.5 kg, to check the rounding of the suggestion.
		_, err = f.s.UpdateItem(ctx, f.keeper, soap.ID, ItemInput{Code: "SZAP", NameHU: "Szappan", Category: "hygiene", Unit: "kg", ReorderLevel: 2500, Active: true})
		must(t, err)

		low, err := f.s.LowStock(ctx, f.keeper, OnOrder{ordered.ID: QtyOf(4), ordered2.ID: QtyOf(5), paper.ID: -QtyOf(10)})
		must(t, err)
		// Furthest below its level first: SZAP 1.2/2.5, PAP 3/5, TON 4/5, then ELL and REND at 5/5 by code.
		if !sameCodes(low, "SZAP", "PAP", "TON", "ELL", "REND") {
			t.Fatalf("low stock = %v; want SZAP, PAP, TON, ELL, REND", codes(low))
		}
		want := map[string]struct{ avail, onOrder, suggested Qty }{
			"SZAP": {1200, 0, QtyOf(4)},     // 2×2.5 − 1.2 = 3.8, up to 4 kg
			"PAP":  {QtyOf(3), 0, QtyOf(7)}, // a negative on-order figure counts as none
			"TON":  {QtyOf(4), 0, QtyOf(6)}, // the reserved toner is not available
			"ELL":  {QtyOf(5), 0, QtyOf(5)}, // at the level is low
			"REND": {QtyOf(5), QtyOf(4), QtyOf(5)},
		}
		for _, li := range low {
			w := want[li.Code]
			if li.Available != w.avail || li.OnOrder != w.onOrder || li.Suggested != w.suggested {
				t.Errorf("%s: available %s, on order %s, suggested %s; want %s, %s, %s", li.Code, li.Available, li.OnOrder, li.Suggested,
					w.avail, w.onOrder, w.suggested)
			}
		}
		if _, err := f.s.LowStock(ctx, f.emp, nil); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee's low-stock list: %v; want ErrForbidden", err)
		}
		if suggest(QtyOf(1), QtyOf(1)+500) != QtyOf(1) {
			t.Errorf("suggest never orders less than one unit")
		}
	})
}

func TestLowStockCrossesOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pens := f.item(t, "TOLL", "db", QtyOf(10)) // reorder level 5
		f.item(t, "GEM", "doboz", QtyOf(20))
		issue := func(n int64) {
			t.Helper()
			_, err := f.s.Issue(ctx, f.keeper, Issue{ItemID: pens.ID, Quantity: QtyOf(n), DepartmentID: f.dept})
			must(t, err)
		}
		receive := func(n int64) {
			t.Helper()
			_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: pens.ID, Quantity: QtyOf(n), Supplier: "Irodaszer Kft.", DeliveryNote: "SZL-2"})
			must(t, err)
		}
		check := func(step string, want ...string) {
			t.Helper()
			got, err := f.s.LowStockCrossings(ctx, nil)
			must(t, err)
			if !sameCodes(got, want...) {
				t.Errorf("%s: crossings %v; want %v", step, codes(got), want)
			}
		}
		check("above the level")
		issue(4) // 6 left
		check("still above")
		issue(1) // 5: at the level
		check("the first fall", "TOLL")
		issue(1)
		check("a further issue")
		issue(1)
		check("and another")
		var marks []LowAlert
		must(t, d.W.Find(&marks).Error)
		if len(marks) != 1 || marks[0].ItemID != pens.ID || marks[0].Available != QtyOf(5) || !marks[0].AlertedAt.Equal(testNow) {
			t.Errorf("marks = %+v; want the pens, alerted at 5", marks)
		}
		receive(20) // 23
		check("after the refill")
		if n := f.count(t, &LowAlert{}); n != 0 {
			t.Errorf("%d marks after the refill; want the pens' cleared", n)
		}
		issue(18) // 5 again
		check("the second fall", "TOLL")
		check("checked again")

		// A refill and a new fall between two checks is a new crossing too:
		// the ledger shows the stock was above the level in between.
		receive(10) // 15
		issue(11)   // 4
		check("a refill and a fall between checks", "TOLL")
		check("and then nothing")

		// A reservation makes stock unavailable: that is a fall as well.
		receive(10) // 14 on hand
		check("refilled")
		_, err := f.s.Reserve(ctx, f.keeper, Reservation{ItemID: pens.ID, Quantity: QtyOf(10)})
		must(t, err)
		check("reserved down to 4", "TOLL")

		// Stock on order lifts it above the level: unmarked, and its next
		// fall (the order is late, say) alerts again.
		got, err := f.s.LowStockCrossings(ctx, OnOrder{pens.ID: QtyOf(10)})
		must(t, err)
		if len(got) != 0 || f.count(t, &LowAlert{}) != 0 {
			t.Errorf("with 10 on order: crossings %v, %d marks; want none", codes(got), f.count(t, &LowAlert{}))
		}
		check("the order is no longer counted", "TOLL")
	})
}
