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
	"time"
	"unicode/utf8"

	mail "github.com/wneessen/go-mail"
	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/platform/i18n"
)

// Delivery tuning.
const (
	batchSize    = 100
	firstBackoff = 30 * time.Second
	maxBackoff   = time.Hour
	// giveUpAfter is how long a message is retried after its first attempt:
	// a city hall's mail server may be down for a weekend.
	giveUpAfter = 48 * time.Hour
	// lease is how long a claim holds a row. It is far longer than one send
	// can take (go-mail gives up on a silent server after 30 s), so a row
	// still "sending" a lease after its claim was left by a worker that
	// died, and the next run takes it again.
	lease = 5 * time.Minute
	// deliverEvery is the period of the scheduled job.
	deliverEvery = 10 * time.Second
)

// ErrInterrupted is the LastError of a row whose delivery kept being cut short
// (a crash each time) until Kapu gave up on it.
const ErrInterrupted = "delivery was interrupted every time for 48 hours; the recipient may or may not have it — check before retrying"

// ErrNoServer is returned by SendTest when KAPU_SMTP_HOST is empty.
var ErrNoServer = errors.New("no SMTP server is configured (KAPU_SMTP_HOST); mail stays in the outbox")

// Deliver sends every due message once, batch by batch in id order, and
// returns how many went out. It does nothing without an SMTP server. The error
// is the first one that stopped it, typically an unreachable server.
//
// Delivery is at least once. Each row is claimed on its own just before it is
// sent, so a crash leaves only the message in flight in doubt: it stays
// "sending" until its lease ends and the next run sends it again, with the
// same Message-ID. Rows not yet attempted were never claimed and just wait.
func (o *Outbox) Deliver(ctx context.Context) (sent int, err error) {
	if !o.Configured() {
		return 0, nil
	}
	after := uint(0) // one pass: a row that fails now waits for its backoff anyway
	for {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		batch, err := o.due(ctx, after)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		n, err := o.sendBatch(ctx, batch)
		sent += n
		if err != nil {
			return sent, err
		}
		after = batch[len(batch)-1].ID
	}
}

// dueWhere selects the rows a worker may take at now: queued ones whose
// backoff is over, and "sending" ones whose claim's lease has ended. Claims
// repeat it, so a row is taken by one worker only. Its arguments come from dueArgs.
const dueWhere = "status IN (?, ?) AND next_attempt_at <= ? AND to_addr <> '' AND (status = ? OR claimed_at < ?)"

func dueArgs(now time.Time) []any {
	return []any{StatusQueued, StatusSending, now, StatusQueued, now.Add(-lease)}
}

// due reads up to batchSize rows due now with an id above after, without
// claiming them.
func (o *Outbox) due(ctx context.Context, after uint) ([]Mail, error) {
	var rows []Mail
	err := o.db.R.WithContext(ctx).Where("id > ? AND "+dueWhere, append([]any{after}, dueArgs(o.now().UTC())...)...).
		Order("id").Limit(batchSize).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("notify: due mail: %w", err)
	}
	return rows, nil
}

