package warehouse

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
	"kapu/modules/platform/stats"
)

// statsKinds are the periods the statistics page offers; a year is the
// default, since consumption and stock value show their shape over months.
var statsKinds = []string{stats.Week, stats.Month, stats.Year, stats.Range}

// statsTop bounds the list of the most consumed items.
const statsTop = 20

// StatsRoles may read the store's statistics: the storekeeper and the
// administrators (there is no finance role yet). Reading figures moves no
// stock, so the admins' role is enough here, unlike on the stock pages.
var StatsRoles = []string{StaffRole, actor.Admin}

// mayReadStats reports whether a may read the statistics.
func mayReadStats(a actor.Actor) bool { return a.ID != 0 && a.Has(StatsRoles...) }

// Use is net consumption: what was issued less what came back, in the item's
// unit, and its cost in forints at the item's unit price (the ledger stores
// no price, so a price change revalues the past).
type Use struct {
	Qty  Qty
	Cost int64
	Rows int // issue rows
	// milli is the exact cost in thousandths of a forint; Cost is it
	// rounded once, so a figure is the same however its rows are grouped.
	milli int64
}

// add adds q (a consumed quantity, negative for a return) worth milli
// thousandths of a forint, of issues rows.
func (u *Use) add(q Qty, milli int64, issues int) {
	u.Qty += q
	u.milli += milli
	u.Cost = forints(u.milli)
	u.Rows += issues
}

// forints is v thousandths of a forint rounded to whole forints.
func forints(v int64) int64 {
	if v >= 0 {
		return (v + QtyScale/2) / QtyScale
	}
	return -((-v + QtyScale/2) / QtyScale)
}

// DeptUse is a department's consumption (cost only: its items have different units).
type DeptUse struct {
	DepartmentID uint // 0: movements without a department
	Name         string
	Use
}

// ItemUse is an item's consumption.
type ItemUse struct {
	Item *Item
	Use
}

// CatUse is a category's consumption.
type CatUse struct {
	Category string
	Use
}

// Bucket is one month (or one day of a short period) of the period.
type Bucket struct {
	From calendar.Date
	Cost int64
	// Value is the stock's worth at the bucket's end, on hand × unit price;
	// for the bucket now running (Now) it is the worth now, and a bucket
	// still to come (Future) has none.
	Value       int64
	Now, Future bool
}

// Outage is an item that ran out in the period.
type Outage struct {
	Item *Item
	// Times is how often its on hand fell to zero in the period; Days how
	// many days (whole or part, counted in hours / 24) it was at zero.
	Times int
	Days  float64
	Now   bool // still out at the period's end
}

// Flow counts requests and their lines by outcome, for the rates.
type Flow struct {
	Requests, Pending, Approved, Rejected, Cancelled int
	// Lines are the lines the approvers decided; Partly those approved less
	// than asked (but some), Refused those approved nothing.
	Lines, Partly, Refused int
}

// count adds n requests of status with their decided, partly approved
// and refused lines.
func (f *Flow) count(status string, n, lines, partly, refused int) {
	f.Requests += n
	f.Lines += lines
	f.Partly += partly
	f.Refused += refused
	switch status {
	case RequestPending:
		f.Pending += n
	case RequestApproved, RequestDone:
		f.Approved += n
	case RequestRejected:
		f.Rejected += n
	case RequestCancelled:
		f.Cancelled += n
	}
}

// Rate is part of whole in per cent; ok is false for a rate of nothing.
func Rate(part, whole int) (float64, bool) {
	if whole == 0 {
		return 0, false
	}
	return 100 * float64(part) / float64(whole), true
}

// Stats are the store's figures of one period.
type Stats struct {
	Period  stats.Period
	Monthly bool // buckets are months (else days)
	Total   Use
	Depts   []DeptUse
	Items   []ItemUse // by cost, all consumed items
	Cats    []CatUse
	Buckets []Bucket
	Flow    Flow
	// Approval, Handover and Total lead times in hours: submitted → decided,
	// decided → first handover, submitted → first handover.
	ToDecision, ToHandover, LeadTotal stats.Dist
	Outages                           []Outage
}

// Stats reads the store's figures of period p. The ledger's share is one
// grouped read per source (ledgerCells): the rollup's cells for the closed
// months of a long period, one grouped query of the ledger for the rest;
// the requests are one grouped query each; nothing is read per item or per
// request.
func (s *Service) Stats(ctx context.Context, a actor.Actor, p stats.Period) (*Stats, error) {
	return s.stats(ctx, a, p, true)
}

