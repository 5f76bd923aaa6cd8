package helpdesk

import (
	"context"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// at is a wall time in Budapest in the week of testNow (2 March 2026 is a Monday).
func at(day, hh, mm int) time.Time { return time.Date(2026, 3, day, hh, mm, 0, 0, budapest) }

func sameInstant(got *time.Time, want time.Time) bool {
	return got != nil && got.Equal(want)
}

// TestSLAColumnsFollowTheLog walks one ticket through a week and checks the
// cached SLA columns against figures worked out by hand: business hours
// 7:30–16:00 (510 minutes a day), priority 3 (hinders, medium urgency):
// first response in 240 minutes, resolution in 1530.
func TestSLAColumnsFollowTheLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.clock = at(2, 9, 0)
		tk := f.report(t, f.emp)
		got := f.ticket(t, tk.ID)
		if tk.Priority != 3 || !sameInstant(got.ResponseDueAt, at(2, 13, 0)) || !sameInstant(got.DueAt, at(5, 9, 0)) ||
			!sameInstant(got.SLAWarnAt, at(2, 12, 12)) || got.ResponseMins != nil {
			t.Fatalf("after the report: priority %d, response due %v, due %v, warn %v, response mins %v; want 3, Mon 13:00, Thu 9:00, Mon 12:12, none",
				tk.Priority, got.ResponseDueAt, got.DueAt, got.SLAWarnAt, got.ResponseMins)
		}

		f.clock = at(2, 10, 0)
		must(t, f.s.Take(ctx, f.it1, tk.ID))
		got = f.ticket(t, tk.ID)
		if got.ResponseMins == nil || *got.ResponseMins != 60 || got.ResponseDueAt != nil || !sameInstant(got.SLAWarnAt, at(4, 12, 24)) {
			t.Errorf("after the take: response mins %v, response due %v, warn %v; want 60, none, Wed 12:24", got.ResponseMins, got.ResponseDueAt, got.SLAWarnAt)
		}

		f.clock = at(2, 11, 0)
		must(t, f.s.ChangeState(ctx, f.it1, tk.ID, StateWaitingReporter, "Melyik nyomtató?"))
		if got = f.ticket(t, tk.ID); got.DueAt != nil || got.SLAWarnAt != nil {
			t.Errorf("waiting for the reporter: due %v, warn %v; want none (the clock stands)", got.DueAt, got.SLAWarnAt)
		}

		// The answer a business day later: 510 minutes paused, 120 used, so
		// 1410 left from Tuesday 11:00 → Friday 9:00.
		f.clock = at(3, 11, 0)
		_, err := f.s.AddComment(ctx, f.emp, tk.ID, "A második emeleti.", false)
		must(t, err)
		if got = f.ticket(t, tk.ID); got.State != StateInProgress || !sameInstant(got.DueAt, at(6, 9, 0)) {
			t.Errorf("after the answer: state %s, due %v; want in progress, Fri 9:00", got.State, got.DueAt)
		}

		f.clock = at(6, 8, 0)
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedRepaired, "Tisztítva."))
		got = f.ticket(t, tk.ID)
		if got.ResolveMins == nil || *got.ResolveMins != 1470 || got.DueAt != nil || got.SLABreached || got.ResolutionCode != ResolvedRepaired {
			t.Errorf("after the resolution: resolve mins %v, due %v, breached %v, code %q; want 1470, none, false, repaired",
				got.ResolveMins, got.DueAt, got.SLABreached, got.ResolutionCode)
		}
		if !got.UpdatedAt.Equal(f.clock) {
			t.Errorf("updated at %v; want the resolution's %v (a cache refresh is no change)", got.UpdatedAt, f.clock)
		}
	})
}

// TestSLAJobMailsEachMarkOnce: priority 2 (blocks, medium): response 60
// minutes (warning at 48), resolution 510 (warning at 408). Each mark is
// acted on once; the first response stops the response clock, and the
// resolution's own warning comes later.
func TestSLAJobMailsEachMarkOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.clock = at(2, 9, 0)
		in := f.input()
		in.Impact = ImpactBlocks
		tk, err := f.s.Report(ctx, f.emp, in)
		must(t, err)
		run := func(when time.Time, want int, what string) {
			t.Helper()
			f.clock = when
			n, err := f.s.MailSLA(ctx)
			if err != nil || n != want {
				t.Errorf("%s at %s: MailSLA = %d, %v; want %d", what, when.Format("Mon 15:04"), n, err, want)
			}
		}
		run(at(2, 9, 47), 0, "before the warning")
		run(at(2, 9, 48), 1, "the response warning")
		run(at(2, 9, 50), 0, "the warning again")
		run(at(2, 10, 0), 1, "the response breach")
		run(at(2, 10, 1), 0, "the breach again")
		got := f.ticket(t, tk.ID)
		if !got.SLABreached || got.WarnMailedAt == nil || got.BreachMailedAt == nil {
			t.Errorf("breached %v, warned %v, breach mailed %v; want all set", got.SLABreached, got.WarnMailedAt, got.BreachMailedAt)
		}

		f.clock = at(2, 10, 5)
		must(t, f.s.Take(ctx, f.it1, tk.ID))
		got = f.ticket(t, tk.ID)
		if !got.SLABreached || got.WarnMailedAt != nil || !sameInstant(got.SLAWarnAt, at(2, 15, 48)) {
			t.Errorf("after the take: breached %v, warn mailed %v, warn at %v; want still breached, cleared, 15:48",
				got.SLABreached, got.WarnMailedAt, got.SLAWarnAt)
		}
		run(at(2, 15, 47), 0, "before the resolution's warning")
		run(at(2, 15, 48), 1, "the resolution's warning")
		run(at(3, 9, 0), 1, "the resolution's breach")
		run(at(3, 9, 30), 0, "after everything")

		// A resolved ticket is never mailed, whatever its columns say.
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedAdvice, ""))
		must(t, d.W.Model(&Ticket{}).Where("id = ?", tk.ID).UpdateColumns(map[string]any{"sla_warn_at": at(3, 9, 0), "warn_mailed_at": nil}).Error)
		run(at(3, 10, 0), 0, "a resolved ticket")
	})
}
