package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	sched "kapu/modules/platform/schedule"
)

var budapest = mustZone("Europe/Budapest")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newScheduler migrates d and returns a scheduler on it that is shut down when the test ends.
func newScheduler(t *testing.T, d *db.DB) *Scheduler {
	t.Helper()
	if err := d.Migrate(context.Background(), Models(), nil); err != nil {
		t.Fatal(err)
	}
	s, err := New(d, budapest, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown() })
	return s
}

func scheduledRuns(t *testing.T, d *db.DB, job string) []Run {
	t.Helper()
	var runs []Run
	if err := d.R.Where("job = ? AND trigger = ?", job, TriggerSchedule).Order("id").Find(&runs).Error; err != nil {
		t.Fatal(err)
	}
	return runs
}

// Two replicas on one database run the same one-second job; every slot must
// run exactly once, on one of them.
func TestReplicasRunEachSlotOnce(t *testing.T) {
	t.Parallel()
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			dsn := dbtest.DSN(t, dialect)
			var replicas [2]*db.DB
			for i := range replicas {
				d, err := db.Open(dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				replicas[i] = d
			}
			var ran atomic.Int64
			tick := func(context.Context) error { ran.Add(1); return nil }
			var scheds []*Scheduler
			for i, d := range replicas {
				s := newScheduler(t, d)
				s.node = []string{"replica-a", "replica-b"}[i]
				if err := s.Every("tick", time.Second, tick); err != nil {
					t.Fatal(err)
				}
				scheds = append(scheds, s)
			}
			for _, s := range scheds {
				s.Start()
			}
			time.Sleep(3500 * time.Millisecond)
			for _, s := range scheds {
				if err := s.Shutdown(); err != nil {
					t.Fatal(err)
				}
			}

			runs := scheduledRuns(t, replicas[0], "tick")
			perSlot := map[string]int{}
			for _, r := range runs {
				if r.Outcome != OutcomeOK || r.FinishedAt == nil {
					t.Errorf("run %d of slot %s on %s: outcome %q, finished %v; want ok and finished", r.ID, r.Slot, r.Node, r.Outcome, r.FinishedAt)
				}
				perSlot[r.Slot]++
			}
			for slot, n := range perSlot {
				if n != 1 {
					t.Errorf("slot %s ran %d times; want once", slot, n)
				}
			}
			if len(perSlot) < 2 || len(perSlot) > 4 {
				t.Errorf("%d distinct slots in 3.5 s of a 1 s job; want 2 to 4", len(perSlot))
			}
			if got := ran.Load(); got != int64(len(perSlot)) {
				t.Errorf("the job ran %d times for %d slots; want once per slot", got, len(perSlot))
			}
			var locks int64
			if err := replicas[1].R.Model(&SlotLock{}).Where("job = ?", "tick").Count(&locks).Error; err != nil {
				t.Fatal(err)
			}
			if locks != int64(len(perSlot)) {
				t.Errorf("%d slot locks for %d slots; want one each", locks, len(perSlot))
			}
		})
	}
}

func TestRunNowRecordsOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		ctx := context.Background()
		must(t, s.Every("fine", time.Hour, func(context.Context) error { return nil }))
		must(t, s.Every("broken", time.Hour, func(context.Context) error { return errors.New("disk full") }))
		must(t, s.Daily("panicky", 4, 0, func(context.Context) error { panic("boom") }))

		tests := []struct {
			job, outcome, errText string
		}{
			{"fine", OutcomeOK, ""},
			{"broken", OutcomeError, "disk full"},
			{"panicky", OutcomeError, "panic: boom"},
		}
		for _, tt := range tests {
			run, err := s.RunNow(ctx, tt.job)
			if (err != nil) != (tt.errText != "") {
				t.Errorf("RunNow(%s) error = %v; want an error: %v", tt.job, err, tt.errText != "")
			}
			var stored Run
			if err := d.R.First(&stored, run.ID).Error; err != nil {
				t.Fatalf("RunNow(%s) left no row: %v", tt.job, err)
			}
			if stored.Trigger != TriggerManual || stored.Slot != "" || stored.Outcome != tt.outcome ||
				stored.Error != tt.errText || stored.FinishedAt == nil || stored.Node == "" {
				t.Errorf("RunNow(%s) stored %+v; want manual, no slot, outcome %s, error %q, finished", tt.job, stored, tt.outcome, tt.errText)
			}
		}
		if _, err := s.RunNow(ctx, "nope"); !errors.Is(err, ErrUnknownJob) {
			t.Errorf("RunNow(nope) = %v; want ErrUnknownJob", err)
		}
	})
}

