// Package db opens Kapu's database (embedded SQLite by default, PostgreSQL for scale-out),
// runs migrations and gives services one way to run work in a transaction.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the pair of handles services use: W for every write and every transaction,
// R for plain reads. On SQLite W is a single connection, so writers queue in Go
// instead of failing with "database is locked"; R is a pool of readers that WAL lets
// run beside the writer. On PostgreSQL both are the same pool.
type DB struct {
	W       *gorm.DB
	R       *gorm.DB
	Dialect string
	group   *groupCommit // see Group
	stmts   sync.Map     // query → *sql.Stmt, see Prepare
	// nameCollation follows COLLATE in ByName: the registered "hu" on SQLite,
	// an ICU collation on PostgreSQL, "" (byte order) where there is none.
	nameCollation string
}

// sqlitePragmas are set on every SQLite connection. _txlock=immediate makes a
// read-then-write transaction take the write lock at BEGIN, so the busy handler
// waits for it instead of SQLite failing the upgrade.
const sqlitePragmas = "_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"

// sqliteDriver is the SQLite driver with the settings its DSN cannot carry,
// applied to every connection it opens: the "hu" collation for names
// (ByName), and temp_store=MEMORY, which keeps savepoint and
// statement journals in memory. Each grouped write (Group) runs in a savepoint
// that copies every page it touches; on disk, past 64 KiB, each copy was a
// file write, and a third of a booking's statement time went to them.
const sqliteDriver = "sqlite3_kapu"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if _, err := c.Exec("PRAGMA temp_store = MEMORY", nil); err != nil {
			return err
		}
		return registerNameCollation(c)
	}})
}

// openSQLite opens a gorm handle on the SQLite file dsn with Kapu's driver.
// Each handle gets its own copy of cfg: gorm keeps a handle's callbacks in its
// Config, so a shared one would give the writer the reader's callbacks.
func openSQLite(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	own := *cfg
	return gorm.Open(keepCause{sqlite.New(sqlite.Config{DriverName: sqliteDriver, DSN: dsn}).(*sqlite.Dialector)}, &own)
}

