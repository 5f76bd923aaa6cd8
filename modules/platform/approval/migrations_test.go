package approval

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/history"
)

// legacyEvent is the approval_events table as Kapu created it before the
// history package, for databases that still hold it.
type legacyEvent struct {
	ID        uint      `gorm:"primaryKey"`
	RequestID uint      `gorm:"not null;index"`
	At        time.Time `gorm:"not null"`
	ActorID   *uint
	ActorName string `gorm:"size:200;not null"`
	Action    string `gorm:"size:32;not null"`
	StepSeq   int
	Comment   string `gorm:"size:2000"`
	Channel   string `gorm:"size:16"`
	IP        string `gorm:"size:64"`
}

func (legacyEvent) TableName() string { return "approval_events" }

// An existing database's approval events become history entries once, with
// the names they mention as Other and the states a decision moved between;
// the old table keeps its rows.
func TestMigrationCopiesEventsToHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.W.AutoMigrate(&Request{}, &Step{}, &legacyEvent{}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // the spring DST night
		anna, bela := uint(1), uint(2)
		reqs := []Request{{Kind: "leave", SubjectID: "1", RequesterID: anna, Title: "Leave", Status: StatusApproved, Version: 3, CurrentStep: 2},
			{Kind: "leave", SubjectID: "2", RequesterID: anna, Title: "Leave", Status: StatusWithdrawn, Version: 2, CurrentStep: 1}}
		d.W.Create(&reqs)
		d.W.Create(&[]Step{{RequestID: reqs[0].ID, Seq: 1, ApproverID: bela, Status: StepApproved}, {RequestID: reqs[0].ID, Seq: 2, ApproverID: 3, Status: StepApproved},
			{RequestID: reqs[1].ID, Seq: 1, ApproverID: bela, Status: StepClosed}})
		events := []legacyEvent{
			{RequestID: reqs[0].ID, At: at, ActorID: &anna, ActorName: "Anna", Action: "submitted", Channel: "app", IP: "10.0.0.1"},
			{RequestID: reqs[0].ID, At: at, ActorName: "Kapu", Action: "routed", StepSeq: 1, Comment: "Béla", Channel: "system"},
			{RequestID: reqs[0].ID, At: at.Add(time.Hour), ActorID: &bela, ActorName: "Béla", Action: "approved", StepSeq: 1, Comment: "ok", Channel: "email"},
			{RequestID: reqs[0].ID, At: at.Add(2 * time.Hour), ActorName: "Kapu", Action: "escalated", StepSeq: 2, Comment: "Cecília", Channel: "system"},
			{RequestID: reqs[0].ID, At: at.Add(3 * time.Hour), ActorName: "Cecília", Action: "approved", StepSeq: 2, Channel: "app"},
			{RequestID: reqs[1].ID, At: at, ActorID: &anna, ActorName: "Anna", Action: "withdrawn", StepSeq: 1, Channel: "app"},
		}
		if err := d.W.Create(&events).Error; err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second start finds the migration done
			if err := d.Migrate(ctx, Models(), Migrations()); err != nil {
				t.Fatalf("Migrate = %v", err)
			}
		}
		got, err := history.Of(d.R, Entity, reqs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range got {
			lines = append(lines, fmt.Sprintf("%s/%s/%d/%s→%s/%s/%s/%s", e.ActorName, e.Action, e.Step, e.From, e.To, e.Other, e.Comment, e.Channel))
		}
		want := "[Anna/submitted/0/→///app Kapu/routed/1/→/Béla//system Béla/approved/1/pending→pending//ok/email " +
			"Kapu/escalated/2/→/Cecília//system Cecília/approved/2/pending→approved///app]"
		if fmt.Sprint(lines) != want {
			t.Errorf("copied history =\n%v; want\n%s", lines, want)
		}
		if got[0].ActorID == nil || *got[0].ActorID != anna || got[0].IP != "10.0.0.1" || !got[0].At.Equal(at) || got[1].ActorID != nil {
			t.Errorf("first entries = %+v; want Anna's id, IP and time, and no id for Kapu", got[:2])
		}
		w, _ := history.Of(d.R, Entity, reqs[1].ID)
		if len(w) != 1 || w[0].From != StatusPending || w[0].To != StatusWithdrawn {
			t.Errorf("withdrawn request's history = %+v; want pending → withdrawn", w)
		}
		var kept int64
		d.R.Model(&legacyEvent{}).Count(&kept)
		if kept != int64(len(events)) {
			t.Errorf("approval_events keeps %d rows; want all %d", kept, len(events))
		}
	})
}

// A new database has no approval_events to copy and does not get the table.
func TestMigrationOnNewDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background(), Models(), Migrations()); err != nil {
			t.Fatalf("Migrate = %v", err)
		}
		if d.W.Migrator().HasTable("approval_events") {
			t.Error("a new database got approval_events; want only history_entries")
		}
	})
}
