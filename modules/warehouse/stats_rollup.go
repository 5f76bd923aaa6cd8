package warehouse

import (
	"context"
	"reflect"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/stats"
)

// The statistics read closed months from a rollup of the ledger instead of
// the ledger itself. Every movement is stamped "now" and rows are only
// added, so once a month is over its rows never change: its cells are
// written once, when a reading first needs them, and the current month is
// always read live. Rows written back-dated straight into the ledger (the
// demo, a bench's seed) are found by the ledger ids past the last one
// looked at (statsSeenSetting): their months are built again.

// statsSeenSetting holds the highest ledger id the rollup has looked at.
const statsSeenSetting = "warehouse.stats_seen"

// statsSettle is how long after a month's end it still counts as open: a
// movement stamped just before midnight may commit a moment after it.
const statsSettle = time.Hour

// statsCell is what one department consumed of one item in a closed
// month: issues less returns (Used, −Σ quantity, in thousandths of the
// unit) of Issues issue rows. Only pairs that consumed are kept.
// The index warehouse_stats_cell_sums holds every column, so the sums by
// department read it alone.
type statsCell struct {
	Month        int   `gorm:"primaryKey;autoIncrement:false;index:warehouse_stats_cell_sums,priority:1"` // yyyymm, the city's local month
	ItemID       uint  `gorm:"primaryKey;autoIncrement:false;index:warehouse_stats_cell_sums,priority:3"`
	DepartmentID uint  `gorm:"primaryKey;autoIncrement:false;index:warehouse_stats_cell_sums,priority:2"` // 0: an issue or return without one
	Used         int64 `gorm:"not null;index:warehouse_stats_cell_sums,priority:4"`
	Issues       int   `gorm:"not null;index:warehouse_stats_cell_sums,priority:5"`
}

func (statsCell) TableName() string { return "warehouse_stats_cells" }

// statsItemMonth is one item's closed month: its statsCells summed, and
// Net, the change of on hand by every kind of row.
type statsItemMonth struct {
	Month  int   `gorm:"primaryKey;autoIncrement:false"`
	ItemID uint  `gorm:"primaryKey;autoIncrement:false"`
	Used   int64 `gorm:"not null"`
	Issues int   `gorm:"not null"`
	Net    int64 `gorm:"not null"`
}

func (statsItemMonth) TableName() string { return "warehouse_stats_items" }

// statsMonth marks a month whose cells are written.
type statsMonth struct {
	Month   int `gorm:"primaryKey;autoIncrement:false"`
	BuiltAt time.Time
}

func (statsMonth) TableName() string { return "warehouse_stats_months" }

// monthKey is the yyyymm of month start m.
func monthKey(m calendar.Date) int { return m.Year*100 + int(m.Month) }

// monthAfter is the first day of the month after m's.
func monthAfter(m calendar.Date) calendar.Date { return calendar.NewDate(m.Year, m.Month+1, 1) }

// closedBefore is the first instant of the first month not yet closed: the
// rollup holds only months that ended (and settled) before it.
func (s *Service) closedBefore() time.Time {
	loc := s.tz()
	today := calendar.DateOf(s.now().Add(-statsSettle), loc)
	return calendar.NewDate(today.Year, today.Month, 1).Start(loc).UTC()
}

