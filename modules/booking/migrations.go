package booking

import (
	"strconv"
	"strings"

	"kapu/modules/platform/db"
)

// poolLockKey is the first key of the two-key advisory lock that serialises one
// pool's bookings on PostgreSQL; the second key is the resource id. Two keys keep
// it apart from the migration lock and from other modules' locks.
const poolLockKey = 7426500

// poolUsedSQL is the largest number of a pool's units already taken at any
// moment of NEW's interval. The sum of overlapping bookings only grows at a
// booking's start, so checking NEW's start and every start inside the interval
// is enough. self excludes the row being updated (empty on SQLite inserts,
// where NEW.id is not known yet). "o.block_end > NEW.start_at" follows from the
// other conditions; it is there so both reads are ranges of the (resource_id,
// block_end) index and a pool's past bookings are never read.
func poolUsedSQL(self string) string {
	return `SELECT COALESCE(MAX(x.used), 0) FROM (
	  SELECT (SELECT SUM(b.quantity) FROM bookings b
	          WHERE b.resource_id = NEW.resource_id ` + strings.ReplaceAll(self, "@", "b") + ` AND b.status IN ` + activeSQL + `
	            AND b.start_at <= p.t AND b.block_end > p.t) AS used
	  FROM (SELECT NEW.start_at AS t
	        UNION SELECT o.start_at FROM bookings o
	        WHERE o.resource_id = NEW.resource_id ` + strings.ReplaceAll(self, "@", "o") + ` AND o.status IN ` + activeSQL + `
	          AND o.block_end > NEW.start_at AND o.start_at > NEW.start_at AND o.start_at < NEW.block_end) p) x`
}

// sqliteTriggers returns the SQLite triggers for one event: "INSERT" or the
// UPDATE OF list. SQLite's single writer already serialises the checks.
func sqliteTriggers(name, event, self string) []string {
	capacity := `(SELECT quantity FROM booking_resources WHERE id = NEW.resource_id)`
	return []string{
		// Text comparison is time order only if every instant is UTC in the
		// driver's one format; refuse anything else rather than compare wrongly.
		`CREATE TRIGGER booking_guard_` + name + ` BEFORE ` + event + ` ON bookings
		 BEGIN
		   SELECT RAISE(ABORT, 'booking_not_utc') WHERE NEW.start_at NOT LIKE '____-__-__ __:__:__%+00:00'
		     OR NEW.end_at NOT LIKE '____-__-__ __:__:__%+00:00' OR NEW.block_end NOT LIKE '____-__-__ __:__:__%+00:00';
		   SELECT RAISE(ABORT, 'booking_bad_interval') WHERE NOT (NEW.end_at > NEW.start_at AND NEW.block_end >= NEW.end_at AND NEW.quantity >= 1);
		   SELECT RAISE(ABORT, 'booking_no_resource') WHERE ` + capacity + ` IS NULL;
		   SELECT RAISE(ABORT, 'booking_pooled_mismatch') WHERE NEW.pooled <> (` + capacity + ` > 1);
		 END`,
		`CREATE TRIGGER booking_overlap_` + name + ` BEFORE ` + event + ` ON bookings
		 WHEN NEW.status IN ` + activeSQL + ` AND ` + capacity + ` = 1
		 BEGIN
		   SELECT RAISE(ABORT, 'booking_overlap') WHERE EXISTS (
		     SELECT 1 FROM bookings b WHERE b.resource_id = NEW.resource_id ` + strings.ReplaceAll(self, "@", "b") + `
		       AND b.status IN ` + activeSQL + ` AND b.pooled = 0
		       AND b.block_end > NEW.start_at AND b.start_at < NEW.block_end);
		 END`,
		sqlitePoolTrigger(name, event, self),
	}
}

// sqlitePoolTrigger keeps a counted pool within its quantity on SQLite.
func sqlitePoolTrigger(name, event, self string) string {
	capacity := `(SELECT quantity FROM booking_resources WHERE id = NEW.resource_id)`
	return `CREATE TRIGGER booking_pool_` + name + ` BEFORE ` + event + ` ON bookings
		 WHEN NEW.status IN ` + activeSQL + ` AND ` + capacity + ` > 1
		 BEGIN
		   SELECT RAISE(ABORT, 'booking_pool_full')
		   WHERE NEW.quantity + (` + poolUsedSQL(self) + `) > ` + capacity + `;
		 END`
}

