package helpdesk_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/stats"
)

// benchAssets is how many assets seedBench spreads the faults over.
const benchAssets = 5000

// seedBench writes a year of n helpdesk tickets into app's database, over
// 5,000 assets, each ticket with ten status-log rows (report, take, work,
// a question and its answer, replies, resolution, close) and one in five
// rated, in multi-row INSERTs of a few hundred rows, a transaction per
// chunk, on either database. The tickets' SLA columns are set as a refresh
// would leave them; the figures are random but fixed by the seed. Other
// benchmarks (the queue, the asset history) can reuse it.
func seedBench(tb testing.TB, app *kapu.App, n int) {
	tb.Helper()
	ctx := context.Background()
	d := app.DB
	rnd := rand.New(rand.NewPCG(300, 14))
	var qs []helpdesk.Queue
	if err := d.W.Order("id").Find(&qs).Error; err != nil || len(qs) < 2 {
		tb.Fatalf("queues: %v", err)
	}
	cats := map[uint][]uint{}
	for _, q := range qs {
		var ids []uint
		d.W.Model(&helpdesk.Category{}).Where("queue_id = ?", q.ID).Pluck("id", &ids)
		if len(ids) == 0 {
			c := helpdesk.Category{QueueID: q.ID, NameHU: "Általános", NameEN: "General", Order: 1, Active: true}
			if err := d.W.Create(&c).Error; err != nil {
				tb.Fatal(err)
			}
			ids = []uint{c.ID}
		}
		cats[q.ID] = ids
	}
	var people []struct {
		ID           uint
		DepartmentID *uint
	}
	if err := d.W.Raw("SELECT id, department_id FROM people WHERE active = ? ORDER BY id", true).Scan(&people).Error; err != nil || len(people) == 0 {
		tb.Fatalf("people: %v", err)
	}
	staff := people[0].ID

	// The assets: 5,000 of 25 models, bought over eight years.
	today := calendar.DateOf(time.Now(), app.Cfg.TZ)
	assets := make([]helpdesk.Asset, benchAssets)
	for i := range assets {
		assets[i] = helpdesk.Asset{Tag: fmt.Sprintf("BENCH-%05d", i), Type: "gép", Model: fmt.Sprintf("Modell %02d", i%25),
			Building: "Városháza", PurchasedOn: today.AddDays(-rnd.IntN(8 * 365)), State: helpdesk.AssetInUse}
	}
	if err := d.W.CreateInBatches(&assets, 500).Error; err != nil {
		tb.Fatal(err)
	}

	var base uint
	if err := d.W.Raw("SELECT COALESCE(MAX(id), 0) FROM helpdesk_tickets").Scan(&base).Error; err != nil {
		tb.Fatal(err)
	}
	const tcols = `(id, number, queue_id, category_id, title, reporter_id, building, asset_id, impact, urgency, priority, state,
		assignee_id, department_id, sla_breached, response_mins, resolve_mins, resolution_code, work_mins, parts_cost,
		created_at, updated_at, resolved_at, closed_at)`
	const trow = "(?, ?, ?, ?, 'Hiba', ?, ?, ?, 'hinders', 'medium', 3, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
	const tper = 19
	const ecols = `(ticket_id, at, by_id, kind, "from", "to", assignee_id, comment)`
	const erow = "(?, ?, ?, ?, ?, ?, ?, '')"
	const eper = 7
	insert := func(exec func(string, ...any) error, table, cols, row string, per int, args []any) error {
		if len(args) == 0 {
			return nil
		}
		if err := exec("INSERT INTO "+table+" "+cols+" VALUES "+strings.TrimSuffix(strings.Repeat(row+", ", len(args)/per), ", "), args...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		return nil
	}
	buildings := []string{"Városháza", "Okmányiroda", "Műszaki telephely", ""}
	now := time.Now().UTC()
	yearAgo := now.AddDate(-1, 0, 0)
	const chunk = 5000
	for start := 0; start < n; start += chunk {
		var targs, eargs, rargs []any
		err := d.Tx(ctx, func(tx *gorm.DB) error {
			exec := func(sql string, args ...any) error { return tx.Exec(sql, args...).Error }
			flush := func(force bool) error {
				if len(targs) >= 300*tper || (force && len(targs) > 0) {
					if err := insert(exec, "helpdesk_tickets", tcols, trow, tper, targs); err != nil {
						return err
					}
					targs = targs[:0]
				}
				if len(eargs) >= 1000*eper || (force && len(eargs) > 0) {
					if err := insert(exec, "helpdesk_ticket_events", ecols, erow, eper, eargs); err != nil {
						return err
					}
					eargs = eargs[:0]
				}
				if len(rargs) >= 1000*3 || (force && len(rargs) > 0) {
					if err := insert(exec, "helpdesk_ratings", "(ticket_id, score, comment, created_at)", "(?, ?, '', ?)", 3, rargs); err != nil {
						return err
					}
					rargs = rargs[:0]
				}
				return nil
			}
			for i := start; i < min(start+chunk, n); i++ {
				id := base + uint(i) + 1
				q := qs[i%7/6] // six IT tickets to one of maintenance
				p := people[rnd.IntN(len(people))]
				created := yearAgo.Add(time.Duration(rnd.Int64N(int64(now.Sub(yearAgo) - 48*time.Hour))))
				var asset any
				if rnd.IntN(10) < 6 {
					asset = assets[rnd.IntN(len(assets))].ID
				}
				resp := 1 + int(rnd.ExpFloat64()*60)
				resolve := resp + int(rnd.ExpFloat64()*600)
				open := rnd.IntN(20) == 0
				state, code := helpdesk.StateClosed, helpdesk.ResolvedRepaired
				var resolveMins, resolvedAt, closedAt any
				at := func(m int) time.Time { return created.Add(time.Duration(m) * time.Minute) }
				if open {
					state, code = helpdesk.StateInProgress, ""
				} else {
					resolveMins, resolvedAt, closedAt = resolve, at(resolve), at(resolve+5*24*60)
				}
				targs = append(targs, id, fmt.Sprintf("%s-%05d", strings.ToUpper(q.Key), id), q.ID, cats[q.ID][rnd.IntN(len(cats[q.ID]))],
					p.ID, buildings[rnd.IntN(len(buildings))], asset, state, staff, p.DepartmentID,
					!open && rnd.IntN(10) == 0, resp, resolveMins, code, rnd.IntN(240), created, at(resolve), resolvedAt, closedAt)
				steps := []struct {
					m        int
					by       uint
					kind     string
					from, to string
				}{
					{0, p.ID, helpdesk.EventState, "", helpdesk.StateNew},
					{resp, staff, helpdesk.EventAssign, helpdesk.StateNew, helpdesk.StateAssigned},
					{resp + 2, staff, helpdesk.EventState, helpdesk.StateAssigned, helpdesk.StateInProgress},
					{resp + 5, staff, helpdesk.EventComment, "", ""},
					{resp + 10, staff, helpdesk.EventState, helpdesk.StateInProgress, helpdesk.StateWaitingReporter},
					{resp + 90, p.ID, helpdesk.EventComment, "", ""},
					{resp + 90, p.ID, helpdesk.EventState, helpdesk.StateWaitingReporter, helpdesk.StateInProgress},
					{resp + 120, staff, helpdesk.EventComment, "", ""},
					{resolve, staff, helpdesk.EventState, helpdesk.StateInProgress, helpdesk.StateResolved},
					{resolve + 5*24*60, 0, helpdesk.EventState, helpdesk.StateResolved, helpdesk.StateClosed},
				}
				if open {
					steps = steps[:8]
				}
				for _, s := range steps {
					var assignee any
					if s.kind == helpdesk.EventAssign {
						assignee = staff
					}
					eargs = append(eargs, id, at(s.m), s.by, s.kind, s.from, s.to, assignee)
				}
				if !open && rnd.IntN(5) == 0 {
					rargs = append(rargs, id, 1+rnd.IntN(5), at(resolve+24*60))
				}
				if err := flush(false); err != nil {
					return err
				}
			}
			return flush(true)
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if d.Dialect == db.Postgres { // the ids were given: the sequence moves past them
		if err := d.W.Exec("SELECT setval(pg_get_serial_sequence('helpdesk_tickets', 'id'), (SELECT MAX(id) FROM helpdesk_tickets))").Error; err != nil {
			tb.Fatal(err)
		}
		// As autovacuum would after a day of writes: the planner's counts,
		// and the visibility map index-only scans need.
		for _, t := range []string{"helpdesk_tickets", "helpdesk_ticket_events", "helpdesk_ratings", "helpdesk_assets"} {
			if err := d.W.Exec("VACUUM ANALYZE " + t).Error; err != nil {
				tb.Fatal(err)
			}
		}
	}
	began := time.Now()
	if err := app.Helpdesk.RebuildStats(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: RebuildStats (the rollups from scratch) in %s", d.Dialect, time.Since(began).Round(time.Millisecond))
	if err := d.Optimize(ctx); err != nil {
		tb.Fatal(err)
	}
}

// benchTickets is the year's size: 300,000 tickets, or KAPU_BENCH_HELPDESK_TICKETS.
func benchTickets() int {
	if n, err := strconv.Atoi(os.Getenv("KAPU_BENCH_HELPDESK_TICKETS")); err == nil && n > 0 {
		return n
	}
	return 300_000
}

// BenchmarkHelpdeskStatsYear measures an admin's statistics of the last
// twelve months over a year of tickets (300,000 with three million
// status-log rows by default), on SQLite and PostgreSQL when set, as p50
// and p95 per call. The target is 300 ms.
func BenchmarkHelpdeskStatsYear(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		// Seeded once per database: b.Run calls its function again for each b.N.
		app := kaputest.New(b, dialect)
		n := benchTickets()
		began := time.Now()
		seedBench(b, app, n)
		b.Logf("%s: %d tickets seeded in %s", dialect, n, time.Since(began).Round(time.Second))
		b.Run(dialect, func(b *testing.B) {
			admin := kaputest.Person(b, app, "admin").Actor()
			today := calendar.DateOf(time.Now(), app.Cfg.TZ)
			p := stats.RangeOf(today.AddDays(-365), today)
			ctx := context.Background()
			if st, err := app.Helpdesk.Stats(ctx, admin, p); err != nil || st.Total.Tickets < n*9/10 {
				b.Fatalf("stats: %v, %d tickets", err, st.Total.Tickets)
			}
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := app.Helpdesk.Stats(ctx, admin, p); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			b.StopTimer()
			dbtest.ReportLatency(b, took)
		})
	}
}
