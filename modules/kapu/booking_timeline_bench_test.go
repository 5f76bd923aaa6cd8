package kapu

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
)

// timelineBatch is how many bookings one INSERT writes: 12 values a row stays
// well under SQLite's limit of 32,766 parameters.
const timelineBatch = 500

// seedPastBookings writes n confirmed one-hour bookings, all ended before
// today, spread evenly over every resource and the demo people: multi-row
// INSERTs, 100,000 rows a transaction, with the no-double-booking triggers on.
// Each resource's bookings are three hours apart, the last one ending before yesterday.
func seedPastBookings(b *testing.B, app *App, n int) {
	b.Helper()
	ctx := context.Background()
	var rs []booking.Resource
	if err := app.DB.R.Order("id").Find(&rs).Error; err != nil || len(rs) == 0 {
		b.Fatalf("resources: %v (%d)", err, len(rs))
	}
	var ppl []people.Person
	if err := app.DB.R.Select("id").Order("id").Find(&ppl).Error; err != nil || len(ppl) == 0 {
		b.Fatalf("people: %v", err)
	}
	w, err := app.DB.W.DB()
	if err != nil {
		b.Fatal(err)
	}
	const cols = "(resource_id, person_id, title, start_at, end_at, block_end, quantity, pooled, status, created_by, created_at, updated_at)"
	row := "(?, ?, ?, ?, ?, ?, 1, ?, 'confirmed', ?, ?, ?)"
	stmt := func(rows int) string {
		return "INSERT INTO bookings " + cols + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
	}
	end := time.Now().UTC().Truncate(time.Hour).Add(-24 * time.Hour)
	// Counted pools get a twentieth of an item's share: the pool trigger
	// looks at every booking of the pool that starts inside the new one by
	// resource_id alone (no index on start_at), so seeding 66,000 bookings
	// per pool would take quadratic time. See docs/benchmarks.md.
	var deck []int // resource indexes, each as often as its share
	for i, r := range rs {
		share := 20
		if r.Quantity > 1 {
			share = 1
		}
		for j := 0; j < share; j++ {
			deck = append(deck, i)
		}
	}
	total := make([]int, len(rs)) // bookings each resource gets
	for i := 0; i < n; i++ {
		total[deck[i%len(deck)]]++
	}
	made := make([]int, len(rs))
	var tx *sql.Tx
	args := make([]any, 0, timelineBatch*10)
	flush := func() {
		if len(args) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, stmt(len(args)/10), args...); err != nil {
			b.Fatalf("insert: %v", err)
		}
		args = args[:0]
	}
	for i := 0; i < n; i++ {
		if i%100_000 == 0 {
			if tx != nil {
				flush()
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			if tx, err = w.BeginTx(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
		k := deck[i%len(deck)]
		r := rs[k]
		// Oldest first: the overlap trigger then finds nothing after the new
		// row's start in the index, as with real bookings made day by day.
		start := end.Add(-time.Duration(total[k]-made[k]) * 3 * time.Hour)
		made[k]++
		p := ppl[i%len(ppl)].ID
		args = append(args, r.ID, p, "Múltbeli foglalás", start, start.Add(time.Hour), start.Add(time.Hour), r.Quantity > 1, p, start, start)
		if len(args) == timelineBatch*10 {
			flush()
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := app.DB.Optimize(ctx); err != nil { // the nightly job: fresh planner statistics
		b.Fatal(err)
	}
}

// BenchmarkTimelineWeek measures whole requests (session, the page's queries,
// template) of the week timeline of rooms, cars and equipment, with 1,000 and
// with 1,000,000 past bookings, reporting the median, the 95th percentile and,
// for 1 M, the ratio of its p95 to the 1 k one. Targets: p95 ≤ 25 ms and a
// ratio ≤ 1.5.
func BenchmarkTimelineWeek(b *testing.B) {
	p95s := map[string]float64{}
	for _, size := range []struct {
		name string
		n    int
	}{{"1k", 1_000}, {"1M", 1_000_000}} {
		app := newTestApp(b, db.SQLite)
		began := time.Now()
		seedPastBookings(b, app, size.n)
		b.Logf("%s: %d bookings written in %s", size.name, size.n, time.Since(began).Round(time.Millisecond))
		c := newClient(b, app)
		c.login("employee", "demo")
		for _, kind := range []string{booking.KindRoom, booking.KindCar, booking.KindEquipment} {
			path := "/bookings?kind=" + kind + "&view=week"
			b.Run(size.name+"/"+kind, func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					res, _ := c.get(path)
					lat = append(lat, time.Since(t0))
					if res.StatusCode != 200 {
						b.Fatalf("GET %s = %d", path, res.StatusCode)
					}
				}
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
				p95 := ms(lat[(len(lat)*95+99)/100-1])
				b.ReportMetric(ms(lat[len(lat)/2]), "p50_ms")
				b.ReportMetric(p95, "p95_ms")
				p95s[size.name+"/"+kind] = p95
				if base := p95s["1k/"+kind]; size.name == "1M" && base > 0 {
					b.ReportMetric(p95/base, "p95_ratio_to_1k")
				}
			})
		}
	}
}