// stats is Stats, with the closed months from the rollup when rollup is
// set and otherwise every figure straight from the ledger (the rollup
// test's oracle and the benchmark's baseline).
func (s *Service) stats(ctx context.Context, a actor.Actor, p stats.Period, rollup bool) (*Stats, error) {
	if !mayReadStats(a) {
		return nil, ErrForbidden
	}
	loc := s.tz()
	from, to := p.Bounds(loc)
	now := s.now()
	st := &Stats{Period: p, Monthly: p.Days() > 62}
	var bounds []time.Time // each bucket's start, then the period's end
	for d := p.From; d.Before(p.To); {
		st.Buckets = append(st.Buckets, Bucket{From: d})
		bounds = append(bounds, d.Start(loc).UTC())
		if st.Monthly {
			d = monthAfter(d)
		} else {
			d = d.AddDays(1)
		}
	}
	bounds = append(bounds, to)
	for i := range st.Buckets {
		st.Buckets[i].Future = bounds[i].After(now)
		st.Buckets[i].Now = !st.Buckets[i].Future && bounds[i+1].After(now)
	}

	var items []Item
	if err := s.db.R.WithContext(ctx).Order("id").Find(&items).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Item, len(items))
	for i := range items {
		byID[items[i].ID] = &items[i]
	}
	// The request figures and the stockouts read other tables than the
	// ledger's sums and write their own fields: they run beside them.
	flow := s.requestFlow
	if rollup {
		flow = s.requestSummaries
	}
	var sums *ledgerSums
	err := stats.Parallel(
		func() (err error) {
			sums, err = s.ledgerSums(ctx, st, bounds, byID, rollup)
			return err
		},
		func() error { return flow(ctx, st, from, to) },
		func() error { return s.outages(ctx, st, byID, from, to, rollup) },
	)
	if err != nil {
		return nil, err
	}

	// Consumption: issues less returns, by department, item and bucket.
	depts := map[uint]*DeptUse{}
	itemUse := map[uint]*ItemUse{}
	cats := map[string]*CatUse{}
	for _, u := range sums.depts {
		if depts[u.Key] == nil {
			depts[u.Key] = &DeptUse{DepartmentID: u.Key}
		}
		depts[u.Key].add(Qty(u.Used), u.Milli, u.Issues)
	}
	for _, u := range sums.items {
		it := byID[u.Key]
		if it == nil {
			continue
		}
		if itemUse[it.ID] == nil {
			itemUse[it.ID] = &ItemUse{Item: it}
		}
		itemUse[it.ID].add(Qty(u.Used), u.Milli, u.Issues)
	}
	// Sums whose rows were taken off again consumed nothing: they go, as
	// anything without an issue or a return would.
	for id, u := range depts {
		if u.Qty == 0 && u.Rows == 0 {
			delete(depts, id)
		}
	}
	for id, u := range itemUse {
		if u.Qty == 0 && u.Rows == 0 {
			delete(itemUse, id)
			continue
		}
		if cats[u.Item.Category] == nil {
			cats[u.Item.Category] = &CatUse{Category: u.Item.Category}
		}
		cats[u.Item.Category].add(u.Qty, u.milli, u.Rows)
		st.Total.add(u.Qty, u.milli, u.Rows)
	}
	if err := s.nameDepartments(ctx, depts); err != nil {
		return nil, err
	}
	for _, d := range depts {
		st.Depts = append(st.Depts, *d)
	}
	sort.Slice(st.Depts, func(i, j int) bool {
		if st.Depts[i].Cost != st.Depts[j].Cost {
			return st.Depts[i].Cost > st.Depts[j].Cost
		}
		return st.Depts[i].Name < st.Depts[j].Name
	})
	for _, u := range itemUse {
		st.Items = append(st.Items, *u)
	}
	sort.Slice(st.Items, func(i, j int) bool {
		if st.Items[i].Cost != st.Items[j].Cost {
			return st.Items[i].Cost > st.Items[j].Cost
		}
		return st.Items[i].Item.Code < st.Items[j].Item.Code
	})
	for _, c := range Categories {
		if u := cats[c]; u != nil {
			st.Cats = append(st.Cats, *u)
		}
	}

	stockValues(st, items, sums.buckets)
	return st, nil
}

