package helpdesk

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
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
// constants above), worst first, ties by tag. It reads the assets once and
// the tickets once, grouped by asset in the database, and scores in Go.
func (s *Service) Renewal(ctx context.Context, a actor.Actor, f RenewalFilter) ([]RenewalRow, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	now := s.now().UTC()
	since := now.AddDate(-1, 0, 0)
	r := s.db.R.WithContext(ctx)
	assets := r.Model(&Asset{}).Where("state <> ?", AssetRetired)
	if f.QueueKey != "" {
		assets = assets.Where("queue_key = ?", f.QueueKey)
	}
	if t := strings.TrimSpace(f.Type); t != "" {
		assets = assets.Where("type = ?", t)
	}
	if f.DepartmentID != 0 {
		assets = assets.Where("department_id = ?", f.DepartmentID)
	}
	var list []Asset
	if err := assets.Find(&list).Error; err != nil {
		return nil, err
	}
	nowArg := "CAST(? AS TIMESTAMPTZ)"
	// date_part is double precision; EXTRACT's numeric is slower to sum.
	hours := "(date_part('epoch', COALESCE(t.resolved_at, t.closed_at, " + nowArg + ") - t.created_at) / 3600)"
	if s.db.Dialect != "postgres" {
		hours = "((julianday(COALESCE(t.resolved_at, t.closed_at, ?)) - julianday(t.created_at)) * 24)"
	}
	// One aggregate over the assets' tickets, read from an index of its own
	// alone (renewalMigrations), in asset order so the grouping needs no
	// sort, and without a join: the filters are the assets' and apply by
	// keeping only the listed assets' rows. The planned maintenance tickets
	// are few: NOT IN reads them once.
	from := "helpdesk_tickets t"
	if s.db.Dialect != "postgres" { // SQLite would take the plain asset_id index and fetch every row
		from += " INDEXED BY helpdesk_ticket_renewal"
	}
	var aggs []renewalAgg
	if err := r.Table(from).Select("t.asset_id AS asset_id, "+
		"SUM(CASE WHEN t.created_at >= ? THEN 1 ELSE 0 END) AS faults, "+
		"SUM(CASE WHEN t.created_at >= ? THEN "+hours+" ELSE 0 END) AS downtime, "+
		"SUM(t.parts_cost) AS cost", since, since, now).
		Where("t.asset_id IS NOT NULL AND t.merged_into_id IS NULL AND t.id NOT IN (SELECT ticket_id FROM helpdesk_maintenance_runs)").
		Group("t.asset_id").Scan(&aggs).Error; err != nil {
		return nil, err
	}
	byAsset := make(map[uint]renewalAgg, len(aggs))
	for _, g := range aggs {
		byAsset[g.AssetID] = g
	}

	today := calendar.DateOf(now, s.tz)
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
	return rows, nil
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

// renewalMigrations are the renewal report's index: every column its
// aggregate reads, led by the asset, so the report reads no ticket rows and
// groups in index order. PostgreSQL keeps id in it for the
// planned-maintenance test.
func renewalMigrations() []db.Migration {
	return []db.Migration{{ID: "helpdesk_renewal_index",
		SQLite: []string{`CREATE INDEX helpdesk_ticket_renewal ON helpdesk_tickets
			(asset_id, created_at, merged_into_id, resolved_at, closed_at, parts_cost) WHERE asset_id IS NOT NULL`},
		Postgres: []string{`CREATE INDEX helpdesk_ticket_renewal ON helpdesk_tickets
			(asset_id, created_at) INCLUDE (merged_into_id, resolved_at, closed_at, parts_cost, id) WHERE asset_id IS NOT NULL`},
	}}
}
