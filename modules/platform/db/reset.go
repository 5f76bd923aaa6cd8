package db

import (
	"context"
	"fmt"
)

// DropAll removes every table, view and trigger Kapu made, so that a demo
// database can start again from an empty schema (`kapu seed --demo --reset`).
// Callers decide whether the database may be dropped; this only does it.
func (d *DB) DropAll(ctx context.Context) error {
	w := d.W.WithContext(ctx)
	if d.Dialect == Postgres {
		// The connection's schema (public, or a test's own): dropping it
		// takes the functions and types of the migrations with it.
		var schema string
		if err := w.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
			return err
		}
		q := quoteIdent(schema)
		return w.Exec(fmt.Sprintf("DROP SCHEMA %s CASCADE; CREATE SCHEMA %s", q, q)).Error
	}
	var objs []struct{ Type, Name string }
	if err := w.Raw(`SELECT type, name FROM sqlite_master
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`).Scan(&objs).Error; err != nil {
		return err
	}
	// Foreign keys would make the order matter; the pragma only works outside
	// a transaction, and the writer is the one connection that runs these.
	if err := w.Exec("PRAGMA foreign_keys = OFF").Error; err != nil {
		return err
	}
	defer w.Exec("PRAGMA foreign_keys = ON")
	for _, o := range objs {
		if err := w.Exec(fmt.Sprintf("DROP %s IF EXISTS %s", o.Type, quoteIdent(o.Name))).Error; err != nil {
			return err
		}
	}
	return w.Exec("VACUUM").Error
}

// quoteIdent quotes a name for both dialects.
func quoteIdent(name string) string {
	out := []byte{'"'}
	for i := 0; i < len(name); i++ {
		if name[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, name[i])
	}
	return string(append(out, '"'))
}