// ledgerCell is what one item's ledger rows of one department did in one
// bucket of the period; the bucket after the last is everything since the
// period's end. Used, Issues and Net are statsItemMonth's.
type ledgerCell struct {
	Bucket       int
	DepartmentID uint
	ItemID       uint
	Used, Net    int64
	Issues       int
}

// useSum is consumption summed by a key (a department or an item): Used
// thousandths of the unit worth Milli thousandths of a forint at today's
// prices, of Issues issue rows.
type useSum struct {
	Key         uint `gorm:"column:grp"`
	Used, Milli int64
	Issues      int
}

// bucketSum is what one bucket's rows were worth, in thousandths of a
// forint at today's prices: consumed (Cost) and the change of on hand (Net).
type bucketSum struct {
	Bucket    int
	Cost, Net int64
}

// ledgerSums are the period's ledger figures from every source, to be added up.
type ledgerSums struct {
	depts, items []useSum
	buckets      []bucketSum
}

// add adds the live cell c of item it; bucket n (after the period) is
// only a change of stock, no consumption.
func (o *ledgerSums) add(c ledgerCell, it *Item, n int) {
	if c.Bucket < n && (c.Used != 0 || c.Issues != 0) {
		u := useSum{Key: c.DepartmentID, Used: c.Used, Milli: c.Used * it.UnitPrice, Issues: c.Issues}
		o.depts = append(o.depts, u)
		u.Key = it.ID
		o.items = append(o.items, u)
	}
	o.buckets = append(o.buckets, bucketSum{Bucket: c.Bucket, Cost: c.Used * it.UnitPrice, Net: c.Net * it.UnitPrice})
}

// timeSpan is [From, To) of the ledger, To zero for "until now": its rows
// count into bucket Into and are taken off bucket Off (-1: none), the rows
// of a rollup month outside its bucket.
type timeSpan struct {
	From, To  time.Time
	Into, Off int
}

// ledgerSums reads the period's ledger by department, item and bucket,
// and the changes since its end (bucket len(st.Buckets)). With rollup, a
// bucket in a closed month (less the month's rows outside it, when fewer)
// and the closed months after the period come from the rollup (filled
// first when missing), summed by the database; the rest, the current month
// always among it, from one grouped query of the ledger, summed here.
func (s *Service) ledgerSums(ctx context.Context, st *Stats, bounds []time.Time, byID map[uint]*Item, rollup bool) (*ledgerSums, error) {
	loc := s.tz()
	n := len(st.Buckets)
	end := bounds[n]
	monthOf := map[int]int{} // rollup month → bucket
	var live []timeSpan
	closed := time.Time{}
	if rollup {
		closed = s.closedBefore()
	}
	afterFrom := end // where the rows after the period are still to be read
	for i, b := range st.Buckets {
		// A bucket in a closed month is its month's cells, less the rows of
		// the month outside the bucket (a range's partial first or last
		// month) when those are the shorter part; else it is read live.
		if m := calendar.NewDate(b.From.Year, b.From.Month, 1); st.Monthly && !monthAfter(m).Start(loc).UTC().After(closed) {
			start, stop := m.Start(loc).UTC(), monthAfter(m).Start(loc).UTC()
			outside := bounds[i].Sub(start) + stop.Sub(bounds[i+1])
			if outside < bounds[i+1].Sub(bounds[i]) {
				monthOf[monthKey(m)] = i
				if start.Before(bounds[i]) {
					live = append(live, timeSpan{From: start, To: bounds[i], Into: -1, Off: i})
				}
				if bounds[i+1].Before(stop) { // the last bucket: its month's rest is after the period
					live = append(live, timeSpan{From: bounds[i+1], To: stop, Into: n, Off: i})
					afterFrom = stop
				}
				continue
			}
		}
		live = append(live, timeSpan{From: bounds[i], To: bounds[i+1], Into: i, Off: -1})
	}
	// After the period: its rest of a month live, then the whole closed
	// months from the rollup, then live again from the first open month.
	var after []int
	m := calendar.DateOf(afterFrom, loc)
	m = calendar.NewDate(m.Year, m.Month, 1)
	if !m.Start(loc).UTC().Equal(afterFrom) {
		m = monthAfter(m)
	}
	liveFrom := afterFrom
	for ; rollup && !monthAfter(m).Start(loc).UTC().After(closed); m = monthAfter(m) {
		if len(after) == 0 && afterFrom.Before(m.Start(loc).UTC()) {
			live = append(live, timeSpan{From: afterFrom, To: m.Start(loc).UTC(), Into: n, Off: -1})
		}
		after = append(after, monthKey(m))
		liveFrom = monthAfter(m).Start(loc).UTC()
	}
	live = append(live, timeSpan{From: liveFrom, Into: n, Off: -1})

	keys := make([]int, 0, len(monthOf)+len(after))
	for k := range monthOf {
		keys = append(keys, k)
	}
	keys = append(keys, after...)
	if err := s.ensureMonths(ctx, keys); err != nil {
		return nil, err
	}
	cells, err := s.liveCells(ctx, live)
	if err != nil {
		return nil, err
	}
	out := &ledgerSums{}
	for _, c := range cells {
		it := byID[c.ItemID]
		if it == nil {
			continue
		}
		sp := live[c.Bucket] // the span's index
		for _, e := range []struct{ bucket, sign int }{{sp.Into, 1}, {sp.Off, -1}} {
			if e.bucket >= 0 {
				c := ledgerCell{Bucket: e.bucket, DepartmentID: c.DepartmentID, ItemID: c.ItemID,
					Used: int64(e.sign) * c.Used, Net: int64(e.sign) * c.Net, Issues: e.sign * c.Issues}
				out.add(c, it, n)
			}
		}
	}
	if err := s.rollupSums(ctx, out, byID, monthOf, after, n); err != nil {
		return nil, err
	}
	return out, nil
}

