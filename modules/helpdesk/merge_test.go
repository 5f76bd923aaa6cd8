package helpdesk

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
)

func withCatalog(t *testing.T, f *fixture) *fixture {
	t.Helper()
	c, err := i18n.Load()
	must(t, err)
	f.s.cat = c
	return f
}

// TestMergeClosesTheDuplicate: the duplicate points at the target, is
// resolved as a duplicate and closed, and both reporters read where it went.
func TestMergeClosesTheDuplicate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withCatalog(t, newFixture(t, d))
		ctx := context.Background()
		into := f.report(t, f.emp)
		dup := f.report(t, f.other)
		must(t, f.s.Take(ctx, f.it1, into.ID))
		if err := f.s.Merge(ctx, f.emp, dup.ID, into.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("a reporter merges: %v; want ErrNotFound", err)
		}
		got, err := f.s.MergeByNumber(ctx, f.it1, dup.ID, strings.ToLower(into.Number))
		must(t, err)
		if got.ID != into.ID {
			t.Fatalf("merged into %d; want %d", got.ID, into.ID)
		}
		dt := f.ticket(t, dup.ID)
		if dt.MergedIntoID == nil || *dt.MergedIntoID != into.ID || dt.State != StateClosed ||
			dt.ResolutionCode != ResolvedDuplicate || dt.ResolvedAt == nil || dt.ClosedAt == nil {
			t.Errorf("duplicate after merge: %+v; want closed as a duplicate of %d", dt, into.ID)
		}
		if it := f.ticket(t, into.ID); it.State != StateAssigned || it.MergedIntoID != nil {
			t.Errorf("target after merge: state %s; want it untouched", it.State)
		}
		for id, want := range map[uint]string{dup.ID: "összevontuk ezzel: " + into.Number, into.ID: dup.Number} {
			var cs []Comment
			must(t, d.W.Where("ticket_id = ?", id).Find(&cs).Error)
			if len(cs) != 1 || cs[0].Internal || !strings.Contains(cs[0].Body, want) {
				t.Errorf("comments on %d = %+v; want one the reporter sees naming %q", id, cs, want)
			}
		}
		var evs []TicketEvent
		must(t, d.W.Where("ticket_id = ? AND kind = ?", dup.ID, EventState).Order("id").Find(&evs).Error)
		var states []string
		for _, e := range evs {
			states = append(states, e.To)
		}
		if strings.Join(states, ",") != "new,resolved,closed" {
			t.Errorf("duplicate's log = %v; want new, resolved, closed", states)
		}
		r, err := f.s.RelatedOf(ctx, f.it1, into.ID)
		must(t, err)
		if len(r.Merged) != 1 || r.Merged[0].ID != dup.ID {
			t.Errorf("target's related = %+v; want the duplicate", r)
		}
	})
}

// TestMergeRefusals: not into itself, not a closed ticket either way, not
// into a ticket merged itself, not into a number staff cannot see.
func TestMergeRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withCatalog(t, newFixture(t, d))
		ctx := context.Background()
		a, b, c := f.report(t, f.emp), f.report(t, f.emp), f.report(t, f.emp)
		if err := f.s.Merge(ctx, f.it1, a.ID, a.ID); !errors.Is(err, ErrMergeSelf) {
			t.Errorf("merge into itself: %v; want ErrMergeSelf", err)
		}
		must(t, f.s.Merge(ctx, f.it1, b.ID, c.ID))
		if err := f.s.Merge(ctx, f.it1, a.ID, b.ID); !errors.Is(err, ErrMergeClosed) {
			t.Errorf("merge into a closed duplicate: %v; want ErrMergeClosed", err)
		}
		if err := f.s.Merge(ctx, f.it1, b.ID, a.ID); !errors.Is(err, ErrMergeClosed) {
			t.Errorf("merge a closed ticket: %v; want ErrMergeClosed", err)
		}
		// A merged ticket that is open again (nothing reopens one today, but
		// the rule holds on the data) does not take merges: no chains.
		must(t, d.W.Model(&Ticket{}).Where("id = ?", b.ID).Updates(map[string]any{"state": StateInProgress}).Error)
		if err := f.s.Merge(ctx, f.it1, a.ID, b.ID); !errors.Is(err, ErrMergeChain) {
			t.Errorf("merge into a merged ticket: %v; want ErrMergeChain", err)
		}
		in := f.input()
		in.QueueKey, in.CategoryID = QueueMaintenance, f.maintCat
		m, err := f.s.Report(ctx, f.emp, in)
		must(t, err)
		for _, n := range []string{m.Number, "IT-99999", "nonsense", "MAINTENANCE-" + strings.TrimPrefix(a.Number, "IT-")} {
			if _, err := f.s.MergeByNumber(ctx, f.it1, a.ID, n); !errors.Is(err, ErrOtherNumber) {
				t.Errorf("merge into %q: %v; want ErrOtherNumber", n, err)
			}
		}
		if got := f.ticket(t, a.ID); got.State != StateNew || got.MergedIntoID != nil {
			t.Errorf("refused merges changed the ticket: %+v", got)
		}
	})
}

