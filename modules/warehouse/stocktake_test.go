package warehouse

import (
	"context"
	"errors"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
)

// shelf moves it to location (as the storekeeper's catalogue edit does).
func (f *fixture) shelf(t testing.TB, it *Item, location string, active bool) *Item {
	t.Helper()
	_, err := f.s.UpdateItem(context.Background(), f.keeper, it.ID, ItemInput{Code: it.Code, NameHU: it.NameHU, NameEN: it.NameEN,
		Category: it.Category, Unit: it.Unit, Location: location, ReorderLevel: it.ReorderLevel, UnitPrice: it.UnitPrice, Active: active})
	must(t, err)
	return f.load(t, it.ID)
}

// counts are the sheet's lines counted as counted says (by code), the rest as expected.
func counts(sheet *CountSheet, counted map[string]Qty) []Count {
	var out []Count
	for _, l := range sheet.Lines {
		c := Count{ItemID: l.ItemID, Expected: l.Expected, Counted: l.Expected}
		if q, ok := counted[l.Code]; ok {
			c.Counted = q
		}
		out = append(out, c)
	}
	return out
}

func TestStockTakePostsTheDifferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pens := f.shelf(t, f.item(t, "TOLL-K", "db", QtyOf(10)), "A-01", true)
		soap := f.shelf(t, f.item(t, "SZAP-1", "kg", 5500), "A-01", true)
		old := f.shelf(t, f.item(t, "REGI-1", "doboz", QtyOf(3)), "A-01", false) // retired, still on the shelf
		f.shelf(t, f.item(t, "URES-1", "doboz", 0), "A-01", false)               // retired and gone: not counted
		f.shelf(t, f.item(t, "MAS-1", "db", QtyOf(4)), "B-02", true)             // another shelf

		shelves, err := f.s.Shelves(ctx, f.keeper)
		must(t, err)
		if len(shelves) != 2 || shelves[0] != (Shelf{"A-01", 3}) || shelves[1] != (Shelf{"B-02", 1}) {
			t.Errorf("shelves = %+v; want A-01 with 3 items, B-02 with 1", shelves)
		}
		sheet, err := f.s.CountSheet(ctx, f.keeper, " A-01 ")
		must(t, err)
		if len(sheet.Lines) != 3 || sheet.Lines[0].Code != "REGI-1" || sheet.Lines[1].Code != "SZAP-1" || sheet.Lines[2].Code != "TOLL-K" ||
			sheet.Lines[1].Expected != 5500 || sheet.Lines[2].Expected != QtyOf(10) || sheet.Lines[0].Name("en") != "Item REGI-1" || !sheet.MadeAt.Equal(testNow) {
			t.Fatalf("sheet = %+v; want REGI-1, SZAP-1, TOLL-K with their stock", sheet)
		}

		// Two pens missing, one box more found, the soap as expected.
		cs := counts(sheet, map[string]Qty{"TOLL-K": QtyOf(8), "REGI-1": QtyOf(4)})
		diffs, err := f.s.Differences(ctx, f.keeper, cs)
		must(t, err)
		if len(diffs) != 2 || diffs[0].Code != "REGI-1" || diffs[0].Diff != QtyOf(1) || diffs[0].Value != 1200 || diffs[0].Stale ||
			diffs[1].Code != "TOLL-K" || diffs[1].Diff != QtyOf(-2) || diffs[1].Value != -2400 {
			t.Errorf("differences = %+v; want REGI-1 +1 (1 200 Ft), TOLL-K −2 (−2 400 Ft)", diffs)
		}
		moves := f.count(t, &Movement{})
		res, err := f.s.PostCount(ctx, f.keeper, "Éves leltár 2026", cs)
		must(t, err)
		if len(res.Posted) != 2 || res.Same != 1 || f.count(t, &Movement{}) != moves+2 {
			t.Errorf("posted %+v; want two adjustments, one line the same", res)
		}
		for _, want := range []struct {
			it     *Item
			onHand Qty
		}{{pens, QtyOf(8)}, {old, QtyOf(4)}, {soap, 5500}} {
			got := f.load(t, want.it.ID)
			if sum, _ := f.sums(t, got.ID); got.OnHand != want.onHand || sum != want.onHand {
				t.Errorf("%s after the count: %s on hand, ledger %s; want %s", got.Code, got.OnHand, sum, want.onHand)
			}
		}
		var mv Movement
		must(t, d.W.Where("item_id = ?", pens.ID).Order("id DESC").First(&mv).Error)
		if mv.Kind != KindAdjust || mv.Quantity != QtyOf(-2) || mv.OnHandAfter != QtyOf(8) || mv.Reason != "Éves leltár 2026" {
			t.Errorf("the pens' adjustment = %+v; want −2 to 8, the stock-take's reason", mv)
		}
		// Counting the same sheet again is stale now for what moved, and the
		// unchanged soap does not save it: nothing is posted.
		if _, err := f.s.PostCount(ctx, f.keeper, "Újra", cs); !errors.Is(err, ErrCountRejected) {
			t.Errorf("posting the old sheet again: %v; want it refused", err)
		}
		if n := f.count(t, &Movement{}); n != moves+2 {
			t.Errorf("%d ledger rows after a refused count; want %d", n, moves+2)
		}
	})
}

