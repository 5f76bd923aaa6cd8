package dbtest

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/platform/db"
)

// LoadLevels are how many clients the write-throughput benchmarks run at
// once: a busy office morning; a burst such as a department's training
// series opening; and twice what one shared commit takes (db.Group takes at
// most 64), the service at full load, where its throughput is measured.
var LoadLevels = []int{16, 64, 128}

// Clients runs fn in n goroutines at once and waits for them: the clients of
// a throughput benchmark.
func Clients(n int, fn func()) {
	done := make(chan struct{})
	for range n {
		go func() { fn(); done <- struct{}{} }()
	}
	for range n {
		<-done
	}
}

// BareInsertRate is the baseline of the write benchmarks: n single-row
// insert transactions into a plain two-column table of d (created on first
// use), from clients goroutines, as rows per second. Measured on the same
// file and pragmas as what it is compared with.
func BareInsertRate(tb testing.TB, d *db.DB, n, clients int) float64 {
	tb.Helper()
	ctx := context.Background()
	id := "id INTEGER PRIMARY KEY" // SQLite's rowid
	if d.Dialect == db.Postgres {
		id = "id BIGSERIAL PRIMARY KEY"
	}
	if err := d.W.Exec("CREATE TABLE IF NOT EXISTS bench_rows (" + id + ", n INTEGER NOT NULL, at TIMESTAMP NOT NULL)").Error; err != nil {
		tb.Fatal(err)
	}
	var next atomic.Int64
	began := time.Now()
	Clients(clients, func() {
		for i := next.Add(1); i <= int64(n); i = next.Add(1) {
			if err := d.W.WithContext(ctx).Exec("INSERT INTO bench_rows (n, at) VALUES (?, ?)", i, time.Now().UTC()).Error; err != nil {
				tb.Error(err)
				return
			}
		}
	})
	return float64(n) / time.Since(began).Seconds()
}

// ReportLatency reports the median and the 95th percentile of took, the
// figures the issues' page budgets name, as the benchmark's p50-ms and
// p95-ms. It sorts took.
func ReportLatency(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[min(len(took)-1, len(took)*95/100)].Microseconds())/1000, "p95-ms")
}
