package notify

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify/smtptest"
)

// testConfig points the outbox at the sink; a nil sink means no SMTP server.
func testConfig(s *smtptest.Sink) *config.Config {
	tz, _ := time.LoadLocation("Europe/Budapest")
	cfg := &config.Config{
		BaseURL:  "https://kapu.example.org",
		TZ:       tz,
		Lang:     "en",
		SMTPTLS:  "none",
		SMTPPort: 587,
		MailFrom: "kapu@example.org",
	}
	if s != nil {
		cfg.SMTPHost = "127.0.0.1"
		cfg.SMTPPort = s.Port()
	}
	return cfg
}

// newTestOutbox migrates the outbox (and the audit log it writes to) on d.
func newTestOutbox(t testing.TB, d *db.DB, cfg *config.Config) *Outbox {
	t.Helper()
	if err := d.Migrate(context.Background(), append(Models(), audit.Models()...), nil); err != nil {
		t.Fatal(err)
	}
	return newOutboxOn(t, d, cfg)
}

// newOutboxOn builds an outbox on an already migrated database.
func newOutboxOn(t testing.TB, d *db.DB, cfg *config.Config) *Outbox {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	o, err := New(d, cat, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// notice is a typical message: a generic notice with a link back to Kapu.
func notice(key, to string) Message {
	return Message{
		Key: key, To: to, ToName: "Anna Kovács", Template: "generic", Reason: "email.reason.test",
		Data: Generic{
			Title:       "Leave request approved",
			Lines:       []string{"From 2 March to 6 March", "Approved by Béla Nagy"},
			ActionURL:   "/leave/requests/12",
			ActionLabel: "Open the request",
		},
	}
}

// enqueue commits messages in one transaction.
func enqueue(t testing.TB, o *Outbox, msgs ...Message) {
	t.Helper()
	err := o.db.Tx(context.Background(), func(tx *gorm.DB) error {
		for _, m := range msgs {
			if err := o.Enqueue(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func allMail(t testing.TB, d *db.DB) []Mail {
	t.Helper()
	var out []Mail
	if err := d.R.Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func mailTo(t testing.TB, d *db.DB, to string) Mail {
	t.Helper()
	var m Mail
	if err := d.R.Where("to_addr = ?", to).First(&m).Error; err != nil {
		t.Fatalf("outbox row for %s: %v", to, err)
	}
	return m
}

// A message exists exactly when the change's transaction commits, once per key and recipient.
func TestEnqueueFollowsTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		o := newTestOutbox(t, d, testConfig(nil))
		ctx := context.Background()
		boom := errors.New("the change failed")
		err := d.Tx(ctx, func(tx *gorm.DB) error {
			if err := o.Enqueue(tx, notice("leave/12/approved", "anna@example.org")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx error = %v", err)
		}
		if n := len(allMail(t, d)); n != 0 {
			t.Fatalf("after rollback the outbox holds %d messages; want 0", n)
		}

		enqueue(t, o, notice("leave/12/approved", "anna@example.org"))
		if n := len(allMail(t, d)); n != 1 {
			t.Fatalf("after commit the outbox holds %d messages; want 1", n)
		}
		// The same logical message again, even with the address in other case: a no-op.
		enqueue(t, o, notice("leave/12/approved", "Anna@Example.org"))
		enqueue(t, o, notice("leave/12/approved", "anna@example.org"))
		if n := len(allMail(t, d)); n != 1 {
			t.Fatalf("after repeating the message the outbox holds %d; want 1", n)
		}
		// The same key to another recipient is another message.
		enqueue(t, o, notice("leave/12/approved", "bela@example.org"))
		rows := allMail(t, d)
		if len(rows) != 2 {
			t.Fatalf("outbox holds %d messages; want 2", len(rows))
		}
		m := rows[0]
		if m.Status != StatusQueued || m.Attempts != 0 || m.Key != "leave/12/approved|anna@example.org" {
			t.Errorf("row = %+v", m)
		}
		if m.Subject != "Leave request approved" {
			t.Errorf("subject = %q", m.Subject)
		}
		for _, want := range []string{"Dear Anna Kovács,", "From 2 March to 6 March", "Open the request: https://kapu.example.org/leave/requests/12", "test message to this address", "\n-- \n"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text body lacks %q:\n%s", want, m.Text)
			}
		}
		for _, want := range []string{`href="https://kapu.example.org/leave/requests/12"`, "#0b4f8a", "max-width:600px", "Kapu", "Approved by Béla Nagy"} {
			if !strings.Contains(m.HTML, want) {
				t.Errorf("html body lacks %q", want)
			}
		}
		if strings.Contains(m.HTML, "<style") {
			t.Error("html body uses a <style> block; mail clients drop it")
		}
	})
}

// The message is written in the recipient's language; bad input is refused before anything is stored.
func TestEnqueueLanguageAndValidation(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	o := newTestOutbox(t, d, testConfig(nil))
	m := notice("k/1", "anna@example.org")
	m.Lang = "hu"
	enqueue(t, o, m)
	row := allMail(t, d)[0]
	if row.Lang != "hu" || !strings.Contains(row.Text, "Kedves Anna Kovács!") || !strings.Contains(row.HTML, "Polgármesteri Hivatal") {
		t.Errorf("Hungarian message not in Hungarian: lang %q\n%s", row.Lang, row.Text)
	}

	m = notice("k/2", "bela@example.org")
	m.Data = map[string]any{"Title": "Map data & <b>markup</b>", "Lines": []string{"<script>alert(1)</script>"}}
	enqueue(t, o, m)
	row = mailTo(t, d, "bela@example.org")
	if row.Lang != "en" {
		t.Errorf("lang = %q; want the default en", row.Lang)
	}
	if strings.Contains(row.HTML, "<script>") || !strings.Contains(row.HTML, "&lt;script&gt;") {
		t.Error("template data is not escaped in the HTML body")
	}
	if row.Subject != "Map data & <b>markup</b>" {
		t.Errorf("subject = %q; a subject is plain text", row.Subject)
	}
	if strings.Contains(row.Text, "<no value>") || strings.Contains(row.Text+row.HTML, "Open in Kapu") {
		t.Errorf("missing optional data shows up:\n%s", row.Text)
	}

	err := o.db.Tx(context.Background(), func(tx *gorm.DB) error {
		for _, bad := range []Message{
			{Key: "x", To: "not an address", Template: "generic", Data: Generic{Title: "t"}},
			{Key: "x", To: "Anna <anna@example.org>", Template: "generic", Data: Generic{Title: "t"}},
			{Key: "", To: "anna@example.org", Template: "generic", Data: Generic{Title: "t"}},
			{Key: "x", To: "anna@example.org", Template: "nope"},
		} {
			if err := o.Enqueue(tx, bad); err == nil {
				t.Errorf("Enqueue(%+v) succeeded; want an error", bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(allMail(t, d)); n != 2 {
		t.Errorf("outbox holds %d; want 2", n)
	}
}

// parsedMail is a received message taken apart the way a mail client would.
type parsedMail struct {
	Header netmail.Header
	Bodies map[string]string // content type → decoded body
	Files  map[string][]byte // attachment name → content
}

func parseMail(t testing.TB, raw []byte) parsedMail {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	p := parsedMail{Header: m.Header, Bodies: map[string]string{}, Files: map[string][]byte{}}
	walkPart(t, &p, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Header.Get("Content-Disposition"), m.Body)
	return p
}

func walkPart(t testing.TB, p *parsedMail, ctype, cte, disp string, body io.Reader) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		t.Fatalf("content type %q: %v", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextPart() // decodes quoted-printable by itself
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("multipart: %v", err)
			}
			walkPart(t, p, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part)
		}
	}
	if strings.EqualFold(cte, "base64") {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	if d, dp, err := mime.ParseMediaType(disp); err == nil && d == "attachment" {
		p.Files[dp["filename"]] = b
		return
	}
	p.Bodies[mt] = string(b)
}

func decodeHeader(t testing.TB, s string) string {
	t.Helper()
	out, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		t.Fatalf("decode header %q: %v", s, err)
	}
	return out
}

// Deliver sends every queued message once, with both bodies, attachments and a stable Message-ID.
func TestDeliverSendsQueuedMail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		invite := notice("meeting/4/invite", "cecil@example.org")
		invite.Attachments = []Attachment{{Name: "invite.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}}
		enqueue(t, o, notice("leave/12/approved", "anna@example.org"), notice("leave/12/approved", "bela@example.org"), invite)

		sent, err := o.Deliver(context.Background())
		if err != nil || sent != 3 {
			t.Fatalf("Deliver = %d, %v; want 3, nil", sent, err)
		}
		got := s.Messages()
		if len(got) != 3 {
			t.Fatalf("server received %d messages; want 3", len(got))
		}
		for i, to := range []string{"anna@example.org", "bela@example.org", "cecil@example.org"} {
			r := got[i]
			if r.To() != to || r.From != "kapu@example.org" {
				t.Errorf("message %d went from %q to %q; want kapu@example.org to %s", i, r.From, r.To(), to)
			}
			p := parseMail(t, r.Data)
			if subj := decodeHeader(t, p.Header.Get("Subject")); subj != "Leave request approved" {
				t.Errorf("subject = %q", subj)
			}
			if from := decodeHeader(t, p.Header.Get("From")); !strings.Contains(from, "Kapu") {
				t.Errorf("From = %q; want the name Kapu", from)
			}
			if to := decodeHeader(t, p.Header.Get("To")); !strings.Contains(to, "Anna Kovács") {
				t.Errorf("To = %q; want the recipient's name", to)
			}
			text, html := p.Bodies["text/plain"], p.Bodies["text/html"]
			if !strings.Contains(text, "https://kapu.example.org/leave/requests/12") || !strings.Contains(text, "Approved by Béla Nagy") {
				t.Errorf("text part lacks the link or the facts:\n%s", text)
			}
			if !strings.Contains(html, `href="https://kapu.example.org/leave/requests/12"`) {
				t.Errorf("html part lacks the link:\n%s", html)
			}
			row := mailTo(t, d, to)
			want := fmt.Sprintf("<outbox-%d-", row.ID)
			if id := p.Header.Get("Message-ID"); !strings.HasPrefix(id, want) || !strings.HasSuffix(id, "@kapu.example.org>") {
				t.Errorf("Message-ID = %q; want %s…@kapu.example.org>", id, want)
			}
			if row.Status != StatusSent || row.SentAt == nil || row.Attempts != 1 || row.ClaimToken != "" {
				t.Errorf("row after delivery = status %s, sent %v, attempts %d", row.Status, row.SentAt, row.Attempts)
			}
		}
		p := parseMail(t, got[2].Data)
		if string(p.Files["invite.ics"]) != "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" {
			t.Errorf("attachment = %q", p.Files["invite.ics"])
		}

		// Nothing is due any more: a second run sends nothing.
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 0 {
			t.Errorf("second Deliver = %d, %v; want 0, nil", sent, err)
		}
		if n := len(s.Messages()); n != 3 {
			t.Errorf("server received %d messages in all; want 3", n)
		}
	})
}

// With the server down nothing is lost: rows wait with a backoff and go out exactly once later.
func TestDeliverSurvivesServerDown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		start := time.Now()
		o.now = func() time.Time { return start }
		enqueue(t, o, notice("a", "anna@example.org"), notice("a", "bela@example.org"))
		s.Down()

		sent, err := o.Deliver(context.Background())
		if err == nil || sent != 0 {
			t.Fatalf("Deliver with the server down = %d, %v; want 0 and an error", sent, err)
		}
		for _, m := range allMail(t, d) {
			if m.Status != StatusQueued || m.Attempts != 1 || !m.NextAttemptAt.After(start) || m.LastError == "" {
				t.Errorf("row %d = status %s, attempts %d, next %v, error %q; want queued, 1, later, an error",
					m.ID, m.Status, m.Attempts, m.NextAttemptAt, m.LastError)
			}
		}
		// Before the backoff ends nothing is due, so nothing even tries the server.
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 0 {
			t.Fatalf("Deliver during the backoff = %d, %v; want 0, nil", sent, err)
		}

		s.Up()
		o.now = func() time.Time { return start.Add(time.Hour) }
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 2 {
			t.Fatalf("Deliver after the server came back = %d, %v; want 2, nil", sent, err)
		}
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 0 {
			t.Fatalf("another Deliver = %d, %v; want 0, nil", sent, err)
		}
		ids := s.PerMessageID()
		if len(ids) != 2 {
			t.Errorf("server received %d distinct messages; want 2", len(ids))
		}
		for id, n := range ids {
			if n != 1 {
				t.Errorf("%s received %d times", id, n)
			}
		}
		for _, m := range allMail(t, d) {
			if m.Status != StatusSent || m.Attempts != 2 {
				t.Errorf("row %d = %s after %d attempts; want sent after 2", m.ID, m.Status, m.Attempts)
			}
		}
	})
}

// A permanent refusal fails only that message; a temporary one waits; the rest of the batch goes out.
func TestDeliverPerMessageOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		s.RejectRcpt("nobody@example.org")
		s.RejectData("blocked@example.org")
		s.TempFailRcpt("busy@example.org")
		o := newTestOutbox(t, d, testConfig(s))
		enqueue(t, o,
			notice("n", "anna@example.org"),
			notice("n", "nobody@example.org"),
			notice("n", "busy@example.org"),
			notice("n", "blocked@example.org"),
			notice("n", "bela@example.org"))

		sent, err := o.Deliver(context.Background())
		if err != nil || sent != 2 {
			t.Fatalf("Deliver = %d, %v; want 2, nil", sent, err)
		}
		var tos []string
		for _, r := range s.Messages() {
			tos = append(tos, r.To())
		}
		if strings.Join(tos, " ") != "anna@example.org bela@example.org" {
			t.Errorf("server received mail for %v", tos)
		}
		if m := mailTo(t, d, "nobody@example.org"); m.Status != StatusFailed || !strings.Contains(m.LastError, "550") || !strings.Contains(m.LastError, "No such mailbox here") {
			t.Errorf("refused recipient: status %s, error %q; want failed with the server's 550 text", m.Status, m.LastError)
		}
		if m := mailTo(t, d, "blocked@example.org"); m.Status != StatusFailed || !strings.Contains(m.LastError, "Message refused by policy") {
			t.Errorf("refused data: status %s, error %q; want failed with the server's text", m.Status, m.LastError)
		}
		if m := mailTo(t, d, "busy@example.org"); m.Status != StatusQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "451") {
			t.Errorf("temporary refusal: status %s, attempts %d, error %q; want queued for later", m.Status, m.Attempts, m.LastError)
		}
	})
}

