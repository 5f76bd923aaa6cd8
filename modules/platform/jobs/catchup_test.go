package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestLastSlot(t *testing.T) {
	tests := []struct {
		name   string
		hh, mm int
		at     string // UTC
		want   string
	}{
		{"before today's time", 1, 0, "2026-12-01T23:30:00Z", "2026-12-01 01:00"}, // 00:30 CET on 2 December
		{"just after today's time", 1, 0, "2026-12-02T00:00:01Z", "2026-12-02 01:00"},
		{"on the minute", 1, 0, "2026-12-02T00:00:00Z", "2026-12-02 01:00"},
		{"late evening", 9, 0, "2026-12-02T22:00:00Z", "2026-12-02 09:00"},
		{"summer, CEST", 0, 20, "2026-07-01T22:10:00Z", "2026-07-01 00:20"}, // 00:10 CEST on 2 July
		{"new year's night", 0, 20, "2026-12-31T23:10:00Z", "2026-12-31 00:20"},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		sc := schedule{hour: tt.hh, minute: tt.mm, loc: budapest}
		if got := sc.lastSlot(at); got != tt.want {
			t.Errorf("%s: lastSlot(daily %02d:%02d, %s) = %q; want %q", tt.name, tt.hh, tt.mm, tt.at, got, tt.want)
		}
	}
}

// Two replicas start together on one database after a night the server was
// down: the catch-up job runs once, on one of them, for its newest slot; a
// restart runs nothing again; jobs that are not catch-up jobs are left to the
// schedule; CatchUpAll runs it once more.
func TestCatchUpRunsMissedSlotOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 10, 0, 0, 0, budapest)
		var due, plain atomic.Int64
		var scheds []*Scheduler
		for _, node := range []string{"replica-a", "replica-b"} {
			s := newScheduler(t, d)
			s.node, s.now = node, func() time.Time { return now }
			must(t, s.DailyCatchUp("due", 1, 0, func(context.Context) error { due.Add(1); return nil }))
			must(t, s.Daily("plain", 8, 0, func(context.Context) error { plain.Add(1); return nil }))
			scheds = append(scheds, s)
		}
		var wg sync.WaitGroup
		for _, s := range scheds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.CatchUp(ctx); err != nil {
					t.Errorf("CatchUp: %v", err)
				}
			}()
		}
		wg.Wait()
		if due.Load() != 1 || plain.Load() != 0 {
			t.Fatalf("after two replicas' start-up: the catch-up job ran %d times, the plain job %d; want 1 and 0", due.Load(), plain.Load())
		}
		var runs []Run
		d.R.Where("job = ?", "due").Find(&runs)
		if len(runs) != 1 || runs[0].Trigger != TriggerCatchUp || runs[0].Slot != "2026-12-02 01:00" || runs[0].Outcome != OutcomeOK {
			t.Errorf("runs of the catch-up job = %+v; want one catch-up run of slot 2026-12-02 01:00", runs)
		}

		// A restart the same day: that slot ran, nothing to make good.
		must(t, scheds[0].CatchUp(ctx))
		if due.Load() != 1 {
			t.Errorf("a second start-up ran the job again (%d runs)", due.Load())
		}
		// The next day the scheduled run took its slot before a restart: still nothing.
		now = now.AddDate(0, 0, 1)
		must(t, claimSlot(ctx, d, "due", "2026-12-03 01:00", "replica-b", now))
		must(t, scheds[1].CatchUp(ctx))
		if due.Load() != 1 {
			t.Errorf("start-up after the scheduled run ran the job again (%d runs)", due.Load())
		}
		// New data (the demo) makes it run regardless, once per call.
		must(t, scheds[0].CatchUpAll(ctx))
		if due.Load() != 2 || plain.Load() != 0 {
			t.Errorf("CatchUpAll: catch-up job ran %d times, plain job %d; want 2 and 0", due.Load(), plain.Load())
		}
	})
}

// Shutdown waits for a catch-up under way and cancels it; a CatchUp after
// Shutdown runs nothing.
func TestShutdownStopsCatchUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		started, ended := make(chan struct{}), make(chan struct{})
		must(t, s.DailyCatchUp("slow", 1, 0, func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			close(ended)
			return ctx.Err()
		}))
		go func() { _ = s.CatchUp(context.Background()) }()
		<-started
		must(t, s.Shutdown())
		select {
		case <-ended:
		default:
			t.Fatal("Shutdown returned before the catch-up run ended")
		}
		if err := s.CatchUp(context.Background()); err == nil {
			t.Error("CatchUp after Shutdown = nil; want an error")
		}
	})
}
