package booking

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// benchDB is a migrated SQLite file; the bare inserts run on the same file
// with the same pragmas (dbtest.BareInsertRate).
func benchDB(b *testing.B) (*Service, *db.DB) {
	d := dbtest.Open(b, db.SQLite)
	return setup(b, d), d
}

// BenchmarkBook measures the booking core: bookings per second through Book
// (resource check, triggers, audit row; no outbox is wired, so no mail) from
// dbtest.LoadLevels clients at once (concurrent bookings share commits, so
// the rate grows with them) and, on the same file afterwards, bare
// single-row insert transactions both one at a time and from the same number
// of clients, reporting the ratio against the faster bare rate. The app's
// whole path, confirmation mail included, is BenchmarkBookApp beside it.
func BenchmarkBook(b *testing.B) {
	for _, clients := range dbtest.LoadLevels {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			s, d := benchDB(b)
			ctx := context.Background()
			open := mkRes(b, d, Resource{Kind: KindRoom, Name: "Bench"}) // round the clock
			base := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
			var next atomic.Int64
			b.ResetTimer()
			dbtest.Clients(clients, func() {
				for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
					start := base.Add(time.Duration(i) * time.Hour)
					if _, err := s.Book(ctx, alice, BookingInput{ResourceID: open.ID, Start: start, End: start.Add(time.Hour), Title: "bench"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			book := float64(b.N) / b.Elapsed().Seconds()
			n := max(b.N, 500)
			bare := max(dbtest.BareInsertRate(b, d, n, 1), dbtest.BareInsertRate(b, d, n, clients))
			b.ReportMetric(book, "bookings/s")
			b.ReportMetric(bare, "bare_inserts/s")
			b.ReportMetric(book/bare, "ratio")
		})
	}
}

// BenchmarkBareInsert is the baseline alone: single-row insert transactions.
func BenchmarkBareInsert(b *testing.B) {
	_, d := benchDB(b)
	b.ResetTimer()
	rate := dbtest.BareInsertRate(b, d, b.N, 1)
	b.ReportMetric(rate, "inserts/s")
}