// A row whose claim is older than the lease (its worker died) is taken again
// and sent, not failed; a fresh claim of another worker is left alone.
func TestLeaseRetakesInterruptedDelivery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		enqueue(t, o, notice("s", "stuck@example.org"), notice("s", "busy@example.org"))
		now := time.Now().UTC()
		claim := func(to string, at time.Time) {
			err := d.W.Model(&Mail{}).Where("to_addr = ?", to).Updates(map[string]any{
				"status": StatusSending, "claim_token": "crashed", "claimed_at": at,
				"attempts": 1, "first_attempt_at": at, "next_attempt_at": at.Add(lease),
			}).Error
			if err != nil {
				t.Fatal(err)
			}
		}
		claim("stuck@example.org", now.Add(-lease-time.Minute))
		claim("busy@example.org", now.Add(-time.Minute)) // another worker, still at it

		if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
			t.Fatalf("Deliver = %d, %v; want 1, nil", sent, err)
		}
		got := s.Messages()
		if len(got) != 1 || got[0].To() != "stuck@example.org" {
			t.Fatalf("server received %d messages; want the interrupted one only", len(got))
		}
		if m := mailTo(t, d, "stuck@example.org"); m.Status != StatusSent || m.Attempts != 2 {
			t.Errorf("interrupted row: %s after %d attempts; want sent after 2", m.Status, m.Attempts)
		}
		if m := mailTo(t, d, "busy@example.org"); m.Status != StatusSending || m.ClaimToken != "crashed" {
			t.Errorf("a fresh claim was touched: %s, token %q", m.Status, m.ClaimToken)
		}
	})
}