// Open connects to dsn: a postgres:// URL or a SQLite file path (its folder is created).
func Open(dsn string) (*DB, error) {
	cfg := &gorm.Config{
		Logger: quietLogger{logger.New(log.New(os.Stderr, "", log.LstdFlags), logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
		})},
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		g, err := gorm.Open(postgres.Open(withPostgresTimeouts(dsn)), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		if err := installTxRouting(g); err != nil {
			return nil, err
		}
		sqlDB, _ := g.DB()
		// As many idle as open: a burst must not close connections it will
		// open again at once (a PostgreSQL connection is a process to fork).
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		d := &DB{W: g, R: g, Dialect: Postgres, group: &groupCommit{}}
		if err := d.findNameCollation(context.Background()); err != nil {
			return nil, err
		}
		return d, nil
	}

	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	w, err := openSQLite("file:"+dsn+"?_journal_mode=WAL&_txlock=immediate&"+sqlitePragmas, cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxLifetime(0)
	// Touch the file through the writer first so WAL mode is set before readers connect.
	if err := wdb.Ping(); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	r, err := openSQLite("file:"+dsn+"?"+sqlitePragmas, cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	for _, g := range []*gorm.DB{w, r} {
		if err := installTxRouting(g); err != nil {
			return nil, err
		}
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(8)
	// As many kept as opened: a reader closed when idle is opened again on
	// the next burst, and opening one reads the whole schema.
	rdb.SetMaxIdleConns(8)
	return &DB{W: w, R: r, Dialect: SQLite, group: &groupCommit{}, nameCollation: sqliteNameCollation}, nil
}

// Tx runs fn in one transaction on the writer: committed when fn returns nil,
// rolled back otherwise. Services own their transactions through this. The
// tx fn gets carries a context marked with the transaction (WithTx), so
// tx.Statement.Context can be handed to services that read for fn.
func (d *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(tx.WithContext(WithTx(ctx, tx)))
	})
}

// PostgreSQL session limits, set on every connection unless the DSN sets
// them itself, so that nothing waits forever:
//   - lock_timeout 10s: a booking waits for a lock the time a few hundred
//     others take to pass it; past that the resource is busy and the
//     person is told to try again (SQLite's busy_timeout is 10 s too);
//   - statement_timeout 30s: the slowest normal statements (statistics,
//     exports) take well under a second on a city hall's data;
//   - idle_in_transaction_session_timeout 60s: a transaction left open that
//     long between statements is a bug holding locks; the server ends it.
//
// Migrate lifts the first two for schema changes, which may rightly take longer.
var postgresTimeouts = [][2]string{
	{"lock_timeout", "10s"},
	{"statement_timeout", "30s"},
	{"idle_in_transaction_session_timeout", "60s"},
}

// withPostgresTimeouts adds postgresTimeouts to a postgres:// URL as run-time
// parameters (pgx sends them when it connects).
func withPostgresTimeouts(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // gorm reports the bad DSN
	}
	q := u.Query()
	for _, kv := range postgresTimeouts {
		if q.Get(kv[0]) == "" {
			q.Set(kv[0], kv[1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Ping reports whether the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// Close closes both handles.
func (d *DB) Close() error {
	var errs []error
	d.stmts.Range(func(_, st any) bool {
		errs = append(errs, st.(*sql.Stmt).Close())
		return true
	})
	for _, g := range []*gorm.DB{d.W, d.R} {
		if s, err := g.DB(); err == nil {
			errs = append(errs, s.Close())
		}
		if d.W == d.R {
			break
		}
	}
	return errors.Join(errs...)
}

// IsDuplicate reports whether err is a unique-constraint violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// IsNotFound reports whether err means no row matched.
func IsNotFound(err error) bool {
	return errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows)
}

// quietLogger logs slow queries and real failures, but not the unique-key
// violations that services expect and turn into form messages.
type quietLogger struct{ logger.Interface }

func (q quietLogger) LogMode(l logger.LogLevel) logger.Interface {
	return quietLogger{q.Interface.LogMode(l)}
}

func (q quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if isUniqueViolation(err) {
		err = nil
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// Optimize refreshes the query planner's statistics; a nightly job runs it.
// SQLite keeps none until asked (PostgreSQL's autovacuum does this itself), and
// without them it can pick an index that reads every row of a large table.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Dialect != SQLite {
		return nil
	}
	return d.W.WithContext(ctx).Exec("PRAGMA analysis_limit = 1000; ANALYZE").Error
}

// Prepare returns query prepared on the writer, once per database and kept
// for its life: for hot writes whose parsing would cost more than running
// them (SQLite compiles a table's triggers into every INSERT it prepares).
// Call it before the transaction that uses the statement: on SQLite the
// writer is one connection, which the transaction would be holding.
func (d *DB) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return d.prepare(ctx, d.W, "w:"+query, query)
}

// PrepareRead is Prepare on the read pool, for hot reads outside transactions.
func (d *DB) PrepareRead(ctx context.Context, query string) (*sql.Stmt, error) {
	return d.prepare(ctx, d.R, "r:"+query, query)
}

// prepare prepares query on g once, kept under key.
func (d *DB) prepare(ctx context.Context, g *gorm.DB, key, query string) (*sql.Stmt, error) {
	if st, ok := d.stmts.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	pool, err := g.DB()
	if err != nil {
		return nil, err
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := d.stmts.LoadOrStore(key, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// InTx returns a statement from Prepare bound to tx, or nil when tx is not
// a database/sql transaction. Binding reuses the connection's prepared form.
func InTx(ctx context.Context, tx *gorm.DB, st *sql.Stmt) *sql.Stmt {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok || st == nil {
		return nil
	}
	return sqlTx.StmtContext(ctx, st)
}
