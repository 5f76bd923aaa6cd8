package helpdesk_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db/dbtest"
)

// BenchmarkHelpdeskPages measures the helpdesk's busy pages over a year of
// tickets (300,000 with three million status-log rows by default, see
// seedBench) through the whole Fiber stack, as p50/p95 over b.N requests
// each, on SQLite and PostgreSQL when set: the IT queue as staff open it
// (sorted by due) and filtered to the breached, the reporter with the most
// tickets' "my tickets", the most faulty asset's page with its history, the
// renewal report over 5,000 assets and the year's statistics page. The
// issue's targets: p95 ≤ 30 ms for the first four, ≤ 300 ms for the others.
func BenchmarkHelpdeskPages(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		app := kaputest.New(b, dialect)
		seedBench(b, app, benchTickets())
		var reporter string
		if err := app.DB.R.Raw(`SELECT p.username FROM helpdesk_tickets t JOIN people p ON p.id = t.reporter_id
			GROUP BY p.username ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&reporter).Error; err != nil {
			b.Fatal(err)
		}
		var asset uint
		if err := app.DB.R.Raw(`SELECT asset_id FROM helpdesk_tickets WHERE asset_id IS NOT NULL
			GROUP BY asset_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&asset).Error; err != nil {
			b.Fatal(err)
		}
		it := kaputest.SignedIn(b, app, "it")
		admin := kaputest.SignedIn(b, app, "admin")
		pages := []struct {
			name string
			c    *kaputest.Client
			path string
		}{
			{"queue", it, "/helpdesk/queue/it"},
			{"queue-breached", it, "/helpdesk/queue/it?sla=breached"},
			{"my-tickets", kaputest.SignedIn(b, app, reporter), "/helpdesk"},
			{"asset-history", it, fmt.Sprintf("/helpdesk/assets/%d", asset)},
			{"renewal", it, "/helpdesk/assets/renewal"},
			{"stats-year", admin, "/helpdesk/stats"},
		}
		b.Run(dialect, func(b *testing.B) {
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					took := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						t0 := time.Now()
						res, _ := p.c.Get(p.path)
						took = append(took, time.Since(t0))
						if res.StatusCode != http.StatusOK {
							b.Fatalf("GET %s = %d", p.path, res.StatusCode)
						}
					}
					dbtest.ReportLatency(b, took)
				})
			}
		})
	}
}
