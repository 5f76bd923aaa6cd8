package warehouse

import (
	"context"
	"sort"
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
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
}

// add adds q (a consumed quantity, negative for a return) at price.
func (u *Use) add(q Qty, price int64, issues int) {
	u.Qty += q
	u.Cost += costOf(q, price)
	u.Rows += issues
}

// costOf is forints for q at price, rounded to whole forints.
func costOf(q Qty, price int64) int64 {
	v := int64(q) * price
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
	// Value is the stock's worth at the bucket's end: on hand × unit price.
	Value int64
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

// Stats reads the store's figures of period p. Every table is one grouped
// query (the buckets are CASE expressions over the period's month or day
// bounds, so the SQL is the same on both databases); nothing is read per
// item or per request.
func (s *Service) Stats(ctx context.Context, a actor.Actor, p stats.Period) (*Stats, error) {
	if !mayReadStats(a) {
		return nil, ErrForbidden
	}
	loc := s.tz()
	from, to := p.Bounds(loc)
	st := &Stats{Period: p, Monthly: p.Days() > 62}
	var bounds []time.Time // each bucket's start, then the period's end
	for d := p.From; d.Before(p.To); {
		st.Buckets = append(st.Buckets, Bucket{From: d})
		bounds = append(bounds, d.Start(loc).UTC())
		if st.Monthly {
			d = calendar.NewDate(d.Year, d.Month+1, 1)
		} else {
			d = d.AddDays(1)
		}
	}
	bounds = append(bounds, to)
	q := s.db.R.WithContext(ctx)

	var items []Item
	if err := q.Order("id").Find(&items).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Item, len(items))
	for i := range items {
		byID[items[i].ID] = &items[i]
	}

	// Consumption: issues less returns, by department, item and bucket.
	var bucketSQL strings.Builder
	var args []any
	bucketSQL.WriteString("CASE")
	for i := 1; i < len(bounds)-1; i++ {
		bucketSQL.WriteString(" WHEN m.created_at < ? THEN ")
		bucketSQL.WriteString(itoa(i - 1))
		args = append(args, bounds[i])
	}
	bucketSQL.WriteString(" ELSE " + itoa(len(bounds)-2) + " END")
	if len(bounds) == 2 { // one bucket (a one-day range): CASE needs a WHEN
		bucketSQL.Reset()
		bucketSQL.WriteString("0")
	}
	type useRow struct {
		DepartmentID *uint
		ItemID       uint
		Bucket       int
		Qty          int64
		Issues       int
	}
	var uses []useRow
	err := q.Raw(`SELECT m.department_id, m.item_id, `+bucketSQL.String()+` AS bucket,
		-SUM(m.quantity) AS qty, SUM(CASE WHEN m.kind = ? THEN 1 ELSE 0 END) AS issues
		FROM warehouse_movements m
		WHERE m.kind IN (?, ?) AND m.created_at >= ? AND m.created_at < ?
		GROUP BY m.department_id, m.item_id, bucket`,
		append(args, KindIssue, KindIssue, KindReturn, from, to)...).Scan(&uses).Error
	if err != nil {
		return nil, err
	}
	depts := map[uint]*DeptUse{}
	itemUse := map[uint]*ItemUse{}
	cats := map[string]*CatUse{}
	for _, r := range uses {
		it := byID[r.ItemID]
		if it == nil {
			continue
		}
		dep := uint(0)
		if r.DepartmentID != nil {
			dep = *r.DepartmentID
		}
		if depts[dep] == nil {
			depts[dep] = &DeptUse{DepartmentID: dep}
		}
		if itemUse[it.ID] == nil {
			itemUse[it.ID] = &ItemUse{Item: it}
		}
		if cats[it.Category] == nil {
			cats[it.Category] = &CatUse{Category: it.Category}
		}
		qty := Qty(r.Qty)
		depts[dep].add(qty, it.UnitPrice, r.Issues)
		itemUse[it.ID].add(qty, it.UnitPrice, r.Issues)
		cats[it.Category].add(qty, it.UnitPrice, r.Issues)
		st.Total.add(qty, it.UnitPrice, r.Issues)
		if r.Bucket >= 0 && r.Bucket < len(st.Buckets) {
			st.Buckets[r.Bucket].Cost += costOf(qty, it.UnitPrice)
		}
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

	if err := s.stockValues(ctx, st, byID, bounds); err != nil {
		return nil, err
	}
	if err := s.requestFlow(ctx, st, from, to); err != nil {
		return nil, err
	}
	if err := s.outages(ctx, st, byID, from, to); err != nil {
		return nil, err
	}
	return st, nil
}

// hoursSQL is b − a in whole hours (rounded), in the database's dialect.
func (s *Service) hoursSQL(a, b string) string {
	if s.db.Dialect == db.Postgres {
		return "CAST(FLOOR(EXTRACT(EPOCH FROM (" + b + " - " + a + ")) / 3600 + 0.5) AS INTEGER)"
	}
	return "CAST((julianday(" + b + ") - julianday(" + a + ")) * 24 + 0.5 AS INTEGER)"
}

// itoa is a small non-negative int as text, for the SQL's bucket numbers.
func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// nameDepartments fills in the departments' names in one query.
func (s *Service) nameDepartments(ctx context.Context, depts map[uint]*DeptUse) error {
	var ids []uint
	for id := range depts {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID   uint
		Name string
	}
	if err := s.db.R.WithContext(ctx).Table("departments").Select("id, name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		depts[r.ID].Name = r.Name
	}
	return nil
}

// stockValues sets each bucket's closing stock value: today's on hand less
// every change after the bucket's end, at today's unit prices, in one query
// (a CASE sum per bucket end).
func (s *Service) stockValues(ctx context.Context, st *Stats, byID map[uint]*Item, bounds []time.Time) error {
	var cols []string
	var args []any
	for i := 1; i < len(bounds); i++ {
		cols = append(cols, "SUM(CASE WHEN created_at >= ? THEN quantity ELSE 0 END) AS after"+itoa(i-1))
		args = append(args, bounds[i])
	}
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT item_id, `+strings.Join(cols, ", ")+`
		FROM warehouse_movements WHERE created_at >= ? GROUP BY item_id`, append(args, bounds[1])...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	later := map[uint][]int64{}
	for rows.Next() {
		var id uint
		vals := make([]int64, len(bounds)-1)
		dest := []any{&id}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		later[id] = vals
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, it := range byID {
		for b := range st.Buckets {
			q := it.OnHand
			if v := later[it.ID]; v != nil {
				q -= Qty(v[b])
			}
			st.Buckets[b].Value += costOf(q, it.UnitPrice)
		}
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
		st.Flow.Requests += c.Requests
		st.Flow.Lines += c.Lines
		st.Flow.Partly += c.Partly
		st.Flow.Refused += c.Refused
		switch c.Status {
		case RequestPending:
			st.Flow.Pending += c.Requests
		case RequestApproved, RequestDone:
			st.Flow.Approved += c.Requests
		case RequestRejected:
			st.Flow.Rejected += c.Requests
		case RequestCancelled:
			st.Flow.Cancelled += c.Requests
		}
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
// and those whose balance fell to zero in it; then walks their rows of the
// period in order. Two grouped queries and one read of the affected rows.
func (s *Service) outages(ctx context.Context, st *Stats, byID map[uint]*Item, from, to time.Time) error {
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
	return nil
}
