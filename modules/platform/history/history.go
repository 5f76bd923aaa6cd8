// Package history is the one way a record changes state: a guarded UPDATE of
// its status, the audit row and a line on the record's timeline, all in the
// caller's transaction; and the timeline itself, for the record's page.
package history

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
)

// Entry is one line of a record's timeline: who did what when, the state it
// moved from and to (empty for a note), and what they said.
type Entry struct {
	ID        uint      `gorm:"primaryKey"`
	Entity    string    `gorm:"size:60;not null;index:idx_history_subject"` // as audit names it: "booking", "leave_request"
	EntityID  uint      `gorm:"not null;index:idx_history_subject"`
	At        time.Time `gorm:"not null"`
	ActorID   *uint
	ActorName string `gorm:"size:200;not null"`
	Channel   string `gorm:"size:16"`
	IP        string `gorm:"size:64"`
	Action    string `gorm:"size:32;not null"` // the timeline's word: "approved", "cancel", "reminded"
	From      string `gorm:"column:from_status;size:32"`
	To        string `gorm:"column:to_status;size:32"`
	Step      int    // the step of a multi-step record (approval's step seq), 0 for none
	Other     string `gorm:"size:200"` // someone the line names besides the actor, e.g. the deputy a step went to
	Comment   string `gorm:"size:2000"`
}

func (Entry) TableName() string { return "history_entries" }

// Models lists the tables this package owns.
func Models() []any { return []any{&Entry{}} }

// Moved reports whether the entry changed the record's state (a note did not).
func (e Entry) Moved() bool { return e.To != "" && e.From != e.To }

// ErrStateChanged is what Move returns when the record was not in a state it
// may move from — someone moved it first, or it is gone. It is an
// errs.Conflict; callers turn it into their own error with errors.Is.
var ErrStateChanged = errs.New(errs.Conflict, "history: the record is no longer in a state it may move from")

// Transition is one change of a record's state.
type Transition struct {
	Entity string // the record's kind, as audit and the timeline name it
	// Model is an empty value of the record's type, e.g. &Booking{}: it names
	// the table, and GORM keeps its UpdatedAt as with any update.
	Model  any
	ID     uint     // its id
	Column string   // the state column; "status" when empty
	From   []string // the states it may move from
	To     string   // the state it moves to (may equal the one it is in, with Guard)
	// Guard adds conditions to the UPDATE, as gorm's Where takes them:
	// "version = ?", 3.
	Guard []any
	Set   map[string]any // other columns the same UPDATE sets
	Audit string         // the audit action, e.g. "booking.cancel"
	// Action is the timeline's word for the change, e.g. "cancel".
	Action  string
	Comment string
	Step    int
	At      time.Time // when, for a service with its own clock; now when zero
	// Before and After replace the audit row's {column: from} → {column: to}
	// when either is set (nil then means none).
	Before, After any
	// AuditStmt, from audit.Prepare, writes the audit row on a hot path.
	AuditStmt *sql.Stmt
}

// Move changes the record's state in one guarded UPDATE and writes the audit
// row and the timeline entry, all in tx, the caller's transaction. With one
// From state the UPDATE itself is the guard; with several, Move reads (and on
// PostgreSQL locks) the current state first to record which it was. A record
// no longer in a From state gives ErrStateChanged and writes nothing.
func Move(tx *gorm.DB, a actor.Actor, t Transition) error {
	if t.Entity == "" || t.Model == nil || t.To == "" || len(t.From) == 0 || t.Audit == "" || t.Action == "" {
		return fmt.Errorf("history: incomplete transition %+v", t)
	}
	col := t.Column
	if col == "" {
		col = "status"
	}
	from := t.From[0]
	if len(t.From) > 1 {
		var err error
		if from, err = current(tx, t.Model, col, t.ID); err != nil {
			return err
		}
		if !slices.Contains(t.From, from) {
			return ErrStateChanged
		}
	}
	set := make(map[string]any, len(t.Set)+1)
	for k, v := range t.Set {
		set[k] = v
	}
	set[col] = t.To
	q := tx.Model(t.Model).Where("id = ?", t.ID).Where(clause.Eq{Column: clause.Column{Name: col}, Value: from})
	if len(t.Guard) > 0 {
		q = q.Where(t.Guard[0], t.Guard[1:]...)
	}
	res := q.Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrStateChanged
	}
	before, after := t.Before, t.After
	if before == nil && after == nil {
		before, after = map[string]string{col: from}, map[string]string{col: t.To}
	}
	var err error
	if t.AuditStmt != nil {
		err = audit.RecordPrepared(tx, t.AuditStmt, a, t.Audit, t.Entity, t.ID, before, after)
	} else {
		err = audit.Record(tx, a, t.Audit, t.Entity, t.ID, before, after)
	}
	if err != nil {
		return err
	}
	return Note(tx, a, Entry{Entity: t.Entity, EntityID: t.ID, At: t.At, Action: t.Action, From: from, To: t.To, Step: t.Step, Comment: t.Comment})
}

// current reads the record's state inside tx; on PostgreSQL it locks the
// row, so the state read is the one the UPDATE then changes (SQLite's
// immediate transaction already holds the write lock).
func current(tx *gorm.DB, model any, col string, id uint) (string, error) {
	q := db.ForUpdate(tx.Model(model)).Select(col).Where("id = ?", id)
	var states []string
	if err := q.Limit(1).Pluck(col, &states).Error; err != nil {
		return "", err
	}
	if len(states) == 0 {
		return "", ErrStateChanged
	}
	return states[0], nil
}

// Note writes e, a line without a change of state (reminded, escalated,
// routed) or the entry of a Move, as done by a, in tx. e names the record
// (Entity, EntityID) and what happened (Action, Comment …); Note fills in
// the actor and, when e.At is zero, the time. An Other longer than its
// column is cut to fit, marked with "…", so no caller measures it.
func Note(tx *gorm.DB, a actor.Actor, e Entry) error {
	if e.Entity == "" || e.EntityID == 0 || e.Action == "" {
		return errors.New("history: a note needs an entity, an id and an action")
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC()
	e.ActorName, e.Channel, e.IP = a.Name, a.Channel, a.IP
	if e.Channel == "" {
		e.Channel = actor.ChannelApp
	}
	if a.ID != 0 {
		id := a.ID
		e.ActorID = &id
	}
	if r := []rune(e.Other); len(r) > maxOther {
		e.Other = string(r[:maxOther-1]) + "…"
	}
	e.ID = 0
	return tx.Create(&e).Error
}

// maxOther is the length of Entry.Other's column.
const maxOther = 200

// Of returns the record's timeline, oldest first.
func Of(q *gorm.DB, entity string, id uint) ([]Entry, error) {
	var out []Entry
	err := q.Where("entity = ? AND entity_id = ?", entity, id).Order("at, id").Find(&out).Error
	return out, err
}