// A job that panics on every slot is recorded each time, and the other jobs
// (and the process) keep going.
func TestPanickingJobDoesNotStopScheduler(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		s := newScheduler(t, d)
		var steady atomic.Int64
		must(t, s.Every("boom", time.Second, func(context.Context) error { panic("boom") }))
		must(t, s.Every("steady", time.Second, func(context.Context) error { steady.Add(1); return nil }))
		s.Start()
		deadline := time.Now().Add(4 * time.Second)
		for time.Now().Before(deadline) && (steady.Load() < 2 || len(finishedRuns(t, d, "boom")) < 2) {
			time.Sleep(100 * time.Millisecond)
		}
		must(t, s.Shutdown())
		booms := finishedRuns(t, d, "boom")
		if len(booms) < 2 {
			t.Fatalf("the panicking job ran %d times; want it to keep being scheduled", len(booms))
		}
		for _, r := range booms {
			if r.Outcome != OutcomeError || !strings.Contains(r.Error, "boom") {
				t.Errorf("panicking run = %q %q; want error mentioning boom", r.Outcome, r.Error)
			}
		}
		if steady.Load() < 2 {
			t.Errorf("the steady job ran %d times beside the panicking one; want at least 2", steady.Load())
		}
	})
}

func finishedRuns(t *testing.T, d *db.DB, job string) []Run {
	var out []Run
	for _, r := range scheduledRuns(t, d, job) {
		if r.FinishedAt != nil {
			out = append(out, r)
		}
	}
	return out
}

func TestJobsDescribesSchedules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		must(t, s.Every("often", 10*time.Second, func(context.Context) error { return nil }))
		must(t, s.Daily("nightly", 2, 30, func(context.Context) error { return nil }))
		if _, err := s.RunNow(context.Background(), "often"); err != nil {
			t.Fatal(err)
		}
		s.Start()
		start := time.Now()

		infos := map[string]JobInfo{}
		var order []string
		for _, info := range s.Jobs() {
			infos[info.Name] = info
			order = append(order, info.Name)
		}
		if strings.Join(order, ",") != PruneJob+",often,nightly" {
			t.Errorf("Jobs() order = %v; want registration order", order)
		}
		often, nightly := infos["often"], infos["nightly"]
		if often.Schedule != "every 10s" || often.Interval != 10*time.Second {
			t.Errorf("often: schedule %q, interval %s; want every 10s", often.Schedule, often.Interval)
		}
		if nightly.Schedule != "daily 02:30" || nightly.At != "02:30" {
			t.Errorf("nightly: schedule %q, at %q; want daily 02:30", nightly.Schedule, nightly.At)
		}
		if infos[PruneJob].Schedule != "daily 03:10" {
			t.Errorf("prune schedule = %q; want daily 03:10", infos[PruneJob].Schedule)
		}
		// Interval runs sit on the grid: a multiple of 10 s since midnight, within the next 10 s.
		next := often.NextRun
		if next.IsZero() || next.Sub(start) > 10*time.Second || next.Before(start.Add(-time.Second)) ||
			next.Sub(startOfDay(next, budapest))%(10*time.Second) != 0 {
			t.Errorf("often next run = %v (now %v); want the next multiple of 10 s", next, start)
		}
		// The daily run is at 02:30 Budapest time, whatever the machine's zone.
		local := nightly.NextRun.In(budapest)
		want := time.Date(local.Year(), local.Month(), local.Day(), 2, 30, 0, 0, budapest)
		if !nightly.NextRun.Equal(want) || nightly.NextRun.Sub(start) > 25*time.Hour {
			t.Errorf("nightly next run = %v; want the next 02:30 in Budapest", local)
		}
		if often.LastRun == nil || often.LastRun.Trigger != TriggerManual || nightly.LastRun != nil {
			t.Errorf("last runs: often %+v, nightly %+v; want often's manual run and none for nightly", often.LastRun, nightly.LastRun)
		}
	})
}

func TestRegistrationErrors(t *testing.T) {
	s := newScheduler(t, dbtest.Open(t, db.SQLite))
	noop := func(context.Context) error { return nil }
	must(t, s.Every("a", time.Minute, noop))
	for name, err := range map[string]error{
		"duplicate":   s.Every("a", time.Minute, noop),
		"prune again": s.Daily(PruneJob, 1, 0, noop),
		"sub-second":  s.Every("b", 500*time.Millisecond, noop),
		"over a day":  s.Every("c", 25*time.Hour, noop),
		"bad hour":    s.Daily("d", 24, 0, noop),
		"bad minute":  s.Daily("e", 1, 60, noop),
		"empty name":  s.Every("", time.Minute, noop),
		"long name":   s.Every(strings.Repeat("x", 101), time.Minute, noop),
		"no function": s.Every("f", time.Minute, nil),
	} {
		if err == nil {
			t.Errorf("%s: registered; want an error", name)
		}
	}
	if n := len(s.Jobs()); n != 2 {
		t.Errorf("%d jobs registered; want prune and a only", n)
	}
}