// rollupSums adds the rollup's months to out, summed by the database:
// those of monthOf into their buckets, those after the period into bucket
// n. Only the departments' sums read the department cells; the items' and
// the months' read the items' months (a row per item and month).
func (s *Service) rollupSums(ctx context.Context, out *ledgerSums, byID map[uint]*Item, monthOf map[int]int, after []int, n int) error {
	q := s.db.R.WithContext(ctx)
	const priced = " c JOIN warehouse_items i ON i.id = c.item_id WHERE c.month IN ? "
	if len(monthOf) > 0 {
		keys := make([]int, 0, len(monthOf))
		for k := range monthOf {
			keys = append(keys, k)
		}
		var depts []useSum
		if err := q.Raw(`SELECT c.department_id AS grp, SUM(c.used) AS used, SUM(c.used * i.unit_price) AS milli, SUM(c.issues) AS issues
			FROM warehouse_stats_cells`+priced+`GROUP BY c.department_id`, keys).Scan(&depts).Error; err != nil {
			return err
		}
		out.depts = append(out.depts, depts...)
		var items []useSum
		if err := q.Raw(`SELECT item_id AS grp, SUM(used) AS used, SUM(issues) AS issues FROM warehouse_stats_items
			WHERE month IN ? GROUP BY item_id HAVING SUM(used) <> 0 OR SUM(issues) <> 0`, keys).Scan(&items).Error; err != nil {
			return err
		}
		for _, u := range items {
			if it := byID[u.Key]; it != nil {
				u.Milli = u.Used * it.UnitPrice
				out.items = append(out.items, u)
			}
		}
		var months []struct {
			Month     int
			Cost, Net int64
		}
		if err := q.Raw(`SELECT c.month, SUM(c.used * i.unit_price) AS cost, SUM(c.net * i.unit_price) AS net
			FROM warehouse_stats_items`+priced+`GROUP BY c.month`, keys).Scan(&months).Error; err != nil {
			return err
		}
		for _, m := range months {
			out.buckets = append(out.buckets, bucketSum{Bucket: monthOf[m.Month], Cost: m.Cost, Net: m.Net})
		}
	}
	if len(after) > 0 {
		var net int64
		if err := q.Raw("SELECT COALESCE(SUM(c.net * i.unit_price), 0) FROM warehouse_stats_items"+priced, after).Scan(&net).Error; err != nil {
			return err
		}
		out.buckets = append(out.buckets, bucketSum{Bucket: n, Net: net})
	}
	return nil
}

