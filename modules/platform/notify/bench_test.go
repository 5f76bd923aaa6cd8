package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify/smtptest"
)

// BenchmarkDeliver sends 10,000 queued messages to the local SMTP sink per
// iteration and reports the rate (target: at least 300 messages a second).
func BenchmarkDeliver(b *testing.B) {
	const n = 10_000
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := dbtest.Open(b, dialect)
			s := smtptest.New(b)
			s.Discard()
			o := newTestOutbox(b, d, testConfig(s))
			var elapsed time.Duration
			round := 0
			for b.Loop() {
				b.StopTimer()
				round++
				fill(b, o, round, n)
				start := time.Now()
				b.StartTimer()
				sent, err := o.Deliver(context.Background())
				b.StopTimer()
				elapsed += time.Since(start)
				if err != nil || sent != n {
					b.Fatalf("Deliver = %d, %v; want %d", sent, err, n)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(n*round)/elapsed.Seconds(), "msg/s")
		})
	}
}

// fill queues n messages in transactions of 500.
func fill(b *testing.B, o *Outbox, round, n int) {
	b.Helper()
	for i := 0; i < n; i += 500 {
		err := o.db.Tx(context.Background(), func(tx *gorm.DB) error {
			for j := i; j < i+500 && j < n; j++ {
				if err := o.Enqueue(tx, notice(fmt.Sprintf("bench/%d/%d", round, j), fmt.Sprintf("p%05d@example.org", j))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnqueue measures what Enqueue adds to a change's transaction:
// rendering the templates and one insert (target: under a millisecond).
func BenchmarkEnqueue(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := dbtest.Open(b, dialect)
			o := newTestOutbox(b, d, testConfig(nil))
			ctx := context.Background()
			i := 0
			for b.Loop() {
				b.StopTimer()
				tx := d.W.WithContext(ctx).Begin()
				if tx.Error != nil {
					b.Fatal(tx.Error)
				}
				b.StartTimer()
				for k := 0; k < 100; k++ {
					i++
					if err := o.Enqueue(tx, notice(fmt.Sprintf("bench/%d", i), "anna@example.org")); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if err := tx.Commit().Error; err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(i), "µs/enqueue")
		})
	}
}
