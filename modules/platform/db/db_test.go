package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

type widget struct {
	ID   uint
	Name string `gorm:"size:50"`
}

var steps = []db.Migration{{
	ID:       "test/0001_unique_name",
	SQLite:   []string{"CREATE UNIQUE INDEX widgets_name ON widgets (name)"},
	Postgres: []string{"CREATE UNIQUE INDEX widgets_name ON widgets (name)"},
}}

func TestMigrateRunsStepsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for i := 0; i < 2; i++ { // a second start must not re-run the step (it would fail)
			if err := d.Migrate(ctx, []any{&widget{}}, steps); err != nil {
				t.Fatalf("Migrate #%d: %v", i+1, err)
			}
		}
		if err := d.W.Create(&widget{Name: "a"}).Error; err != nil {
			t.Fatal(err)
		}
		err := d.W.Create(&widget{Name: "a"}).Error
		if !db.IsDuplicate(err) {
			t.Errorf("duplicate insert error = %v; want a duplicate-key error from the migrated index", err)
		}
	})
}

func TestConcurrentMigrate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// Several replicas starting at once share one database.
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- d.Migrate(context.Background(), []any{&widget{}}, steps)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent Migrate: %v", err)
			}
		}
	})
}

func TestTxRollsBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, []any{&widget{}}, nil); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Create(&widget{Name: "gone"}).Error; err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Tx error = %v; want boom", err)
		}
		var n int64
		d.R.Model(&widget{}).Count(&n)
		if n != 0 {
			t.Errorf("rows after a failed Tx = %d; want 0", n)
		}
	})
}

// SQLite serialises writers on one connection: many goroutines writing at
// once all succeed instead of failing with "database is locked".
func TestConcurrentWritesDoNotLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, []any{&widget{}}, nil); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- d.Tx(ctx, func(tx *gorm.DB) error {
					var n int64
					if err := tx.Model(&widget{}).Count(&n).Error; err != nil {
						return err
					}
					return tx.Create(&widget{Name: string(rune('A' + i%26))}).Error
				})
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent write: %v", err)
			}
		}
		var n int64
		d.R.Model(&widget{}).Count(&n)
		if n != 40 {
			t.Errorf("rows = %d; want 40", n)
		}
	})
}

func TestSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, nil, nil); err != nil {
			t.Fatal(err)
		}
		if v, err := d.GetSetting(ctx, "demo"); err != nil || v != "" {
			t.Errorf("GetSetting(unset) = %q, %v; want empty", v, err)
		}
		d.SetSetting(ctx, "demo", "1")
		d.SetSetting(ctx, "demo", "2")
		if v, _ := d.GetSetting(ctx, "demo"); v != "2" {
			t.Errorf("GetSetting after two sets = %q; want 2", v)
		}
	})
}

// Every SQLite connection, the writer and each reader, keeps its temporary
// journals in memory (sqliteDriver) and runs in WAL mode.
func TestSQLiteConnectionSettings(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	for name, g := range map[string]*gorm.DB{"writer": d.W, "reader": d.R} {
		var store int
		var mode string
		if err := g.Raw("PRAGMA temp_store").Scan(&store).Error; err != nil {
			t.Fatal(err)
		}
		if err := g.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil {
			t.Fatal(err)
		}
		if store != 2 || mode != "wal" {
			t.Errorf("%s: temp_store = %d, journal_mode = %s; want 2 (memory), wal", name, store, mode)
		}
	}
}
