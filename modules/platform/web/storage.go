package web

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/db"
)

// StoredValue is one row of the key-value table behind sessions and rate limits.
type StoredValue struct {
	ID        string `gorm:"primaryKey;size:128"`
	Value     []byte
	ExpiresAt int64 `gorm:"index;not null"` // unix seconds; 0 never expires
	// UserID names the person a session row belongs to (set at sign-in), so
	// EndSessionsOf can find every session of one person; nil for visitors'
	// sessions and rate-limit counters. Set only replaces Value and
	// ExpiresAt, so the owner stays for the life of the row.
	UserID *uint `gorm:"index"`
}

func (StoredValue) TableName() string { return "web_store" }

// Storage is a fiber.Storage on the database, so sessions and login limits survive
// restarts and are shared by every replica (the gofiber storage packages for
// SQLite and PostgreSQL are not on the module proxy here).
type Storage struct {
	db  *db.DB
	now func() time.Time
}

// NewStorage returns a Storage on d.
func NewStorage(d *db.DB) *Storage { return &Storage{db: d, now: time.Now} }

// Get returns the value of key, or nil when it is missing or expired.
func (s *Storage) Get(key string) ([]byte, error) {
	var v StoredValue
	err := s.db.R.Where("id = ? AND (expires_at = 0 OR expires_at > ?)", key, s.now().Unix()).
		Limit(1).Find(&v).Error
	if err != nil || v.ID == "" {
		return nil, err
	}
	return v.Value, nil
}

// Set stores val under key for exp (0 keeps it until deleted).
func (s *Storage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var at int64
	if exp > 0 {
		at = s.now().Add(exp).Unix()
	}
	return s.db.W.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "expires_at"}),
	}).Create(&StoredValue{ID: key, Value: val, ExpiresAt: at}).Error
}

// Delete removes key.
func (s *Storage) Delete(key string) error {
	return s.db.W.Where("id = ?", key).Delete(&StoredValue{}).Error
}

// Reset removes every key.
func (s *Storage) Reset() error {
	return s.db.W.Session(&gorm.Session{AllowGlobalUpdate: true}).Delete(&StoredValue{}).Error
}

// Close does nothing: the database belongs to the caller.
func (s *Storage) Close() error { return nil }

// setOwner notes on session row id whose session it is, so EndSessionsOf can
// find every session of one person.
func (s *Storage) setOwner(ctx context.Context, id string, userID uint) error {
	return s.db.W.WithContext(ctx).Model(&StoredValue{}).Where("id = ?", id).Update("user_id", userID).Error
}

// EndSessionsOf signs person userID out everywhere except in the session
// keepSessionID ("" ends them all), inside the caller's transaction tx so the
// sessions end exactly when the change that ends them (a new password, a
// deactivation) commits. It reports how many sessions ended.
func (s *Storage) EndSessionsOf(tx *gorm.DB, userID uint, keepSessionID string) (int64, error) {
	res := tx.Where("user_id = ? AND id <> ?", userID, keepSessionID).Delete(&StoredValue{})
	return res.RowsAffected, res.Error
}

// DeleteExpired removes expired rows; run it from a scheduled job.
func (s *Storage) DeleteExpired(ctx context.Context) (int64, error) {
	res := s.db.W.WithContext(ctx).Where("expires_at > 0 AND expires_at <= ?", s.now().Unix()).Delete(&StoredValue{})
	return res.RowsAffected, res.Error
}
