package notify

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
)

// A Composer writes the message of a row queued with Later, from the row's
// Ref, when the row is first shown or sent. It reads the state as it is then;
// nil with no error means there is nothing left to say (the row is cancelled).
type Composer func(ctx context.Context, ref string) (*Message, error)

// Compose registers the composer of Later's rows named name. Register every
// composer while wiring the application, before any row is composed.
func (o *Outbox) Compose(name string, fn Composer) { o.composers[name] = fn }

// laterSQL inserts a row for a composer; a second one of the same key is a no-op.
const laterSQL = `INSERT INTO outbox (key, to_addr, to_name, lang, subject, text, html, attachments, composer, ref,
  status, attempts, next_attempt_at, claim_token, last_error, created_at, updated_at)
  VALUES ($1, '', '', '', '', '', '', '', $2, $3, $4, 0, $5, '', '', $5, $5)
  ON CONFLICT (key) DO NOTHING`

// PrepareLater readies the INSERT of Later; like db.Prepare, call it before
// the transaction.
func PrepareLater(ctx context.Context, d *db.DB) (*sql.Stmt, error) { return d.Prepare(ctx, laterSQL) }

// Later queues, in tx, a message that the composer named composer writes
// from ref when the row is first shown or sent. It is Enqueue for hot writes
// (a booking's confirmation): the transaction stores a few bytes instead of
// reading, translating and rendering a mail while every other writer waits.
// The message then tells the state at composing time, which for a
// confirmation is what the person needs; a change that must report what it
// changed uses Enqueue. st is PrepareLater's statement, or nil.
func (o *Outbox) Later(tx *gorm.DB, st *sql.Stmt, key, composer, ref string) error {
	if strings.TrimSpace(key) == "" || o.composers[composer] == nil {
		return fmt.Errorf("notify: later %q needs a key and a registered composer", composer)
	}
	ctx := tx.Statement.Context
	args := []any{dedupKey(key, ""), composer, ref, StatusQueued, o.now().UTC()}
	var err error
	if bound := db.InTx(ctx, tx, st); bound != nil {
		_, err = bound.ExecContext(ctx, args...)
	} else {
		err = tx.Exec(laterSQL, args...).Error
	}
	if err != nil {
		return fmt.Errorf("notify: later %s: %w", key, err)
	}
	return nil
}

// composeBatch bounds the rows composed per query.
const composeBatch = 100

// ErrNothingToSay is the LastError of a row its composer found nothing to
// write for, e.g. the confirmation of a booking cancelled before it went out.
const ErrNothingToSay = "nothing left to say when it was composed"

// ComposeDue writes every queued row of Later that has not been written yet,
// and returns how many it wrote. The delivery job runs it before sending, so
// nothing half made is sent. A composer error fails its row with the error;
// an administrator may retry it. Rows are composed outside any transaction
// and stored a batch per transaction.
func (o *Outbox) ComposeDue(ctx context.Context) (int, error) { return o.composeUpTo(ctx, 0) }

// composeUpTo is ComposeDue stopping after about max rows (0: all). The
// outbox pages write one batch before they show: after a burst of bookings
// the job writes the rest, and the page lists those by key meanwhile.
func (o *Outbox) composeUpTo(ctx context.Context, max int) (int, error) {
	done := 0
	lastID := uint(0)
	for max == 0 || done < max {
		var rows []Mail
		err := o.db.R.WithContext(ctx).Select("id", "key", "composer", "ref").
			Where("status = ? AND to_addr = '' AND composer <> '' AND id > ?", StatusQueued, lastID).
			Order("id").Limit(composeBatch).Find(&rows).Error
		if err != nil {
			return done, fmt.Errorf("notify: rows to compose: %w", err)
		}
		if len(rows) == 0 {
			return done, nil
		}
		sets := make([]map[string]any, len(rows))
		for i := range rows {
			sets[i] = o.composed(ctx, &rows[i])
		}
		// Only a row still unwritten is updated, so two workers composing
		// at once store one result.
		err = o.db.Tx(ctx, func(tx *gorm.DB) error {
			for i, row := range rows {
				err := tx.Model(&Mail{}).Where("id = ? AND status = ? AND to_addr = ''", row.ID, StatusQueued).Updates(sets[i]).Error
				if err != nil {
					return fmt.Errorf("notify: store composed %s: %w", row.Key, err)
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(rows)
		lastID = rows[len(rows)-1].ID
		if len(rows) < composeBatch {
			return done, nil
		}
	}
	return done, nil
}

// composed is the update that writes row from its composer: the message, or
// the row cancelled (nothing to say) or failed (the composer's error).
func (o *Outbox) composed(ctx context.Context, row *Mail) map[string]any {
	set := map[string]any{"updated_at": o.now().UTC()}
	msg, err := o.compose(ctx, row)
	switch {
	case err != nil:
		o.log.Warn("mail could not be composed", "id", row.ID, "composer", row.Composer, "error", err)
		set["status"], set["last_error"] = StatusFailed, clip(err.Error())
	case msg == nil:
		set["status"], set["last_error"] = StatusCancelled, ErrNothingToSay
	default:
		set["to_addr"], set["to_name"], set["lang"] = msg.To, msg.ToName, msg.Lang
		set["subject"], set["text"], set["html"], set["attachments"] = msg.Subject, msg.Text, msg.HTML, msg.Attachments
	}
	return set
}

// compose runs the row's composer and renders what it wrote.
func (o *Outbox) compose(ctx context.Context, row *Mail) (*Mail, error) {
	fn := o.composers[row.Composer]
	if fn == nil {
		return nil, fmt.Errorf("no composer %q is registered", row.Composer)
	}
	m, err := fn(ctx, row.Ref)
	if err != nil || m == nil {
		return nil, err
	}
	built, err := o.build(*m) // the row keeps Later's key; m.Key is not read
	if err != nil {
		return nil, err
	}
	return &built, nil
}
