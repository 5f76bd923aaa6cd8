package booking_test

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
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
func seedPastBookings(b *testing.B, app *kapu.App, n int) {
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
// template) of the week timeline of rooms, cars and equipment on two Kapus,
// one with 1,000 and one with 1,000,000 past bookings. Each iteration asks
// both, one after the other, so the machine's other load falls on both alike;
// it reports each one's median and 95th percentile and the ratio of the p95s.
// Targets: p95 ≤ 25 ms with 1 M, and ≤ 1.5 × the 1 k p95.
func BenchmarkTimelineWeek(b *testing.B) {
	var clients [2]*kaputest.Client
	for i, n := range []int{1_000, 1_000_000} {
		app := kaputest.New(b, db.SQLite)
		began := time.Now()
		seedPastBookings(b, app, n)
		b.Logf("%d bookings written in %s", n, time.Since(began).Round(time.Millisecond))
		clients[i] = kaputest.NewClient(b, app)
		clients[i].Login("employee", "demo")
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	pct := func(lat []time.Duration, p int) float64 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		return ms(lat[(len(lat)*p+99)/100-1])
	}
	for _, kind := range []string{booking.KindRoom, booking.KindCar, booking.KindEquipment} {
		path := "/bookings?kind=" + kind + "&view=week"
		b.Run(kind, func(b *testing.B) {
			var lat [2][]time.Duration
			for i := 0; i < b.N; i++ {
				for j, c := range clients {
					t0 := time.Now()
					res, _ := c.Get(path)
					lat[j] = append(lat[j], time.Since(t0))
					if res.StatusCode != 200 {
						b.Fatalf("GET %s = %d", path, res.StatusCode)
					}
				}
			}
			p95k, p95m := pct(lat[0], 95), pct(lat[1], 95)
			b.ReportMetric(pct(lat[0], 50), "1k_p50_ms")
			b.ReportMetric(p95k, "1k_p95_ms")
			b.ReportMetric(pct(lat[1], 50), "1M_p50_ms")
			b.ReportMetric(p95m, "1M_p95_ms")
			b.ReportMetric(p95m/p95k, "p95_ratio")
		})
	}
}