// The wait doubles from 30 s up to an hour, and Kapu gives up only once 48
// hours have passed since the first attempt.
func TestRetrySchedule(t *testing.T) {
	for _, c := range []struct {
		attempts int
		want     time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {30, time.Hour}, {60, time.Hour}} {
		if got := backoff(c.attempts); got != c.want {
			t.Errorf("backoff(%d) = %v; want %v", c.attempts, got, c.want)
		}
	}
	first := time.Date(2025, 3, 7, 17, 0, 0, 0, time.UTC) // a Friday evening
	for _, c := range []struct {
		elapsed  time.Duration
		attempts int
		wait     time.Duration
		ok       bool
	}{
		{0, 1, 30 * time.Second, true},
		{64 * time.Minute, 8, time.Hour, true},
		{24 * time.Hour, 30, time.Hour, true},
		{48*time.Hour - time.Second, 54, time.Hour, true},
		{48 * time.Hour, 55, 0, false},
		{72 * time.Hour, 80, 0, false},
	} {
		now := first.Add(c.elapsed)
		next, ok := retryAt(first, now, c.attempts)
		if ok != c.ok || (ok && next.Sub(now) != c.wait) {
			t.Errorf("retryAt(+%v, attempt %d) = +%v, %v; want +%v, %v", c.elapsed, c.attempts, next.Sub(now), ok, c.wait, c.ok)
		}
	}
	// The whole schedule of a message the server never takes.
	now, attempts := first, 1
	for {
		next, ok := retryAt(first, now, attempts)
		if !ok {
			break
		}
		now = next
		attempts++
	}
	if got, want := now.Sub(first), 48*time.Hour+3*time.Minute+30*time.Second; got != want || attempts != 55 {
		t.Errorf("gave up at attempt %d, +%v after the first; want attempt 55, +%v", attempts, got, want)
	}
}

