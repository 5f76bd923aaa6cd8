package warehouse

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// A random run of requests on three items: submitted, approved in full, for
// less or from the email link, rejected, cancelled before or after approval,
// with receipts in between. After every step each item's reserved quantity
// is exactly what its request lines hold, no line holds more than was
// approved nor was approved more than asked, and the cache equals the
// ledger.
func TestRequestsKeepReservationsExact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(15, 2026))
		items := []*Item{f.item(t, "PAP-A4-80", "rizsma", QtyOf(12)), f.item(t, "TON-HP-12A", "db", QtyOf(3)), f.item(t, "TIS-SZAPPAN", "l", 7500)}
		var open []*Request
		for step := range 120 {
			switch op := rng.IntN(6); {
			case op <= 1 || len(open) == 0:
				var lines []LineInput
				for _, i := range rng.Perm(len(items))[:1+rng.IntN(len(items))] {
					lines = append(lines, LineInput{ItemID: items[i].ID, Quantity: strconv.Itoa(1 + rng.IntN(6))})
				}
				if rng.IntN(4) == 0 {
					lines = append(lines, LineInput{Text: "Pendrive", Unit: "db", Quantity: "1"})
				}
				open = append(open, f.submit(t, lines...))
			case op == 2:
				r := open[rng.IntN(len(open))]
				var decisions []LineDecision
				for _, l := range f.detail(t, r.ID).Lines {
					if rng.IntN(2) == 0 {
						decisions = append(decisions, LineDecision{LineID: l.ID, Quantity: strconv.FormatInt(int64(l.Requested/QtyScale)/2, 10), Reason: "kevesebb"})
					}
				}
				_, err := f.s.ApproveLines(ctx, f.boss, r.ID, decisions, "")
				if err != nil && !errors.Is(err, ErrNotPending) && !errors.Is(err, ErrNothingApproved) {
					t.Fatalf("step %d: ApproveLines: %v", step, err)
				}
			case op == 3:
				r := open[len(open)-1] // the newest: likely still with its approver
				_, err := f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: *r.ApprovalID, Approve: rng.IntN(2) == 0, Comment: "link"})
				if err != nil && !errors.Is(err, approval.ErrDecided) {
					t.Fatalf("step %d: Decide: %v", step, err)
				}
			case op == 4:
				r := open[rng.IntN(len(open))]
				if _, err := f.s.CancelRequest(ctx, f.emp, r.ID); err != nil && !errors.Is(err, ErrNotCancellable) {
					t.Fatalf("step %d: CancelRequest: %v", step, err)
				}
			default:
				it := items[rng.IntN(len(items))]
				_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: QtyOf(int64(1 + rng.IntN(3))), Supplier: "Irodaszer Kft.", DeliveryNote: "SZL-" + strconv.Itoa(step)})
				must(t, err)
			}
			for _, it := range items {
				var held Qty
				must(t, d.W.Raw(`SELECT COALESCE(SUM(reserved), 0) FROM warehouse_request_lines WHERE item_id = ?`, it.ID).Scan(&held).Error)
				if got := f.load(t, it.ID); got.Reserved != held {
					t.Fatalf("step %d: %s reserved %v; its lines hold %v", step, it.Code, got.Reserved, held)
				}
			}
			var bad int64
			must(t, d.W.Model(&RequestLine{}).Where("reserved > approved OR approved > requested OR reserved < 0").Count(&bad).Error)
			if bad > 0 {
				t.Fatalf("step %d: %d lines hold more than approved or were approved more than asked", step, bad)
			}
			f.checkLedger(t)
		}
		// The run must have gone through each path, or it proved little.
		var rows []struct {
			Status string
			N      int64
		}
		must(t, d.W.Model(&Request{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error)
		seen := map[string]int64{}
		for _, r := range rows {
			seen[r.Status] = r.N
		}
		var releases, partly int64
		must(t, d.W.Model(&Movement{}).Where("kind = ?", KindRelease).Count(&releases).Error)
		must(t, d.W.Model(&RequestLine{}).Where("approved < requested AND approved > 0").Count(&partly).Error)
		if seen[RequestApproved] == 0 || seen[RequestRejected] == 0 || seen[RequestCancelled] == 0 || releases == 0 || partly == 0 {
			t.Errorf("the run saw %v, %d releases, %d partly approved lines; want every path", seen, releases, partly)
		}
	})
}
