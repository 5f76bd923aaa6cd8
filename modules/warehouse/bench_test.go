package warehouse

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"kapu/modules/platform/db/dbtest"
)

// BenchmarkReserve measures the ledger's hot write: reservations per second
// through Reserve (item read, guarded update, ledger row, audit row, in a
// shared commit on SQLite) from dbtest.LoadLevels clients at once, spread
// over 200 items, and on the same database afterwards bare single-row insert
// transactions; ratio is reservations against the faster bare rate (the
// issue asks for ≥ 0.5). On PostgreSQL too when KAPU_TEST_POSTGRES is set.
func BenchmarkReserve(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		for _, clients := range dbtest.LoadLevels {
			b.Run(fmt.Sprintf("%s/clients=%d", dialect, clients), func(b *testing.B) {
				d := dbtest.Open(b, dialect)
				f := newFixture(b, d)
				ctx := context.Background()
				items := make([]uint, 200)
				for i := range items {
					items[i] = f.item(b, fmt.Sprintf("B-%03d", i), "db", MaxQty).ID
				}
				var next atomic.Int64
				b.ResetTimer()
				dbtest.Clients(clients, func() {
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						in := Reservation{ItemID: items[i%int64(len(items))], Quantity: QtyOf(1), DepartmentID: f.dept}
						if _, err := f.s.Reserve(ctx, f.keeper, in); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.StopTimer()
				rate := float64(b.N) / b.Elapsed().Seconds()
				n := max(b.N, 500)
				bare := max(dbtest.BareInsertRate(b, d, n, 1), dbtest.BareInsertRate(b, d, n, clients))
				b.ReportMetric(rate, "reservations/s")
				b.ReportMetric(bare, "bare_inserts/s")
				b.ReportMetric(rate/bare, "ratio")
			})
		}
	}
}