// A mail server down from Friday evening to Sunday afternoon: the messages
// wait and go out once it is back; down for good, they fail after 48 hours.
func TestDeliverOutlastsWeekendOutage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := smtptest.New(t)
		o := newTestOutbox(t, d, testConfig(s))
		start := time.Date(2025, 3, 7, 17, 0, 0, 0, time.UTC)
		clock := start
		o.now = func() time.Time { return clock }
		enqueue(t, o, notice("w", "anna@example.org"))
		s.Down()
		// Every retry until Sunday afternoon fails, and none gives up.
		for clock.Sub(start) < 47*time.Hour {
			if sent, err := o.Deliver(context.Background()); err == nil || sent != 0 {
				t.Fatalf("Deliver with the server down at +%v = %d, %v; want 0 and an error", clock.Sub(start), sent, err)
			}
			m := mailTo(t, d, "anna@example.org")
			if m.Status != StatusQueued {
				t.Fatalf("after %v down the message is %s (%q); want queued", clock.Sub(start), m.Status, m.LastError)
			}
			if wait := m.NextAttemptAt.Sub(clock); wait <= 0 || wait > time.Hour {
				t.Fatalf("after %v down the next attempt is in %v; want at most an hour", clock.Sub(start), wait)
			}
			clock = m.NextAttemptAt
		}
		s.Up()
		if sent, err := o.Deliver(context.Background()); err != nil || sent != 1 {
			t.Fatalf("Deliver when the server is back = %d, %v; want 1, nil", sent, err)
		}
		if n := len(s.Messages()); n != 1 {
			t.Errorf("server received %d messages; want 1", n)
		}

		s.Down()
		start = clock
		enqueue(t, o, notice("w", "bela@example.org"))
		m := mailTo(t, d, "bela@example.org")
		for i := 0; i < 100 && m.Status == StatusQueued; i++ {
			clock = m.NextAttemptAt
			o.Deliver(context.Background())
			m = mailTo(t, d, "bela@example.org")
		}
		if m.Status != StatusFailed || clock.Sub(start) < 48*time.Hour || !strings.Contains(m.LastError, "48 hours") {
			t.Errorf("down for good: %s after +%v (%q); want failed after 48 hours", m.Status, clock.Sub(start), m.LastError)
		}
	})
}

