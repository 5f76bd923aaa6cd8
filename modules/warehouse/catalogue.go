package warehouse

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
)

// ItemInput is a catalogue entry as the storekeeper types it (or a CSV row
// carries it). Stock is not part of it: stock only moves through the ledger.
type ItemInput struct {
	Code         string
	NameHU       string
	NameEN       string
	Category     string
	Unit         string
	Location     string
	ReorderLevel Qty
	UnitPrice    int64
	Active       bool
}

// codePattern is an item code once upper-cased: letters, digits, dots,
// dashes and underscores, starting with a letter or digit.
var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._-]{0,39}$`)

// check trims the input and returns every problem in it at once.
func (in ItemInput) check() (ItemInput, error) {
	in.Code = strings.ToUpper(trim(in.Code))
	in.NameHU, in.NameEN, in.Location = trim(in.NameHU), trim(in.NameEN), trim(in.Location)
	var problems []error
	if !codePattern.MatchString(in.Code) {
		problems = append(problems, ErrCode)
	}
	if !validLine(in.NameHU, maxName) || !validLine(in.NameEN, maxName) || !validLine(in.Location, maxLocation) {
		problems = append(problems, ErrText)
	}
	if in.NameHU == "" {
		problems = append(problems, ErrName)
	}
	if !slices.Contains(Categories, in.Category) {
		problems = append(problems, ErrCategory)
	}
	u, ok := UnitOf(in.Unit)
	if !ok {
		problems = append(problems, ErrUnit)
	}
	if in.ReorderLevel != 0 {
		if err := checkQty(in.ReorderLevel, u); err != nil {
			problems = append(problems, err)
		}
	}
	if in.UnitPrice < 0 || in.UnitPrice > maxUnitPrice {
		problems = append(problems, ErrPrice)
	}
	return in, errors.Join(problems...)
}

// apply copies the input's catalogue fields onto it.
func (in ItemInput) apply(it *Item) {
	it.Code, it.NameHU, it.NameEN, it.Category, it.Unit = in.Code, in.NameHU, in.NameEN, in.Category, in.Unit
	it.Location, it.ReorderLevel, it.UnitPrice, it.Active = in.Location, in.ReorderLevel, in.UnitPrice, in.Active
}

// CreateItem adds an item to the catalogue, with no stock: its opening
// balance is a receipt or a count.
func (s *Service) CreateItem(ctx context.Context, a actor.Actor, in ItemInput) (*Item, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	in, err := in.check()
	if err != nil {
		return nil, err
	}
	var it Item
	in.apply(&it)
	now := s.now()
	it.CreatedAt, it.UpdatedAt = now, now
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&it).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "warehouse.item.create", itemEntity, it.ID, nil, &it)
	})
	if db.IsConstraint(err, "warehouse_item_code") {
		return nil, ErrCodeTaken
	}
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// UpdateItem changes an item's catalogue entry. Its unit is fixed once stock
// has moved: the ledger's quantities are counted in it.
func (s *Service) UpdateItem(ctx context.Context, a actor.Actor, id uint, in ItemInput) (*Item, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	in, err := in.check()
	if err != nil {
		return nil, err
	}
	var it Item
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		// Locked (PostgreSQL), so no first movement slips in between the
		// count of movements below and the new unit.
		if err := db.ForUpdate(tx).Where("id = ?", id).Limit(1).Find(&it).Error; err != nil {
			return err
		}
		if it.ID == 0 {
			return ErrNotFound
		}
		before := it
		if in.Unit != it.Unit {
			var moved int64
			if err := tx.Model(&Movement{}).Where("item_id = ?", id).Limit(1).Count(&moved).Error; err != nil {
				return err
			}
			if moved > 0 {
				return ErrUnitFixed
			}
		}
		in.apply(&it)
		it.UpdatedAt = s.now()
		// Only the catalogue's columns: the stock columns belong to post.
		res := tx.Model(&Item{}).Where("id = ?", id).Select("code", "name_hu", "name_en", "category", "unit",
			"location", "reorder_level", "unit_price", "active", "updated_at").Updates(&it)
		if res.Error != nil {
			return res.Error
		}
		return audit.Record(tx, a, "warehouse.item.update", itemEntity, it.ID, &before, &it)
	})
	if db.IsConstraint(err, "warehouse_item_code") {
		return nil, ErrCodeTaken
	}
	if err != nil {
		return nil, err
	}
	return &it, nil
}
