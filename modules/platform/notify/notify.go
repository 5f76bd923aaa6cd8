// Package notify is Kapu's outbox. A change that must tell someone calls Enqueue
// in the same transaction as the change, so the message exists exactly when the
// change does — or, on a hot path, Later, which stores only what a registered
// Composer needs to write the message when the row is first shown or sent.
// The scheduled job "notify.deliver" sends queued messages with go-mail.
// Nothing is ever sent inside a web request, and with no SMTP server
// configured the mail simply stays in the outbox, readable on /admin/outbox.
//
// Delivery is at least once, with a stable Message-ID. A worker claims each row
// (status "sending", its own claim token, a lease of a few minutes) just before
// it sends it, and only the holder of the token may record the outcome. If Kapu
// dies or the connection breaks while a message is in flight, that message alone
// is in doubt: it is sent again (after its lease, or its backoff), and since every
// copy carries the same Message-ID, derived from the row, a receiving server or
// mail client can drop the duplicate. For a confirmation or an approval a rare
// duplicate is better than silence. Rows not yet attempted were never claimed and
// simply wait. A message the server cannot take is retried with a capped backoff
// for 48 hours after its first attempt; "failed" means the server refused it or
// those 48 hours passed, and a person decides whether to retry it.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/config"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
)

// Attachment is a file sent with a message, e.g. an .ics invitation.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Message is one logical email to one recipient.
type Message struct {
	// Key identifies the logical message, e.g. "approval/12/step/3/approver/7".
	// Together with To it makes Enqueue idempotent, so a retried change does
	// not mail anyone twice.
	Key         string
	To          string // one address
	ToName      string
	Lang        string // "hu" or "en"; "" means the configured default
	Template    string // views/emails/<Template>.tmpl
	Data        any    // the template's .Data
	Reason      string // translation key of the footer's "you get this because …"
	Attachments []Attachment
	// Public marks a mail to someone without an account (a citizen): the
	// frame names the city (KAPU_CITY), not the intranet, and links nowhere
	// inside it.
	Public bool
}

