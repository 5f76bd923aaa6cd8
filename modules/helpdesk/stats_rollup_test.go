package helpdesk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/stats"
)

// statsDirect is the statistics as they were read before the rollup, straight
// from the tickets: the oracle the rollup must agree with.
// Stats gathers the figures of period p. Every figure is one aggregate
// query (GROUP BY, or SUM over CASE) over the period's tickets, run side by
// side on the reader pool; Go only adds up the grouped rows.
func (s *Service) statsDirect(ctx context.Context, a actor.Actor, p stats.Period) (*Stats, error) {
	qs, err := s.statsQueues(ctx, a)
	if err != nil {
		return nil, err
	}
	r := s.db.R.WithContext(ctx)
	from, to := p.Bounds(s.tz)
	ids := make([]uint, len(qs))
	at := map[uint]int{}
	st := &Stats{Period: p, Monthly: p.Days() > 62, Total: QueueStats{Response: stats.Dist{}, Resolve: stats.Dist{}}}
	for i, q := range qs {
		ids[i], at[q.ID] = q.ID, i
		st.Queues = append(st.Queues, QueueStats{Queue: q, Response: stats.Dist{}, Resolve: stats.Dist{}})
	}
	where := s.queueCol() + " IN ? AND t.created_at >= ? AND t.created_at < ?"
	args := []any{ids, from, to}

	// One scan groups by queue, category, department and building at once,
	// a few hundred groups; the breakdowns are summed from those rows.
	s.statsDays(st)
	var groups []struct {
		QueueID, CategoryID, DepartmentID uint
		Building                          string
		N, Resolved, Breached, Work       int
	}
	type minute struct {
		QueueID uint
		M, N    int
	}
	var resp, res []minute
	var ratings []struct {
		QueueID  uint
		Score, N int
	}
	minutes := func(col string, out *[]minute) func() error {
		return func() error {
			return r.Raw("SELECT t.queue_id, t."+col+" AS m, COUNT(*) AS n FROM helpdesk_tickets t WHERE "+where+
				" AND t."+col+" IS NOT NULL GROUP BY t.queue_id, t."+col, args...).Scan(out).Error
		}
	}
	var catNames []Category
	var deptNames []struct {
		ID   uint
		Name string
	}
	err = stats.Parallel(
		func() error {
			return r.Raw(`SELECT t.queue_id, t.category_id, COALESCE(t.department_id, 0) AS department_id, t.building,
				COUNT(*) AS n,
				SUM(CASE WHEN t.resolve_mins IS NOT NULL THEN 1 ELSE 0 END) AS resolved,
				SUM(CASE WHEN t.resolve_mins IS NOT NULL AND t.sla_breached THEN 1 ELSE 0 END) AS breached,
				SUM(t.work_mins) AS work
				FROM helpdesk_tickets t WHERE `+where+` GROUP BY t.queue_id, t.category_id, t.department_id, t.building`,
				args...).Scan(&groups).Error
		},
		func() error { return r.Where("queue_id IN ?", ids).Find(&catNames).Error },
		func() error { return r.Raw("SELECT id, name FROM departments").Scan(&deptNames).Error },
		minutes("response_mins", &resp),
		minutes("resolve_mins", &res),
		func() error {
			return r.Raw(`SELECT t.queue_id, r.score, COUNT(*) AS n FROM helpdesk_ratings r JOIN helpdesk_tickets t ON t.id = r.ticket_id
				WHERE t.queue_id IN ? AND r.created_at >= ? AND r.created_at < ? GROUP BY t.queue_id, r.score`, args...).Scan(&ratings).Error
		},
		func() error { return s.countDaysDirect(ctx, st, ids) },
		func() error { return s.statsBacklogDirect(ctx, st, ids) },
		func() error {
			return s.statsAssets(ctx, st, "SELECT t.asset_id, COUNT(*) AS n FROM helpdesk_tickets t WHERE "+where+
				" AND t.asset_id IS NOT NULL GROUP BY t.asset_id", args)
		},
	)
	if err != nil {
		return nil, err
	}
	cname := map[uint]Category{}
	for _, c := range catNames {
		cname[c.ID] = c
	}
	dname := map[uint]string{}
	for _, d := range deptNames {
		dname[d.ID] = d.Name
	}
	type catKey struct{ q, c uint }
	byCat, byDept, byBuilding := map[catKey]int{}, map[uint]int{}, map[string]int{}
	for _, g := range groups {
		i, ok := at[g.QueueID]
		if !ok {
			continue
		}
		q := &st.Queues[i]
		q.Tickets, q.Resolved, q.Breached, q.WorkMins = q.Tickets+g.N, q.Resolved+g.Resolved, q.Breached+g.Breached, q.WorkMins+g.Work
		byCat[catKey{g.QueueID, g.CategoryID}] += g.N
		byDept[g.DepartmentID] += g.N
		byBuilding[g.Building] += g.N
	}
	for k, n := range byCat {
		c := cname[k.c]
		st.Categories = append(st.Categories, Count{QueueID: k.q, ID: k.c, Name: c.NameHU, NameEN: c.NameEN, N: n})
	}
	sort.Slice(st.Categories, func(i, j int) bool {
		a, b := st.Categories[i], st.Categories[j]
		if a.N != b.N {
			return a.N > b.N
		}
		if a.QueueID != b.QueueID {
			return a.QueueID < b.QueueID
		}
		return a.ID < b.ID
	})
	for id, n := range byDept {
		st.Departments = append(st.Departments, Count{ID: id, Name: dname[id], N: n})
	}
	for b, n := range byBuilding {
		st.Buildings = append(st.Buildings, Count{Name: b, N: n})
	}
	byCount := func(cs []Count) {
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].N != cs[j].N {
				return cs[i].N > cs[j].N
			}
			return cs[i].Name < cs[j].Name
		})
	}
	byCount(st.Departments)
	byCount(st.Buildings)
	for _, m := range resp {
		if i, ok := at[m.QueueID]; ok {
			st.Queues[i].Response[m.M] += m.N
		}
	}
	for _, m := range res {
		if i, ok := at[m.QueueID]; ok {
			st.Queues[i].Resolve[m.M] += m.N
		}
	}
	for _, rt := range ratings {
		if i, ok := at[rt.QueueID]; ok && rt.Score >= 1 && rt.Score <= 5 {
			st.Queues[i].Ratings[rt.Score] += rt.N
		}
	}
	for i := range st.Queues {
		st.Total.add(&st.Queues[i])
	}
	return st, nil
}

