package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// DailyCatchUp registers a daily job for work due on dates. Its function must
// apply every due date up to today not yet applied, keyed in the database
// (a ledger entry, a setting), so that any one run makes good every day Kapu
// was not running. Besides its daily slot it runs from CatchUp and CatchUpAll.
func (s *Scheduler) DailyCatchUp(name string, hh, mm int, fn Func) error {
	if err := s.Daily(name, hh, mm, fn); err != nil {
		return err
	}
	s.mu.Lock()
	s.byName[name].catchUp = true
	s.mu.Unlock()
	return nil
}

// CatchUp runs, one after another in registration order, each catch-up job
// whose newest due slot (the last time its hh:mm came round) has not run on
// any replica: the server was down then, or the database is new. It claims
// that slot first, so of several replicas starting together one runs it, and
// a restart later the same day runs nothing again. Call it once at start-up,
// after the migrations and the demo; it does not need Start. A failed job is
// recorded and logged like any run, and the others still run.
func (s *Scheduler) CatchUp(ctx context.Context) error { return s.catchUp(ctx, false) }

// CatchUpAll runs every catch-up job now, also those whose newest slot has
// run: for data loaded into a running installation (the demo), which that
// run did not see. It claims the slot when it is free, so start-up does not
// repeat the work; the jobs' own keys make a second run change nothing.
func (s *Scheduler) CatchUpAll(ctx context.Context) error { return s.catchUp(ctx, true) }

func (s *Scheduler) catchUp(ctx context.Context, all bool) error {
	s.mu.Lock()
	if s.stopped.Err() != nil {
		s.mu.Unlock()
		return errors.New("jobs: shut down")
	}
	s.catchUps.Add(1)
	list := slices.Clone(s.jobs)
	s.mu.Unlock()
	defer s.catchUps.Done()

	// Shutdown cancels the runs (see call); stop between jobs as well.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.stopped, cancel)()

	var failed []error
	for _, j := range list {
		if !j.catchUp {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		slot := j.sched.lastSlot(s.now())
		err := claimSlot(ctx, s.d, j.name, slot, s.node, s.now().UTC())
		switch {
		case errors.Is(err, ErrSlotTaken) && !all:
			s.log.Debug("job slot already ran; no catch-up", "job", j.name, "slot", slot)
			continue
		case errors.Is(err, ErrSlotTaken):
			slot = "" // an extra run, like a manual one
		case err != nil:
			// Without the lock another replica may be running it: leave it to the schedule.
			s.log.Error("job slot not claimed for catch-up", "job", j.name, "slot", slot, "error", err)
			failed = append(failed, fmt.Errorf("%s: %w", j.name, err))
			continue
		}
		if _, err := s.execute(ctx, j, slot, TriggerCatchUp); err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", j.name, err))
		}
	}
	return errors.Join(failed...)
}

// lastSlot names the daily slot that came round last, at or before t: today's
// hh:mm once it has passed, yesterday's before that. The name is the one the
// locker gives the scheduled run of that slot (see slotAt).
func (sc schedule) lastSlot(t time.Time) string {
	local := t.In(sc.loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	if at := time.Date(day.Year(), day.Month(), day.Day(), sc.hour, sc.minute, 0, 0, sc.loc); at.After(t) {
		day = day.AddDate(0, 0, -1)
	}
	return fmt.Sprintf("%s %02d:%02d", day.Format(time.DateOnly), sc.hour, sc.minute)
}
