// Package audit records every state change (who, when, what, before → after) in the
// same transaction as the change, and shows the log to administrators.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
)

// Entry is one recorded change.
type Entry struct {
	ID        uint      `gorm:"primaryKey"`
	At        time.Time `gorm:"index;not null"`
	ActorID   *uint
	ActorName string `gorm:"size:200;not null"`
	Channel   string `gorm:"size:16;not null"`
	IP        string `gorm:"size:64"`
	Action    string `gorm:"size:100;not null"` // e.g. people.person.create
	Entity    string `gorm:"size:60;index:idx_audit_entity;not null"`
	EntityID  string `gorm:"size:60;index:idx_audit_entity"`
	Before    string // JSON, "" when created
	After     string // JSON, "" when removed
}

func (Entry) TableName() string { return "audit_log" }

// Models lists the tables this package owns.
func Models() []any { return []any{&Entry{}} }

// Migrations drop the indexes on actor_id and action that the first schema
// had: no query reads through them (the filters match names and action
// prefixes with LIKE), and every change in Kapu paid for them on write.
// The log is read newest first (at) and per entity (idx_audit_entity).
func Migrations() []db.Migration {
	drop := []string{"DROP INDEX IF EXISTS idx_audit_log_actor_id", "DROP INDEX IF EXISTS idx_audit_log_action"}
	return []db.Migration{{ID: "audit/0001_drop_unread_indexes", SQLite: drop, Postgres: drop}}
}

// Record writes one audit row inside tx. before and after are any values that
// marshal to JSON (nil for none); the caller passes the same tx as the change so
// the row exists exactly when the change does.
func Record(tx *gorm.DB, a actor.Actor, action, entity string, entityID any, before, after any) error {
	e, err := newEntry(a, action, entity, entityID, before, after)
	if err != nil {
		return err
	}
	return tx.Create(&e).Error
}

// insertSQL is the audit row's INSERT for RecordPrepared.
const insertSQL = `INSERT INTO audit_log (at, actor_id, actor_name, channel, ip, action, entity, entity_id, "before", "after")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

// Prepare readies the INSERT of RecordPrepared; like db.Prepare, call it
// before the transaction.
func Prepare(ctx context.Context, d *db.DB) (*sql.Stmt, error) { return d.Prepare(ctx, insertSQL) }

// RecordPrepared is Record through the statement from Prepare, for hot paths
// (bookings) where building the INSERT each time costs more than the write.
func RecordPrepared(tx *gorm.DB, st *sql.Stmt, a actor.Actor, action, entity string, entityID any, before, after any) error {
	e, err := newEntry(a, action, entity, entityID, before, after)
	if err != nil {
		return err
	}
	ctx := tx.Statement.Context
	bound := db.InTx(ctx, tx, st)
	if bound == nil {
		return tx.Create(&e).Error
	}
	_, err = bound.ExecContext(ctx, e.At, e.ActorID, e.ActorName, e.Channel, e.IP, e.Action, e.Entity, e.EntityID, e.Before, e.After)
	return err
}

// newEntry builds the row Record writes.
func newEntry(a actor.Actor, action, entity string, entityID any, before, after any) (Entry, error) {
	e := Entry{
		At:        time.Now().UTC(),
		ActorName: a.Name,
		Channel:   a.Channel,
		IP:        a.IP,
		Action:    action,
		Entity:    entity,
		EntityID:  fmt.Sprint(entityID),
	}
	if e.Channel == "" {
		e.Channel = actor.ChannelApp
	}
	if a.ID > 0 {
		id := a.ID
		e.ActorID = &id
	}
	var err error
	if e.Before, err = toJSON(before); err != nil {
		return e, err
	}
	if e.After, err = toJSON(after); err != nil {
		return e, err
	}
	return e, nil
}

// toJSON marshals v; a json.RawMessage is taken as it is, since a hot path
// that passes one marshalled it itself (the warehouse ledger, before its
// turn at SQLite's one writer), and checking it again cost as much.
func toJSON(v any) (string, error) {
	switch raw := v.(type) {
	case nil:
		return "", nil
	case json.RawMessage:
		return string(raw), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: %w", err)
	}
	return string(b), nil
}

// Filter narrows the log page.
type Filter struct {
	Actor    string // part of the actor's name
	Action   string // prefix, e.g. "people."
	Entity   string
	EntityID string
	From     time.Time // inclusive
	To       time.Time // exclusive
	Page     int
}

// PerPage is the size of a log page.
const PerPage = 50

// List returns one page of entries, newest first, and the number matching.
func List(ctx context.Context, d *db.DB, f Filter) ([]Entry, int64, error) {
	q := d.R.WithContext(ctx).Model(&Entry{})
	if f.Actor != "" {
		q = q.Where("LOWER(actor_name) LIKE ?", "%"+strings.ToLower(f.Actor)+"%")
	}
	if f.Action != "" {
		q = q.Where("action LIKE ?", f.Action+"%")
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	var out []Entry
	err := q.Order("at DESC, id DESC").Limit(PerPage).Offset((f.Page - 1) * PerPage).Find(&out).Error
	return out, total, err
}

// Entities lists the entity names present, for the filter's choices.
func Entities(ctx context.Context, d *db.DB) ([]string, error) {
	var out []string
	err := d.R.WithContext(ctx).Model(&Entry{}).Distinct("entity").Order("entity").Pluck("entity", &out).Error
	return out, err
}

// NewEntry is the row Record would write, without its before and after: for
// a statement that writes the row itself with the change it records (the
// warehouse's one-statement movement on PostgreSQL builds the JSON there).
func NewEntry(a actor.Actor, action, entity string, entityID any) Entry {
	e, _ := newEntry(a, action, entity, entityID, nil, nil) // nothing to marshal, so no error
	return e
}