// Without an SMTP server mail stays queued and SendTest says why.
func TestNoServerKeepsMail(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	o := newTestOutbox(t, d, testConfig(nil))
	enqueue(t, o, notice("x", "anna@example.org"))
	if sent, err := o.Deliver(context.Background()); err != nil || sent != 0 {
		t.Fatalf("Deliver = %d, %v; want 0, nil", sent, err)
	}
	if m := allMail(t, d)[0]; m.Status != StatusQueued || m.Attempts != 0 {
		t.Errorf("row = %s after %d attempts; want untouched", m.Status, m.Attempts)
	}
	if err := o.SendTest(context.Background(), "anna@example.org"); !errors.Is(err, ErrNoServer) {
		t.Errorf("SendTest = %v; want ErrNoServer", err)
	}
}

// `kapu mail test` reaches the server at once, logging in when a user is set.
func TestSendTest(t *testing.T) {
	s := smtptest.New(t)
	s.RequireAuth("kapu", "secret")
	cfg := testConfig(s)
	cfg.SMTPUser, cfg.SMTPPassword = "kapu", "secret"
	o := newTestOutbox(t, dbtest.Open(t, db.SQLite), cfg)
	if err := o.SendTest(context.Background(), "admin@example.org"); err != nil {
		t.Fatalf("SendTest: %v", err)
	}
	got := s.Messages()
	if len(got) != 1 || got[0].To() != "admin@example.org" {
		t.Fatalf("server received %d messages", len(got))
	}
	p := parseMail(t, got[0].Data)
	if subj := decodeHeader(t, p.Header.Get("Subject")); subj != "Kapu test message" {
		t.Errorf("subject = %q", subj)
	}
	if !strings.Contains(p.Bodies["text/plain"], "127.0.0.1:") || !strings.Contains(p.Bodies["text/html"], "Sending mail works") {
		t.Errorf("test message body:\n%s", p.Bodies["text/plain"])
	}

	cfg.SMTPPassword = "wrong"
	if err := o.SendTest(context.Background(), "admin@example.org"); err == nil {
		t.Error("SendTest with a wrong password succeeded")
	}
}

