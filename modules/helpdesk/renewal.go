package helpdesk

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/stats"
)

// The renewal score's weights and the figures at which a component is full.
// The score is 0–100, the higher the sooner the asset should be replaced:
//
//	faults    30 × min(faults in the last 12 months / 6, 1)
//	downtime  20 × min(downtime of those faults in hours / 80, 1)
//	cost      20 × min(repair cost (all parts ever) / price, 1); 0 if the price is unknown
//	age       20 × min(age / expected life, 1); 0 if either is unknown
//	warranty  10 if the warranty has ended, else 0
//
// Faults are tickets about the asset other than planned maintenance and
// merged duplicates; a fault's downtime runs from its report to its
// resolution (or closing, or now while open). The same sentence is on the
// page (helpdesk.renewal.how).
const (
	RenewalFaultPoints    = 30
	RenewalFaultsFull     = 6
	RenewalDowntimePoints = 20
	RenewalDowntimeFull   = 80 // hours
	RenewalCostPoints     = 20
	RenewalAgePoints      = 20
	RenewalWarrantyPoints = 10
)

// RenewalFilter narrows the report; zero fields do not filter.
type RenewalFilter struct {
	QueueKey     string
	Type         string
	DepartmentID uint
}

// RenewalRow is one asset's score and the figures it is made of.
type RenewalRow struct {
	Rank          int // 1 for the worst
	Asset         Asset
	Faults        int     // in the last 12 months
	DowntimeHours float64 // of those faults
	RepairCost    int64   // all the parts' cost, forints
	CostShare     float64 // RepairCost / Price; -1 when the price is unknown
	AgeMonths     int     // -1 when the purchase date is unknown
	LifeShare     float64 // age / expected life; -1 when either is unknown
	WarrantyEnded bool
	// The points of each component, and their sum.
	FaultPoints, DowntimePoints, CostPoints, AgePoints, WarrantyPoints, Score float64
}

// renewalAgg is the one aggregate query's row per asset.
type renewalAgg struct {
	AssetID  uint
	Faults   int
	Downtime float64
	Cost     int64
}

// Renewal ranks the assets not retired by their renewal score (see the
// constants above), worst first, ties by tag. It brings the rollup of the
// changed assets up to date, then reads the assets and, beside them, the
// rollup's cells and the faults of the month that holds now less a year
// (renewal_rollup.go), and scores in Go.
func (s *Service) Renewal(ctx context.Context, a actor.Actor, f RenewalFilter) ([]RenewalRow, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	if _, err := s.rollupRenewalDirty(ctx); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var list []Asset
	var byAsset map[uint]renewalAgg
	err := stats.Parallel(
		func() (err error) { list, err = s.renewalAssets(ctx, f); return err },
		func() (err error) { byAsset, err = s.renewalRollup(ctx, now); return err },
	)
	if err != nil {
		return nil, err
	}
	return rankRenewal(list, byAsset, calendar.DateOf(now, s.tz)), nil
}

// renewalAssets are the assets the report ranks, with only the columns the
// score and the page need (the rest stay zero): 5,000 full rows through
// GORM cost more than the figures.
func (s *Service) renewalAssets(ctx context.Context, f RenewalFilter) ([]Asset, error) {
	q := s.db.R.WithContext(ctx).Model(&Asset{}).Where("state <> ?", AssetRetired)
	if f.QueueKey != "" {
		q = q.Where("queue_key = ?", f.QueueKey)
	}
	if t := strings.TrimSpace(f.Type); t != "" {
		q = q.Where("type = ?", t)
	}
	if f.DepartmentID != 0 {
		q = q.Where("department_id = ?", f.DepartmentID)
	}
	rows, err := q.Select("id, tag, type, model, queue_key, price, life_months, purchased_on, warranty_end").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Asset
	for rows.Next() {
		var as Asset
		if err := rows.Scan(&as.ID, &as.Tag, &as.Type, &as.Model, &as.QueueKey, &as.Price, &as.LifeMonths,
			&as.PurchasedOn, &as.WarrantyEnd); err != nil {
			return nil, err
		}
		list = append(list, as)
	}
	return list, rows.Err()
}

