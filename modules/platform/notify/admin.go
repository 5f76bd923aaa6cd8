package notify

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/errs"
)

// ErrNotAllowed means the row's status does not allow the requested change.
var ErrNotAllowed = errs.New(errs.Conflict, "notify: not possible in this status")

// ErrAlreadySent means the row was sent, which can be neither undone nor repeated.
var ErrAlreadySent = errs.New(errs.Conflict, "notify: the message was already sent")

// ErrNoSuchMail means no outbox row has that id.
var ErrNoSuchMail = errs.New(errs.NotFound, "notify: no such message")

// PerPage is the size of an outbox page.
const PerPage = 50

// Filter narrows the outbox page.
type Filter struct {
	Status string
	Q      string // part of the address or the subject
	Page   int
}

// List returns one page of rows, newest first, without their bodies, and the number matching.
func (o *Outbox) List(ctx context.Context, f Filter) ([]Mail, int64, error) {
	q := o.db.R.WithContext(ctx).Model(&Mail{})
	if slices.Contains(Statuses, f.Status) {
		q = q.Where("status = ?", f.Status)
	}
	if s := strings.TrimSpace(f.Q); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		q = q.Where(`(LOWER(to_addr) LIKE ? ESCAPE '\' OR LOWER(to_name) LIKE ? ESCAPE '\' OR LOWER(subject) LIKE ? ESCAPE '\')`, like, like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	var out []Mail
	err := q.Select("id", "key", "to_addr", "to_name", "subject", "status", "attempts", "next_attempt_at", "sent_at", "last_error", "created_at").
		Order("id DESC").Limit(PerPage).Offset((f.Page - 1) * PerPage).Find(&out).Error
	return out, total, err
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Counts returns the number of rows per status, for the filter.
func (o *Outbox) Counts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := o.db.R.WithContext(ctx).Model(&Mail{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}

// Retry queues a failed or cancelled message again with a fresh attempt count
// and a fresh 48 hours of retries, e.g. after the mail server was fixed.
func (o *Outbox) Retry(ctx context.Context, a actor.Actor, id uint) error {
	now := o.now().UTC()
	return o.change(ctx, a, id, "notify.mail.retry", []string{StatusFailed, StatusCancelled}, map[string]any{
		"status": StatusQueued, "attempts": 0, "first_attempt_at": nil, "next_attempt_at": now,
		"claim_token": "", "updated_at": now,
	})
}

// Cancel stops a queued or failed message from being sent.
func (o *Outbox) Cancel(ctx context.Context, a actor.Actor, id uint) error {
	return o.change(ctx, a, id, "notify.mail.cancel", []string{StatusQueued, StatusFailed}, map[string]any{
		"status": StatusCancelled, "claim_token": "", "updated_at": o.now().UTC(),
	})
}

// change moves one row from one of the statuses in from, audited in the same
// transaction. The update repeats the status check, so a worker claiming the
// row at the same moment wins cleanly instead of being overwritten.
func (o *Outbox) change(ctx context.Context, a actor.Actor, id uint, action string, from []string, set map[string]any) error {
	return o.db.Tx(ctx, func(tx *gorm.DB) error {
		var m Mail
		if err := tx.Select("id", "status", "attempts", "to_addr", "subject").First(&m, id).Error; err != nil {
			return notFound(err)
		}
		if m.Status == StatusSent {
			return ErrAlreadySent
		}
		if !slices.Contains(from, m.Status) {
			return ErrNotAllowed
		}
		res := tx.Model(&Mail{}).Where("id = ? AND status = ?", id, m.Status).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotAllowed
		}
		before := map[string]any{"status": m.Status, "attempts": m.Attempts, "to": m.To, "subject": m.Subject}
		after := map[string]any{"status": set["status"], "to": m.To, "subject": m.Subject}
		return audit.Record(tx, a, action, "mail", m.ID, before, after)
	})
}

// Badge is the CSS class of the status badge.
func (m *Mail) Badge() string {
	switch m.Status {
	case StatusSent:
		return "badge-success"
	case StatusFailed:
		return "badge-danger"
	case StatusSending:
		return "badge-warning"
	case StatusCancelled:
		return "badge-muted"
	}
	return "badge-info"
}

// ErrorExcerpt is the start of LastError for the list.
func (m *Mail) ErrorExcerpt() string {
	const n = 90
	if utf8.RuneCountInString(m.LastError) <= n {
		return m.LastError
	}
	r := []rune(m.LastError)
	return string(r[:n]) + "…"
}

// CanRetry reports whether the message can be queued again; the page offers the button only then.
func (m *Mail) CanRetry() bool { return m.Status == StatusFailed || m.Status == StatusCancelled }

// CanCancel reports whether the message can still be stopped.
func (m *Mail) CanCancel() bool { return m.Status == StatusQueued || m.Status == StatusFailed }
