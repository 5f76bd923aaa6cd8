package helpdesk

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
)

// The renewal report reads a per-asset rollup instead of the tickets: a cell
// per asset and report month (UTC) holds its faults' counts, downtime and
// parts. The twelve months' window starts at an instant (now less a year)
// inside a month: the whole months come from the cells, and that month's
// share from the tickets themselves, by index, whichever side of the
// instant is shorter (the part in the window added, or the part before it
// taken off that month's cell), so at most half a month's faults. The open
// faults' downtime runs till now, so a cell keeps their count and the sum of
// their report instants, and the read subtracts. The result is the direct
// computation's (renewal_rollup_test.go keeps it as the oracle). Every
// change marks its ticket's asset dirty in its transaction
// (markStatsDirty), and the report, the helpdesk.stats job and RebuildStats
// rebuild the dirty assets.

// renewalCell is one asset's faults reported in a month (yyyymm, UTC). The
// hours are double precision on both databases (GORM would make them
// numeric on PostgreSQL), summed as the direct computation sums them.
type renewalCell struct {
	AssetID uint    `gorm:"primaryKey;autoIncrement:false"`
	Month   int     `gorm:"primaryKey;autoIncrement:false"`
	Done    int     `gorm:"not null"`                       // faults resolved or closed
	Hours   float64 `gorm:"type:double precision;not null"` // their downtime
	OpenN   int     `gorm:"not null"`                       // faults still open
	OpenAt  float64 `gorm:"type:double precision;not null"` // the open faults' report instants summed, in hours since the Unix epoch
	Cost    int64   `gorm:"not null"`                       // every fault's parts, open or not
}

func (renewalCell) TableName() string { return "helpdesk_renewal_cells" }

// renewalDirty is an asset whose cells may be stale; like statsDirty, rows
// are only inserted, and a rebuild deletes the ones it read.
type renewalDirty struct {
	ID      uint `gorm:"primaryKey"`
	AssetID uint `gorm:"not null"`
}

func (renewalDirty) TableName() string { return "helpdesk_renewal_dirty" }

// renewalModels are the rollup's tables (Models in model.go).
func renewalModels() []any { return []any{&renewalCell{}, &renewalDirty{}} }

// renewalSeen is the statsSeen row of the highest ticket id the renewal
// rollup has looked at (tickets written straight into the table).
const renewalSeen = "renewal"

// renewalBatch is how many asset ids one transaction of a full rebuild
// covers: a reader sees a batch's old cells or its new ones, never none.
var renewalBatch uint = 500

// monthKey is t's UTC month as yyyymm.
func monthKey(t time.Time) int { t = t.UTC(); return t.Year()*100 + int(t.Month()) }

// epochHours is t in hours since the Unix epoch, to the microsecond.
func epochHours(t time.Time) float64 { return float64(t.UnixMicro()) / 3.6e9 }

// renewalWindow is the window of a report at now: since, now less a year,
// lies in the month starting at start (key yyyymm); next is the following
// month's start.
func renewalWindow(now time.Time) (since, start, next time.Time, key, nextKey int) {
	since = now.UTC().AddDate(-1, 0, 0)
	start = time.Date(since.Year(), since.Month(), 1, 0, 0, 0, 0, time.UTC)
	next = start.AddDate(0, 1, 0)
	return since, start, next, monthKey(start), monthKey(next)
}

// markRenewalDirty marks asset for the rollup, in the change's transaction.
func markRenewalDirty(tx *gorm.DB, asset *uint) error {
	if asset == nil {
		return nil
	}
	return tx.Create(&renewalDirty{AssetID: *asset}).Error
}

// markNewRenewal marks the assets of the tickets inserted since the last
// look, and moves the mark past them.
func (s *Service) markNewRenewal(ctx context.Context) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var seen statsSeen
		if err := tx.Where("name = ?", renewalSeen).Limit(1).Find(&seen).Error; err != nil {
			return err
		}
		var rows []struct {
			ID      uint
			AssetID *uint
		}
		if err := tx.Raw("SELECT id, asset_id FROM helpdesk_tickets WHERE id > ?", seen.LastID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		assets := map[uint]bool{}
		last := seen.LastID
		for _, r := range rows {
			if r.AssetID != nil {
				assets[*r.AssetID] = true
			}
			last = max(last, r.ID)
		}
		marks := make([]renewalDirty, 0, len(assets))
		for a := range assets {
			marks = append(marks, renewalDirty{AssetID: a})
		}
		if len(marks) > 0 {
			if err := tx.CreateInBatches(&marks, 500).Error; err != nil {
				return err
			}
		}
		return tx.Save(&statsSeen{Name: renewalSeen, LastID: last}).Error
	})
}