// Two workers at once (two replicas on one database) send every message exactly once.
func TestConcurrentDeliverSendsOnce(t *testing.T) {
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbtest.DSN(t, dialect)
			open := func() *db.DB {
				d, err := db.Open(dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				return d
			}
			d1, d2 := open(), open()
			s := smtptest.New(t)
			cfg := testConfig(s)
			o1 := newTestOutbox(t, d1, cfg)
			o2 := newOutboxOn(t, d2, cfg)
			const n = 200
			msgs := make([]Message, n)
			for i := range msgs {
				msgs[i] = notice(fmt.Sprintf("bulk/%d", i), fmt.Sprintf("p%03d@example.org", i))
			}
			enqueue(t, o1, msgs...)

			var wg sync.WaitGroup
			var sent [2]int
			var errs [2]error
			for i, o := range []*Outbox{o1, o2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sent[i], errs[i] = o.Deliver(context.Background())
				}()
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("Deliver errors: %v, %v", errs[0], errs[1])
			}
			if sent[0]+sent[1] != n {
				t.Errorf("workers sent %d + %d; want %d in all", sent[0], sent[1], n)
			}
			ids := s.PerMessageID()
			if len(ids) != n {
				t.Errorf("server received %d distinct messages; want %d", len(ids), n)
			}
			for id, c := range ids {
				if c != 1 {
					t.Errorf("%s received %d times", id, c)
				}
			}
			var left int64
			d1.R.Model(&Mail{}).Where("status <> ?", StatusSent).Count(&left)
			if left != 0 {
				t.Errorf("%d rows are not sent", left)
			}
		})
	}
}

