package warehouse

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
)

// OnOrder is, per item id, the quantity ordered from suppliers and not yet
// received. The procurement step (next slice) will keep it; until then the
// callers pass it in (nil is nothing on order), so the low-stock rule is
// already the issue's: available = on hand − reserved + on order.
type OnOrder map[uint]Qty

// LowItem is an item whose available quantity is at or below its reorder level.
type LowItem struct {
	Item
	OnOrder   Qty
	Available Qty // on hand − reserved + on order
	// Suggested is what to order: enough to bring the available quantity up
	// to twice the reorder level, in whole units, at least one. Twice the
	// level is the simplest rule a storekeeper can check by hand: the level
	// covers the time a delivery takes, the same again covers the time
	// until the next order.
	Suggested Qty
}

// LowAlert marks that an item's low-stock alert was sent for its current
// crossing of the reorder level: one row per item while it stays low. It is
// cleared once the item's available quantity has been above the level
// again, so the next fall alerts once more.
type LowAlert struct {
	ItemID uint `gorm:"primaryKey;autoIncrement:false"`
	// MovementID is the last ledger row of the item seen while it stayed
	// low: a later row that left it above the level is a refill, even if a
	// second fall followed before the next check.
	MovementID uint `gorm:"not null;default:0"`
	Available  Qty  `gorm:"not null"` // when the alert was sent
	AlertedAt  time.Time
}

func (LowAlert) TableName() string { return "warehouse_low_alerts" }

// LowStock is the low-stock list: every active item with a reorder level
// whose available quantity (with onOrder) is at or below it, the furthest
// below its level first. An item with no reorder level is not watched.
func (s *Service) LowStock(ctx context.Context, a actor.Actor, onOrder OnOrder) ([]LowItem, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	return lowStock(s.db.R.WithContext(ctx), onOrder)
}

// lowStock reads the list on q. Stock on order only raises the available
// quantity, so the query can already drop every item above its level
// without it.
func lowStock(q *gorm.DB, onOrder OnOrder) ([]LowItem, error) {
	var items []Item
	if err := q.Where("active AND reorder_level > 0 AND on_hand - reserved <= reorder_level").Find(&items).Error; err != nil {
		return nil, err
	}
	var out []LowItem
	for _, it := range items {
		ordered := max(onOrder[it.ID], 0)
		avail := it.Available() + ordered
		if avail > it.ReorderLevel {
			continue
		}
		out = append(out, LowItem{Item: it, OnOrder: ordered, Available: avail, Suggested: suggest(it.ReorderLevel, avail)})
	}
	sort.Slice(out, func(i, j int) bool {
		// Furthest below its level, relative to the level; then by code.
		a, b := out[i], out[j]
		l, r := int64(a.Available)*int64(b.ReorderLevel), int64(b.Available)*int64(a.ReorderLevel)
		if l != r {
			return l < r
		}
		return a.Code < b.Code
	})
	return out, nil
}

// suggest is the order quantity that brings avail up to twice level, rounded
// up to whole units, at least one unit.
func suggest(level, avail Qty) Qty {
	need := 2*level - avail
	if rem := need % QtyScale; rem != 0 {
		need += QtyScale - rem
	}
	return max(need, QtyScale)
}

// LowStockCrossings returns the items that have newly fallen to their
// reorder level since the last call and marks them alerted, in one
// transaction, so each crossing is returned once however many issues follow
// (the nightly job mails them next slice). An item whose available
// quantity has risen above its level since it was marked (now, or by any
// ledger row in between) is unmarked: its next fall is a new crossing.
func (s *Service) LowStockCrossings(ctx context.Context, onOrder OnOrder) ([]LowItem, error) {
	var out []LowItem
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.lowStockCrossings(tx, onOrder)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lowStockCrossings is LowStockCrossings in the caller's transaction, so
// the alert's mail is queued in the same commit as its marks (jobs.go).
func (s *Service) lowStockCrossings(tx *gorm.DB, onOrder OnOrder) ([]LowItem, error) {
	var out []LowItem
	err := func() error {
		low, err := lowStock(tx, onOrder)
		if err != nil {
			return err
		}
		var marks []LowAlert
		if err := tx.Find(&marks).Error; err != nil {
			return err
		}
		lowByID := make(map[uint]LowItem, len(low))
		for _, li := range low {
			lowByID[li.ID] = li
		}
		ids := make([]uint, 0, len(low)+len(marks))
		for _, li := range low {
			ids = append(ids, li.ID)
		}
		for _, m := range marks {
			ids = append(ids, m.ItemID)
		}
		last, err := lastMovements(tx, ids)
		if err != nil {
			return err
		}
		marked := make(map[uint]bool, len(marks))
		for _, m := range marks {
			li, still := lowByID[m.ItemID]
			if still {
				refilled, err := refilledSince(tx, m.ItemID, m.MovementID, li.ReorderLevel)
				if err != nil {
					return err
				}
				still = !refilled
			}
			if !still {
				if err := tx.Where("item_id = ?", m.ItemID).Delete(&LowAlert{}).Error; err != nil {
					return err
				}
				continue
			}
			marked[m.ItemID] = true
			if last[m.ItemID] != m.MovementID { // the next check looks only at rows after these
				if err := tx.Model(&LowAlert{}).Where("item_id = ?", m.ItemID).Update("movement_id", last[m.ItemID]).Error; err != nil {
					return err
				}
			}
		}
		now := s.now()
		for _, li := range low {
			if marked[li.ID] {
				continue
			}
			// A second check running at once inserts nothing: the item's
			// crossing is returned by one of them only.
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&LowAlert{
				ItemID: li.ID, MovementID: last[li.ID], Available: li.Available, AlertedAt: now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				out = append(out, li)
			}
		}
		return nil
	}()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lastMovements is the newest ledger row id of each of items.
func lastMovements(tx *gorm.DB, items []uint) (map[uint]uint, error) {
	if len(items) == 0 {
		return nil, nil
	}
	var rows []struct{ ItemID, Last uint }
	if err := tx.Model(&Movement{}).Select("item_id, MAX(id) AS last").Where("item_id IN ?", items).
		Group("item_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]uint, len(rows))
	for _, r := range rows {
		out[r.ItemID] = r.Last
	}
	return out, nil
}

// refilledSince reports whether a ledger row of item after the row with id
// after left its available quantity (on hand − reserved) above level.
func refilledSince(tx *gorm.DB, item, after uint, level Qty) (bool, error) {
	var n int64
	err := tx.Model(&Movement{}).Where("item_id = ? AND id > ? AND on_hand_after - reserved_after > ?", item, after, level).
		Limit(1).Count(&n).Error
	return n > 0, err
}
