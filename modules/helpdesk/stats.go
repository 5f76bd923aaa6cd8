package helpdesk

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/stats"
)

// statsKinds are the periods the statistics page offers; a year is the
// default, since faults and the backlog show their shape over months.
var statsKinds = []string{stats.Week, stats.Month, stats.Year, stats.Range}

// statsTop bounds the lists of assets and models with the most faults.
const statsTop = 10

// Dist is a histogram of whole minutes: value → how many tickets. The
// database groups the minutes columns, so a year of 300,000 tickets comes
// back as one row per distinct value, and the median and 90th percentile
// are read off it exactly, the same on both databases.
type Dist map[int]int

// N is how many values the histogram holds.
func (d Dist) N() int {
	n := 0
	for _, c := range d {
		n += c
	}
	return n
}

// P is the p-th percentile (0 < p ≤ 100) by the nearest rank: the smallest
// value with at least p % of the values at or below it; ok is false when
// the histogram is empty.
func (d Dist) P(p float64) (v int, ok bool) {
	n := d.N()
	if n == 0 {
		return 0, false
	}
	keys := make([]int, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	rank := max(int(p/100*float64(n)+0.999999), 1)
	seen := 0
	for _, k := range keys {
		if seen += d[k]; seen >= rank {
			return k, true
		}
	}
	return keys[len(keys)-1], true
}

func (d Dist) add(o Dist) {
	for v, c := range o {
		d[v] += c
	}
}

// QueueStats are one queue's figures of the period (or the total's).
type QueueStats struct {
	Queue    Queue
	Tickets  int // reported in the period
	Resolved int // of those, resolved (a resolution time is known)
	Breached int // of the resolved, with an SLA clock breached
	Response Dist
	Resolve  Dist
	WorkMins int
	Ratings  [6]int // ratings given in the period by score 1–5
}

// Compliance is the share of resolved tickets within their SLA, in per
// cent; ok is false when none was resolved.
func (q QueueStats) Compliance() (float64, bool) {
	if q.Resolved == 0 {
		return 0, false
	}
	return 100 * float64(q.Resolved-q.Breached) / float64(q.Resolved), true
}

// Rated is how many ratings there are.
func (q QueueStats) Rated() int {
	n := 0
	for _, c := range q.Ratings[1:] {
		n += c
	}
	return n
}

// AvgRating is the average score; ok is false without ratings.
func (q QueueStats) AvgRating() (float64, bool) {
	n, sum := 0, 0
	for s := 1; s < len(q.Ratings); s++ {
		n, sum = n+q.Ratings[s], sum+s*q.Ratings[s]
	}
	if n == 0 {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

func (q *QueueStats) add(o *QueueStats) {
	q.Tickets += o.Tickets
	q.Resolved += o.Resolved
	q.Breached += o.Breached
	q.WorkMins += o.WorkMins
	q.Response.add(o.Response)
	q.Resolve.add(o.Resolve)
	for i := range q.Ratings {
		q.Ratings[i] += o.Ratings[i]
	}
}

// Count is a named figure: a category, a department, a building.
type Count struct {
	QueueID uint   // for categories
	ID      uint   // the category's or department's id; 0 when none
	Name    string // the building; the category's Hungarian name
	NameEN  string // the category's English name
	N       int
}

// Point is a figure per queue at one day (a month, a day, a month's end).
type Point struct {
	Day     calendar.Date
	ByQueue map[uint]int
}

// AssetFaults is an asset with the period's tickets about it.
type AssetFaults struct {
	ID               uint
	Tag, Type, Model string
	N                int
	PurchasedOn      calendar.Date
}

// ModelFaults is a model with its tickets and how many assets of it are in
// the inventory (not retired), for the faults per asset.
type ModelFaults struct {
	Model, Type string
	N, Assets   int
}

// PerAsset is the model's faults per asset of it in the inventory.
func (m ModelFaults) PerAsset() (float64, bool) {
	if m.Assets == 0 {
		return 0, false
	}
	return float64(m.N) / float64(m.Assets), true
}

// Stats are the helpdesk's figures of one period for the queues the viewer
// works (admins: both). A period's tickets are those reported in it; the
// backlog counts every ticket open at each month's end, whenever reported.
type Stats struct {
	Period      stats.Period
	Queues      []QueueStats
	Total       QueueStats
	Categories  []Count // most tickets first
	Departments []Count // ID 0: no department
	Buildings   []Count // Name "": not given
	Monthly     bool    // Days per month (a period over 62 days) or per day
	Days        []Point
	Backlog     []Point // Day is the last day counted (a month's end, or today)
	Assets      []AssetFaults
	Models      []ModelFaults
}

// statsQueues are the queues a may see the statistics of: admins both,
// staff and leads their own. None is ErrForbidden.
func (s *Service) statsQueues(ctx context.Context, a actor.Actor) ([]Queue, error) {
	qs, err := s.Queues(ctx)
	if err != nil {
		return nil, err
	}
	var out []Queue
	for _, q := range qs {
		if a.Has(actor.Admin) || isStaff(a, &q) {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return nil, ErrForbidden
	}
	return out, nil
}

// MayStats reports whether a may read the statistics of some queue (the
// navigation entry).
func (s *Service) MayStats(ctx context.Context, a actor.Actor) bool {
	_, err := s.statsQueues(ctx, a)
	return err == nil
}

// hourExpr is the UTC hour an instant falls in, "2006-01-02 15": the city's
// offsets are whole hours, so Go turns each hour into its local day.
func hourExpr(pg bool, col string) string {
	if pg {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
	}
	return "substr(" + col + ", 1, 13)"
}

// Stats gathers the figures of period p. Every figure is one aggregate
// query (GROUP BY, or SUM over CASE) over the period's tickets, run side by
// side on the reader pool; Go only adds up the grouped rows.
func (s *Service) Stats(ctx context.Context, a actor.Actor, p stats.Period) (*Stats, error) {
	qs, err := s.statsQueues(ctx, a)
	if err != nil {
		return nil, err
	}
	r := s.db.R.WithContext(ctx)
	pg := s.db.Dialect == db.Postgres
	from, to := p.Bounds(s.tz)
	ids := make([]uint, len(qs))
	at := map[uint]int{}
	st := &Stats{Period: p, Monthly: p.Days() > 62, Total: QueueStats{Response: Dist{}, Resolve: Dist{}}}
	for i, q := range qs {
		ids[i], at[q.ID] = q.ID, i
		st.Queues = append(st.Queues, QueueStats{Queue: q, Response: Dist{}, Resolve: Dist{}})
	}
	where := "t.queue_id IN ? AND t.created_at >= ? AND t.created_at < ?"
	args := []any{ids, from, to}

	var cats []struct {
		QueueID, CategoryID   uint
		NameHU, NameEN        string
		N, Resolved, Breached int
		Work                  int
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
	var hours []struct {
		QueueID uint
		H       string
		N       int
	}
	minutes := func(col string, out *[]minute) func() error {
		return func() error {
			return r.Raw("SELECT t.queue_id, t."+col+" AS m, COUNT(*) AS n FROM helpdesk_tickets t WHERE "+where+
				" AND t."+col+" IS NOT NULL GROUP BY t.queue_id, t."+col, args...).Scan(out).Error
		}
	}
	err = parallel(
		func() error {
			return r.Raw(`SELECT t.queue_id, t.category_id, COALESCE(c.name_hu, '') AS name_hu, COALESCE(c.name_en, '') AS name_en,
				COUNT(*) AS n,
				SUM(CASE WHEN t.resolve_mins IS NOT NULL THEN 1 ELSE 0 END) AS resolved,
				SUM(CASE WHEN t.resolve_mins IS NOT NULL AND t.sla_breached THEN 1 ELSE 0 END) AS breached,
				SUM(t.work_mins) AS work
				FROM helpdesk_tickets t LEFT JOIN helpdesk_categories c ON c.id = t.category_id
				WHERE `+where+` GROUP BY t.queue_id, t.category_id, c.name_hu, c.name_en`, args...).Scan(&cats).Error
		},
		minutes("response_mins", &resp),
		minutes("resolve_mins", &res),
		func() error {
			return r.Raw(`SELECT COALESCE(t.department_id, 0) AS id, COALESCE(d.name, '') AS name, COUNT(*) AS n
				FROM helpdesk_tickets t LEFT JOIN departments d ON d.id = t.department_id
				WHERE `+where+` GROUP BY t.department_id, d.name ORDER BY n DESC, name`, args...).Scan(&st.Departments).Error
		},
		func() error {
			return r.Raw(`SELECT t.building AS name, COUNT(*) AS n FROM helpdesk_tickets t
				WHERE `+where+` GROUP BY t.building ORDER BY n DESC, t.building`, args...).Scan(&st.Buildings).Error
		},
		func() error {
			return r.Raw("SELECT t.queue_id, "+hourExpr(pg, "t.created_at")+" AS h, COUNT(*) AS n FROM helpdesk_tickets t WHERE "+
				where+" GROUP BY t.queue_id, h", args...).Scan(&hours).Error
		},
		func() error {
			return r.Raw(`SELECT t.queue_id, r.score, COUNT(*) AS n FROM helpdesk_ratings r JOIN helpdesk_tickets t ON t.id = r.ticket_id
				WHERE t.queue_id IN ? AND r.created_at >= ? AND r.created_at < ? GROUP BY t.queue_id, r.score`, args...).Scan(&ratings).Error
		},
		func() error { return s.statsBacklog(ctx, st, ids) },
		func() error { return s.statsAssets(ctx, st, where, args) },
	)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		i, ok := at[c.QueueID]
		if !ok {
			continue
		}
		q := &st.Queues[i]
		q.Tickets, q.Resolved, q.Breached, q.WorkMins = q.Tickets+c.N, q.Resolved+c.Resolved, q.Breached+c.Breached, q.WorkMins+c.Work
		st.Categories = append(st.Categories, Count{QueueID: c.QueueID, ID: c.CategoryID, Name: c.NameHU, NameEN: c.NameEN, N: c.N})
	}
	sort.SliceStable(st.Categories, func(i, j int) bool {
		a, b := st.Categories[i], st.Categories[j]
		if a.N != b.N {
			return a.N > b.N
		}
		if a.QueueID != b.QueueID {
			return a.QueueID < b.QueueID
		}
		return a.ID < b.ID
	})
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
	s.statsDays(st, hours)
	return st, nil
}

// statsDays spreads the hourly counts over the period's local days, or
// months when the period is long.
func (s *Service) statsDays(st *Stats, hours []struct {
	QueueID uint
	H       string
	N       int
}) {
	key := func(d calendar.Date) calendar.Date {
		if st.Monthly {
			return calendar.NewDate(d.Year, d.Month, 1)
		}
		return d
	}
	at := map[calendar.Date]int{}
	for d := st.Period.From; d.Before(st.Period.To); d = d.AddDays(1) {
		if k := key(d); !hasDay(at, k) {
			at[k] = len(st.Days)
			st.Days = append(st.Days, Point{Day: k, ByQueue: map[uint]int{}})
		}
	}
	for _, h := range hours {
		t, err := time.ParseInLocation("2006-01-02 15", strings.TrimSpace(h.H), time.UTC)
		if err != nil {
			continue
		}
		if i, ok := at[key(calendar.DateOf(t, s.tz))]; ok {
			st.Days[i].ByQueue[h.QueueID] += h.N
		}
	}
}

func hasDay(m map[calendar.Date]int, d calendar.Date) bool { _, ok := m[d]; return ok }

// backlogEnds are the instants the backlog is counted at: the end of every
// month the period touches, cut at the period's end and at now.
func (s *Service) backlogEnds(p stats.Period) []time.Time {
	_, end := p.Bounds(s.tz)
	now := s.now().UTC()
	if now.Before(end) {
		end = now
	}
	var out []time.Time
	d := calendar.NewDate(p.From.Year, p.From.Month, 1)
	for {
		next := calendar.NewDate(d.Year, d.Month+1, 1)
		if d.Month == time.December {
			next = calendar.NewDate(d.Year+1, time.January, 1)
		}
		e := next.Start(s.tz)
		if !e.Before(end) {
			if len(out) == 0 || out[len(out)-1].Before(end) {
				out = append(out, end)
			}
			return out
		}
		out = append(out, e)
		d = next
	}
}

// statsBacklog counts the tickets open at each month's end: reported
// before it and neither resolved nor closed by then. One scan, one SUM per
// month, over the tickets that were open at some point of the period.
func (s *Service) statsBacklog(ctx context.Context, st *Stats, ids []uint) error {
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
	sql := "SELECT t.queue_id, " + strings.Join(cols, ", ") + " FROM helpdesk_tickets t WHERE t.queue_id IN ? AND t.created_at < ?" +
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

// statsAssets lists the assets and models with the most of the period's
// tickets, and each model's assets in the inventory.
func (s *Service) statsAssets(ctx context.Context, st *Stats, where string, args []any) error {
	r := s.db.R.WithContext(ctx)
	if err := r.Raw(`SELECT a.id, a.tag, a.type, a.model, a.purchased_on, COUNT(*) AS n FROM helpdesk_tickets t
		JOIN helpdesk_assets a ON a.id = t.asset_id WHERE `+where+`
		GROUP BY a.id, a.tag, a.type, a.model, a.purchased_on ORDER BY n DESC, a.tag LIMIT ?`, append(args, statsTop)...).Scan(&st.Assets).Error; err != nil {
		return err
	}
	if err := r.Raw(`SELECT a.model, a.type, COUNT(*) AS n FROM helpdesk_tickets t
		JOIN helpdesk_assets a ON a.id = t.asset_id WHERE `+where+` AND a.model <> ''
		GROUP BY a.model, a.type ORDER BY n DESC, a.model LIMIT ?`, append(args, statsTop)...).Scan(&st.Models).Error; err != nil {
		return err
	}
	if len(st.Models) == 0 {
		return nil
	}
	models := make([]string, len(st.Models))
	for i, m := range st.Models {
		models[i] = m.Model
	}
	var inv []struct {
		Model, Type string
		N           int
	}
	if err := r.Raw(`SELECT model, type, COUNT(*) AS n FROM helpdesk_assets WHERE model IN ? AND state <> ? GROUP BY model, type`,
		models, AssetRetired).Scan(&inv).Error; err != nil {
		return err
	}
	for i, m := range st.Models {
		for _, v := range inv {
			if v.Model == m.Model && v.Type == m.Type {
				st.Models[i].Assets = v.N
			}
		}
	}
	return nil
}

// parallel runs fns at once and returns their errors joined.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