// countDays counts each queue's tickets of every day (or month) of
// st.Days in one statement of COUNT subqueries, each a range of the
// statistics index: cheaper than grouping the period's rows by a computed
// day, and the local days' bounds (DST, the zone) are computed in Go.
func (s *Service) countDaysDirect(ctx context.Context, st *Stats, ids []uint) error {
	if len(st.Days) == 0 {
		return nil
	}
	_, end := st.Period.Bounds(s.tz)
	var cols []string
	var args []any
	for i, p := range st.Days {
		from, to := p.Day.Start(s.tz).UTC(), end
		if i+1 < len(st.Days) {
			to = st.Days[i+1].Day.Start(s.tz).UTC()
		}
		if i == 0 {
			from, _ = st.Period.Bounds(s.tz)
		}
		for _, q := range ids {
			cols = append(cols, "(SELECT COUNT(*) FROM helpdesk_tickets WHERE queue_id = ? AND created_at >= ? AND created_at < ?)")
			args = append(args, q, from, to)
		}
	}
	rows, err := s.db.R.WithContext(ctx).Raw("SELECT "+strings.Join(cols, ", "), args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]int64, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	for i := range st.Days {
		for j, q := range ids {
			st.Days[i].ByQueue[q] = int(vals[i*len(ids)+j])
		}
	}
	return rows.Err()
}

