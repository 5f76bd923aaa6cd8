package helpdesk

import (
	"context"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// TestDemoRatings: of ten closed tickets and a duplicate merged away, the
// demo rates seven, never the duplicate nor an open ticket, mostly 4–5, and
// a second run adds nothing.
func TestDemoRatings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		var closed []uint
		for range 11 {
			tk := f.report(t, f.emp)
			must(t, f.s.Take(ctx, f.it1, tk.ID))
			must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedRepaired, ""))
			must(t, f.s.ChangeState(ctx, f.it1, tk.ID, StateClosed, ""))
			closed = append(closed, tk.ID)
		}
		must(t, d.W.Model(&Ticket{}).Where("id = ?", closed[10]).Update("resolution_code", ResolvedDuplicate).Error)
		open := f.report(t, f.emp)
		must(t, f.s.demoRatings(ctx))
		must(t, f.s.demoRatings(ctx))
		var rs []Rating
		must(t, d.W.Order("ticket_id").Find(&rs).Error)
		if len(rs) != 7 {
			t.Fatalf("demo ratings = %d; want 7 of 10", len(rs))
		}
		high := 0
		for _, r := range rs {
			if r.TicketID == closed[10] || r.TicketID == open.ID {
				t.Errorf("ticket %d was rated; only closed, non-duplicate tickets are", r.TicketID)
			}
			if r.Score < 1 || r.Score > 5 {
				t.Errorf("score %d out of 1–5", r.Score)
			}
			if r.Score >= 4 {
				high++
			}
		}
		if high < 5 {
			t.Errorf("%d of 7 ratings are 4–5; want most", high)
		}
	})
}