// pgGuard is the PostgreSQL trigger function: it sets pooled from the
// resource (so the exclusion constraint can trust it) and, for pools, checks
// the count under a per-pool lock: without the lock two transactions could
// each see room for one more.
func pgGuard() string {
	return `CREATE OR REPLACE FUNCTION booking_guard() RETURNS trigger LANGUAGE plpgsql AS $$
			 DECLARE
			   cap integer;
			   used integer;
			 BEGIN
			   SELECT quantity INTO cap FROM booking_resources WHERE id = NEW.resource_id;
			   IF cap IS NULL THEN
			     RAISE EXCEPTION 'booking_no_resource';
			   END IF;
			   NEW.pooled := cap > 1;
			   IF NOT NEW.pooled OR NEW.status NOT IN ` + activeSQL + ` THEN
			     RETURN NEW;
			   END IF;
			   PERFORM pg_advisory_xact_lock(` + strconv.Itoa(poolLockKey) + `, NEW.resource_id::integer);
			   ` + poolUsedSQL("AND @.id <> NEW.id") + ` INTO used;
			   IF used + NEW.quantity > cap THEN
			     RAISE EXCEPTION 'booking_pool_full';
			   END IF;
			   RETURN NEW;
			 END $$`
}

// poolHistoryMigration rewrites the pool checks of 0001 so they read only the
// bookings that reach into the new one's time: before, each pool booking read
// all of that pool's earlier bookings, which grows without end.
func poolHistoryMigration(update string) db.Migration {
	return db.Migration{
		ID: "booking/0003_pool_history",
		SQLite: []string{
			`DROP TRIGGER booking_pool_insert`, `DROP TRIGGER booking_pool_update`,
			sqlitePoolTrigger("insert", "INSERT", ""), sqlitePoolTrigger("update", update, "AND @.id <> NEW.id"),
		},
		Postgres: []string{pgGuard()},
	}
}

// Migrations are the invariants the database keeps itself, whatever the
// application checked before: an individual resource never has two active
// bookings that overlap, and a counted pool is never over its quantity at any
// moment. Buffers count (BlockEnd), intervals are half-open.
func Migrations() []db.Migration {
	const update = "UPDATE OF resource_id, start_at, end_at, block_end, status, quantity, pooled"
	sqlite := append(sqliteTriggers("insert", "INSERT", ""), sqliteTriggers("update", update, "AND @.id <> NEW.id")...)
	// Partial indexes: a plain booking has no hold, parent or series, so it
	// does not touch (and pay for) these at insert time.
	partial := []string{
		`CREATE INDEX idx_bookings_hold ON bookings (hold_until) WHERE status = 'hold'`,
		`CREATE INDEX idx_bookings_parent ON bookings (parent_id) WHERE parent_id IS NOT NULL`,
		`CREATE INDEX idx_bookings_series ON bookings (series_id) WHERE series_id IS NOT NULL`,
	}
	return []db.Migration{{
		ID:     "booking/0001_no_double_booking",
		SQLite: append(partial, sqlite...),
		Postgres: append(partial,
			`ALTER TABLE bookings ADD CONSTRAINT booking_interval
			   CHECK (end_at > start_at AND block_end >= end_at AND quantity >= 1)`,
			pgGuard(),
			`CREATE TRIGGER booking_guard BEFORE INSERT OR `+update+` ON bookings
			 FOR EACH ROW EXECUTE FUNCTION booking_guard()`,
			// int8range(id, id, '[]') makes the resource id comparable with && in
			// a gist index, so btree_gist is not needed.
			`ALTER TABLE bookings ADD CONSTRAINT booking_overlap EXCLUDE USING gist (
			   int8range(resource_id, resource_id, '[]') WITH &&,
			   tstzrange(start_at, block_end, '[)') WITH &&
			 ) WHERE (status IN `+activeSQL+` AND pooled = false)`,
		),
	}, adminMigration(), poolHistoryMigration(update)}
}
