package db_test

import (
	"context"
	"errors"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// guards are throwaway tables with each kind of named guard: a unique index,
// an overlap guard (PostgreSQL's exclusion constraint, SQLite's trigger) and
// a trigger that refuses by name on both.
var guards = []db.Migration{{
	ID: "test/0001_guards",
	SQLite: []string{
		`CREATE TABLE ct_items (id INTEGER PRIMARY KEY, code TEXT NOT NULL, n INTEGER NOT NULL)`,
		`CREATE UNIQUE INDEX ct_items_code ON ct_items (code)`,
		`CREATE TRIGGER ct_items_cap BEFORE INSERT ON ct_items
		 BEGIN SELECT RAISE(ABORT, 'ct_items_cap') WHERE NEW.n > 9; END`,
		`CREATE TABLE ct_slots (id INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL)`,
		`CREATE TRIGGER ct_slots_overlap BEFORE INSERT ON ct_slots
		 BEGIN SELECT RAISE(ABORT, 'ct_slots_overlap')
		   WHERE EXISTS (SELECT 1 FROM ct_slots s WHERE s.lo < NEW.hi AND s.hi > NEW.lo); END`,
	},
	Postgres: []string{
		`CREATE TABLE ct_items (id serial PRIMARY KEY, code text NOT NULL, n integer NOT NULL)`,
		`CREATE UNIQUE INDEX ct_items_code ON ct_items (code)`,
		`CREATE FUNCTION ct_items_cap() RETURNS trigger LANGUAGE plpgsql AS $$
		 BEGIN IF NEW.n > 9 THEN RAISE EXCEPTION 'ct_items_cap'; END IF; RETURN NEW; END $$`,
		`CREATE TRIGGER ct_items_cap BEFORE INSERT ON ct_items FOR EACH ROW EXECUTE FUNCTION ct_items_cap()`,
		`CREATE TABLE ct_slots (id serial PRIMARY KEY, lo integer NOT NULL, hi integer NOT NULL,
		   CONSTRAINT ct_slots_overlap EXCLUDE USING gist (int4range(lo, hi) WITH &&))`,
	},
}}

func TestIsConstraint(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background(), nil, guards); err != nil {
			t.Fatal(err)
		}
		exec := func(sql string) error { return d.W.Exec(sql).Error }
		for _, sql := range []string{`INSERT INTO ct_items (code, n) VALUES ('a', 1)`, `INSERT INTO ct_slots (lo, hi) VALUES (1, 5)`} {
			if err := exec(sql); err != nil {
				t.Fatal(err)
			}
		}
		// The raw driver error too: the booking fast path writes through database/sql.
		pool, err := d.W.DB()
		if err != nil {
			t.Fatal(err)
		}
		_, raw := pool.Exec(`INSERT INTO ct_items (code, n) VALUES ('a', 2)`)
		tests := []struct {
			what string
			err  error
			name string
			want bool
		}{
			{"unique", exec(`INSERT INTO ct_items (code, n) VALUES ('a', 2)`), "ct_items_code", true},
			{"unique, raw driver error", raw, "ct_items_code", true},
			{"unique, other name", exec(`INSERT INTO ct_items (code, n) VALUES ('a', 2)`), "ct_items_other", false},
			{"overlap", exec(`INSERT INTO ct_slots (lo, hi) VALUES (4, 8)`), "ct_slots_overlap", true},
			{"overlap, other name", exec(`INSERT INTO ct_slots (lo, hi) VALUES (4, 8)`), "ct_items_code", false},
			{"trigger", exec(`INSERT INTO ct_items (code, n) VALUES ('b', 10)`), "ct_items_cap", true},
			{"trigger, other name", exec(`INSERT INTO ct_items (code, n) VALUES ('b', 10)`), "ct_slots_overlap", false},
			{"no violation", exec(`INSERT INTO ct_slots (lo, hi) VALUES (5, 8)`), "ct_slots_overlap", false},
			{"not a database error", errors.New("ct_slots_overlap"), "ct_slots_overlap", false},
		}
		for _, tt := range tests {
			if got := db.IsConstraint(tt.err, tt.name); got != tt.want {
				t.Errorf("%s: IsConstraint(%v, %q) = %v; want %v", tt.what, tt.err, tt.name, got, tt.want)
			}
		}
		if err := exec(`INSERT INTO ct_items (code, n) VALUES ('a', 3)`); !db.IsDuplicate(err) {
			t.Errorf("IsDuplicate(%v) = false; want a duplicate once the driver's error is kept", err)
		}
	})
}
