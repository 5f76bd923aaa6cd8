package db_test

import (
	"context"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// A read made inside a transaction through the read handle, with the
// context WithTx marks, runs in that transaction: it sees the transaction's
// own writes and needs no second connection. On PostgreSQL, with the pool
// cut to one connection, a read outside the transaction would wait forever.
func TestReadsInsideTxUseTheTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, []any{&widget{}}, nil); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.Postgres {
			pool, _ := d.W.DB()
			pool.SetMaxOpenConns(1) // the transaction holds the only connection
		}
		wait, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		err := d.Tx(wait, func(tx *gorm.DB) error {
			if err := tx.Create(&widget{Name: "unsaved"}).Error; err != nil {
				return err
			}
			tests := []struct {
				name string
				ctx  context.Context
			}{
				{"WithTx", db.WithTx(wait, tx)},
				{"the tx's own context", tx.Statement.Context},
			}
			for _, tt := range tests {
				var n int64
				if err := d.R.WithContext(tt.ctx).Model(&widget{}).Where("name = ?", "unsaved").Count(&n).Error; err != nil {
					t.Errorf("read through R with %s: %v; want it answered inside the transaction", tt.name, err)
				} else if n != 1 {
					t.Errorf("read through R with %s = %d rows; want 1 (the transaction's own write)", tt.name, n)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// After the transaction the same handle reads as usual.
		var n int64
		if err := d.R.WithContext(ctx).Model(&widget{}).Count(&n).Error; err != nil || n != 1 {
			t.Errorf("read after the transaction = %d, %v; want 1", n, err)
		}
	})
}

// Every PostgreSQL connection carries the lock, statement and
// idle-in-transaction limits, and a DSN that sets one keeps its own; a lock
// wait past lock_timeout is reported as a lock timeout.
func TestPostgresTimeouts(t *testing.T) {
	if os.Getenv("KAPU_TEST_POSTGRES") == "" {
		t.Skip("KAPU_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	show := func(d *db.DB, name string) string {
		var v string
		if err := d.R.Raw("SHOW " + name).Scan(&v).Error; err != nil {
			t.Fatal(err)
		}
		return v
	}
	d := dbtest.Open(t, db.Postgres)
	for _, tt := range []struct{ name, want string }{
		{"lock_timeout", "10s"}, {"statement_timeout", "30s"}, {"idle_in_transaction_session_timeout", "1min"},
	} {
		if got := show(d, tt.name); got != tt.want {
			t.Errorf("SHOW %s = %q; want %q", tt.name, got, tt.want)
		}
	}

	own, err := db.Open(dbtest.DSN(t, db.Postgres) + "&lock_timeout=200ms")
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if got := show(own, "lock_timeout"); got != "200ms" {
		t.Errorf("lock_timeout with the DSN's own = %q; want 200ms", got)
	}
	holder := own.W.WithContext(ctx).Begin()
	defer holder.Rollback()
	if err := holder.Exec("SELECT pg_advisory_xact_lock(1, 2)").Error; err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	err = own.Tx(ctx, func(tx *gorm.DB) error { return tx.Exec("SELECT pg_advisory_xact_lock(1, 2)").Error })
	if !db.IsLockTimeout(err) || time.Since(began) > 5*time.Second {
		t.Errorf("waiting for a held lock = %v after %v; want a lock timeout after about 200ms", err, time.Since(began))
	}
	if db.IsLockTimeout(nil) || db.IsLockTimeout(context.Canceled) {
		t.Errorf("IsLockTimeout is true for nil or a cancelled context")
	}
}
