package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	mail "github.com/wneessen/go-mail"
	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
)

// Delivery tuning.
const (
	batchSize    = 100
	maxAttempts  = 8
	firstBackoff = 30 * time.Second
	maxBackoff   = time.Hour
	// stuckAfter is how long a claim may last before the sweep gives up on it;
	// far longer than one batch can take.
	stuckAfter = 10 * time.Minute
	// deliverEvery is the period of the scheduled job.
	deliverEvery = 10 * time.Second
)

// ErrInterrupted is the LastError of a row whose delivery a crash cut short.
const ErrInterrupted = "delivery was interrupted; it may or may not have been sent — check before retrying"

// ErrNoServer is returned by SendTest when KAPU_SMTP_HOST is empty.
var ErrNoServer = errors.New("no SMTP server is configured (KAPU_SMTP_HOST); mail stays in the outbox")

// Register adds the delivery job to a scheduler; the lead passes
// (*jobs.Scheduler).Every, so this package does not depend on the scheduler.
func (o *Outbox) Register(every func(name string, interval time.Duration, fn func(ctx context.Context) error) error) error {
	return every("notify.deliver", deliverEvery, func(ctx context.Context) error {
		// Composed even without a server: the outbox page shows them then.
		if _, err := o.ComposeDue(ctx); err != nil {
			return err
		}
		n, err := o.Deliver(ctx)
		if n > 0 {
			o.log.Info("mail delivered", "count", n)
		}
		return err
	})
}

// Deliver sends every due message, batch by batch, until none is due. It does
// nothing without an SMTP server. The error is the first one that stopped it,
// typically an unreachable server; the affected rows are back in the queue.
func (o *Outbox) Deliver(ctx context.Context) (sent int, err error) {
	if !o.Configured() {
		return 0, nil
	}
	if err := o.sweep(ctx); err != nil {
		return 0, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		batch, token, err := o.claim(ctx)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		n, err := o.sendBatch(ctx, batch, token)
		sent += n
		if err != nil {
			return sent, err
		}
	}
}

// sweep fails the rows a crashed worker left in "sending". Delivery is at most
// once: the server may have taken such a message, so it is not sent again by
// itself; an administrator checks and retries it by hand.
func (o *Outbox) sweep(ctx context.Context) error {
	now := o.now().UTC()
	res := o.db.W.WithContext(ctx).Model(&Mail{}).
		Where("status = ? AND claimed_at < ?", StatusSending, now.Add(-stuckAfter)).
		Updates(map[string]any{
			"status": StatusFailed, "last_error": ErrInterrupted, "claim_token": "",
			"attempts": gorm.Expr("attempts + 1"), "updated_at": now,
		})
	if res.Error != nil {
		return fmt.Errorf("notify: sweep: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		o.log.Warn("mail left in sending after a crash marked failed", "count", res.RowsAffected)
	}
	return nil
}

// claim marks up to batchSize due rows as ours with a fresh token in one
// statement, then reads them. A row is sent only by the holder of its token,
// so two workers (or replicas) never send the same row. On PostgreSQL, SKIP
// LOCKED lets a second worker take the next rows instead of waiting.
func (o *Outbox) claim(ctx context.Context) ([]Mail, string, error) {
	now := o.now().UTC()
	token := newToken()
	lock := ""
	if o.db.Dialect == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	err := o.db.W.WithContext(ctx).Exec(
		"UPDATE outbox SET status = ?, claim_token = ?, claimed_at = ?, updated_at = ?"+
			" WHERE status = ? AND id IN (SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? AND to_addr <> ''"+
			" ORDER BY id LIMIT "+strconv.Itoa(batchSize)+lock+")",
		StatusSending, token, now, now, StatusQueued, StatusQueued, now).Error
	if err != nil {
		return nil, "", fmt.Errorf("notify: claim: %w", err)
	}
	var rows []Mail
	err = o.db.W.WithContext(ctx).Where("claim_token = ? AND status = ?", token, StatusSending).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, "", fmt.Errorf("notify: read claimed: %w", err)
	}
	return rows, token, nil
}

// newToken returns 128 random bits in hex.
func newToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness source is broken; nothing is safe then
	}
	return hex.EncodeToString(b)
}

