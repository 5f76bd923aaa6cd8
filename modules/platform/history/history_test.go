package history_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
)

// ticket is a record with a state, as the next services have them.
type ticket struct {
	ID        uint   `gorm:"primaryKey"`
	Status    string `gorm:"size:16;not null"`
	Assignee  string `gorm:"size:60"`
	Version   int    `gorm:"not null"`
	UpdatedAt time.Time
}

var anna = actor.Actor{ID: 7, Name: "Anna", Channel: actor.ChannelApp, IP: "10.0.0.7"}

// setup migrates a fresh database with one open ticket.
func setup(t *testing.T, d *db.DB) *ticket {
	t.Helper()
	if err := d.Migrate(context.Background(), append([]any{&ticket{}}, append(history.Models(), audit.Models()...)...), nil); err != nil {
		t.Fatal(err)
	}
	tk := &ticket{Status: "open", Version: 1, UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := d.W.Create(tk).Error; err != nil {
		t.Fatal(err)
	}
	return tk
}

func closeTicket(id uint) history.Transition {
	return history.Transition{Entity: "ticket", Model: &ticket{}, ID: id, From: []string{"open", "assigned"}, To: "closed",
		Set: map[string]any{"assignee": "nobody"}, Audit: "ticket.close", Action: "closed", Comment: "done"}
}

// counts returns the ticket's status and how many audit rows and entries exist.
func counts(t *testing.T, d *db.DB, id uint) (status string, audits, entries int64) {
	t.Helper()
	var tk ticket
	if err := d.R.First(&tk, id).Error; err != nil {
		t.Fatal(err)
	}
	d.R.Model(&audit.Entry{}).Where("entity = ?", "ticket").Count(&audits)
	d.R.Model(&history.Entry{}).Where("entity = ?", "ticket").Count(&entries)
	return tk.Status, audits, entries
}

// A move succeeds once from a state it may start from, sets the other
// columns in the same update, and records who, when, from and to; from a
// wrong state it is a conflict and writes nothing.
func TestMoveGuardsTheState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tk := setup(t, d)
		at := time.Date(2026, 3, 29, 1, 30, 0, 0, time.FixedZone("CET", 3600))
		tr := closeTicket(tk.ID)
		tr.At = at
		if err := d.Tx(ctx, func(tx *gorm.DB) error { return history.Move(tx, anna, tr) }); err != nil {
			t.Fatalf("Move(open → closed) = %v; want nil", err)
		}
		err := d.Tx(ctx, func(tx *gorm.DB) error { return history.Move(tx, anna, closeTicket(tk.ID)) })
		if !errors.Is(err, history.ErrStateChanged) || !errors.Is(err, errs.Conflict) {
			t.Errorf("Move(closed → closed) = %v; want ErrStateChanged, a conflict", err)
		}
		if status, audits, entries := counts(t, d, tk.ID); status != "closed" || audits != 1 || entries != 1 {
			t.Errorf("after one move and one refused: status %q, %d audit rows, %d entries; want closed, 1, 1", status, audits, entries)
		}
		var got ticket
		d.R.First(&got, tk.ID)
		if got.Assignee != "nobody" || !got.UpdatedAt.After(tk.UpdatedAt) {
			t.Errorf("assignee = %q, updated %v; want the Set column written with the move, and UpdatedAt kept", got.Assignee, got.UpdatedAt)
		}
		var a audit.Entry
		d.R.Where("entity = ?", "ticket").First(&a)
		if a.Action != "ticket.close" || a.EntityID != fmt.Sprint(tk.ID) || a.Before != `{"status":"open"}` || a.After != `{"status":"closed"}` || a.ActorName != "Anna" {
			t.Errorf("audit row = %+v; want ticket.close by Anna, open → closed", a)
		}
		es, err := history.Of(d.R, "ticket", tk.ID)
		if err != nil || len(es) != 1 {
			t.Fatalf("Of = %v, %v; want one entry", es, err)
		}
		e := es[0]
		if e.Action != "closed" || e.From != "open" || e.To != "closed" || e.Comment != "done" || e.ActorName != "Anna" ||
			e.ActorID == nil || *e.ActorID != 7 || e.IP != "10.0.0.7" || e.Channel != actor.ChannelApp || !e.At.Equal(at) || !e.Moved() {
			t.Errorf("entry = %+v; want Anna's move open → closed at %v", e, at)
		}
	})
}

// A guard beyond the state (a version, a marker) refuses like a wrong state.
func TestMoveGuard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tk := setup(t, d)
		tr := history.Transition{Entity: "ticket", Model: &ticket{}, ID: tk.ID, From: []string{"open"}, To: "open",
			Guard: []any{"version = ?", 2}, Set: map[string]any{"version": 3}, Audit: "ticket.bump", Action: "bumped"}
		err := d.Tx(context.Background(), func(tx *gorm.DB) error { return history.Move(tx, anna, tr) })
		if !errors.Is(err, history.ErrStateChanged) {
			t.Errorf("Move(version 2 of version 1) = %v; want ErrStateChanged", err)
		}
		tr.Guard = []any{"version = ?", 1}
		if err := d.Tx(context.Background(), func(tx *gorm.DB) error { return history.Move(tx, anna, tr) }); err != nil {
			t.Errorf("Move(version 1) = %v; want nil", err)
		}
		if es, _ := history.Of(d.R, "ticket", tk.ID); len(es) != 1 || es[0].Moved() {
			t.Errorf("entries = %+v; want one that did not change the state", es)
		}
	})
}

