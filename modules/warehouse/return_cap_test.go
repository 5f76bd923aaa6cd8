package warehouse

import (
	"context"
	"errors"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// A return on a request's line brings back at most what the line issued
// less what came back on it before: 2 of 3, then 2 more is refused (1
// left) and posts nothing, 1 is taken, then nothing more; each row is the
// line's and the request's department's. A wrong department or a request
// without the item is refused by its field; a return naming no request is
// not capped.
func TestReturnOnRequestIsCapped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		toner := f.item(t, "TON-HP-12A", "db", QtyOf(5))
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(5))
		r := f.submit(t, LineInput{ItemID: toner.ID, Quantity: "3"})
		_, err := f.s.ApproveLines(ctx, f.boss, r.ID, nil, "")
		must(t, err)
		must(t, f.s.MarkReady(ctx, f.keeper, r.ID))
		must(t, f.s.HandOver(ctx, f.keeper, r.ID))
		line := f.detail(t, r.ID).Lines[0]

		ret := func(q Qty, dept uint) error {
			_, err := f.s.ReturnOnRequest(ctx, f.keeper, r.ID, Return{ItemID: toner.ID, Quantity: q, DepartmentID: dept})
			return err
		}
		must(t, ret(QtyOf(2), 0))
		err = ret(QtyOf(2), f.dept)
		var rc *ReturnCapError
		if !errors.As(err, &rc) || rc.Left != QtyOf(1) || rc.Issued != QtyOf(3) || !errors.Is(err, ErrReturnCap) {
			t.Fatalf("returning 2 more of 3 issued after 2 = %v; want the cap with 1 left", err)
		}
		if it := f.load(t, toner.ID); it.OnHand != QtyOf(4) {
			t.Errorf("on hand after a refused return = %v; want 4 (5 − 3 issued + 2 back)", it.OnHand)
		}
		must(t, ret(QtyOf(1), 0))
		if err := ret(QtyOf(1), 0); !errors.As(err, &rc) || rc.Left != 0 {
			t.Errorf("a return after all came back = %v; want the cap with 0 left", err)
		}
		var rows []Movement
		must(t, d.W.Where("item_id = ? AND kind = ?", toner.ID, KindReturn).Order("id").Find(&rows).Error)
		if len(rows) != 2 {
			t.Fatalf("%d return rows; want 2 (2 and 1)", len(rows))
		}
		for _, mv := range rows {
			if mv.RequestLineID == nil || *mv.RequestLineID != line.ID || mv.DepartmentID == nil || *mv.DepartmentID != f.dept {
				t.Errorf("return row %+v; want the request's line and department", mv)
			}
		}

		if err := ret(QtyOf(1), f.dept2); !errors.Is(err, ErrReturnDepartment) {
			t.Errorf("a return to another department = %v; want ErrReturnDepartment", err)
		}
		_, err = f.s.ReturnOnRequest(ctx, f.keeper, r.ID, Return{ItemID: paper.ID, Quantity: QtyOf(1)})
		if !errors.Is(err, ErrReturnLine) {
			t.Errorf("a return of an item not on the request = %v; want ErrReturnLine", err)
		}
		if _, err := f.s.ReturnOnRequest(ctx, f.emp, r.ID, Return{ItemID: toner.ID, Quantity: QtyOf(1)}); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee's return = %v; want ErrForbidden", err)
		}
		if _, err := f.s.Return(ctx, f.keeper, Return{ItemID: toner.ID, Quantity: QtyOf(10), DepartmentID: f.dept}); err != nil {
			t.Errorf("an item-level return of 10 = %v; want it taken, as before", err)
		}
		f.checkLedger(t)
	})
}