// client builds a go-mail client for the configured server.
func (o *Outbox) client() (*mail.Client, error) {
	c := o.cfg
	opts := []mail.Option{mail.WithPort(c.SMTPPort), mail.WithTimeout(30 * time.Second)}
	switch c.SMTPTLS {
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "tls":
		opts = append(opts, mail.WithSSL())
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if c.SMTPUser != "" {
		// Without TLS only PLAIN towards localhost is allowed, so a password is
		// never sent in the clear over the network; with TLS the strongest
		// mechanism the server offers is used.
		auth := mail.SMTPAuthAutoDiscover
		if c.SMTPTLS == "none" {
			auth = mail.SMTPAuthPlain
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(c.SMTPUser), mail.WithPassword(c.SMTPPassword))
	}
	return mail.NewClient(c.SMTPHost, opts...)
}

// sendBatch sends the claimed rows over one connection and records each
// outcome. A failed dial or a connection lost mid-batch puts the unsent rows
// back in the queue with a backoff and stops this run.
func (o *Outbox) sendBatch(ctx context.Context, batch []Mail, token string) (int, error) {
	// Once rows are claimed, record outcomes even if ctx ends: an unrecorded
	// claim would later look like an interrupted delivery.
	store := context.WithoutCancel(ctx)
	c, err := o.client()
	if err != nil {
		o.requeue(store, batch, token, err)
		return 0, fmt.Errorf("notify: smtp client: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		o.requeue(store, batch, token, err)
		return 0, fmt.Errorf("notify: connect to %s: %w", c.ServerAddr(), err)
	}
	defer c.Close()

	sent := 0
	for i := range batch {
		row := &batch[i]
		if ctx.Err() != nil {
			o.release(store, batch[i:], token)
			return sent, ctx.Err()
		}
		msg, err := o.message(row)
		if err != nil {
			o.fail(store, row, token, err.Error())
			continue
		}
		err = c.Send(msg)
		if err == nil || msg.IsDelivered() {
			// IsDelivered covers a server that took the message but then
			// failed the RSET that follows: it was sent all the same.
			if o.markSent(store, row, token) {
				sent++
			}
			continue
		}
		switch classify(err) {
		case permanent:
			o.fail(store, row, token, err.Error())
		case temporary:
			o.retryLater(store, row, token, err.Error())
		default: // the connection is gone: the rest of the batch would fail the same way
			o.requeue(store, batch[i:], token, err)
			return sent, fmt.Errorf("notify: send: %w", err)
		}
	}
	return sent, nil
}

// outcome kinds of a failed send.
const (
	permanent = iota
	temporary
	connection
)

// classify sorts a send error: a 5xx reply or a message go-mail cannot build is
// permanent, a 4xx reply is temporary for this message only, and anything
// without a reply code means the connection itself failed.
func classify(err error) int {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return connection
	}
	switch se.Reason {
	case mail.ErrGetSender, mail.ErrGetRcpts, mail.ErrNoUnencoded:
		return permanent
	}
	code := se.ErrorCode()
	switch {
	case code >= 500 && code < 600:
		return permanent
	case code >= 400 && code < 500:
		return temporary
	}
	return connection
}

// message builds the go-mail message of a row.
func (o *Outbox) message(row *Mail) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.FromFormat("Kapu", o.cfg.MailFrom); err != nil {
		return nil, fmt.Errorf("sender %q: %w", o.cfg.MailFrom, err)
	}
	if err := m.AddToFormat(row.ToName, row.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", row.To, err)
	}
	m.Subject(row.Subject)
	m.SetMessageIDWithValue(messageID(row, o.cfg))
	m.SetDateWithValue(o.now())
	m.SetUserAgent("Kapu " + config.Version)
	m.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated") // RFC 3834: no auto-replies
	m.SetBodyString(mail.TypeTextPlain, row.Text)
	m.AddAlternativeString(mail.TypeTextHTML, row.HTML)
	files, err := row.Files()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		ct := f.ContentType
		if ct == "" {
			ct = string(mail.TypeAppOctetStream)
		}
		if err := m.AttachReader(f.Name, bytes.NewReader(f.Data), mail.WithFileContentType(mail.ContentType(ct))); err != nil {
			return nil, fmt.Errorf("attachment %q: %w", f.Name, err)
		}
	}
	return m, nil
}

// messageID is stable for a row, so a server that got a message twice (a retry
// after a lost reply) can recognise the copy.
func messageID(row *Mail, cfg *config.Config) string {
	sum := sha256.Sum256([]byte(row.Key))
	return fmt.Sprintf("outbox-%d-%s@%s", row.ID, hex.EncodeToString(sum[:6]), mailDomain(cfg))
}

// mailDomain is the host of the base URL, the right-hand side of Message-IDs.
func mailDomain(cfg *config.Config) string {
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "kapu.invalid"
}