// N people close one ticket at once: exactly one wins, with one audit row
// and one entry; the others get the conflict.
func TestMoveConcurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tk := setup(t, d)
		const n = 12
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				who := actor.Actor{ID: uint(100 + i), Name: fmt.Sprint("racer ", i)}
				tr := closeTicket(tk.ID)
				if i%2 == 0 {
					tr.From = []string{"open"} // the single-state path too
				}
				results <- d.Tx(context.Background(), func(tx *gorm.DB) error { return history.Move(tx, who, tr) })
			}()
		}
		close(start)
		wg.Wait()
		close(results)
		won := 0
		for err := range results {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, history.ErrStateChanged):
				t.Errorf("a losing move got %v; want ErrStateChanged", err)
			}
		}
		if status, audits, entries := counts(t, d, tk.ID); won != 1 || status != "closed" || audits != 1 || entries != 1 {
			t.Errorf("%d moves won; status %q, %d audit rows, %d entries; want 1 winner, closed, 1, 1", won, status, audits, entries)
		}
	})
}

// When the caller's transaction fails after the move, the state, the audit
// row and the entry are all gone with it.
func TestMoveRollsBackWithTheCaller(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tk := setup(t, d)
		later := errors.New("the caller's next step failed")
		err := d.Tx(context.Background(), func(tx *gorm.DB) error {
			if err := history.Move(tx, anna, closeTicket(tk.ID)); err != nil {
				return err
			}
			return later
		})
		if !errors.Is(err, later) {
			t.Fatalf("Tx = %v; want the caller's error", err)
		}
		if status, audits, entries := counts(t, d, tk.ID); status != "open" || audits != 0 || entries != 0 {
			t.Errorf("after rollback: status %q, %d audit rows, %d entries; want open, 0, 0", status, audits, entries)
		}
	})
}

// Of returns one record's moves and notes in the order they happened,
// whatever order they were written in, and not another record's.
func TestOfInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tk := setup(t, d)
		other := &ticket{Status: "open", Version: 1}
		d.W.Create(other)
		t0 := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
		sys := actor.System()
		err := d.Tx(ctx, func(tx *gorm.DB) error {
			steps := []error{
				history.Note(tx, sys, history.Entry{Entity: "ticket", EntityID: tk.ID, Action: "reminded", At: t0.Add(2 * time.Hour)}),
				history.Note(tx, anna, history.Entry{Entity: "ticket", EntityID: tk.ID, Action: "submitted", At: t0}),
				history.Note(tx, sys, history.Entry{Entity: "ticket", EntityID: tk.ID, Action: "routed", Other: "Béla", Step: 1, At: t0}),
				history.Note(tx, anna, history.Entry{Entity: "ticket", EntityID: other.ID, Action: "submitted", At: t0}),
			}
			tr := closeTicket(tk.ID)
			tr.At = t0.Add(3 * time.Hour)
			return errors.Join(append(steps, history.Move(tx, anna, tr))...)
		})
		if err != nil {
			t.Fatal(err)
		}
		es, err := history.Of(d.R, "ticket", tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, e.Action)
		}
		if want := "[submitted routed reminded closed]"; fmt.Sprint(got) != want {
			t.Errorf("Of = %v; want %s", got, want)
		}
		if es[1].Other != "Béla" || es[1].Step != 1 || es[1].ActorID != nil || es[1].Channel != actor.ChannelSystem || es[1].Moved() {
			t.Errorf("routed note = %+v; want the system naming Béla on step 1", es[1])
		}
	})
}

// The prepared audit statement of a hot path writes the same audit row.
func TestMoveWithPreparedAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tk := setup(t, d)
		st, err := audit.Prepare(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		tr := closeTicket(tk.ID)
		tr.AuditStmt = st
		if err := d.Tx(ctx, func(tx *gorm.DB) error { return history.Move(tx, anna, tr) }); err != nil {
			t.Fatal(err)
		}
		var a audit.Entry
		if err := d.R.Where("entity = ? AND action = ?", "ticket", "ticket.close").First(&a).Error; err != nil || a.After != `{"status":"closed"}` {
			t.Errorf("prepared audit row = %+v, %v; want ticket.close to closed", a, err)
		}
	})
}

// A note without an action or a record is refused, not written half.
func TestNoteNeedsItsRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		setup(t, d)
		if err := history.Note(d.W, anna, history.Entry{Entity: "ticket", Action: "reminded"}); err == nil {
			t.Error("Note without an id = nil; want an error")
		}
		if err := history.Move(d.W, anna, history.Transition{Entity: "ticket", Model: &ticket{}, ID: 1, To: "closed", Audit: "x", Action: "x"}); err == nil {
			t.Error("Move without From = nil; want an error")
		}
	})
}
