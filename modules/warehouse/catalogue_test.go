package warehouse

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestCatalogue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		in := ItemInput{Code: " pap-a4-80 ", NameHU: "Másolópapír A4, 80 g", NameEN: "Copy paper A4, 80 g", Category: "paper",
			Unit: "rizsma", Location: "B-03-2", ReorderLevel: QtyOf(40), UnitPrice: 1890, Active: true}
		it, err := f.s.CreateItem(ctx, f.keeper, in)
		must(t, err)
		if it.Code != "PAP-A4-80" || it.OnHand != 0 || it.Name("en") != "Copy paper A4, 80 g" || it.Name("hu") != "Másolópapír A4, 80 g" {
			t.Errorf("created %+v; want code PAP-A4-80, no stock, both names", it)
		}
		// The code is unique whatever its case.
		if _, err := f.s.CreateItem(ctx, f.keeper, in); !errors.Is(err, ErrCodeTaken) {
			t.Errorf("second PAP-A4-80: %v; want ErrCodeTaken", err)
		}
		other := in
		other.Code = "PAP-A3"
		o, err := f.s.CreateItem(ctx, f.keeper, other)
		must(t, err)
		other.Code = "Pap-A4-80"
		if _, err := f.s.UpdateItem(ctx, f.keeper, o.ID, other); !errors.Is(err, ErrCodeTaken) {
			t.Errorf("renaming PAP-A3 to an existing code: %v; want ErrCodeTaken", err)
		}
		// The unit may change until stock has moved, not after.
		in.Unit = "csomag"
		if _, err := f.s.UpdateItem(ctx, f.keeper, it.ID, in); err != nil {
			t.Errorf("changing the unit of an item without stock: %v", err)
		}
		_, err = f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: QtyOf(10), Supplier: "Papír Zrt.", DeliveryNote: "P-77"})
		must(t, err)
		in.Unit = "doboz"
		if _, err := f.s.UpdateItem(ctx, f.keeper, it.ID, in); !errors.Is(err, ErrUnitFixed) {
			t.Errorf("changing the unit after a receipt: %v; want ErrUnitFixed", err)
		}
		// An edit keeps the stock: the cache belongs to the ledger.
		in.Unit, in.Location, in.Active = "csomag", "C-01-1", false
		got, err := f.s.UpdateItem(ctx, f.keeper, it.ID, in)
		must(t, err)
		if got := f.load(t, got.ID); got.OnHand != QtyOf(10) || got.Location != "C-01-1" || got.Active {
			t.Errorf("after the edit %+v; want 10 on hand, the new shelf, retired", got)
		}
		var n int64
		must(t, d.W.Model(&audit.Entry{}).Where("entity = ? AND entity_id = ? AND action LIKE 'warehouse.item.%'", itemEntity, itemID(it)).Count(&n).Error)
		if n != 3 {
			t.Errorf("%d catalogue audit rows for the item; want create and two updates", n)
		}
	})
}

func TestCatalogueBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		good := ItemInput{Code: "GEM-28", NameHU: "Gemkapocs 28 mm", Category: "office", Unit: "doboz", Active: true}
		with := func(change func(*ItemInput)) ItemInput {
			in := good
			change(&in)
			return in
		}
		cases := []struct {
			name string
			in   ItemInput
			want []error
		}{
			{"empty code", with(func(in *ItemInput) { in.Code = " " }), []error{ErrCode}},
			{"code with a space", with(func(in *ItemInput) { in.Code = "GEM 28" }), []error{ErrCode}},
			{"code too long", with(func(in *ItemInput) { in.Code = strings.Repeat("A", 41) }), []error{ErrCode}},
			{"no Hungarian name", with(func(in *ItemInput) { in.NameHU = ""; in.NameEN = "Paper clips" }), []error{ErrName}},
			{"name on two lines", with(func(in *ItemInput) { in.NameHU = "Gem\nkapocs" }), []error{ErrText}},
			{"name too long", with(func(in *ItemInput) { in.NameHU = strings.Repeat("á", 201) }), []error{ErrText}},
			{"unknown category", with(func(in *ItemInput) { in.Category = "food" }), []error{ErrCategory}},
			{"unknown unit", with(func(in *ItemInput) { in.Unit = "tonna" }), []error{ErrUnit}},
			{"reorder level in half boxes", with(func(in *ItemInput) { in.ReorderLevel = 2500 }), []error{ErrFraction}},
			{"negative reorder level", with(func(in *ItemInput) { in.ReorderLevel = -QtyOf(1) }), []error{ErrQuantity}},
			{"negative price", with(func(in *ItemInput) { in.UnitPrice = -1 }), []error{ErrPrice}},
			{"absurd price", with(func(in *ItemInput) { in.UnitPrice = maxUnitPrice + 1 }), []error{ErrPrice}},
			{"everything wrong at once", ItemInput{Code: "?", Category: "x", Unit: "y", UnitPrice: -5}, []error{ErrCode, ErrName, ErrCategory, ErrUnit, ErrPrice}},
		}
		for _, c := range cases {
			_, err := f.s.CreateItem(ctx, f.keeper, c.in)
			for _, w := range c.want {
				if !errors.Is(err, w) {
					t.Errorf("%s: %v; want %v", c.name, err, w)
				}
			}
		}
		if _, err := f.s.CreateItem(ctx, f.emp, good); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee adding an item: %v; want ErrForbidden", err)
		}
		if _, err := f.s.UpdateItem(ctx, f.keeper, 999999, good); !errors.Is(err, ErrNotFound) {
			t.Errorf("editing an unknown item: %v; want ErrNotFound", err)
		}
		if n := f.count(t, &Item{}); n != 0 {
			t.Errorf("%d items after only bad input; want none", n)
		}
	})
}

// Every movement writes one audit row, against its item, with the stock
// before and the ledger row after; the audit log names the item by code and
// name in the reader's language.
func TestMovementAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		it := f.item(t, "TON-CF259", "db", QtyOf(8))
		mv, err := f.s.Issue(ctx, f.keeper, Issue{ItemID: it.ID, Quantity: QtyOf(3), DepartmentID: f.dept2})
		must(t, err)
		if mv.DepartmentID == nil || *mv.DepartmentID != f.dept2 || mv.ActorID == nil || *mv.ActorID != f.keeper.ID || !mv.CreatedAt.Equal(testNow) {
			t.Errorf("issue row %+v; want the department, the storekeeper, now", mv)
		}
		var e audit.Entry
		must(t, d.W.Where("action = ?", "warehouse.issue").First(&e).Error)
		if e.Entity != itemEntity || e.EntityID != itemID(it) || e.ActorName != f.keeper.Name ||
			e.Before != `{"on_hand":8,"reserved":0}` || !strings.Contains(e.After, `"Quantity":-3`) || !strings.Contains(e.After, `"OnHandAfter":5`) {
			t.Errorf("audit row %+v; want the item, the storekeeper, 8 before, -3 leaving 5", e)
		}
		m := &Module{svc: f.s}
		names, err := m.AuditNames()[itemEntity](ctx, "en", []string{itemID(it), "x", "424242"})
		must(t, err)
		if len(names) != 1 || names[itemID(it)] != "TON-CF259 Item TON-CF259" {
			t.Errorf("audit names = %v; want the item by code and English name", names)
		}
	})
}

func itemID(it *Item) string { return strconv.FormatUint(uint64(it.ID), 10) }
