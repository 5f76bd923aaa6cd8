package notify

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify/smtptest"
)

// crash is what a delivery dies of in these tests: the process stops at step.
type crash struct {
	step string
	id   uint
}

// crashAt makes o's delivery die the nth time it reaches step.
func crashAt(o *Outbox, step string, nth int) {
	seen := 0
	o.crashAt = func(s string, row *Mail) {
		if s == step {
			if seen++; seen == nth {
				panic(crash{step, row.ID})
			}
		}
	}
}

// deliverUntilCrash runs Deliver and returns the crash it died of.
func deliverUntilCrash(t *testing.T, o *Outbox) (c crash) {
	t.Helper()
	defer func() {
		r := recover()
		cr, ok := r.(crash)
		if !ok {
			t.Fatalf("Deliver did not crash as planned: %v", r)
		}
		c = cr
	}()
	_, _ = o.Deliver(context.Background())
	return crash{}
}

// restart is a fresh process on the same database and clock as o.
func restart(t *testing.T, o *Outbox, now time.Time) *Outbox {
	t.Helper()
	o2 := newOutboxOn(t, o.db, o.cfg)
	o2.now = func() time.Time { return now }
	return o2
}

// wantAllSentOnce checks that the outbox shows every row sent and that the
// server got each Message-ID as often as copies says (once when absent).
func wantAllSentOnce(t *testing.T, d *db.DB, s *smtptest.Sink, copies map[string]int) {
	t.Helper()
	ids := s.PerMessageID()
	for _, m := range allMail(t, d) {
		if m.Status != StatusSent {
			t.Errorf("%s: row is %s (%q); want sent", m.To, m.Status, m.LastError)
		}
		want := copies[m.To]
		if want == 0 {
			want = 1
		}
		id := "<" + messageID(&m, testConfig(nil)) + ">"
		if ids[id] != want {
			t.Errorf("%s: server got %s %d times; want %d", m.To, id, ids[id], want)
		}
		delete(ids, id)
	}
	if len(ids) > 0 {
		t.Errorf("server got messages the outbox does not know: %v", ids)
	}
}

// (a) Kapu dies after claiming a message, before the server saw it: the rows
// after it go out with the next run, and the claimed one once its lease is
// over — each exactly once, none failed.
func TestCrashAfterClaim(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		start := time.Now().UTC()
		o.now = func() time.Time { return start }
		enqueue(t, o, notice("c", "anna@example.org"), notice("c", "bela@example.org"), notice("c", "cecil@example.org"))
		crashAt(o, stepClaimed, 2)
		deliverUntilCrash(t, o)

		if got := s.Messages(); len(got) != 1 || got[0].To() != "anna@example.org" {
			t.Fatalf("before the crash the server got %d messages; want Anna's", len(got))
		}
		if m := mailTo(t, d, "bela@example.org"); m.Status != StatusSending {
			t.Errorf("the message in flight is %s; want sending until its lease ends", m.Status)
		}
		if m := mailTo(t, d, "cecil@example.org"); m.Status != StatusQueued || m.Attempts != 0 {
			t.Errorf("the message not yet attempted is %s after %d attempts; want queued, untouched", m.Status, m.Attempts)
		}

		o = restart(t, o, start.Add(10*time.Second))
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
			t.Fatalf("Deliver after the restart = %d, %v; want 1 (Cecil's), nil", sent, err)
		}
		o = restart(t, o, start.Add(lease+time.Second))
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
			t.Fatalf("Deliver after the lease = %d, %v; want 1 (Béla's), nil", sent, err)
		}
		wantAllSentOnce(t, d, s, nil)
		if m := mailTo(t, d, "bela@example.org"); m.Attempts != 2 {
			t.Errorf("interrupted message: %d attempts; want 2", m.Attempts)
		}
	})
}

