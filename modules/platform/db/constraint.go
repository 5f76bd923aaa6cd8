package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/sqlite"
)

// IsConstraint reports whether err is the database refusing a write because
// of the constraint, unique index or trigger called name, on either dialect:
//   - PostgreSQL names the constraint of a unique (23505), exclusion (23P01),
//     foreign-key (23503) or check (23514) violation; a trigger function
//     refuses with RAISE EXCEPTION 'name'.
//   - SQLite's triggers refuse with RAISE(ABORT, 'name'); a unique index on
//     columns is reported by its columns, which Migrate learns for every
//     unique index (see learnUniqueIndexes); one on expressions by its name.
//
// So a module names a guard once, as the PostgreSQL constraint and as the
// SQLite trigger's message, and asks for that name.
func IsConstraint(err error, name string) bool {
	if err == nil || name == "" {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505", "23P01", "23503", "23514":
			return pg.ConstraintName == name
		case "P0001": // raise_exception
			return pg.Message == name
		}
		return false
	}
	var lite sqlite3.Error
	if !errors.As(err, &lite) || lite.Code != sqlite3.ErrConstraint {
		return false
	}
	msg := lite.Error()
	switch lite.ExtendedCode {
	case sqlite3.ErrConstraintTrigger:
		return msg == name
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		if msg == uniqueFailed+"index '"+name+"'" {
			return true
		}
		cols, ok := uniqueIndexes.Load(name)
		return ok && msg == uniqueFailed+cols.(string)
	}
	return false
}

// isUniqueViolation reports whether err is any unique-key violation, also
// before GORM translated it (the logger sees some errors raw).
func isUniqueViolation(err error) bool {
	if IsDuplicate(err) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite sqlite3.Error
	return errors.As(err, &lite) &&
		(lite.ExtendedCode == sqlite3.ErrConstraintUnique || lite.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// uniqueFailed starts SQLite's message for a unique violation.
const uniqueFailed = "UNIQUE constraint failed: "

// uniqueIndexes maps each SQLite unique index's name to the column list
// SQLite reports when it refuses a row ("table.a, table.b"). Index names are
// unique within a schema, and every Kapu database has the same schema, so one
// map serves all of a process's databases.
var uniqueIndexes sync.Map

// learnUniqueIndexes records the columns of every unique index, so
// IsConstraint can recognise a SQLite violation by the index's name.
func (d *DB) learnUniqueIndexes(ctx context.Context) error {
	if d.Dialect != SQLite {
		return nil
	}
	var rows []struct{ Index, Tbl, Col string }
	err := d.R.WithContext(ctx).Raw(`SELECT il.name AS "index", m.name AS tbl, ii.name AS col
		FROM sqlite_master m
		JOIN pragma_index_list(m.name) il
		JOIN pragma_index_info(il.name) ii
		WHERE m.type = 'table' AND il."unique" = 1 AND ii.name IS NOT NULL
		ORDER BY il.name, ii.seqno`).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("unique indexes: %w", err)
	}
	cols := map[string][]string{}
	for _, r := range rows {
		cols[r.Index] = append(cols[r.Index], r.Tbl+"."+r.Col)
	}
	for name, list := range cols {
		uniqueIndexes.Store(name, strings.Join(list, ", "))
	}
	return nil
}

// keepCause is the SQLite dialector with errors translated the way the
// PostgreSQL one does it: the GORM error (ErrDuplicatedKey) wraps the
// driver's, so IsConstraint can still read which index refused the row.
type keepCause struct{ *sqlite.Dialector }

func (k keepCause) Translate(err error) error {
	if got := k.Dialector.Translate(err); got != err {
		return fmt.Errorf("%w: %w", got, err)
	}
	return err
}
