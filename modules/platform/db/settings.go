package db

import (
	"context"

	"gorm.io/gorm/clause"
)

// Setting is one installation-wide value, such as whether demo data was loaded.
type Setting struct {
	Key   string `gorm:"column:name;primaryKey;size:100"`
	Value string `gorm:"size:2000"`
}

func (Setting) TableName() string { return "settings" }

// GetSetting returns the value of name, "" when unset.
func (d *DB) GetSetting(ctx context.Context, name string) (string, error) {
	var s Setting
	err := d.R.WithContext(ctx).Where("name = ?", name).Limit(1).Find(&s).Error
	return s.Value, err
}

// SetSetting stores value under name.
func (d *DB) SetSetting(ctx context.Context, name, value string) error {
	return d.W.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"value"}),
	}).Create(&Setting{Key: name, Value: value}).Error
}
