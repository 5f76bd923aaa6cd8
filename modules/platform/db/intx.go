package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// txKey carries the open transaction of a context (see WithTx).
type txKey struct{}

// WithTx returns ctx marked with tx's transaction: every query made through
// R or W with the returned context — including those of other services
// (people, absences, the calendar) that only take a context — runs inside
// that transaction instead of taking a connection of its own. That is what
// keeps a transaction that holds a lock from waiting for a pooled connection
// held by the very requests queued behind its lock. ctx is returned as it is
// when tx is not in a transaction. Use the context only while tx is open.
func WithTx(ctx context.Context, tx *gorm.DB) context.Context {
	if tx == nil || tx.Statement == nil {
		return ctx
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return ctx
	}
	if cur, _ := ctx.Value(txKey{}).(*sql.Tx); cur == sqlTx {
		return ctx
	}
	return context.WithValue(ctx, txKey{}, sqlTx)
}

// routeToTx runs a statement made outside a transaction in the transaction
// its context carries (WithTx). A statement already in a transaction keeps it.
func routeToTx(g *gorm.DB) {
	if g.Statement == nil || g.Statement.Context == nil {
		return
	}
	if _, inTx := g.Statement.ConnPool.(*sql.Tx); inTx {
		return
	}
	if sqlTx, ok := g.Statement.Context.Value(txKey{}).(*sql.Tx); ok {
		g.Statement.ConnPool = sqlTx
	}
}

// installTxRouting registers routeToTx first in every kind of statement of g.
func installTxRouting(g *gorm.DB) error {
	cb := g.Callback()
	return errors.Join(
		cb.Query().Before("*").Register("kapu:route_to_tx", routeToTx),
		cb.Row().Before("*").Register("kapu:route_to_tx", routeToTx),
		cb.Raw().Before("*").Register("kapu:route_to_tx", routeToTx),
		cb.Create().Before("*").Register("kapu:route_to_tx", routeToTx),
		cb.Update().Before("*").Register("kapu:route_to_tx", routeToTx),
		cb.Delete().Before("*").Register("kapu:route_to_tx", routeToTx),
	)
}

// IsLockTimeout reports whether err is the database giving up waiting for a
// lock: PostgreSQL's lock_timeout (SQLSTATE 55P03) or SQLite still busy after
// its busy_timeout. Callers answer it as "busy, try again", not as a failure.
func IsLockTimeout(err error) bool {
	if err == nil {
		return false
	}
	var pg interface{ SQLState() string } // pgconn.PgError
	if errors.As(err, &pg) {
		return pg.SQLState() == "55P03"
	}
	var lite sqlite3.Error
	if errors.As(err, &lite) {
		return lite.Code == sqlite3.ErrBusy || lite.Code == sqlite3.ErrLocked
	}
	return strings.Contains(err.Error(), "SQLSTATE 55P03")
}
