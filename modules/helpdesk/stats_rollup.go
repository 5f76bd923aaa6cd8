package helpdesk

import (
	"context"
	"reflect"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/calendar"
)

// The statistics read a daily rollup of the tickets instead of the tickets
// themselves: a year of 300,000 tickets is a few tens of thousands of
// cells. A cell's day is a local day of the city's zone as yyyymmdd; the
// histograms and the asset counts, whose cells barely shrink per day, also
// keep a month's sum (span 1, day yyyymm00) so a year reads twelve month
// cells and the days of its two partial months. Every change marks its
// ticket's report day dirty in its transaction; Stats and a job rebuild
// the dirty days from the tickets before they are read.

const (
	spanDay   = 0
	spanMonth = 1
	// openEnd is the end day of a ticket neither resolved nor closed.
	openEnd = 99991231
	// Kinds of a minutes histogram.
	minsResponse = 0
	minsResolve  = 1
	// Dimensions of a count cell.
	dimCategory   = 0
	dimDepartment = 1
	dimBuilding   = 2
)

// statsTicketCell is one queue's tickets reported on a day.
type statsTicketCell struct {
	Day      int  `gorm:"primaryKey;autoIncrement:false"`
	QueueID  uint `gorm:"primaryKey;autoIncrement:false"`
	Tickets  int
	Resolved int
	Breached int
	WorkMins int
}

func (statsTicketCell) TableName() string { return "helpdesk_stats_tickets" }

// statsCountCell is one queue's tickets of a day by category, department
// or building.
type statsCountCell struct {
	Day     int    `gorm:"primaryKey;autoIncrement:false"`
	QueueID uint   `gorm:"primaryKey;autoIncrement:false"`
	Dim     int    `gorm:"primaryKey;autoIncrement:false"`
	KeyID   uint   `gorm:"primaryKey;autoIncrement:false"`
	KeyName string `gorm:"primaryKey;size:200"`
	N       int
}

func (statsCountCell) TableName() string { return "helpdesk_stats_counts" }

// statsMinsCell is a histogram bar: tickets of a day (or month) whose
// response or resolution took Minutes.
type statsMinsCell struct {
	Span    int  `gorm:"primaryKey;autoIncrement:false"`
	Day     int  `gorm:"primaryKey;autoIncrement:false"`
	QueueID uint `gorm:"primaryKey;autoIncrement:false"`
	Kind    int  `gorm:"primaryKey;autoIncrement:false"`
	Minutes int  `gorm:"primaryKey;autoIncrement:false"`
	N       int
}

func (statsMinsCell) TableName() string { return "helpdesk_stats_mins" }

// statsAssetCell counts an asset's tickets of a day (or month).
type statsAssetCell struct {
	Span    int  `gorm:"primaryKey;autoIncrement:false"`
	Day     int  `gorm:"primaryKey;autoIncrement:false"`
	QueueID uint `gorm:"primaryKey;autoIncrement:false"`
	AssetID uint `gorm:"primaryKey;autoIncrement:false"`
	N       int
}

func (statsAssetCell) TableName() string { return "helpdesk_stats_assets" }

// statsRatingCell counts the ratings given on a day (the rating's day, not
// the ticket's) by the ticket's queue and the score.
type statsRatingCell struct {
	Day     int  `gorm:"primaryKey;autoIncrement:false"`
	QueueID uint `gorm:"primaryKey;autoIncrement:false"`
	Score   int  `gorm:"primaryKey;autoIncrement:false"`
	N       int
}

func (statsRatingCell) TableName() string { return "helpdesk_stats_ratings" }

// statsOpenCell counts the tickets reported on Day that ended (were
// resolved or closed, whichever came first) on EndDay, or openEnd: the
// backlog at a day's start is the sum of the cells reported before it and
// ended on it or later.
type statsOpenCell struct {
	Day     int  `gorm:"primaryKey;autoIncrement:false"`
	QueueID uint `gorm:"primaryKey;autoIncrement:false"`
	EndDay  int  `gorm:"primaryKey;autoIncrement:false"`
	N       int
}