// statsBacklog counts the tickets open at each month's end: reported
// before it and neither resolved nor closed by then. One scan, one SUM per
// month, over the tickets that were open at some point of the period.
func (s *Service) statsBacklogDirect(ctx context.Context, st *Stats, ids []uint) error {
	ends := s.backlogEnds(st.Period)
	if len(ends) == 0 {
		return nil
	}
	start, _ := st.Period.Bounds(s.tz)
	var cols []string
	var args []any
	for range ends {
		cols = append(cols, "SUM(CASE WHEN t.created_at < ? AND (COALESCE(t.resolved_at, t.closed_at) IS NULL OR COALESCE(t.resolved_at, t.closed_at) >= ?) THEN 1 ELSE 0 END)")
	}
	for _, e := range ends {
		args = append(args, e, e)
	}
	args = append(args, ids, ends[len(ends)-1], start)
	sql := "SELECT t.queue_id, " + strings.Join(cols, ", ") + " FROM helpdesk_tickets t WHERE " + s.queueCol() + " IN ? AND t.created_at < ?" +
		" AND (COALESCE(t.resolved_at, t.closed_at) IS NULL OR COALESCE(t.resolved_at, t.closed_at) >= ?) GROUP BY t.queue_id"
	rows, err := s.db.R.WithContext(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Backlog = make([]Point, len(ends))
	for i, e := range ends {
		st.Backlog[i] = Point{Day: calendar.DateOf(e.Add(-time.Nanosecond), s.tz), ByQueue: map[uint]int{}}
	}
	for rows.Next() {
		var q uint
		ns := make([]any, len(ends)+1)
		vals := make([]int64, len(ends))
		ns[0] = &q
		for i := range vals {
			ns[i+1] = &vals[i]
		}
		if err := rows.Scan(ns...); err != nil {
			return err
		}
		for i, v := range vals {
			st.Backlog[i].ByQueue[q] = int(v)
		}
	}
	return rows.Err()
}

// statsComparable drops the zero counts of the backlog, which the direct
// read leaves out for a queue without open tickets and the rollup writes.
func statsComparable(st *Stats) *Stats {
	for _, p := range st.Backlog {
		for q, n := range p.ByQueue {
			if n == 0 {
				delete(p.ByQueue, q)
			}
		}
	}
	return st
}

// TestStatsRollupMatchesTickets walks tickets through random lives over
// seven weeks (reports, takes, work, resolutions, reopenings, ratings,
// merges), reading the statistics now and then, and checks that the
// figures from the rollup are the ones read straight from the tickets, for
// a year, the months, a week and a range cutting months.
func TestStatsRollupMatchesTickets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withCatalog(t, newFixture(t, d))
		ctx := context.Background()
		rnd := rand.New(rand.NewPCG(14, 300))
		admin := actor.Actor{ID: 999, Name: "Admin", Roles: []string{actor.Admin}}
		f.clock = time.Date(2026, 1, 20, 7, 0, 0, 0, time.UTC)
		var ids []uint
		periods := func() []stats.Period {
			today := calendar.DateOf(f.clock, budapest)
			return []stats.Period{
				stats.PeriodOf(stats.Year, today),
				stats.PeriodOf(stats.Month, today),
				stats.PeriodOf(stats.Month, today.AddDays(-31)),
				stats.PeriodOf(stats.Week, today),
				stats.RangeOf(calendar.NewDate(2026, 1, 25), today),
				stats.RangeOf(today.AddDays(-365), today),
			}
		}
		check := func(step string) {
			t.Helper()
			for _, p := range periods() {
				for _, a := range []actor.Actor{admin, f.it1} {
					got, err := f.s.Stats(ctx, a, p)
					must(t, err)
					want, err := f.s.statsDirect(ctx, a, p)
					must(t, err)
					if !reflect.DeepEqual(statsComparable(got), statsComparable(want)) {
						t.Fatalf("%s, %s %s–%s as %s: rollup\n%+v\nwant\n%+v", step, p.Kind, p.From, p.To, a.Name, got, want)
					}
				}
			}
		}
		resolved, rated := 0, 0
		rate := func(id uint) {
			if tk := f.ticket(t, id); tk.State == StateResolved || tk.State == StateClosed {
				must(t, d.W.Where("ticket_id = ?", id).Delete(&RateLink{}).Error)
				var raw string
				must(t, d.Tx(ctx, func(tx *gorm.DB) error {
					var err error
					raw, _, err = f.s.newRateLink(tx, id)
					return err
				}))
				if _, err := f.s.Rate(ctx, raw, 1+rnd.IntN(5), "", "127.0.0.1"); err == nil {
					rated++
				}
			}
		}
		for step := range 400 {
			f.clock = f.clock.Add(time.Duration(rnd.IntN(240)) * time.Minute)
			var id uint
			if len(ids) > 0 {
				id = ids[rnd.IntN(len(ids))]
			}
			switch k := rnd.IntN(10); {
			case k < 3 || id == 0:
				in := f.input()
				if rnd.IntN(3) == 0 {
					in.QueueKey, in.CategoryID = QueueMaintenance, f.maintCat
				}
				reporter := f.emp
				if rnd.IntN(2) == 0 {
					reporter = f.other
				}
				tk, err := f.s.Report(ctx, reporter, in)
				must(t, err)
				ids = append(ids, tk.ID)
			case k == 3:
				_ = f.s.Take(ctx, f.it1, id)
				_ = f.s.Take(ctx, f.fac, id)
			case k == 4:
				for _, a := range []actor.Actor{f.it1, f.fac} {
					_, _ = f.s.AddWork(ctx, a, id, WorkInput{Text: "Csere", Minutes: 5 + rnd.IntN(90)})
				}
			case k == 5 || k == 6:
				for _, a := range []actor.Actor{f.it1, f.fac} {
					if f.s.Resolve(ctx, a, id, ResolvedRepaired, "Kész.") == nil {
						resolved++
						if rnd.IntN(2) == 0 {
							f.clock = f.clock.Add(time.Duration(rnd.IntN(3000)) * time.Minute)
							rate(id)
						}
					}
				}
			case k == 7:
				for _, a := range []actor.Actor{f.it1, f.fac} {
					_ = f.s.ChangeState(ctx, a, id, StateInProgress, "Mégsem jó.")
				}
			case k == 8:
				rate(id)
			case k == 9:
				if len(ids) > 1 {
					_ = f.s.Merge(ctx, f.it1, id, ids[rnd.IntN(len(ids))])
				}
			}
			if step%50 == 49 {
				check(fmt.Sprintf("step %d", step))
			}
		}
		if resolved < 20 || rated < 5 {
			t.Fatalf("the walk resolved %d and rated %d tickets; want a real mix", resolved, rated)
		}
		check("the end")
		// A rebuild from scratch gives the same cells.
		must(t, f.s.RebuildStats(ctx))
		check("after the rebuild")
	})
}