// backoff is the wait before attempt n+1: 30s, 1m, 2m, … at most an hour.
func backoff(attempts int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// owned narrows an update to a row we still hold the claim of.
func (o *Outbox) owned(ctx context.Context, id uint, token string) *gorm.DB {
	return o.db.W.WithContext(ctx).Model(&Mail{}).
		Where("id = ? AND claim_token = ? AND status = ?", id, token, StatusSending)
}

func (o *Outbox) markSent(ctx context.Context, row *Mail, token string) bool {
	now := o.now().UTC()
	res := o.owned(ctx, row.ID, token).Updates(map[string]any{
		"status": StatusSent, "sent_at": now, "attempts": row.Attempts + 1,
		"last_error": "", "claim_token": "", "updated_at": now,
	})
	return o.recorded(res, row, StatusSent)
}

// fail records a permanent failure.
func (o *Outbox) fail(ctx context.Context, row *Mail, token, reason string) {
	now := o.now().UTC()
	res := o.owned(ctx, row.ID, token).Updates(map[string]any{
		"status": StatusFailed, "attempts": row.Attempts + 1, "last_error": clip(reason),
		"claim_token": "", "updated_at": now,
	})
	if o.recorded(res, row, StatusFailed) {
		o.log.Warn("mail failed", "id", row.ID, "to", row.To, "error", reason)
	}
}

// retryLater counts a failed attempt: queued again after a backoff, or failed
// for good after maxAttempts.
func (o *Outbox) retryLater(ctx context.Context, row *Mail, token, reason string) {
	attempts := row.Attempts + 1
	if attempts >= maxAttempts {
		o.fail(ctx, row, token, reason)
		return
	}
	now := o.now().UTC()
	res := o.owned(ctx, row.ID, token).Updates(map[string]any{
		"status": StatusQueued, "attempts": attempts, "next_attempt_at": now.Add(backoff(attempts)),
		"last_error": clip(reason), "claim_token": "", "updated_at": now,
	})
	o.recorded(res, row, StatusQueued)
}

// requeue counts a failed attempt for every row of rows, e.g. when the server is unreachable.
func (o *Outbox) requeue(ctx context.Context, rows []Mail, token string, err error) {
	o.log.Warn("mail server unreachable; messages stay queued", "count", len(rows), "error", err)
	for i := range rows {
		o.retryLater(ctx, &rows[i], token, err.Error())
	}
}

// release gives back rows never attempted (the run was cancelled), untouched.
func (o *Outbox) release(ctx context.Context, rows []Mail, token string) {
	ids := make([]uint, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	err := o.db.W.WithContext(ctx).Model(&Mail{}).
		Where("id IN ? AND claim_token = ? AND status = ?", ids, token, StatusSending).
		Updates(map[string]any{"status": StatusQueued, "claim_token": "", "updated_at": o.now().UTC()}).Error
	if err != nil {
		o.log.Error("release unsent mail", "count", len(ids), "error", err)
	}
}

// recorded logs an outcome that could not be stored or whose claim was lost.
func (o *Outbox) recorded(res *gorm.DB, row *Mail, status string) bool {
	if res.Error != nil {
		o.log.Error("record mail outcome", "id", row.ID, "status", status, "error", res.Error)
		return false
	}
	if res.RowsAffected == 0 {
		o.log.Warn("mail claim lost before its outcome was recorded", "id", row.ID, "status", status)
		return false
	}
	return true
}

// clip keeps an error within the LastError column, cutting on a rune boundary.
func clip(s string) string {
	const max = 2000
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// SendTest sends one test message to to right away, bypassing the outbox, so
// `kapu mail test` shows at once whether the SMTP settings work.
func (o *Outbox) SendTest(ctx context.Context, to string) error {
	if !o.Configured() {
		return ErrNoServer
	}
	c, err := o.client()
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	lang := o.lang("")
	r, err := o.render(Message{
		To: to, Lang: lang, Template: "test", Reason: "email.reason.test",
		Data: map[string]string{
			"Server": c.ServerAddr(),
			"Time":   i18n.FormatDateTime(lang, o.now(), o.tz()),
		},
	})
	if err != nil {
		return err
	}
	row := &Mail{Key: "test|" + newToken(), To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML}
	msg, err := o.message(row)
	if err != nil {
		return err
	}
	msg.SetMessageIDWithValue("test-" + newToken() + "@" + mailDomain(o.cfg))
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send test mail through %s: %w", c.ServerAddr(), err)
	}
	return nil
}

// tz is the city's zone, UTC when the config has none.
func (o *Outbox) tz() *time.Location {
	if o.cfg.TZ != nil {
		return o.cfg.TZ
	}
	return time.UTC
}
