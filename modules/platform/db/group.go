package db

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"

	"gorm.io/gorm"
)

// maxGroup bounds one shared transaction: enough to spread a commit over many
// writes, small enough that nobody waits long behind the others.
const maxGroup = 64

// groupCommit queues the work of Group calls and runs it batch by batch.
type groupCommit struct {
	mu      sync.Mutex
	pending []*groupWork
	running bool
}

// groupWork is one Group call waiting for its outcome.
type groupWork struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	done chan error
}

// Group runs fn like Tx, except that on SQLite the calls that arrive while the
// writer is busy share one transaction, each inside its own savepoint: one
// commit then pays for many writes. fn's outcome is its own — an error rolls
// back fn's savepoint only, never its neighbours' work. Group returns once the
// shared transaction has committed (or failed), so a nil error means fn's work
// is durable as with Tx. Use it for short, independent, hot writes (bookings);
// fn must not keep the transaction for long, others are waiting on it.
// On PostgreSQL, whose writers run side by side, it is Tx (a panic in fn
// still comes back as fn's error, as on SQLite).
func (d *DB) Group(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if d.Dialect != SQLite {
		return d.Tx(ctx, func(tx *gorm.DB) error { return guarded(tx, fn) })
	}
	w := &groupWork{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g := d.group
	g.mu.Lock()
	g.pending = append(g.pending, w)
	if !g.running {
		g.running = true
		go d.drainGroup()
	}
	g.mu.Unlock()
	// Wait even when ctx ends: the work may already be in the transaction,
	// and the caller must learn whether it committed.
	return <-w.done
}

// drainGroup runs batches until nothing waits, then stops; the next Group
// call starts it again, so an idle database has no goroutine.
func (d *DB) drainGroup() {
	g := d.group
	for {
		// Let the callers just answered run first: they are likely to book
		// again, and their next calls should join this batch.
		runtime.Gosched()
		g.mu.Lock()
		n := min(len(g.pending), maxGroup)
		if n == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
		g.mu.Unlock()
		d.runGroup(batch)
	}
}

// Savepoint statements of runGroup: one name serves every call in a batch,
// because each savepoint is released before the next one starts.
const (
	savepointSQL = "SAVEPOINT grouped"
	rollbackSQL  = "ROLLBACK TO grouped"
	releaseSQL   = "RELEASE grouped"
)

// runGroup runs one batch in one transaction and tells each caller its outcome.
func (d *DB) runGroup(batch []*groupWork) {
	errs := make([]error, len(batch))
	ctx := context.Background()
	var sp [3]*sql.Stmt
	var err error
	for i, q := range []string{savepointSQL, rollbackSQL, releaseSQL} {
		if sp[i], err = d.Prepare(ctx, q); err != nil {
			break
		}
	}
	if err == nil {
		err = d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			save, rollback, release := InTx(ctx, tx, sp[0]), InTx(ctx, tx, sp[1]), InTx(ctx, tx, sp[2])
			for i, w := range batch {
				if errs[i] = w.ctx.Err(); errs[i] != nil {
					continue
				}
				if _, err := save.ExecContext(ctx); err != nil {
					return err
				}
				// Without the caller's cancellation: SQLite answers an interrupted
				// write by rolling back the whole transaction, neighbours included.
				if errs[i] = guarded(tx.WithContext(WithTx(context.WithoutCancel(w.ctx), tx)), w.fn); errs[i] != nil {
					if _, err := rollback.ExecContext(ctx); err != nil {
						return err
					}
				}
				if _, err := release.ExecContext(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for i, w := range batch {
		if errs[i] == nil {
			errs[i] = err // the shared commit's outcome is every successful call's
		}
		w.done <- errs[i]
	}
}

// guarded runs fn and turns a panic into its error, so one caller's bug
// cannot take the shared transaction (and its neighbours) down with it.
func guarded(tx *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("db: panic in grouped work: %v", p)
		}
	}()
	return fn(tx)
}