// liveCells reads the ledger rows of spans grouped by span (Bucket is the
// span's index), department and item in one query: the buckets are CASE bounds, the same SQL on both
// databases.
func (s *Service) liveCells(ctx context.Context, spans []timeSpan) ([]ledgerCell, error) {
	var bucket, where strings.Builder
	var bargs, wargs []any
	bucket.WriteString("CASE")
	for i, sp := range spans {
		cond := "created_at >= ?"
		args := []any{sp.From}
		if !sp.To.IsZero() {
			cond += " AND created_at < ?"
			args = append(args, sp.To)
		}
		bucket.WriteString(" WHEN " + cond + " THEN " + strconv.Itoa(i))
		bargs = append(bargs, args...)
		if i > 0 {
			where.WriteString(" OR ")
		}
		where.WriteString("(" + cond + ")")
		wargs = append(wargs, args...)
	}
	bucket.WriteString(" END")
	var cells []ledgerCell
	err := s.db.R.WithContext(ctx).Raw(`SELECT `+bucket.String()+` AS bucket, COALESCE(department_id, 0) AS department_id, item_id,
		SUM(CASE WHEN kind IN (?, ?) THEN -quantity ELSE 0 END) AS used,
		SUM(CASE WHEN kind = ? THEN 1 ELSE 0 END) AS issues, SUM(quantity) AS net
		FROM warehouse_movements WHERE quantity <> 0 AND (`+where.String()+`)
		GROUP BY bucket, department_id, item_id`,
		append(append(bargs, KindIssue, KindReturn, KindIssue), wargs...)...).Scan(&cells).Error
	return cells, err
}

// stockValues sets each bucket's closing stock value: today's on hand less
// every change after the bucket's end, at today's unit prices (a sum, so it
// is taken over all items at once); the bucket running now is worth what is
// on the shelf now, one still to come nothing.
func stockValues(st *Stats, items []Item, sums []bucketSum) {
	n := len(st.Buckets)
	net := make([]int64, n+1) // thousandths of a forint per bucket, the last since the period's end
	cost := make([]int64, n+1)
	for _, b := range sums {
		net[b.Bucket] += b.Net
		cost[b.Bucket] += b.Cost
	}
	var worth int64
	for i := range items {
		worth += int64(items[i].OnHand) * items[i].UnitPrice
	}
	later := net[n]
	for b := n - 1; b >= 0; b-- {
		st.Buckets[b].Cost = forints(cost[b])
		if !st.Buckets[b].Future {
			st.Buckets[b].Value = forints(worth - later)
		}
		later += net[b]
	}
}

// hoursSQL is b − a in whole hours (rounded), in the database's dialect.
func (s *Service) hoursSQL(a, b string) string {
	if s.db.Dialect == db.Postgres {
		return "CAST(FLOOR(EXTRACT(EPOCH FROM (" + b + " - " + a + ")) / 3600 + 0.5) AS INTEGER)"
	}
	return "CAST((julianday(" + b + ") - julianday(" + a + ")) * 24 + 0.5 AS INTEGER)"
}

