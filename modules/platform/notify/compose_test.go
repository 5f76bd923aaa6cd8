package notify

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify/smtptest"
)

// ticket is what the test composer reads at composing time: a row of state
// the change left behind, as a booking is for its confirmation.
type ticket struct {
	mu     sync.Mutex
	title  map[string]string // ref → title; missing means gone
	broken bool
	calls  int
}

func (k *ticket) compose(_ context.Context, ref string) (*Message, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls++
	if k.broken {
		return nil, errors.New("the ticket table is unreadable")
	}
	title, ok := k.title[ref]
	if !ok {
		return nil, nil
	}
	m := notice("ignored", "anna@example.org")
	m.Data = Generic{Title: title, Lines: []string{"Ticket " + ref}, ActionURL: "/tickets/" + ref}
	m.Attachments = []Attachment{{Name: "ticket-" + ref + ".txt", ContentType: "text/plain", Data: []byte(title)}}
	return &m, nil
}

// later queues rows for the "ticket" composer in one transaction, ending it with end.
func later(t *testing.T, o *Outbox, end error, refs ...string) error {
	t.Helper()
	ctx := context.Background()
	st, err := PrepareLater(ctx, o.db)
	if err != nil {
		t.Fatal(err)
	}
	return o.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, ref := range refs {
			if err := o.Later(tx, st, "ticket/"+ref+"/opened", "ticket", ref); err != nil {
				return err
			}
		}
		return end
	})
}

// A row queued with Later exists exactly when its change commits, is written
// by its composer from the state at composing time, and is sent like any other.
func TestLaterIsComposedThenSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		k := &ticket{title: map[string]string{"7": "Printer jammed"}}
		o.Compose("ticket", k.compose)
		ctx := context.Background()

		boom := errors.New("the change failed")
		if err := later(t, o, boom, "7"); !errors.Is(err, boom) {
			t.Fatalf("tx error = %v", err)
		}
		if n := len(allMail(t, d)); n != 0 {
			t.Fatalf("after rollback the outbox holds %d rows; want 0", n)
		}
		if err := later(t, o, nil, "7"); err != nil {
			t.Fatal(err)
		}
		if err := later(t, o, nil, "7"); err != nil { // the same key again: a no-op
			t.Fatal(err)
		}
		rows := allMail(t, d)
		if len(rows) != 1 || rows[0].To != "" || rows[0].Subject != "" || rows[0].Status != StatusQueued {
			t.Fatalf("queued rows = %+v; want one unwritten queued row", rows)
		}
		if k.calls != 0 {
			t.Fatalf("the composer ran %d times inside the change; want 0", k.calls)
		}

		// The state changed after the change committed: the mail tells the new one.
		k.title["7"] = "Printer jammed again"
		if n, err := o.ComposeDue(ctx); err != nil || n != 1 {
			t.Fatalf("ComposeDue = %d, %v; want 1, nil", n, err)
		}
		if n, err := o.ComposeDue(ctx); err != nil || n != 0 || k.calls != 1 {
			t.Fatalf("second ComposeDue = %d, %v after %d composer calls; want 0, nil after 1", n, err, k.calls)
		}
		m := mailTo(t, d, "anna@example.org")
		if m.Subject != "Printer jammed again" || !strings.Contains(m.Text, "https://kapu.example.org/tickets/7") || m.Key != "ticket/7/opened|" {
			t.Errorf("composed row = subject %q, key %q\n%s", m.Subject, m.Key, m.Text)
		}
		if sent, err := o.Deliver(ctx); err != nil || sent != 1 {
			t.Fatalf("Deliver = %d, %v; want 1, nil", sent, err)
		}
		p := parseMail(t, s.Messages()[0].Data)
		if !strings.Contains(p.Bodies["text/plain"], "Ticket 7") || string(p.Files["ticket-7.txt"]) != "Printer jammed again" {
			t.Errorf("sent mail lacks the composed text or file: %q, %q", p.Bodies["text/plain"], p.Files["ticket-7.txt"])
		}
	})
}