// renewalRollup is every asset's figures at now: the cells' sums (the
// window's months for the faults and downtime, all months for the cost),
// corrected by the faults of the month that holds now less a year: those
// after that instant added, or, when fewer, those before it taken off.
func (s *Service) renewalRollup(ctx context.Context, now time.Time) (map[uint]renewalAgg, error) {
	since, start, next, key, nextKey := renewalWindow(now)
	from, to, sign := since, next, 1.0 // add the faults in [since, next)
	if since.Sub(start) < next.Sub(since) {
		from, to, sign, nextKey = start, since, -1, key // take off those in [start, since)
	}
	r := s.db.R.WithContext(ctx)
	byAsset := make(map[uint]renewalAgg, 4096)
	cells, err := r.Raw(`SELECT asset_id, SUM(CASE WHEN month >= ? THEN done + open_n ELSE 0 END),
		SUM(CASE WHEN month >= ? THEN hours + open_n * CAST(? AS DOUBLE PRECISION) - open_at ELSE 0 END), SUM(cost)
		FROM helpdesk_renewal_cells GROUP BY asset_id`, nextKey, nextKey, epochHours(now)).Rows()
	if err != nil {
		return nil, err
	}
	defer cells.Close()
	for cells.Next() {
		var g renewalAgg
		if err := cells.Scan(&g.AssetID, &g.Faults, &g.Downtime, &g.Cost); err != nil {
			return nil, err
		}
		byAsset[g.AssetID] = g
	}
	if err := cells.Err(); err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return byAsset, nil
	}
	var edge []renewalAgg
	if err := s.renewalFaults(r, from, now).Where("t.created_at >= ? AND t.created_at < ?", from, to).Scan(&edge).Error; err != nil {
		return nil, err
	}
	for _, e := range edge {
		g := byAsset[e.AssetID]
		g.AssetID, g.Faults, g.Downtime = e.AssetID, g.Faults+int(sign)*e.Faults, g.Downtime+sign*e.Downtime
		byAsset[e.AssetID] = g
	}
	return byAsset, nil
}

// renewalFaults is the aggregate of the faults per asset straight from the
// tickets: those reported since count with their downtime till now, every
// one with its parts. It is the direct computation the rollup equals; the
// report reads only part of a month so, by an index of its own
// (renewalMigrations).
func (s *Service) renewalFaults(r *gorm.DB, since, now time.Time) *gorm.DB {
	nowArg := "CAST(? AS TIMESTAMPTZ)"
	// date_part is double precision; EXTRACT's numeric is slower to sum.
	hours := "(date_part('epoch', COALESCE(t.resolved_at, t.closed_at, " + nowArg + ") - t.created_at) / 3600)"
	if s.db.Dialect != "postgres" {
		hours = "((julianday(COALESCE(t.resolved_at, t.closed_at, ?)) - julianday(t.created_at)) * 24)"
	}
	return r.Table("helpdesk_tickets t").Select("t.asset_id AS asset_id, "+
		"SUM(CASE WHEN t.created_at >= ? THEN 1 ELSE 0 END) AS faults, "+
		"SUM(CASE WHEN t.created_at >= ? THEN "+hours+" ELSE 0 END) AS downtime, "+
		"SUM(t.parts_cost) AS cost", since, since, now).
		Where("t.asset_id IS NOT NULL AND t.merged_into_id IS NULL AND t.id NOT IN (SELECT ticket_id FROM helpdesk_maintenance_runs)").
		Group("t.asset_id")
}

