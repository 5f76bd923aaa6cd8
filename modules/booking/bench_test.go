package booking

import (
	"context"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// benchDB is a migrated SQLite file with a plain table for the bare inserts
// beside the bookings, so both rates come from one file with the same pragmas.
func benchDB(b *testing.B) (*Service, *db.DB) {
	d := dbtest.Open(b, db.SQLite)
	s := setup(b, d)
	if err := d.W.Exec("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, at DATETIME NOT NULL)").Error; err != nil {
		b.Fatal(err)
	}
	return s, d
}

// bareInserts runs n single-row insert transactions and returns their rate.
func bareInserts(b *testing.B, d *db.DB, n int) float64 {
	ctx := context.Background()
	began := time.Now()
	for i := 0; i < n; i++ {
		if err := d.W.WithContext(ctx).Exec("INSERT INTO bench_rows (n, at) VALUES (?, ?)", i, time.Now().UTC()).Error; err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / time.Since(began).Seconds()
}

// BenchmarkBook measures bookings per second through Book (checks, trigger,
// audit row) and, on the same file afterwards, bare single-row inserts; the
// requirement is a ratio of at least 0.5.
func BenchmarkBook(b *testing.B) {
	s, d := benchDB(b)
	ctx := context.Background()
	car := mkRes(b, d, Resource{Kind: KindCar, Name: "Bench", Seats: 4})
	base := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := base.Add(time.Duration(i) * time.Hour)
		if _, err := s.Book(ctx, alice, BookingInput{ResourceID: car.ID, Start: start, End: start.Add(time.Hour), Title: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	book := float64(b.N) / b.Elapsed().Seconds()
	bare := bareInserts(b, d, max(b.N, 200))
	b.ReportMetric(book, "bookings/s")
	b.ReportMetric(bare, "bare_inserts/s")
	b.ReportMetric(book/bare, "ratio")
}

// BenchmarkBareInsert is the baseline alone: single-row insert transactions.
func BenchmarkBareInsert(b *testing.B) {
	_, d := benchDB(b)
	b.ResetTimer()
	rate := bareInserts(b, d, b.N)
	b.ReportMetric(rate, "inserts/s")
}