// Retry and cancel follow the status rules and are audited.
func TestRetryAndCancel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		o := newTestOutbox(t, d, testConfig(nil))
		ctx := context.Background()
		enqueue(t, o, notice("r", "anna@example.org"), notice("r", "bela@example.org"))
		a, b := mailTo(t, d, "anna@example.org"), mailTo(t, d, "bela@example.org")
		admin := adminActor()

		if err := o.Retry(ctx, admin, a.ID); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("retry of a queued message = %v; want ErrNotAllowed", err)
		}
		if err := o.Cancel(ctx, admin, a.ID); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if m := mailTo(t, d, "anna@example.org"); m.Status != StatusCancelled {
			t.Errorf("after cancel: %s", m.Status)
		}
		if err := o.Cancel(ctx, admin, a.ID); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("second cancel = %v; want ErrNotAllowed", err)
		}
		d.W.Model(&Mail{}).Where("id = ?", a.ID).Updates(map[string]any{"attempts": 3, "last_error": "boom", "first_attempt_at": time.Now().Add(-72 * time.Hour)})
		if err := o.Retry(ctx, admin, a.ID); err != nil {
			t.Fatalf("retry: %v", err)
		}
		// A retried message gets a fresh 48 hours of attempts.
		if m := mailTo(t, d, "anna@example.org"); m.Status != StatusQueued || m.Attempts != 0 || m.FirstAttemptAt != nil {
			t.Errorf("after retry: %s with %d attempts, first attempt %v; want queued with 0, none", m.Status, m.Attempts, m.FirstAttemptAt)
		}
		d.W.Model(&Mail{}).Where("id = ?", b.ID).Update("status", StatusSent)
		if err := o.Retry(ctx, admin, b.ID); !errors.Is(err, ErrAlreadySent) {
			t.Errorf("retry of a sent message = %v; want ErrAlreadySent", err)
		}
		if err := o.Cancel(ctx, admin, b.ID); !errors.Is(err, ErrAlreadySent) {
			t.Errorf("cancel of a sent message = %v; want ErrAlreadySent", err)
		}
		if err := o.Cancel(ctx, admin, 9999); !db.IsNotFound(err) {
			t.Errorf("cancel of a missing message = %v; want not found", err)
		}
		var actions []string
		d.R.Model(&audit.Entry{}).Where("entity = ? AND entity_id = ?", "mail", fmt.Sprint(a.ID)).Order("id").Pluck("action", &actions)
		if strings.Join(actions, " ") != "notify.mail.cancel notify.mail.retry" {
			t.Errorf("audit log = %v", actions)
		}
	})
}

func TestLinkify(t *testing.T) {
	got := Linkify("See https://kapu.example.org/leave/12. Or (http://x.org/a_(b)) and https://y.org/q?a=1&b=<2>\nhttps://")
	var b strings.Builder
	for _, s := range got {
		if s.URL != "" {
			fmt.Fprintf(&b, "[%s]", s.URL)
		} else {
			b.WriteString(s.Text)
		}
	}
	want := "See [https://kapu.example.org/leave/12]. Or ([http://x.org/a_(b)]) and [https://y.org/q?a=1&b=]<2>\nhttps://"
	if b.String() != want {
		t.Errorf("Linkify:\n got %q\nwant %q", b.String(), want)
	}
}