func (statsOpenCell) TableName() string { return "helpdesk_stats_open" }

// statsDirty is a day whose cells may be stale. Rows are only inserted, so
// two changes never wait on each other's mark; a rebuild deletes the rows
// it read, and a mark committed meanwhile stays for the next one.
type statsDirty struct {
	ID  uint `gorm:"primaryKey"`
	Day int  `gorm:"index"`
}

func (statsDirty) TableName() string { return "helpdesk_stats_dirty" }

// statsSeen is the highest ticket and rating id the rollup has looked at:
// rows written straight into the tables (a seed, an import, a test's
// fixture) bypass the marks, and the ids past it show their days.
type statsSeen struct {
	Name   string `gorm:"primaryKey;size:20"`
	LastID uint
}

func (statsSeen) TableName() string { return "helpdesk_stats_seen" }

// statsModels are the rollup's tables (Models in model.go).
func statsModels() []any {
	return []any{&statsTicketCell{}, &statsCountCell{}, &statsMinsCell{}, &statsAssetCell{},
		&statsRatingCell{}, &statsOpenCell{}, &statsDirty{}, &statsSeen{}}
}

// markNew marks the days of the tickets and ratings inserted since the
// last look, and moves the marks past them.
func (s *Service) markNew(ctx context.Context) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, t := range []struct{ name, table string }{{"tickets", "helpdesk_tickets"}, {"ratings", "helpdesk_ratings"}} {
			var seen statsSeen
			if err := tx.Where("name = ?", t.name).Limit(1).Find(&seen).Error; err != nil {
				return err
			}
			var rows []struct {
				ID        uint
				CreatedAt time.Time
			}
			if err := tx.Raw("SELECT id, created_at FROM "+t.table+" WHERE id > ?", seen.LastID).Scan(&rows).Error; err != nil {
				return err
			}
			if len(rows) == 0 {
				continue
			}
			days := map[int]bool{}
			last := seen.LastID
			for _, r := range rows {
				days[dayKey(calendar.DateOf(r.CreatedAt, s.tz))] = true
				last = max(last, r.ID)
			}
			marks := make([]statsDirty, 0, len(days))
			for k := range days {
				marks = append(marks, statsDirty{Day: k})
			}
			if err := tx.CreateInBatches(&marks, 500).Error; err != nil {
				return err
			}
			if err := tx.Save(&statsSeen{Name: t.name, LastID: last}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// dayKey is d as yyyymmdd.
func dayKey(d calendar.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// keyDate is the date of a yyyymmdd key.
func keyDate(k int) calendar.Date { return calendar.NewDate(k/10000, time.Month(k/100%100), k%100) }

// monthStart is the first of d's month.
func monthStart(d calendar.Date) calendar.Date { return calendar.NewDate(d.Year, d.Month, 1) }

// nextMonth is the first of the month after d's.
func nextMonth(d calendar.Date) calendar.Date {
	if d.Month == time.December {
		return calendar.NewDate(d.Year+1, time.January, 1)
	}
	return calendar.NewDate(d.Year, d.Month+1, 1)
}

// markStatsDirty marks the days ticket id's figures live on, its report day
// and its ratings' days, for the rollup to be rebuilt, and its asset for
// the renewal rollup (renewal_rollup.go). It runs in the transaction of the
// change.
func (s *Service) markStatsDirty(tx *gorm.DB, id uint) error {
	var tk []struct {
		CreatedAt time.Time
		AssetID   *uint
	}
	if err := tx.Model(&Ticket{}).Select("created_at, asset_id").Where("id = ?", id).Scan(&tk).Error; err != nil {
		return err
	}
	var at []time.Time
	for _, t := range tk {
		at = append(at, t.CreatedAt)
		if err := markRenewalDirty(tx, t.AssetID); err != nil {
			return err
		}
	}
	var rated []time.Time
	if err := tx.Model(&Rating{}).Where("ticket_id = ?", id).Pluck("created_at", &rated).Error; err != nil {
		return err
	}
	seen := map[int]bool{}
	var rows []statsDirty
	for _, t := range append(at, rated...) {
		if k := dayKey(calendar.DateOf(t, s.tz)); !seen[k] {
			seen[k] = true
			rows = append(rows, statsDirty{Day: k})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// RebuildStats rebuilds the whole rollup from the tickets and ratings,
// and the renewal report's (rebuildRenewalAll): after rows were written
// directly (the demo, a bench's seed, an import). Each month is deleted and
// written again in one transaction, and the days outside the tickets'
// months are dropped in another, so a reader meanwhile sees every month's
// old figures or its new ones, never a month missing.
func (s *Service) RebuildStats(ctx context.Context) error {
	if err := s.markNew(ctx); err != nil {
		return err
	}
	var marks []statsDirty
	if err := s.db.W.WithContext(ctx).Find(&marks).Error; err != nil {
		return err
	}
	// The first and last instants written; min and max by index order, as
	// SQLite's MIN() gives back text rather than a time.
	var lo, hi *time.Time
	r := s.db.W.WithContext(ctx)
	for _, m := range []any{&Ticket{}, &Rating{}} {
		for _, desc := range []bool{false, true} {
			var at []time.Time
			if err := r.Model(m).Order(clause.OrderByColumn{Column: clause.Column{Name: "created_at"}, Desc: desc}).Limit(1).Pluck("created_at", &at).Error; err != nil {
				return err
			}
			for _, t := range at {
				if lo == nil || t.Before(*lo) {
					lo = &t
				}
				if hi == nil || t.After(*hi) {
					hi = &t
				}
			}
		}
	}
	// The cells outside [first, end): days of tickets gone, and no month's
	// sums but the kept months' (a month's sum has the key yyyymm00, one
	// below its first day's).
	first, end := calendar.NewDate(9999, time.January, 1), calendar.NewDate(9999, time.January, 1)
	if lo != nil {
		first, end = monthStart(calendar.DateOf(*lo, s.tz)), nextMonth(calendar.DateOf(*hi, s.tz))
	}
	flo, fhi := dayKey(first), dayKey(end)
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, m := range []any{&statsTicketCell{}, &statsCountCell{}, &statsRatingCell{}, &statsOpenCell{}} {
			if err := tx.Where("day < ? OR day >= ?", flo, fhi).Delete(m).Error; err != nil {
				return err
			}
		}
		for _, m := range []any{&statsMinsCell{}, &statsAssetCell{}} {
			if err := tx.Where("(span = ? AND (day < ? OR day >= ?)) OR (span = ? AND (day < ? OR day >= ?))",
				spanDay, flo, fhi, spanMonth, flo-1, fhi-1).Delete(m).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for d := first; d.Before(end); d = nextMonth(d) {
		if err := s.db.Tx(ctx, func(tx *gorm.DB) error { return s.rebuildDays(tx, d, nextMonth(d)) }); err != nil {
			return err
		}
	}
	if err := s.clearMarks(ctx, marks); err != nil {
		return err
	}
	return s.rebuildRenewalAll(ctx)
}

// clearMarks deletes the dirty marks read before a rebuild.
func (s *Service) clearMarks(ctx context.Context, marks []statsDirty) error {
	for i := 0; i < len(marks); i += 500 {
		ids := make([]uint, 0, 500)
		for _, m := range marks[i:min(i+500, len(marks))] {
			ids = append(ids, m.ID)
		}
		if err := s.db.W.WithContext(ctx).Where("id IN ?", ids).Delete(&statsDirty{}).Error; err != nil {
			return err
		}
	}
	return nil
}

// rollupDirty rebuilds the dirty days before day key before (all when 0),
// each in its own transaction with its mark's deletion. It returns how many
// days it rebuilt.
func (s *Service) rollupDirty(ctx context.Context, before int) (int, error) {
	if err := s.markNew(ctx); err != nil {
		return 0, err
	}
	q := s.db.W.WithContext(ctx).Order("id")
	if before > 0 {
		q = q.Where("day < ?", before)
	}
	var marks []statsDirty
	if err := q.Find(&marks).Error; err != nil {
		return 0, err
	}
	if len(marks) == 0 {
		return 0, nil
	}
	byDay := map[int][]uint{}
	for _, m := range marks {
		byDay[m.Day] = append(byDay[m.Day], m.ID)
	}
	days := make([]int, 0, len(byDay))
	for k := range byDay {
		days = append(days, k)
	}
	sort.Ints(days)
	for _, k := range days {
		d := keyDate(k)
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			if err := s.rebuildDays(tx, d, d.AddDays(1)); err != nil {
				return err
			}
			ids := byDay[k]
			for i := 0; i < len(ids); i += 500 {
				if err := tx.Where("id IN ?", ids[i:min(i+500, len(ids))]).Delete(&statsDirty{}).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(days), nil
}

// rebuildDays writes the cells of the local days [from, to) again from
// their tickets and ratings, and the month sums of the months they touch.
func (s *Service) rebuildDays(tx *gorm.DB, from, to calendar.Date) error {
	lo, hi := dayKey(from), dayKey(to)
	start, end := from.Start(s.tz).UTC(), to.Start(s.tz).UTC()
	for _, m := range []any{&statsTicketCell{}, &statsCountCell{}, &statsRatingCell{}, &statsOpenCell{}} {
		if err := tx.Where("day >= ? AND day < ?", lo, hi).Delete(m).Error; err != nil {
			return err
		}
	}
	for _, m := range []any{&statsMinsCell{}, &statsAssetCell{}} {
		if err := tx.Where("span = ? AND day >= ? AND day < ?", spanDay, lo, hi).Delete(m).Error; err != nil {
			return err
		}
	}
	var ts []struct {
		QueueID, CategoryID       uint
		DepartmentID, AssetID     *uint
		Building                  string
		ResponseMins, ResolveMins *int
		Breached                  bool
		WorkMins                  int
		CreatedAt                 time.Time
		ResolvedAt, ClosedAt      *time.Time
	}
	if err := tx.Raw(`SELECT queue_id, category_id, department_id, asset_id, building, response_mins, resolve_mins,
		sla_breached AS breached, work_mins, created_at, resolved_at, closed_at
		FROM helpdesk_tickets WHERE created_at >= ? AND created_at < ?`, start, end).Scan(&ts).Error; err != nil {
		return err
	}
	type dq struct {
		day int
		q   uint
	}
	type ck struct {
		dq
		dim  int
		id   uint
		name string
	}
	type mk struct {
		dq
		kind, m int
	}
	type ak struct {
		dq
		asset uint
	}
	type ok struct {
		dq
		end int
	}
	tickets, counts, mins, assets, open := map[dq]*statsTicketCell{}, map[ck]int{}, map[mk]int{}, map[ak]int{}, map[ok]int{}
	for _, t := range ts {
		k := dq{dayKey(calendar.DateOf(t.CreatedAt, s.tz)), t.QueueID}
		c := tickets[k]
		if c == nil {
			c = &statsTicketCell{Day: k.day, QueueID: k.q}
			tickets[k] = c
		}
		c.Tickets++
		c.WorkMins += t.WorkMins
		if t.ResolveMins != nil {
			c.Resolved++
			mins[mk{k, minsResolve, *t.ResolveMins}]++
			if t.Breached {
				c.Breached++
			}
		}
		if t.ResponseMins != nil {
			mins[mk{k, minsResponse, *t.ResponseMins}]++
		}
		var dept uint
		if t.DepartmentID != nil {
			dept = *t.DepartmentID
		}
		counts[ck{k, dimCategory, t.CategoryID, ""}]++
		counts[ck{k, dimDepartment, dept, ""}]++
		counts[ck{k, dimBuilding, 0, t.Building}]++
		if t.AssetID != nil {
			assets[ak{k, *t.AssetID}]++
		}
		// The day it ended, never before its report: a ticket ended before
		// it was reported is never open.
		e := openEnd
		if t.ResolvedAt != nil || t.ClosedAt != nil {
			at := t.ClosedAt
			if t.ResolvedAt != nil {
				at = t.ResolvedAt
			}
			e = dayKey(calendar.DateOf(*at, s.tz))
			if e < k.day {
				e = k.day
			}
		}
		open[ok{k, e}]++
	}
	var rs []struct {
		QueueID   uint
		Score     int
		CreatedAt time.Time
	}
	if err := tx.Raw(`SELECT t.queue_id, r.score, r.created_at FROM helpdesk_ratings r JOIN helpdesk_tickets t ON t.id = r.ticket_id
		WHERE r.created_at >= ? AND r.created_at < ?`, start, end).Scan(&rs).Error; err != nil {
		return err
	}
	type rk struct {
		dq
		score int
	}
	ratings := map[rk]int{}
	for _, r := range rs {
		ratings[rk{dq{dayKey(calendar.DateOf(r.CreatedAt, s.tz)), r.QueueID}, r.Score}]++
	}

	tc := make([]statsTicketCell, 0, len(tickets))
	for _, c := range tickets {
		tc = append(tc, *c)
	}
	cc := make([]statsCountCell, 0, len(counts))
	for k, n := range counts {
		cc = append(cc, statsCountCell{Day: k.day, QueueID: k.q, Dim: k.dim, KeyID: k.id, KeyName: k.name, N: n})
	}
	mc := make([]statsMinsCell, 0, len(mins))
	for k, n := range mins {
		mc = append(mc, statsMinsCell{Span: spanDay, Day: k.day, QueueID: k.q, Kind: k.kind, Minutes: k.m, N: n})
	}
	ac := make([]statsAssetCell, 0, len(assets))
	for k, n := range assets {
		ac = append(ac, statsAssetCell{Span: spanDay, Day: k.day, QueueID: k.q, AssetID: k.asset, N: n})
	}
	oc := make([]statsOpenCell, 0, len(open))
	for k, n := range open {
		oc = append(oc, statsOpenCell{Day: k.day, QueueID: k.q, EndDay: k.end, N: n})
	}
	rc := make([]statsRatingCell, 0, len(ratings))
	for k, n := range ratings {
		rc = append(rc, statsRatingCell{Day: k.day, QueueID: k.q, Score: k.score, N: n})
	}
	for _, rows := range []any{&tc, &cc, &mc, &ac, &oc, &rc} {
		if reflect.ValueOf(rows).Elem().Len() == 0 {
			continue
		}
		if err := tx.CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
	}
	// The month sums of the months touched, from their day cells.
	for m := monthStart(from); m.Before(to); m = nextMonth(m) {
		mkey := dayKey(m) - 1 // yyyymm00
		for _, t := range []struct{ table, cols string }{
			{"helpdesk_stats_mins", "queue_id, kind, minutes"},
			{"helpdesk_stats_assets", "queue_id, asset_id"},
		} {
			if err := tx.Exec("DELETE FROM "+t.table+" WHERE span = ? AND day = ?", spanMonth, mkey).Error; err != nil {
				return err
			}
			if err := tx.Exec("INSERT INTO "+t.table+" (span, day, "+t.cols+", n) SELECT ?, ?, "+t.cols+", SUM(n) FROM "+t.table+
				" WHERE span = ? AND day > ? AND day < ? GROUP BY "+t.cols, spanMonth, mkey, spanDay, mkey, mkey+100).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