// TestLinkIsSymmetric: a link shows on both tickets, once, never to itself,
// and unlinking from either side removes it.
func TestLinkIsSymmetric(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withCatalog(t, newFixture(t, d))
		ctx := context.Background()
		a, b := f.report(t, f.emp), f.report(t, f.other)
		if _, err := f.s.Link(ctx, f.it1, a.ID, a.Number); !errors.Is(err, ErrLinkSelf) {
			t.Errorf("link to itself: %v; want ErrLinkSelf", err)
		}
		if _, err := f.s.Link(ctx, f.emp, a.ID, b.Number); !errors.Is(err, ErrForbidden) {
			t.Errorf("the reporter links: %v; want ErrForbidden", err)
		}
		_, err := f.s.Link(ctx, f.it1, a.ID, b.Number)
		must(t, err)
		if _, err := f.s.Link(ctx, f.it2, b.ID, a.Number); !errors.Is(err, ErrLinkExists) {
			t.Errorf("the same pair from the other side: %v; want ErrLinkExists", err)
		}
		for _, pair := range [][2]uint{{a.ID, b.ID}, {b.ID, a.ID}} {
			r, err := f.s.RelatedOf(ctx, f.it2, pair[0])
			must(t, err)
			if len(r.Links) != 1 || r.Links[0].ID != pair[1] {
				t.Errorf("links of %d = %+v; want %d", pair[0], r.Links, pair[1])
			}
		}
		_, err = f.s.Unlink(ctx, f.it2, b.ID, a.ID)
		must(t, err)
		if r, _ := f.s.RelatedOf(ctx, f.it1, a.ID); len(r.Links) != 0 {
			t.Errorf("links after unlink = %+v; want none", r.Links)
		}
		if _, err := f.s.Unlink(ctx, f.it2, b.ID, a.ID); !errors.Is(err, ErrLinkNotFound) {
			t.Errorf("unlink twice: %v; want ErrLinkNotFound", err)
		}
	})
}

// TestMergeRace: two staff merging two tickets into each other at once:
// one merge wins; one into a second while the second goes into a third:
// whichever order they take, no ticket is left merged into a merged one.
func TestMergeRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withCatalog(t, newFixture(t, d))
		ctx := context.Background()
		for i := 0; i < 8; i++ {
			a, b, c := f.report(t, f.emp), f.report(t, f.other), f.report(t, f.emp)
			merges := [][2]uint{{a.ID, b.ID}, {b.ID, a.ID}}
			if i%2 == 1 {
				merges = [][2]uint{{a.ID, b.ID}, {b.ID, c.ID}} // a chain if both won
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			for j, m := range merges {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[j] = f.s.Merge(ctx, []actor.Actor{f.it1, f.it2}[j], m[0], m[1])
				}()
			}
			close(start)
			wg.Wait()
			switch {
			case i%2 == 0 && (errs[0] == nil) == (errs[1] == nil):
				t.Fatalf("round %d: errors %v; want exactly one of the mutual merges to win", i, errs)
			case errs[0] != nil && errs[1] != nil:
				t.Fatalf("round %d: errors %v; want a merge to win", i, errs)
			}
			for _, err := range errs {
				if err != nil && !errors.Is(err, ErrChanged) && !errors.Is(err, ErrMergeClosed) && !errors.Is(err, ErrMergeChain) {
					t.Errorf("round %d: loser got %v; want a conflict it can explain", i, err)
				}
			}
			var chained int64
			must(t, d.W.Model(&Ticket{}).Where("merged_into_id IN (SELECT id FROM helpdesk_tickets WHERE merged_into_id IS NOT NULL)").Count(&chained).Error)
			if chained != 0 {
				t.Fatalf("round %d: %d tickets merged into a merged ticket", i, chained)
			}
		}
	})
}