func TestPrune(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		now := time.Date(2026, 3, 29, 1, 10, 0, 0, time.UTC)
		s.now = func() time.Time { return now }
		old := now.AddDate(0, 0, -40)
		var runs []Run
		for i := range 60 { // a frequent job: only its newest 50 survive
			runs = append(runs, Run{Job: "frequent", Trigger: TriggerSchedule, Node: "n", StartedAt: old.Add(time.Duration(i) * time.Minute), Outcome: OutcomeOK})
		}
		for i := range 3 {
			runs = append(runs, Run{Job: "frequent", Trigger: TriggerSchedule, Node: "n", StartedAt: now.Add(-time.Duration(i) * time.Hour), Outcome: OutcomeOK})
		}
		for i := range 5 { // a rare job keeps its few old runs
			runs = append(runs, Run{Job: "rare", Trigger: TriggerSchedule, Node: "n", StartedAt: old.AddDate(0, 0, -i), Outcome: OutcomeOK})
		}
		must(t, d.W.Create(&runs).Error)
		locks := []SlotLock{
			{Job: "frequent", Slot: "old", AcquiredAt: old, Node: "n"},
			{Job: "frequent", Slot: "new", AcquiredAt: now.Add(-time.Hour), Node: "n"},
		}
		must(t, d.W.Create(&locks).Error)

		must(t, s.prune(context.Background()))

		count := func(model any, where string, args ...any) int64 {
			var n int64
			must(t, d.R.Model(model).Where(where, args...).Count(&n).Error)
			return n
		}
		if n := count(&Run{}, "job = ?", "frequent"); n != keepRunsFromJob {
			t.Errorf("frequent job keeps %d runs; want %d", n, keepRunsFromJob)
		}
		if n := count(&Run{}, "job = ? AND started_at > ?", "frequent", now.AddDate(0, 0, -1)); n != 3 {
			t.Errorf("frequent job keeps %d recent runs; want all 3", n)
		}
		if n := count(&Run{}, "job = ?", "rare"); n != 5 {
			t.Errorf("rare job keeps %d runs; want all 5", n)
		}
		if n := count(&SlotLock{}, "1 = 1"); n != 1 || count(&SlotLock{}, "slot = ?", "new") != 1 {
			t.Errorf("%d slot locks left; want only the recent one", n)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A scheduled run that finds nothing to do is counted, not listed; a manual
// one is listed as "idle" and is no failure.
func TestIdleRunsAreCounted(t *testing.T) {
	t.Parallel()
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := dbtest.Open(t, dialect)
			s := newScheduler(t, d)
			var calls atomic.Int64
			if err := s.Every("quiet", time.Second, func(context.Context) error {
				calls.Add(1)
				return sched.Did(0, nil)
			}); err != nil {
				t.Fatal(err)
			}
			if err := s.Every("busy", time.Second, func(context.Context) error { return sched.Did(3, nil) }); err != nil {
				t.Fatal(err)
			}
			s.Start()
			deadline := time.Now().Add(10 * time.Second)
			for calls.Load() < 2 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if err := s.Shutdown(); err != nil {
				t.Fatal(err)
			}
			if runs := scheduledRuns(t, d, "quiet"); len(runs) != 0 {
				t.Errorf("idle runs listed: %d rows; want none", len(runs))
			}
			if len(scheduledRuns(t, d, "busy")) == 0 {
				t.Errorf("the runs that did something are not listed")
			}
			var idle IdleRuns
			if err := d.R.Where("job = ?", "quiet").First(&idle).Error; err != nil {
				t.Fatal(err)
			}
			if idle.Count != calls.Load() || idle.LastAt.Before(idle.Since) {
				t.Errorf("idle count %d (since %v, last %v); want %d", idle.Count, idle.Since, idle.LastAt, calls.Load())
			}
			for _, info := range s.Jobs() {
				if info.Name == "quiet" && (info.Idle == nil || info.Idle.Count != idle.Count) {
					t.Errorf("Jobs() reports the idle count as %+v", info.Idle)
				}
			}

			run, err := s.RunNow(context.Background(), "quiet")
			if err != nil || run.Outcome != OutcomeIdle || run.ID == 0 {
				t.Errorf("a manual idle run = %+v, %v; want a listed idle run and no error", run, err)
			}
		})
	}
}
