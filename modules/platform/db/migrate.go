package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Migration is one versioned step that GORM's AutoMigrate cannot express: a trigger,
// an exclusion constraint, a partial index, a data fix. ID orders the steps and is
// recorded once applied, e.g. "people/0001_username_lower".
type Migration struct {
	ID       string
	SQLite   []string
	Postgres []string
	// Run, when set, runs after the statements, in the same transaction: a
	// data fix that must look at the schema first, e.g. copy a table only
	// where an older version created it.
	Run func(tx *gorm.DB) error
}

// appliedMigration records a migration that has run.
type appliedMigration struct {
	ID        string `gorm:"primaryKey;size:200"`
	AppliedAt time.Time
}

func (appliedMigration) TableName() string { return "schema_migrations" }

// Migrate creates or extends the tables of models and then applies, in the order
// given, every migration not yet recorded. It runs in one transaction; on PostgreSQL
// an advisory lock makes concurrent starts of several replicas wait for each other.
func (d *DB) Migrate(ctx context.Context, models []any, migrations []Migration) error {
	if err := d.migrate(ctx, models, migrations); err != nil {
		return err
	}
	return d.learnUniqueIndexes(ctx)
}

func (d *DB) migrate(ctx context.Context, models []any, migrations []Migration) error {
	return d.Tx(ctx, func(tx *gorm.DB) error {
		if d.Dialect == Postgres {
			// A schema change may rightly outlast a request's limits (see
			// postgresTimeouts), and a replica starting beside another waits
			// for its migrations; a few minutes, still not forever.
			for _, set := range []string{"SET LOCAL lock_timeout = '5min'", "SET LOCAL statement_timeout = '10min'"} {
				if err := tx.Exec(set).Error; err != nil {
					return fmt.Errorf("migration timeouts: %w", err)
				}
			}
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7426001)").Error; err != nil {
				return fmt.Errorf("migration lock: %w", err)
			}
		}
		if err := tx.AutoMigrate(append([]any{&appliedMigration{}, &Setting{}}, models...)...); err != nil {
			return fmt.Errorf("auto-migrate: %w", err)
		}
		var done []string
		if err := tx.Model(&appliedMigration{}).Pluck("id", &done).Error; err != nil {
			return err
		}
		applied := make(map[string]bool, len(done))
		for _, id := range done {
			applied[id] = true
		}
		for _, m := range migrations {
			if applied[m.ID] {
				continue
			}
			stmts := m.SQLite
			if d.Dialect == Postgres {
				stmts = m.Postgres
			}
			for _, s := range stmts {
				if err := tx.Exec(s).Error; err != nil {
					return fmt.Errorf("migration %s: %w", m.ID, err)
				}
			}
			if m.Run != nil {
				if err := m.Run(tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.ID, err)
				}
			}
			if err := tx.Create(&appliedMigration{ID: m.ID, AppliedAt: time.Now().UTC()}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