// take claims row for token just before it is sent: one conditional UPDATE
// that succeeds only while the row is still due and unchanged since it was
// read, so of two workers (or replicas) racing for it exactly one wins. The
// claim counts the attempt and, by setting next_attempt_at to the end of the
// lease (or of the backoff, if longer), says when the row may be taken again
// should this worker die; a message that crashes Kapu is thus not resent more
// often than a failing one. false means someone else has the row.
func (o *Outbox) take(ctx context.Context, row *Mail, token string) (bool, error) {
	now := o.now().UTC()
	attempts := row.Attempts + 1
	res := o.db.W.WithContext(ctx).Model(&Mail{}).
		Where("id = ? AND attempts = ? AND "+dueWhere, append([]any{row.ID, row.Attempts}, dueArgs(now)...)...).
		Updates(map[string]any{
			"status": StatusSending, "claim_token": token, "claimed_at": now, "attempts": attempts,
			"first_attempt_at": gorm.Expr("COALESCE(first_attempt_at, ?)", now),
			"next_attempt_at":  now.Add(max(lease, backoff(attempts))), "updated_at": now,
		})
	if res.Error != nil {
		return false, fmt.Errorf("notify: claim %d: %w", row.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	row.Attempts = attempts
	if row.FirstAttemptAt == nil {
		row.FirstAttemptAt = &now
	}
	return true, nil
}

// step names a point of a delivery where a test may stand in for a crash.
const (
	stepClaimed = "claimed" // the row is ours; the server has seen nothing
	stepSent    = "sent"    // the server took the message; the row is not marked yet
	stepMarked  = "marked"  // the row is marked sent
)

// at calls the test hook, if any, at step for row.
func (o *Outbox) at(step string, row *Mail) {
	if o.crashAt != nil {
		o.crashAt(step, row)
	}
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

// sendBatch sends the rows over one connection, claiming each just before
// its send, and records each outcome. A failed dial counts an attempt for every
// row; a connection lost mid-send requeues that message (it may have arrived,
// so it goes again with the same Message-ID) and stops this run, leaving the
// rows not yet attempted untouched.
func (o *Outbox) sendBatch(ctx context.Context, batch []Mail) (int, error) {
	// Outcomes are recorded even if ctx ends: an unrecorded claim would later
	// look like an interrupted delivery and be sent again.
	store := context.WithoutCancel(ctx)
	token := newToken()
	c, err := o.client()
	if err != nil {
		o.unreachable(store, batch, token, err)
		return 0, fmt.Errorf("notify: smtp client: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		o.unreachable(store, batch, token, err)
		return 0, fmt.Errorf("notify: connect to %s: %w", c.ServerAddr(), err)
	}
	defer c.Close()

	sent := 0
	for i := range batch {
		if err := ctx.Err(); err != nil {
			return sent, err // the rest were never claimed
		}
		row := &batch[i]
		inDoubt := row.Status == StatusSending
		ok, err := o.take(store, row, token)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue // another worker has it
		}
		if inDoubt && o.now().Sub(*row.FirstAttemptAt) >= giveUpAfter {
			o.fail(store, row, token, ErrInterrupted)
			continue
		}
		o.at(stepClaimed, row)
		msg, err := o.message(row)
		if err != nil {
			o.fail(store, row, token, err.Error())
			continue
		}
		err = c.Send(msg)
		if err == nil || msg.IsDelivered() {
			// IsDelivered covers a server that took the message but then
			// failed the RSET that follows: it was sent all the same.
			o.at(stepSent, row)
			if o.markSent(store, row, token) {
				sent++
			}
			o.at(stepMarked, row)
			continue
		}
		switch classify(err) {
		case permanent:
			o.fail(store, row, token, err.Error())
		case temporary:
			o.retryLater(store, row, token, err.Error())
		default: // the connection is gone: the rest would fail the same way
			o.retryLater(store, row, token, err.Error())
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

// backoff is the wait after attempt n: 30s, 1m, 2m, … at most an hour.
func backoff(attempts int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// retryAt is when a message whose attempt number attempts failed at now goes
// again, or false once giveUpAfter has passed since its first attempt.
func retryAt(first, now time.Time, attempts int) (time.Time, bool) {
	if now.Sub(first) >= giveUpAfter {
		return time.Time{}, false
	}
	return now.Add(backoff(attempts)), true
}

// owned narrows an update to a row we still hold the claim of.
func (o *Outbox) owned(ctx context.Context, id uint, token string) *gorm.DB {
	return o.db.W.WithContext(ctx).Model(&Mail{}).
		Where("id = ? AND claim_token = ? AND status = ?", id, token, StatusSending)
}

func (o *Outbox) markSent(ctx context.Context, row *Mail, token string) bool {
	now := o.now().UTC()
	res := o.owned(ctx, row.ID, token).Updates(map[string]any{
		"status": StatusSent, "sent_at": now, "last_error": "", "claim_token": "", "updated_at": now,
	})
	return o.recorded(res, row, StatusSent)
}

// fail records that Kapu stopped trying: the server refused the message, or
// it could not be delivered within giveUpAfter.
func (o *Outbox) fail(ctx context.Context, row *Mail, token, reason string) {
	now := o.now().UTC()
	res := o.owned(ctx, row.ID, token).Updates(map[string]any{
		"status": StatusFailed, "last_error": clip(reason), "claim_token": "", "updated_at": now,
	})
	if o.recorded(res, row, StatusFailed) {
		o.log.Warn("mail failed", "id", row.ID, "to", row.To, "error", reason)
	}
}

// retryLater queues a message whose attempt failed for now again after a
// backoff, or fails it once it has been tried for giveUpAfter.
func (o *Outbox) retryLater(ctx context.Context, row *Mail, token, reason string) {
	now := o.now().UTC()
	next, ok := retryAt(*row.FirstAttemptAt, now, row.Attempts)
	if !ok {
		o.fail(ctx, row, token, "not delivered within 48 hours; last error: "+reason)
		return
	}
	res := o.owned(ctx, row.ID, token).Updates(map[string]any{
		"status": StatusQueued, "next_attempt_at": next, "last_error": clip(reason),
		"claim_token": "", "updated_at": now,
	})
	o.recorded(res, row, StatusQueued)
}

// unreachable counts a failed attempt for every row of rows when the server
// cannot be reached, so they all wait for their backoff.
func (o *Outbox) unreachable(ctx context.Context, rows []Mail, token string, err error) {
	o.log.Warn("mail server unreachable; messages stay queued", "count", len(rows), "error", err)
	for i := range rows {
		ok, terr := o.take(ctx, &rows[i], token)
		if terr != nil {
			o.log.Error("record unreachable server", "id", rows[i].ID, "error", terr)
			return
		}
		if ok {
			o.retryLater(ctx, &rows[i], token, err.Error())
		}
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