// nameDepartments fills in the departments' names in one query.
func (s *Service) nameDepartments(ctx context.Context, depts map[uint]*DeptUse) error {
	var ids []uint
	for id := range depts {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	names, err := people.DepartmentNamesOf(s.db.R.WithContext(ctx), ids)
	if err != nil {
		return err
	}
	for id, name := range names {
		depts[id].Name = name
	}
	return nil
}

// requestFlow counts the period's requests by outcome and measures their
// lead times: submitted → the last approver's decision (the request's
// decided_at, which the approval engine's callback sets) → the first issue
// of one of its lines (the ledger row linked by request line).
func (s *Service) requestFlow(ctx context.Context, st *Stats, from, to time.Time) error {
	q := s.db.R.WithContext(ctx)
	var counts []struct {
		Status                 string
		Requests               int
		Lines, Partly, Refused int
	}
	err := q.Raw(`SELECT r.status, COUNT(DISTINCT r.id) AS requests,
		SUM(CASE WHEN r.decided_at IS NOT NULL THEN 1 ELSE 0 END) AS lines,
		SUM(CASE WHEN r.decided_at IS NOT NULL AND l.approved > 0 AND l.approved < l.requested THEN 1 ELSE 0 END) AS partly,
		SUM(CASE WHEN r.decided_at IS NOT NULL AND l.approved = 0 THEN 1 ELSE 0 END) AS refused
		FROM warehouse_requests r JOIN warehouse_request_lines l ON l.request_id = r.id
		WHERE r.created_at >= ? AND r.created_at < ? GROUP BY r.status`, from, to).Scan(&counts).Error
	if err != nil {
		return err
	}
	for _, c := range counts {
		st.Flow.count(c.Status, c.Requests, c.Lines, c.Partly, c.Refused)
	}

	// Lead times in whole hours, grouped by the database: one row per
	// distinct (decision, handover, total) triple; -1 for no handover yet.
	first := s.hoursSQL("r.created_at", "r.decided_at")
	hand := "CASE WHEN MIN(m.created_at) IS NULL THEN -1 ELSE " + s.hoursSQL("r.decided_at", "MIN(m.created_at)") + " END"
	total := "CASE WHEN MIN(m.created_at) IS NULL THEN -1 ELSE " + s.hoursSQL("r.created_at", "MIN(m.created_at)") + " END"
	var rows []struct{ Decision, Handover, Total, N int }
	err = q.Raw(`SELECT decision, handover, total, COUNT(*) AS n FROM (
		SELECT `+first+` AS decision, `+hand+` AS handover, `+total+` AS total
		FROM warehouse_requests r
		JOIN warehouse_request_lines l ON l.request_id = r.id
		LEFT JOIN warehouse_movements m ON m.request_line_id = l.id AND m.kind = ?
		WHERE r.created_at >= ? AND r.created_at < ? AND r.decided_at IS NOT NULL AND r.status <> ?
		GROUP BY r.id, r.created_at, r.decided_at) x
		GROUP BY decision, handover, total`,
		KindIssue, from, to, RequestRejected).Scan(&rows).Error
	if err != nil {
		return err
	}
	st.ToDecision, st.ToHandover, st.LeadTotal = stats.Dist{}, stats.Dist{}, stats.Dist{}
	for _, r := range rows {
		st.ToDecision[max(r.Decision, 0)] += r.N
		if r.Handover >= 0 {
			st.ToHandover[r.Handover] += r.N
			st.LeadTotal[max(r.Total, 0)] += r.N
		}
	}
	return nil
}

// outages finds the items out of stock in the period from the ledger's
// running balance: those at zero when it began (the last row before it)
// and those whose balance fell to zero in it. With seek each outage is
// read as the row that emptied the shelf and the next row that moved the
// item (outageSpans, a few index steps per outage); otherwise the affected
// items' rows of the period are walked in order (the rollup test's oracle).
func (s *Service) outages(ctx context.Context, st *Stats, byID map[uint]*Item, from, to time.Time, seek bool) error {
	if seek {
		return s.outageSpans(ctx, st, byID, from, to)
	}
	q := s.db.R.WithContext(ctx)
	var startZero []uint
	err := q.Raw(`SELECT m.item_id FROM warehouse_movements m
		JOIN (SELECT item_id, MAX(id) AS id FROM warehouse_movements WHERE created_at < ? GROUP BY item_id) last ON last.id = m.id
		WHERE m.on_hand_after = 0`, from).Scan(&startZero).Error
	if err != nil {
		return err
	}
	var fell []uint
	err = q.Raw(`SELECT DISTINCT item_id FROM warehouse_movements
		WHERE on_hand_after = 0 AND quantity < 0 AND created_at >= ? AND created_at < ?`, from, to).Scan(&fell).Error
	if err != nil {
		return err
	}
	zeroAtStart := map[uint]bool{}
	ids := map[uint]bool{}
	for _, id := range startZero {
		zeroAtStart[id], ids[id] = true, true
	}
	for _, id := range fell {
		ids[id] = true
	}
	if len(ids) == 0 {
		return nil
	}
	list := make([]uint, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	var rows []struct {
		ItemID      uint
		OnHandAfter int64
		Quantity    int64
		CreatedAt   time.Time
	}
	err = q.Raw(`SELECT item_id, on_hand_after, quantity, created_at FROM warehouse_movements
		WHERE item_id IN ? AND created_at >= ? AND created_at < ? AND quantity <> 0 ORDER BY item_id, id`, list, from, to).Scan(&rows).Error
	if err != nil {
		return err
	}
	end := to
	if now := s.now(); now.Before(end) {
		end = now
	}
	out := map[uint]*Outage{}
	since := map[uint]time.Time{} // when the item's current outage began
	for id := range zeroAtStart {
		out[id] = &Outage{Item: byID[id]}
		since[id] = from
	}
	for _, r := range rows {
		o := out[r.ItemID]
		if o == nil {
			o = &Outage{Item: byID[r.ItemID]}
			out[r.ItemID] = o
		}
		t, zero := since[r.ItemID]
		switch {
		case r.OnHandAfter == 0 && !zero:
			o.Times++
			since[r.ItemID] = r.CreatedAt
		case r.OnHandAfter > 0 && zero:
			o.Days += r.CreatedAt.Sub(t).Hours() / 24
			delete(since, r.ItemID)
		}
	}
	for id, t := range since {
		if end.After(t) {
			out[id].Days += end.Sub(t).Hours() / 24
		}
		out[id].Now = true
	}
	listOutages(st, out)
	return nil
}

// listOutages puts out on st, the longest first.
func listOutages(st *Stats, out map[uint]*Outage) {
	for _, o := range out {
		if o.Item != nil {
			st.Outages = append(st.Outages, *o)
		}
	}
	sort.Slice(st.Outages, func(i, j int) bool {
		if st.Outages[i].Days != st.Outages[j].Days {
			return st.Outages[i].Days > st.Outages[j].Days
		}
		return st.Outages[i].Item.Code < st.Outages[j].Item.Code
	})
}

// outageSpans is outages by index steps: the items whose last row before
// the period left them at zero (warehouse_movement_item_time), the rows of
// the period that emptied a shelf (warehouse_movement_empty), and for each
// the item's next row that moved its stock, which can only have refilled
// it (warehouse_movement_item). Ids are read, then their times, as SQLite
// hands back a subquery's time as text.
func (s *Service) outageSpans(ctx context.Context, st *Stats, byID map[uint]*Item, from, to time.Time) error {
	q := s.db.R.WithContext(ctx)
	var spans []struct {
		ItemID       uint
		FellID, Back *uint // the row that emptied the shelf (none: empty before the period) and the next
	}
	err := q.Raw(`SELECT i.id AS item_id, NULL AS fell_id, (SELECT n.id FROM warehouse_movements n
			WHERE n.item_id = i.id AND n.created_at >= ? AND n.quantity <> 0 ORDER BY n.created_at, n.id LIMIT 1) AS back
		FROM warehouse_items i WHERE (SELECT m.on_hand_after FROM warehouse_movements m
			WHERE m.item_id = i.id AND m.created_at < ? ORDER BY m.created_at DESC, m.id DESC LIMIT 1) = 0`, from, from).Scan(&spans).Error
	if err != nil {
		return err
	}
	var fell []struct {
		ItemID       uint
		FellID, Back *uint
	}
	err = q.Raw(`SELECT z.item_id, z.id AS fell_id, (SELECT n.id FROM warehouse_movements n
			WHERE n.item_id = z.item_id AND n.id > z.id AND n.quantity <> 0 ORDER BY n.id LIMIT 1) AS back
		FROM warehouse_movements z WHERE z.on_hand_after = 0 AND z.quantity < 0 AND z.created_at >= ? AND z.created_at < ?`, from, to).Scan(&fell).Error
	if err != nil {
		return err
	}
	spans = append(spans, fell...)
	if len(spans) == 0 {
		return nil
	}
	var ids []uint
	for _, sp := range spans {
		for _, id := range []*uint{sp.FellID, sp.Back} {
			if id != nil {
				ids = append(ids, *id)
			}
		}
	}
	at := map[uint]time.Time{}
	for i := 0; i < len(ids); i += 1000 {
		var rows []struct {
			ID        uint
			CreatedAt time.Time
		}
		if err := q.Raw("SELECT id, created_at FROM warehouse_movements WHERE id IN ?", ids[i:min(i+1000, len(ids))]).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			at[r.ID] = r.CreatedAt
		}
	}
	end := to
	if now := s.now(); now.Before(end) {
		end = now
	}
	out := map[uint]*Outage{}
	for _, sp := range spans {
		o := out[sp.ItemID]
		if o == nil {
			o = &Outage{Item: byID[sp.ItemID]}
			out[sp.ItemID] = o
		}
		began := from
		if sp.FellID != nil {
			began = at[*sp.FellID]
			o.Times++
		}
		if sp.Back != nil && at[*sp.Back].Before(to) {
			o.Days += at[*sp.Back].Sub(began).Hours() / 24
			continue
		}
		if end.After(began) {
			o.Days += end.Sub(began).Hours() / 24
		}
		o.Now = true
	}
	listOutages(st, out)
	return nil
}