// An unwritten row is never sent; a failing composer fails its row (a retry
// composes it again), one with nothing to say cancels it, and the outbox page
// composes before it shows anything.
func TestComposeOutcomes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		k := &ticket{title: map[string]string{"1": "Heating off", "2": "Door stuck"}, broken: true}
		o.Compose("ticket", k.compose)
		ctx := context.Background()
		if err := o.db.Tx(ctx, func(tx *gorm.DB) error { return o.Later(tx, nil, "x/1", "nobody", "1") }); err == nil {
			t.Error("Later accepted a composer nobody registered")
		}
		// Without a prepared statement (nil) Later still queues.
		err := o.db.Tx(ctx, func(tx *gorm.DB) error {
			for _, ref := range []string{"1", "2"} {
				if err := o.Later(tx, nil, "ticket/"+ref+"/opened", "ticket", ref); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(allMail(t, d)) != 2 {
			t.Fatalf("Later without a statement = %v, %d rows; want 2 rows", err, len(allMail(t, d)))
		}
		if sent, err := o.Deliver(ctx); err != nil || sent != 0 || len(s.Messages()) != 0 {
			t.Fatalf("Deliver before composing = %d, %v; want nothing sent", sent, err)
		}

		if n, err := o.ComposeDue(ctx); err != nil || n != 2 {
			t.Fatalf("ComposeDue = %d, %v; want 2, nil", n, err)
		}
		for _, m := range allMail(t, d) {
			if m.Status != StatusFailed || !strings.Contains(m.LastError, "unreadable") || m.To != "" {
				t.Errorf("row %s after a failing composer = %s %q to %q; want failed with the error", m.Key, m.Status, m.LastError, m.To)
			}
		}

		k.mu.Lock()
		k.broken = false
		delete(k.title, "2") // the ticket went away before its mail was written
		k.mu.Unlock()
		for _, m := range allMail(t, d) {
			if err := o.Retry(ctx, adminActor(), m.ID); err != nil {
				t.Fatal(err)
			}
		}
		res, body := newBrowser(t, d, o, actor.Admin).Get("/admin/outbox")
		if res.StatusCode != 200 || !strings.Contains(body, "Heating off") || !strings.Contains(body, ErrNothingToSay) {
			t.Errorf("outbox page (status %d) does not show the composed row and the cancelled one:\n%s", res.StatusCode, body)
		}
		rows := allMail(t, d)
		if rows[0].Status != StatusQueued || rows[0].Subject != "Heating off" || rows[1].Status != StatusCancelled || rows[1].LastError != ErrNothingToSay {
			t.Errorf("rows after the page = %s %q, %s %q", rows[0].Status, rows[0].Subject, rows[1].Status, rows[1].LastError)
		}
		if sent, err := o.Deliver(ctx); err != nil || sent != 1 {
			t.Errorf("Deliver = %d, %v; want the composed row only", sent, err)
		}
	})
}

// After a burst the outbox page writes one batch before it shows and leaves
// the rest to the delivery job, so the page stays quick.
func TestOutboxPageComposesOneBatch(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	o := newTestOutbox(t, d, testConfig(nil))
	k := &ticket{title: map[string]string{}}
	refs := make([]string, composeBatch+5)
	for i := range refs {
		refs[i] = strconv.Itoa(i)
		k.title[refs[i]] = "Ticket " + refs[i]
	}
	o.Compose("ticket", k.compose)
	if err := later(t, o, nil, refs...); err != nil {
		t.Fatal(err)
	}
	unwritten := func() int {
		n := 0
		for _, m := range allMail(t, d) {
			if m.To == "" {
				n++
			}
		}
		return n
	}
	if res, _ := newBrowser(t, d, o, actor.Admin).Get("/admin/outbox"); res.StatusCode != 200 {
		t.Fatalf("outbox page = %d", res.StatusCode)
	}
	if n := unwritten(); n != 5 {
		t.Errorf("after the page %d rows are unwritten; want the 5 beyond one batch", n)
	}
	if n, err := o.ComposeDue(context.Background()); err != nil || n != 5 || unwritten() != 0 {
		t.Errorf("ComposeDue = %d, %v, %d left; want the last 5 written", n, err, unwritten())
	}
}