// ensureMonths makes sure the cells of the closed months keys are written:
// first it drops the marks of months that rows written since the last look
// fell into, then builds each month without a mark from its ledger rows,
// in its own transaction.
func (s *Service) ensureMonths(ctx context.Context, keys []int) error {
	if len(keys) == 0 {
		return nil
	}
	if err := s.forgetChanged(ctx); err != nil {
		return err
	}
	var built []int
	if err := s.db.R.WithContext(ctx).Model(&statsMonth{}).Where("month IN ?", keys).Pluck("month", &built).Error; err != nil {
		return err
	}
	have := map[int]bool{}
	for _, k := range built {
		have[k] = true
	}
	for _, k := range keys {
		if !have[k] {
			if err := s.buildMonth(ctx, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// forgetChanged drops the marks of the closed months that ledger rows added
// since the last look were stamped in, and moves the look past them.
// Movements posted by the service are stamped now, in the open month, so
// this reads the few rows since the last statistics and drops nothing;
// after a back-dated seed it drops the months the seed wrote into.
func (s *Service) forgetChanged(ctx context.Context) error {
	seenText, err := s.db.GetSetting(ctx, statsSeenSetting)
	if err != nil {
		return err
	}
	seen, _ := strconv.ParseUint(seenText, 10, 64)
	q := s.db.W.WithContext(ctx)
	var last uint64
	if err := q.Raw("SELECT COALESCE(MAX(id), 0) FROM warehouse_movements").Scan(&last).Error; err != nil {
		return err
	}
	if last <= seen {
		return nil
	}
	// The first and last instants among the new rows before the open
	// month, by ordering (SQLite's MIN() gives back text, not a time).
	var edges []time.Time
	for _, dir := range []string{"ASC", "DESC"} {
		var at []time.Time
		if err := q.Raw("SELECT created_at FROM warehouse_movements WHERE id > ? AND id <= ? AND created_at < ? ORDER BY created_at "+dir+" LIMIT 1",
			seen, last, s.closedBefore()).Scan(&at).Error; err != nil {
			return err
		}
		edges = append(edges, at...)
	}
	if len(edges) == 2 {
		loc := s.tz()
		lo, hi := calendar.DateOf(edges[0], loc), calendar.DateOf(edges[1], loc)
		if err := q.Where("month >= ? AND month <= ?", lo.Year*100+int(lo.Month), hi.Year*100+int(hi.Month)).Delete(&statsMonth{}).Error; err != nil {
			return err
		}
	}
	return s.db.SetSetting(ctx, statsSeenSetting, strconv.FormatUint(last, 10))
}

// buildMonth writes the cells of month key again from its ledger rows and
// marks it built, in one transaction. Two readers building the same month
// at once write the same cells; the second's are skipped.
func (s *Service) buildMonth(ctx context.Context, key int) error {
	loc := s.tz()
	m := calendar.NewDate(key/100, time.Month(key%100), 1)
	from, to := m.Start(loc).UTC(), monthAfter(m).Start(loc).UTC()
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, m := range []any{&statsCell{}, &statsItemMonth{}} {
			if err := tx.Where("month = ?", key).Delete(m).Error; err != nil {
				return err
			}
		}
		var rows []struct {
			ItemID, DepartmentID uint
			Used, Net            int64
			Issues               int
		}
		if err := tx.Raw(`SELECT item_id, COALESCE(department_id, 0) AS department_id,
			SUM(CASE WHEN kind IN (?, ?) THEN -quantity ELSE 0 END) AS used,
			SUM(CASE WHEN kind = ? THEN 1 ELSE 0 END) AS issues, SUM(quantity) AS net
			FROM warehouse_movements WHERE created_at >= ? AND created_at < ? AND quantity <> 0
			GROUP BY item_id, department_id`, KindIssue, KindReturn, KindIssue, from, to).Scan(&rows).Error; err != nil {
			return err
		}
		var cells []statsCell
		byItem := map[uint]*statsItemMonth{}
		var items []*statsItemMonth
		for _, r := range rows {
			if r.Used != 0 || r.Issues != 0 {
				cells = append(cells, statsCell{Month: key, ItemID: r.ItemID, DepartmentID: r.DepartmentID, Used: r.Used, Issues: r.Issues})
			}
			im := byItem[r.ItemID]
			if im == nil {
				im = &statsItemMonth{Month: key, ItemID: r.ItemID}
				byItem[r.ItemID] = im
				items = append(items, im)
			}
			im.Used += r.Used
			im.Issues += r.Issues
			im.Net += r.Net
		}
		for _, rows := range []any{&cells, &items} {
			if reflect.ValueOf(rows).Elem().Len() == 0 {
				continue
			}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 1000).Error; err != nil {
				return err
			}
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&statsMonth{Month: key, BuiltAt: s.now()}).Error
	})
}

// The request figures (counts, rates, lead times) come from a summary per
// request once nothing about it can change any more: rejected, withdrawn,
// or approved with no line left to serve (no line a cancellation could
// end). Newer requests, and those still on their way, are read live; the
// summaries are written when a reading first finds them final. Every
// request below the id in statsLowSetting has its summary.

// statsLowSetting holds the lowest request id that may lack a summary.
const statsLowSetting = "warehouse.stats_requests_low"

// statsRequest is a request's figures for the statistics. One index holds
// them all, in the order requestSummaries groups them, so the sum of a
// period is one walk of the index, with no table read and no sort.
type statsRequest struct {
	RequestID uint   `gorm:"primaryKey;autoIncrement:false"`
	Status    string `gorm:"size:16;not null;index:warehouse_stats_request_figures,priority:1"`
	Decided   bool   `gorm:"not null;index:warehouse_stats_request_figures,priority:2"`
	// Decision, Handover and Total are its lead times in whole hours
	// (requestFlow's); Handover and Total are -1 before its first issue.
	Decision  int       `gorm:"not null;index:warehouse_stats_request_figures,priority:3"`
	Handover  int       `gorm:"not null;index:warehouse_stats_request_figures,priority:4"`
	Total     int       `gorm:"not null;index:warehouse_stats_request_figures,priority:5"`
	CreatedAt time.Time `gorm:"not null;index:warehouse_stats_request_figures,priority:6"`
	// Lines are its lines if decided; Partly and Refused those approved
	// less than asked and nothing.
	Lines   int `gorm:"not null;index:warehouse_stats_request_figures,priority:7"`
	Partly  int `gorm:"not null;index:warehouse_stats_request_figures,priority:8"`
	Refused int `gorm:"not null;index:warehouse_stats_request_figures,priority:9"`
}

func (statsRequest) TableName() string { return "warehouse_stats_requests" }

// requestSum is N requests alike (GORM fills no embedded struct in a scan).
type requestSum struct {
	Status                       string
	Decided                      bool
	Decision, Handover, Total, N int
	Lines, Partly, Refused       int
}

// requestSummaries adds the figures of the requests made in [from, to) to
// st: the stored summaries summed by the database, the rest computed live.
func (s *Service) requestSummaries(ctx context.Context, st *Stats, from, to time.Time) error {
	live, err := s.summarizeRequests(ctx)
	if err != nil {
		return err
	}
	var sums []requestSum
	if err := s.db.R.WithContext(ctx).Model(&statsRequest{}).
		Select("status, decided, decision, handover, total, COUNT(*) AS n, SUM(lines) AS lines, SUM(partly) AS partly, SUM(refused) AS refused").
		Where("created_at >= ? AND created_at < ?", from, to).Group("status, decided, decision, handover, total").Scan(&sums).Error; err != nil {
		return err
	}
	for _, r := range live {
		if !r.CreatedAt.Before(from) && r.CreatedAt.Before(to) {
			sums = append(sums, requestSum{Status: r.Status, Decided: r.Decided, Decision: r.Decision, Handover: r.Handover,
				Total: r.Total, N: 1, Lines: r.Lines, Partly: r.Partly, Refused: r.Refused})
		}
	}
	st.ToDecision, st.ToHandover, st.LeadTotal = stats.Dist{}, stats.Dist{}, stats.Dist{}
	for _, r := range sums {
		st.Flow.count(r.Status, r.N, r.Lines, r.Partly, r.Refused)
		if r.Decided && r.Status != RequestRejected {
			st.ToDecision[max(r.Decision, 0)] += r.N
			if r.Handover >= 0 {
				st.ToHandover[r.Handover] += r.N
				st.LeadTotal[max(r.Total, 0)] += r.N
			}
		}
	}
	return nil
}

// summarizeRequests computes the figures of every request from the low
// mark on without a summary, stores those of the final ones and moves the
// mark up to the first request not final (never past one made within
// statsSettle, which a transaction may still be inserting below a newer
// id). It returns the requests not stored.
func (s *Service) summarizeRequests(ctx context.Context) ([]statsRequest, error) {
	lowText, err := s.db.GetSetting(ctx, statsLowSetting)
	if err != nil {
		return nil, err
	}
	low, _ := strconv.ParseUint(lowText, 10, 64)
	q := s.db.W.WithContext(ctx)
	todo := `r.id >= ? AND NOT EXISTS (SELECT 1 FROM warehouse_stats_requests x WHERE x.request_id = r.id)`
	var rows []struct {
		RequestID                              uint
		CreatedAt                              time.Time
		Status                                 string
		Decided                                bool
		Decision, Lines, Partly, Refused, Open int
	}
	err = q.Raw(`SELECT r.id AS request_id, r.created_at, r.status, r.decided_at IS NOT NULL AS decided,
		CASE WHEN r.decided_at IS NULL THEN 0 ELSE `+s.hoursSQL("r.created_at", "r.decided_at")+` END AS decision,
		SUM(CASE WHEN r.decided_at IS NOT NULL THEN 1 ELSE 0 END) AS lines,
		SUM(CASE WHEN r.decided_at IS NOT NULL AND l.approved > 0 AND l.approved < l.requested THEN 1 ELSE 0 END) AS partly,
		SUM(CASE WHEN r.decided_at IS NOT NULL AND l.approved = 0 THEN 1 ELSE 0 END) AS refused,
		SUM(CASE WHEN l.state IN ? THEN 1 ELSE 0 END) AS open
		FROM warehouse_requests r JOIN warehouse_request_lines l ON l.request_id = r.id
		WHERE `+todo+` GROUP BY r.id, r.created_at, r.status, r.decided_at ORDER BY r.id`, cancellableLine, low).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var firsts []struct {
		RequestID       uint
		Handover, Total int
	}
	err = q.Raw(`SELECT r.id AS request_id, `+s.hoursSQL("r.decided_at", "MIN(m.created_at)")+` AS handover,
		`+s.hoursSQL("r.created_at", "MIN(m.created_at)")+` AS total
		FROM warehouse_requests r JOIN warehouse_request_lines l ON l.request_id = r.id
		JOIN warehouse_movements m ON m.request_line_id = l.id AND m.kind = ?
		WHERE r.decided_at IS NOT NULL AND `+todo+` GROUP BY r.id, r.created_at, r.decided_at`, KindIssue, low).Scan(&firsts).Error
	if err != nil {
		return nil, err
	}
	first := make(map[uint]int, len(firsts))
	for i, f := range firsts {
		first[f.RequestID] = i
	}
	// The mark moves over the run of final requests made before settled.
	settled := s.now().Add(-statsSettle)
	newLow, moving := low, true
	var done, live []statsRequest
	for _, r := range rows {
		sr := statsRequest{RequestID: r.RequestID, CreatedAt: r.CreatedAt, Status: r.Status, Decided: r.Decided,
			Decision: r.Decision, Handover: -1, Total: -1, Lines: r.Lines, Partly: r.Partly, Refused: r.Refused}
		if i, ok := first[sr.RequestID]; ok {
			sr.Handover, sr.Total = firsts[i].Handover, firsts[i].Total
		}
		final := sr.Status == RequestRejected || sr.Status == RequestCancelled || sr.Status == RequestDone ||
			(sr.Status == RequestApproved && r.Open == 0)
		if final {
			done = append(done, sr)
		} else {
			live = append(live, sr)
		}
		moving = moving && final && sr.CreatedAt.Before(settled)
		if moving {
			newLow = uint64(sr.RequestID) + 1
		}
	}
	if len(done) > 0 {
		if err := q.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&done, 500).Error; err != nil {
			return nil, err
		}
	}
	if newLow != low {
		if err := s.db.SetSetting(ctx, statsLowSetting, strconv.FormatUint(newLow, 10)); err != nil {
			return nil, err
		}
	}
	return live, nil
}