// (b) The server took a message but Kapu never learnt it: the connection broke
// before the reply, or Kapu died before marking the row. The message goes
// again with the same Message-ID (at least once), the server has it twice,
// and the outbox shows it sent once. The rows after it still go out.
func TestMessageInDoubtSentAgain(t *testing.T) {
	for _, c := range []struct {
		name  string
		cut   func(s *smtptest.Sink, o *Outbox)
		retry time.Duration // when the message in doubt goes again
	}{
		{"connection lost after DATA", func(s *smtptest.Sink, o *Outbox) { s.DropAfter("bela@example.org") }, firstBackoff},
		{"crash after DATA before the mark", func(s *smtptest.Sink, o *Outbox) { crashAt(o, stepSent, 2) }, lease},
	} {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				s := smtptest.New(t)
				o := newTestOutbox(t, d, testConfig(s))
				start := time.Now().UTC()
				o.now = func() time.Time { return start }
				enqueue(t, o, notice("b", "anna@example.org"), notice("b", "bela@example.org"), notice("b", "cecil@example.org"))
				c.cut(s, o)
				func() {
					defer func() { recover() }()
					o.Deliver(context.Background())
				}()
				if got := s.Messages(); len(got) != 2 || got[1].To() != "bela@example.org" {
					t.Fatalf("the server got %d messages; want Anna's and Béla's", len(got))
				}
				if m := mailTo(t, d, "bela@example.org"); m.Status == StatusSent || m.Status == StatusFailed {
					t.Errorf("the message in doubt is %s; want it to go again", m.Status)
				}

				o = restart(t, o, start.Add(time.Second))
				if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
					t.Fatalf("next run = %d, %v; want 1 (Cecil's), nil", sent, err)
				}
				o = restart(t, o, start.Add(c.retry+2*time.Second))
				if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
					t.Fatalf("run after %v = %d, %v; want 1 (Béla's again), nil", c.retry, sent, err)
				}
				wantAllSentOnce(t, d, s, map[string]int{"bela@example.org": 2})
				counts, err := o.Counts(context.Background())
				if err != nil || counts[StatusSent] != 3 || len(allMail(t, d)) != 3 {
					t.Errorf("outbox counts %v, %v; want 3 rows, all sent", counts, err)
				}
				if sent, err := o.Deliver(context.Background()); err != nil || sent != 0 {
					t.Errorf("a further run = %d, %v; want 0, nil", sent, err)
				}
			})
		})
	}
}

// (c) Kapu dies, or its run is cancelled, after message 4 of 10: the 6 rows
// not yet attempted are still queued, untouched, and the next run sends them;
// none is failed, none sent twice.
func TestCrashMidBatch(t *testing.T) {
	for _, c := range []struct {
		name string
		stop func(o *Outbox, cancel context.CancelFunc)
	}{
		{"process dies", func(o *Outbox, _ context.CancelFunc) { crashAt(o, stepMarked, 4) }},
		{"run cancelled", func(o *Outbox, cancel context.CancelFunc) {
			seen := 0
			o.crashAt = func(step string, _ *Mail) {
				if step == stepMarked {
					if seen++; seen == 4 {
						cancel()
					}
				}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				s := smtptest.New(t)
				o := newTestOutbox(t, d, testConfig(s))
				start := time.Now().UTC()
				o.now = func() time.Time { return start }
				const n = 10
				msgs := make([]Message, n)
				for i := range msgs {
					msgs[i] = notice("m", fmt.Sprintf("p%02d@example.org", i))
				}
				enqueue(t, o, msgs...)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				c.stop(o, cancel)
				func() {
					defer func() { recover() }()
					o.Deliver(ctx)
				}()
				if got := s.Accepted(); got != 4 {
					t.Fatalf("before stopping the server got %d messages; want 4", got)
				}
				for i, m := range allMail(t, d) {
					want := StatusQueued
					if i < 4 {
						want = StatusSent
					}
					if m.Status != want || (want == StatusQueued && m.Attempts != 0) {
						t.Errorf("row %d after the stop: %s after %d attempts; want %s", i+1, m.Status, m.Attempts, want)
					}
				}

				o = restart(t, o, start.Add(time.Second))
				if sent, err := o.Deliver(context.Background()); err != nil || sent != n-4 {
					t.Fatalf("next run = %d, %v; want %d, nil", sent, err, n-4)
				}
				wantAllSentOnce(t, d, s, nil)
			})
		})
	}
}

// Of several workers claiming the same due row at once, exactly one wins.
func TestTakeHasOneWinner(t *testing.T) {
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbtest.DSN(t, dialect)
			s := smtptest.New(t)
			cfg := testConfig(s)
			var outs []*Outbox
			for i := 0; i < 4; i++ {
				d, err := db.Open(dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				if i == 0 {
					outs = append(outs, newTestOutbox(t, d, cfg))
				} else {
					outs = append(outs, newOutboxOn(t, d, cfg))
				}
			}
			enqueue(t, outs[0], notice("t", "anna@example.org"))
			row := mailTo(t, outs[0].db, "anna@example.org")
			var wg sync.WaitGroup
			var mu sync.Mutex
			wins := 0
			for _, o := range outs {
				for k := 0; k < 2; k++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						mine := row
						ok, err := o.take(context.Background(), &mine, newToken())
						if err != nil {
							t.Error(err)
						}
						if ok {
							mu.Lock()
							wins++
							mu.Unlock()
						}
					}()
				}
			}
			wg.Wait()
			if wins != 1 {
				t.Errorf("%d workers claimed the row; want exactly 1", wins)
			}
		})
	}
}
