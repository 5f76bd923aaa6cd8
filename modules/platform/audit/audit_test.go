package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// note is a record the test changes and audits.
type note struct {
	ID   uint
	Text string
}

func (note) TableName() string { return "audit_test_notes" }

// Record writes who, when, what and before → after in the caller's
// transaction: the row is there when the change commits and gone with it
// when the change rolls back.
func TestRecordIsPartOfTheChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, append(audit.Models(), &note{}), audit.Migrations()); err != nil {
			t.Fatal(err)
		}
		who := actor.Actor{ID: 7, Name: "Kiss Márton", IP: "10.1.2.3"}
		n := note{Text: "draft"}
		began := time.Now().Add(-time.Second)
		err := d.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Create(&n).Error; err != nil {
				return err
			}
			before := n
			n.Text = "final"
			if err := tx.Save(&n).Error; err != nil {
				return err
			}
			return audit.Record(tx, who, "note.rename", "note", n.ID, before, n)
		})
		if err != nil {
			t.Fatal(err)
		}
		entries, total, err := audit.List(ctx, d, audit.Filter{Entity: "note"})
		if err != nil || total != 1 || len(entries) != 1 {
			t.Fatalf("List(note) = %d entries (total %d), %v; want 1", len(entries), total, err)
		}
		e := entries[0]
		if e.ActorID == nil || *e.ActorID != 7 || e.ActorName != "Kiss Márton" || e.IP != "10.1.2.3" || e.Channel != actor.ChannelApp {
			t.Errorf("who = %v %q %q %q; want 7 Kiss Márton 10.1.2.3 app", e.ActorID, e.ActorName, e.IP, e.Channel)
		}
		if e.At.Before(began) || e.At.After(time.Now().Add(time.Second)) {
			t.Errorf("when = %v; want about now", e.At)
		}
		if e.Action != "note.rename" || e.EntityID != "1" {
			t.Errorf("what = %s %s #%s; want note.rename note #1", e.Action, e.Entity, e.EntityID)
		}
		if e.Before != `{"ID":1,"Text":"draft"}` || e.After != `{"ID":1,"Text":"final"}` {
			t.Errorf("before → after = %s → %s; want the draft, then the final text", e.Before, e.After)
		}

		// A change that fails after its audit row takes the row with it.
		failed := errors.New("the change failed")
		err = d.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Model(&note{}).Where("id = ?", n.ID).Update("text", "lost").Error; err != nil {
				return err
			}
			if err := audit.Record(tx, who, "note.rename", "note", n.ID, n, note{ID: n.ID, Text: "lost"}); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("Tx = %v; want the change's own error", err)
		}
		if _, total, _ := audit.List(ctx, d, audit.Filter{Entity: "note"}); total != 1 {
			t.Errorf("audit rows after a rolled-back change = %d; want still 1", total)
		}
		var kept note
		d.R.First(&kept, n.ID)
		if kept.Text != "final" {
			t.Errorf("note after the rolled-back change = %q; want final", kept.Text)
		}
	})
}
