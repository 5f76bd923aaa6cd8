package leave

import (
	"context"

	"gorm.io/gorm"
)

// defaultTypes are the leave types a new installation starts with; HR edits them.
var defaultTypes = []Type{
	{Code: "annual", NameHU: "Szabadság", NameEN: "Annual leave", Color: "#2563eb", CountsAgainst: true, NeedsApproval: true, HalfDays: true, Active: true, SortOrder: 1},
	{Code: "sick", NameHU: "Betegszabadság", NameEN: "Sick leave", Color: "#dc2626", NeedsApproval: false, Private: true, Active: true, SortOrder: 2},
	{Code: "study", NameHU: "Tanulmányi szabadság", NameEN: "Study leave", Color: "#16a34a", NeedsApproval: true, Active: true, SortOrder: 3},
	{Code: "unpaid", NameHU: "Fizetés nélküli szabadság", NameEN: "Unpaid leave", Color: "#6b7280", NeedsApproval: true, MaxConsecutive: 60, Active: true, SortOrder: 4},
}

// EnsureTypes creates the default leave types in an installation that has none.
func (s *Service) EnsureTypes(ctx context.Context) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Type{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		types := append([]Type(nil), defaultTypes...)
		return tx.Create(&types).Error
	})
}