// TestRebuildReadersSeeWholeFigures reads the statistics' and the renewal
// report's cells over and over while RebuildStats rebuilds both from
// scratch: every read sees all the tickets (each month, each range of
// assets, is deleted and written again in one transaction), never a total
// below the truth.
func TestRebuildReadersSeeWholeFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		was := renewalBatch
		renewalBatch = 1 // a transaction per asset, as many as the months
		defer func() { renewalBatch = was }()
		var assets []uint
		for i := range 6 {
			as, err := f.s.SaveAsset(ctx, f.it1, 0, printer(fmt.Sprintf("NY-%d", i)))
			must(t, err)
			assets = append(assets, as.ID)
		}
		const n = 60 // two a month over thirty months
		start := testNow.AddDate(0, -30, 0)
		for i := range n {
			f.clock = start.Add(time.Duration(i) * 15 * 24 * time.Hour)
			in := f.input()
			in.AssetID = &assets[i%len(assets)]
			_, err := f.s.Report(ctx, f.emp, in)
			must(t, err)
		}
		f.clock = testNow
		admin := actor.Actor{ID: 999, Name: "Admin", Roles: []string{actor.Admin}}
		p := stats.RangeOf(calendar.DateOf(start, budapest), calendar.DateOf(testNow, budapest))
		st, err := f.s.Stats(ctx, admin, p) // folds the marks in: the rebuild below is the only writer
		must(t, err)
		_, err = f.s.Renewal(ctx, f.it1, RenewalFilter{})
		must(t, err)
		if st.Total.Tickets != n {
			t.Fatalf("the statistics count %d tickets; want %d", st.Total.Tickets, n)
		}
		totals := func() (tickets, faults int) {
			must(t, d.R.Raw("SELECT COALESCE(SUM(tickets), 0) FROM helpdesk_stats_tickets").Scan(&tickets).Error)
			must(t, d.R.Raw("SELECT COALESCE(SUM(done + open_n), 0) FROM helpdesk_renewal_cells").Scan(&faults).Error)
			return tickets, faults
		}
		if tk, fl := totals(); tk != n || fl != n {
			t.Fatalf("before the rebuild: %d tickets and %d faults in the cells; want %d", tk, fl, n)
		}
		done := make(chan error, 1)
		go func() {
			var err error
			for range 5 {
				if err = f.s.RebuildStats(ctx); err != nil {
					break
				}
			}
			done <- err
		}()
		reads := 0
		for running := true; running; {
			select {
			case err := <-done:
				must(t, err)
				running = false
			default:
			}
			tk, fl := totals()
			reads++
			if tk < n || fl < n {
				t.Fatalf("read %d during the rebuild: %d tickets and %d faults in the cells; want %d", reads, tk, fl, n)
			}
			if reads%20 == 0 {
				st, err := f.s.Stats(ctx, admin, p)
				must(t, err)
				if st.Total.Tickets < n {
					t.Fatalf("the statistics during the rebuild count %d tickets; want %d", st.Total.Tickets, n)
				}
			}
		}
		if reads < 10 {
			t.Fatalf("only %d reads during five rebuilds; the test proves nothing", reads)
		}
		t.Logf("%s: %d reads during five rebuilds", d.Dialect, reads)
	})
}