// rankRenewal scores the assets from their figures and ranks them.
func rankRenewal(list []Asset, byAsset map[uint]renewalAgg, today calendar.Date) []RenewalRow {
	rows := make([]RenewalRow, len(list))
	for i, as := range list {
		rows[i] = scoreRenewal(as, byAsset[as.ID], today)
	}
	slices.SortFunc(rows, func(x, y RenewalRow) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		return strings.Compare(x.Asset.Tag, y.Asset.Tag)
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
	return rows
}

// scoreRenewal is the score of one asset from its aggregate, as of today.
func scoreRenewal(as Asset, g renewalAgg, today calendar.Date) RenewalRow {
	row := RenewalRow{Asset: as, Faults: g.Faults, DowntimeHours: max(g.Downtime, 0), RepairCost: g.Cost,
		CostShare: -1, AgeMonths: -1, LifeShare: -1}
	row.FaultPoints = RenewalFaultPoints * min(float64(row.Faults)/RenewalFaultsFull, 1)
	row.DowntimePoints = RenewalDowntimePoints * min(row.DowntimeHours/RenewalDowntimeFull, 1)
	if as.Price > 0 {
		row.CostShare = float64(row.RepairCost) / float64(as.Price)
		row.CostPoints = RenewalCostPoints * min(row.CostShare, 1)
	}
	if !as.PurchasedOn.IsZero() {
		row.AgeMonths = max(monthsBetween(as.PurchasedOn, today), 0)
		if as.LifeMonths > 0 {
			row.LifeShare = float64(row.AgeMonths) / float64(as.LifeMonths)
			row.AgePoints = RenewalAgePoints * min(row.LifeShare, 1)
		}
	}
	if !as.WarrantyEnd.IsZero() && as.WarrantyEnd.Before(today) {
		row.WarrantyEnded = true
		row.WarrantyPoints = RenewalWarrantyPoints
	}
	row.Score = row.FaultPoints + row.DowntimePoints + row.CostPoints + row.AgePoints + row.WarrantyPoints
	return row
}

// CostPct is CostShare in per cent, one decimal.
func (r RenewalRow) CostPct() float64 { return math.Round(r.CostShare*1000) / 10 }

// LifePct is LifeShare in per cent, one decimal.
func (r RenewalRow) LifePct() float64 { return math.Round(r.LifeShare*1000) / 10 }

// renewalMigrations are the renewal report's indexes. The first holds
// every column the faults' aggregate reads, led by the asset, so the
// rollup's rebuild of an asset reads no ticket rows (PostgreSQL keeps id
// in it for the planned-maintenance test). The second, led by the report
// time, serves the one range the report still reads from the tickets: part
// of the month that holds now less a year (renewalRollup). On SQLite the rollup's
// cells get a covering index in asset order, so its one grouped read needs
// neither a row per cell nor a sort; PostgreSQL hashes the table's scan.
func renewalMigrations() []db.Migration {
	return []db.Migration{{ID: "helpdesk_renewal_index",
		SQLite: []string{`CREATE INDEX helpdesk_ticket_renewal ON helpdesk_tickets
			(asset_id, created_at, merged_into_id, resolved_at, closed_at, parts_cost) WHERE asset_id IS NOT NULL`},
		Postgres: []string{`CREATE INDEX helpdesk_ticket_renewal ON helpdesk_tickets
			(asset_id, created_at) INCLUDE (merged_into_id, resolved_at, closed_at, parts_cost, id) WHERE asset_id IS NOT NULL`},
	}, {ID: "helpdesk/0003_renewal_rollup_indexes",
		SQLite: []string{`CREATE INDEX helpdesk_ticket_renewal_window ON helpdesk_tickets
			(created_at, asset_id, merged_into_id, resolved_at, closed_at, parts_cost) WHERE asset_id IS NOT NULL`,
			`CREATE INDEX helpdesk_renewal_cells_read ON helpdesk_renewal_cells (asset_id, month, done, hours, open_n, open_at, cost)`},
		Postgres: []string{`CREATE INDEX helpdesk_ticket_renewal_window ON helpdesk_tickets
			(created_at) INCLUDE (asset_id, merged_into_id, resolved_at, closed_at, parts_cost, id) WHERE asset_id IS NOT NULL`},
	}}
}