func TestStockTakeRefusesAStaleSheet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pens := f.shelf(t, f.item(t, "TOLL-K", "db", QtyOf(10)), "A-01", true)
		clips := f.shelf(t, f.item(t, "GEM-28", "doboz", QtyOf(6)), "A-01", true)
		glue := f.shelf(t, f.item(t, "RAGASZTO", "db", QtyOf(5)), "A-01", true)
		sheet, err := f.s.CountSheet(ctx, f.keeper, "A-01")
		must(t, err)
		// While the storekeeper counts, a pen is handed over and glue reserved.
		_, err = f.s.Issue(ctx, f.keeper, Issue{ItemID: pens.ID, Quantity: QtyOf(1), DepartmentID: f.dept})
		must(t, err)
		_, err = f.s.Reserve(ctx, f.keeper, Reservation{ItemID: glue.ID, Quantity: QtyOf(4)})
		must(t, err)
		moves := f.count(t, &Movement{})

		cs := counts(sheet, map[string]Qty{"TOLL-K": QtyOf(7), "GEM-28": QtyOf(5), "RAGASZTO": QtyOf(3)})
		diffs, err := f.s.Differences(ctx, f.keeper, cs)
		must(t, err)
		stale := map[string]bool{}
		for _, d := range diffs {
			stale[d.Code] = d.Stale
		}
		if !stale["TOLL-K"] || stale["GEM-28"] || stale["RAGASZTO"] {
			t.Errorf("review = %+v; want only the pens marked as moved since", diffs)
		}
		_, err = f.s.PostCount(ctx, f.keeper, "Negyedéves leltár", cs)
		var ce *CountError
		if !errors.As(err, &ce) || !errors.Is(err, ErrCountRejected) {
			t.Fatalf("posting a stale sheet: %v; want a CountError", err)
		}
		// In the sheet's order: GEM-28, RAGASZTO, TOLL-K.
		if len(ce.Problems) != 2 || ce.Problems[0].ItemID != glue.ID || !errors.Is(ce.Problems[0].Err, ErrBelowReserve) ||
			ce.Problems[1].ItemID != pens.ID || !errors.Is(ce.Problems[1].Err, ErrStale) {
			t.Errorf("problems = %+v; want the glue below its reservation, the pens stale", ce.Problems)
		}
		// Nothing was posted, not even the clips' good count.
		if n := f.count(t, &Movement{}); n != moves {
			t.Errorf("%d ledger rows after a refused count; want %d", n, moves)
		}
		for _, it := range []struct {
			it     *Item
			onHand Qty
		}{{pens, QtyOf(9)}, {clips, QtyOf(6)}, {glue, QtyOf(5)}} {
			if got := f.load(t, it.it.ID); got.OnHand != it.onHand {
				t.Errorf("%s: %s on hand after a refused count; want %s", got.Code, got.OnHand, it.onHand)
			}
		}
		c, err := i18n.Load()
		must(t, err)
		if key, args := Message(c, "en", ce.Problems[1].Err); c.T("en", key, args...) != "The stock has changed since it was counted; please count again." {
			t.Errorf("the stale line reads %q", c.T("en", key, args...))
		}
		if key, _ := Message(c, "hu", ce); key != "warehouse.stocktake.err.rejected" {
			t.Errorf("Message(CountError) = %q", key)
		}

		// Counted again on a fresh sheet (and the glue released first), it posts.
		_, err = f.s.Release(ctx, f.keeper, Reservation{ItemID: glue.ID, Quantity: QtyOf(4)})
		must(t, err)
		sheet, err = f.s.CountSheet(ctx, f.keeper, "A-01")
		must(t, err)
		res, err := f.s.PostCount(ctx, f.keeper, "Negyedéves leltár", counts(sheet, map[string]Qty{"TOLL-K": QtyOf(7), "GEM-28": QtyOf(5), "RAGASZTO": QtyOf(3)}))
		must(t, err)
		if len(res.Posted) != 3 || f.load(t, pens.ID).OnHand != QtyOf(7) || f.load(t, clips.ID).OnHand != QtyOf(5) || f.load(t, glue.ID).OnHand != QtyOf(3) {
			t.Errorf("fresh count posted %+v; want the three counts to stand", res)
		}
	})
}

func TestStockTakeBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pens := f.item(t, "TOLL-K", "db", QtyOf(10))
		moves := f.count(t, &Movement{})
		cases := []struct {
			name   string
			reason string
			counts []Count
			want   error
		}{
			{"counted twice", "Leltár", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: QtyOf(9)}, {ItemID: pens.ID, Expected: QtyOf(10), Counted: QtyOf(8)}}, ErrCountedTwice},
			{"negative", "Leltár", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: -1}}, ErrQuantity},
			{"absurd", "Leltár", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: MaxQty + 1}}, ErrTooMuch},
			{"no reason", " ", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: QtyOf(9)}}, ErrReason},
			{"half a pen", "Leltár", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: 9500}}, ErrFraction},
			{"no such item", "Leltár", []Count{{ItemID: 9999, Expected: QtyOf(1), Counted: QtyOf(2)}}, ErrNotFound},
		}
		for _, c := range cases {
			_, err := f.s.PostCount(ctx, f.keeper, c.reason, c.counts)
			var ce *CountError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 || !errors.Is(ce.Problems[len(ce.Problems)-1].Err, c.want) {
				t.Errorf("%s: %v; want a CountError with %v", c.name, err, c.want)
			}
		}
		if _, err := f.s.PostCount(ctx, f.emp, "Leltár", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: QtyOf(9)}}); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee's count: %v; want ErrForbidden", err)
		}
		if _, err := f.s.CountSheet(ctx, f.emp, ""); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee's sheet: %v; want ErrForbidden", err)
		}
		if n := f.count(t, &Movement{}); n != moves || f.load(t, pens.ID).OnHand != QtyOf(10) {
			t.Errorf("bad counts moved stock: %d rows, %s on hand", n-moves, f.load(t, pens.ID).OnHand)
		}
		// All counts equal to the sheet post nothing and are no error.
		res, err := f.s.PostCount(ctx, f.keeper, "Leltár", []Count{{ItemID: pens.ID, Expected: QtyOf(10), Counted: QtyOf(10)}})
		if err != nil || len(res.Posted) != 0 || res.Same != 1 {
			t.Errorf("a count without differences = %+v, %v; want nothing posted", res, err)
		}
	})
}
