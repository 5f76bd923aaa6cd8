package warehouse

import (
	"context"
	"errors"
	"sync"
	"testing"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// Eight approvals of 3 toners each at once, with 10 on the shelf: exactly 10
// are reserved between them, every line holds what it reserved and lists
// the rest to procure, and the ledger agrees.
func TestApprovalsRaceForLastUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		toner := f.item(t, "TON-HP-12A", "db", QtyOf(10))
		const n = 8
		reqs := make([]*Request, n)
		for i := range reqs {
			reqs[i] = f.submit(t, LineInput{ItemID: toner.ID, Quantity: "3"})
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range reqs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: *reqs[i].ApprovalID, Approve: true})
			}()
		}
		close(start)
		wg.Wait()
		var reserved Qty
		for i, r := range reqs {
			if errs[i] != nil {
				t.Errorf("approval %d: %v", i, errs[i])
				continue
			}
			l := f.detail(t, r.ID).Lines[0]
			if l.Reserved+l.ToProcure() != QtyOf(3) || (l.State == LineReserved) != (l.Reserved == QtyOf(3)) {
				t.Errorf("line of request %d: %s reserved %v to procure %v; want 3 between them", i, l.State, l.Reserved, l.ToProcure())
			}
			reserved += l.Reserved
		}
		if it := f.load(t, toner.ID); reserved != QtyOf(10) || it.Reserved != QtyOf(10) || it.OnHand != QtyOf(10) {
			t.Errorf("lines hold %v, item reserved %v of %v; want exactly the 10 on the shelf", reserved, it.Reserved, it.OnHand)
		}
		f.checkLedger(t)
	})
}

// The requester cancels while the manager approves, five times over:
// whichever is first, nothing stays reserved, the request ends cancelled,
// and neither waits for the other forever (the engine's row is locked
// before the request's on both paths).
func TestCancelWhileApproving(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(50))
		for i := range 5 {
			r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "4"})
			var wg sync.WaitGroup
			var approveErr, cancelErr error
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				_, approveErr = f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: *r.ApprovalID, Approve: true})
			}()
			go func() {
				defer wg.Done()
				<-start
				_, cancelErr = f.s.CancelRequest(ctx, f.emp, r.ID)
			}()
			close(start)
			wg.Wait()
			if cancelErr != nil || (approveErr != nil && !errors.Is(approveErr, approval.ErrDecided)) {
				t.Errorf("round %d: approve %v, cancel %v; want the cancel to hold", i, approveErr, cancelErr)
			}
			got := f.detail(t, r.ID)
			if got.Status != RequestCancelled || got.Lines[0].State != LineCancelled || got.Lines[0].Reserved != 0 {
				t.Errorf("round %d: request %s line %s reserved %v; want cancelled, nothing held", i, got.Status, got.Lines[0].State, got.Lines[0].Reserved)
			}
		}
		if it := f.load(t, paper.ID); it.Reserved != 0 {
			t.Errorf("paper reserved %v; want 0", it.Reserved)
		}
		f.checkLedger(t)
	})
}