// Statuses of an outbox row.
const (
	StatusQueued    = "queued"
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Statuses lists every status in the order the admin filter shows them.
var Statuses = []string{StatusQueued, StatusSending, StatusSent, StatusFailed, StatusCancelled}

// Mail is one outbox row: the message exactly as it will be (or was) sent.
type Mail struct {
	ID          uint   `gorm:"primaryKey"`
	Key         string `gorm:"size:300;not null;uniqueIndex"` // lower(Message.Key + "|" + To)
	To          string `gorm:"column:to_addr;size:320;not null"`
	ToName      string `gorm:"size:200"`
	Lang        string `gorm:"size:8;not null"`
	Subject     string `gorm:"type:text;not null"`
	Text        string `gorm:"type:text;not null"`
	HTML        string `gorm:"type:text;not null"`
	Attachments string `gorm:"type:text"` // JSON list of Attachment, "" for none
	// Composer and Ref are set by Later: the row is written by the named
	// Composer from Ref before it is shown or sent; To is "" until then.
	Composer      string    `gorm:"size:60;not null;default:''"`
	Ref           string    `gorm:"size:200;not null;default:''"`
	Status        string    `gorm:"size:16;not null;index:idx_outbox_due,priority:1"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due,priority:2"`
	ClaimToken    string    `gorm:"size:64"`
	ClaimedAt     *time.Time
	// FirstAttemptAt starts the 48 hours a message is retried for.
	FirstAttemptAt *time.Time
	SentAt         *time.Time
	LastError      string `gorm:"size:2000"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (Mail) TableName() string { return "outbox" }

// Models lists the tables this package owns.
func Models() []any { return []any{&Mail{}} }

// Files decodes the stored attachments.
func (m *Mail) Files() ([]Attachment, error) {
	if m.Attachments == "" {
		return nil, nil
	}
	var out []Attachment
	if err := json.Unmarshal([]byte(m.Attachments), &out); err != nil {
		return nil, fmt.Errorf("outbox %d attachments: %w", m.ID, err)
	}
	return out, nil
}

// Outbox queues and delivers Kapu's email.
type Outbox struct {
	db   *db.DB
	cat  *i18n.Catalog
	cfg  *config.Config
	log  *slog.Logger
	tpls map[string]*mailTemplate
	now  func() time.Time // injectable so tests can jump past a backoff
	// composers are the writers of Later's rows by name (see Compose).
	composers map[string]Composer
	// crashAt, set only by tests, is called at each step of a delivery; a
	// test panics in it to stand for the process dying there.
	crashAt func(step string, row *Mail)
}

// New parses the email templates once, so a broken template stops start-up
// instead of the first change that wants to mail someone.
func New(d *db.DB, cat *i18n.Catalog, cfg *config.Config, log *slog.Logger) (*Outbox, error) {
	tpls, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	return &Outbox{db: d, cat: cat, cfg: cfg, log: log, tpls: tpls, now: time.Now, composers: map[string]Composer{}}, nil
}

// Configured reports whether an SMTP server is set; without one, mail stays in the outbox.
func (o *Outbox) Configured() bool { return o.cfg.SMTPHost != "" }

// maxKey is the size of the unique column.
const maxKey = 300

// dedupKey builds the unique column from the logical key and the recipient. An
// over-long key keeps its start readable and ends in a hash of the whole.
func dedupKey(key, to string) string {
	k := strings.ToLower(key + "|" + to)
	if len(k) <= maxKey {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	h := hex.EncodeToString(sum[:])
	return k[:maxKey-len(h)-1] + "#" + h
}

// Enqueue renders the message now, so the outbox shows exactly what will be
// sent, and inserts it as queued in tx: it is sent only if tx commits. A second
// Enqueue of the same Key and To is a no-op, so callers may repeat themselves.
// A hot write that should not pay for rendering uses Later instead.
func (o *Outbox) Enqueue(tx *gorm.DB, m Message) error {
	if strings.TrimSpace(m.Key) == "" {
		return errors.New("notify: message has no key")
	}
	row, err := o.build(m)
	if err != nil {
		return err
	}
	row.Key = dedupKey(m.Key, row.To)
	row.Status = StatusQueued
	row.NextAttemptAt = o.now().UTC()
	err = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("notify: enqueue %s: %w", m.Key, err)
	}
	return nil
}

// build checks the recipient and renders m into the columns of a row.
func (o *Outbox) build(m Message) (Mail, error) {
	addr, err := netmail.ParseAddress(strings.TrimSpace(m.To))
	if err != nil || addr.Name != "" {
		return Mail{}, fmt.Errorf("notify: %q is not one email address", m.To)
	}
	m.To = addr.Address
	m.Lang = o.lang(m.Lang)
	r, err := o.render(m)
	if err != nil {
		return Mail{}, err
	}
	var files string
	if len(m.Attachments) > 0 {
		b, err := json.Marshal(m.Attachments)
		if err != nil {
			return Mail{}, fmt.Errorf("notify: attachments: %w", err)
		}
		files = string(b)
	}
	return Mail{To: m.To, ToName: m.ToName, Lang: m.Lang, Subject: r.Subject, Text: r.Text, HTML: r.HTML, Attachments: files}, nil
}

// lang picks a language Kapu speaks, falling back to the city's default.
func (o *Outbox) lang(l string) string {
	if i18n.LangNames[l] != "" {
		return l
	}
	if i18n.LangNames[o.cfg.Lang] != "" {
		return o.cfg.Lang
	}
	return i18n.Langs[0]
}

// Get loads one outbox row.
func (o *Outbox) Get(ctx context.Context, id uint) (*Mail, error) {
	var m Mail
	if err := o.db.R.WithContext(ctx).First(&m, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// notFound is ErrNoSuchMail for a missing row (still db.IsNotFound), err otherwise.
func notFound(err error) error {
	if db.IsNotFound(err) {
		return fmt.Errorf("%w: %w", ErrNoSuchMail, err)
	}
	return err
}