// rollupRenewalDirty rebuilds the dirty assets' cells, up to 200 assets a
// transaction with their marks' deletion, and says how many it rebuilt.
func (s *Service) rollupRenewalDirty(ctx context.Context) (int, error) {
	if err := s.markNewRenewal(ctx); err != nil {
		return 0, err
	}
	var marks []renewalDirty
	if err := s.db.W.WithContext(ctx).Order("id").Find(&marks).Error; err != nil {
		return 0, err
	}
	byAsset := map[uint][]uint{}
	for _, m := range marks {
		byAsset[m.AssetID] = append(byAsset[m.AssetID], m.ID)
	}
	assets := make([]uint, 0, len(byAsset))
	for a := range byAsset {
		assets = append(assets, a)
	}
	sort.Slice(assets, func(i, j int) bool { return assets[i] < assets[j] })
	for i := 0; i < len(assets); i += 200 {
		batch := assets[i:min(i+200, len(assets))]
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			if err := s.rebuildRenewal(tx, "asset_id IN ?", batch); err != nil {
				return err
			}
			var ids []uint
			for _, a := range batch {
				ids = append(ids, byAsset[a]...)
			}
			for j := 0; j < len(ids); j += 500 {
				if err := tx.Where("id IN ?", ids[j:min(j+500, len(ids))]).Delete(&renewalDirty{}).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(assets), nil
}

// rebuildRenewalAll writes every asset's cells again from the tickets, a
// range of renewalBatch asset ids per transaction that deletes the range's
// cells and writes them anew, then drops the marks read before it.
func (s *Service) rebuildRenewalAll(ctx context.Context) error {
	if err := s.markNewRenewal(ctx); err != nil {
		return err
	}
	w := s.db.W.WithContext(ctx)
	var marks []renewalDirty
	if err := w.Find(&marks).Error; err != nil {
		return err
	}
	var top struct{ T, C uint }
	if err := w.Raw(`SELECT (SELECT COALESCE(MAX(asset_id), 0) FROM helpdesk_tickets) AS t,
		(SELECT COALESCE(MAX(asset_id), 0) FROM helpdesk_renewal_cells) AS c`).Scan(&top).Error; err != nil {
		return err
	}
	for lo := uint(0); lo <= max(top.T, top.C); lo += renewalBatch {
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			return s.rebuildRenewal(tx, "asset_id >= ? AND asset_id < ?", lo, lo+renewalBatch)
		})
		if err != nil {
			return err
		}
	}
	for i := 0; i < len(marks); i += 500 {
		ids := make([]uint, 0, 500)
		for _, m := range marks[i:min(i+500, len(marks))] {
			ids = append(ids, m.ID)
		}
		if err := w.Where("id IN ?", ids).Delete(&renewalDirty{}).Error; err != nil {
			return err
		}
	}
	return nil
}

// rebuildRenewal writes the cells of the assets that cond (on asset_id)
// selects again from their faults, inside tx, so a reader sees the old
// cells or the new ones. The cells are summed by the database in one
// INSERT … SELECT: the tickets never travel to Go.
func (s *Service) rebuildRenewal(tx *gorm.DB, cond string, args ...any) error {
	if err := tx.Where(cond, args...).Delete(&renewalCell{}).Error; err != nil {
		return err
	}
	// The report month (UTC), a finished fault's downtime and a report
	// instant in hours since the Unix epoch, as the direct computation
	// reads them (renewalFaults).
	month := "CAST(strftime('%Y%m', created_at) AS INTEGER)"
	hours := "((julianday(COALESCE(resolved_at, closed_at)) - julianday(created_at)) * 24)"
	at := "((julianday(created_at) - 2440587.5) * 24)"
	if s.db.Dialect == "postgres" {
		month = "CAST(to_char(created_at AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)"
		hours = "(date_part('epoch', COALESCE(resolved_at, closed_at) - created_at) / 3600)"
		at = "(date_part('epoch', created_at) / 3600)"
	}
	done := "(resolved_at IS NOT NULL OR closed_at IS NOT NULL)"
	// Two readers rebuilding the same asset at once: on PostgreSQL the
	// second one's delete does not see the first one's new cells, so it
	// writes over them rather than failing on the key.
	return tx.Exec(`INSERT INTO helpdesk_renewal_cells (asset_id, month, done, hours, open_n, open_at, cost)
		SELECT asset_id, `+month+`,
			SUM(CASE WHEN `+done+` THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+done+` THEN `+hours+` ELSE 0 END),
			SUM(CASE WHEN `+done+` THEN 0 ELSE 1 END),
			SUM(CASE WHEN `+done+` THEN 0 ELSE `+at+` END),
			SUM(parts_cost)
		FROM helpdesk_tickets
		WHERE asset_id IS NOT NULL AND `+cond+` AND merged_into_id IS NULL
			AND id NOT IN (SELECT ticket_id FROM helpdesk_maintenance_runs)
		GROUP BY asset_id, `+month+`
		ON CONFLICT (asset_id, month) DO UPDATE SET done = excluded.done, hours = excluded.hours,
			open_n = excluded.open_n, open_at = excluded.open_at, cost = excluded.cost`, args...).Error
}
