package warehouse

import (
	"context"
	"slices"
	"strings"
	"time"

	"kapu/modules/platform/actor"
)

// ItemsPerPage and MovementsPerPage are the pages of the stock list and of
// an item's ledger: a store of two thousand items and a ledger of a million
// rows stay one indexed read a page.
const (
	ItemsPerPage     = 50
	MovementsPerPage = 50
)

// ItemFilter narrows the stock list; zero values filter nothing.
type ItemFilter struct {
	Category string
	Location string // the shelf, exactly
	LowOnly  bool   // at or below the reorder level (available = on hand − reserved)
	Text     string // a part of the code or of either name
}

// ItemPage is one page of the stock list, by code, and how many match.
func (s *Service) ItemPage(ctx context.Context, a actor.Actor, f ItemFilter, page int) ([]Item, int64, error) {
	if !isStaff(a) {
		return nil, 0, ErrForbidden
	}
	q := s.db.R.WithContext(ctx).Model(&Item{})
	if slices.Contains(Categories, f.Category) {
		q = q.Where("category = ?", f.Category)
	}
	if f.Location != "" {
		q = q.Where("location = ?", f.Location)
	}
	if f.LowOnly {
		q = q.Where("active AND reorder_level > 0 AND on_hand - reserved <= reorder_level")
	}
	if t := strings.ToLower(trim(f.Text)); t != "" && validLine(t, maxName) {
		like := "%" + likeEscape(t) + "%"
		q = q.Where(`(LOWER(code) LIKE ? ESCAPE '\' OR LOWER(name_hu) LIKE ? ESCAPE '\' OR LOWER(name_en) LIKE ? ESCAPE '\')`, like, like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var list []Item
	err := q.Order("code").Limit(ItemsPerPage).Offset((max(page, 1) - 1) * ItemsPerPage).Find(&list).Error
	return list, total, err
}

// likeEscape makes s match itself inside a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Locations are the shelves items are kept on, in order, for the filters.
func (s *Service) Locations(ctx context.Context, a actor.Actor) ([]string, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	var out []string
	err := s.db.R.WithContext(ctx).Model(&Item{}).Distinct("location").Where("location <> ''").Order("location").Pluck("location", &out).Error
	return out, err
}

// Item is one catalogue entry with its stock now.
func (s *Service) Item(ctx context.Context, a actor.Actor, id uint) (*Item, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	var it Item
	if err := s.db.R.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&it).Error; err != nil {
		return nil, err
	}
	if it.ID == 0 {
		return nil, ErrNotFound
	}
	return &it, nil
}

// LedgerLine is a ledger row as the item's page lists it: with the names of
// its department and of who posted it.
type LedgerLine struct {
	ID            uint
	Kind          string
	Quantity      Qty
	Reserved      Qty
	OnHandAfter   Qty
	ReservedAfter Qty
	Supplier      string
	DeliveryNote  string
	Reason        string
	Department    string
	Actor         string
	CreatedAt     time.Time
}

// Ledger is a page of an item's movements, newest first, and how many there are.
func (s *Service) Ledger(ctx context.Context, a actor.Actor, itemID uint, page int) ([]LedgerLine, int64, error) {
	if !isStaff(a) {
		return nil, 0, ErrForbidden
	}
	q := s.db.R.WithContext(ctx)
	var total int64
	if err := q.Model(&Movement{}).Where("item_id = ?", itemID).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []LedgerLine
	err := q.Table("warehouse_movements m").
		Select(`m.id, m.kind, m.quantity, m.reserved, m.on_hand_after, m.reserved_after, m.supplier, m.delivery_note,
			m.reason, m.created_at, COALESCE(d.name, '') AS department, COALESCE(p.name, '') AS actor`).
		Joins("LEFT JOIN departments d ON d.id = m.department_id").
		Joins("LEFT JOIN people p ON p.id = m.actor_id").
		Where("m.item_id = ?", itemID).Order("m.id DESC").
		Limit(MovementsPerPage).Offset((max(page, 1) - 1) * MovementsPerPage).Scan(&out).Error
	return out, total, err
}
