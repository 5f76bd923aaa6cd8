package warehouse

import (
	"strings"

	"kapu/modules/platform/db"
)

// Constraint names, the same on both databases, for db.IsConstraint.
const (
	// ConstraintOnHand refuses a negative stock.
	ConstraintOnHand = "warehouse_on_hand"
	// ConstraintReserved refuses a negative reservation, or one above the stock.
	ConstraintReserved = "warehouse_reserved"
	// ConstraintMovement refuses a ledger row of an unknown kind or one that
	// changes nothing.
	ConstraintMovement = "warehouse_movement"
)

// Migrations are the stock invariants the database keeps itself, whatever
// the service checked: on hand ≥ 0 and 0 ≤ reserved ≤ on hand on every item
// row; a ledger row is one of Kinds, moves something, and is never changed
// once written (a correction is a new row). PostgreSQL
// states them as named CHECK constraints; SQLite, which cannot add a
// constraint to a table GORM created, as triggers that RAISE the same names.
// The service's guarded update (post) never lets them fire: they are the
// backstop for a bug or a hand-written UPDATE.
func Migrations() []db.Migration {
	kinds := "('" + strings.Join(Kinds, "','") + "')"
	stockSQLite := func(name, event string) string {
		return `CREATE TRIGGER warehouse_stock_` + name + ` BEFORE ` + event + ` ON warehouse_items
		 BEGIN
		   SELECT RAISE(ABORT, '` + ConstraintOnHand + `') WHERE NEW.on_hand < 0;
		   SELECT RAISE(ABORT, '` + ConstraintReserved + `') WHERE NEW.reserved < 0 OR NEW.reserved > NEW.on_hand;
		 END`
	}
	return []db.Migration{{
		ID: "warehouse/0001_stock_guards",
		SQLite: []string{
			stockSQLite("insert", "INSERT"),
			stockSQLite("update", "UPDATE OF on_hand, reserved"),
			`CREATE TRIGGER warehouse_movement_insert BEFORE INSERT ON warehouse_movements
			 BEGIN
			   SELECT RAISE(ABORT, '` + ConstraintMovement + `')
			   WHERE NEW.kind NOT IN ` + kinds + ` OR (NEW.quantity = 0 AND NEW.reserved = 0);
			 END`,
			`CREATE TRIGGER warehouse_movement_update BEFORE UPDATE ON warehouse_movements
			 BEGIN
			   SELECT RAISE(ABORT, '` + ConstraintMovement + `');
			 END`,
		},
		Postgres: []string{
			`ALTER TABLE warehouse_items ADD CONSTRAINT ` + ConstraintOnHand + ` CHECK (on_hand >= 0)`,
			`ALTER TABLE warehouse_items ADD CONSTRAINT ` + ConstraintReserved + ` CHECK (reserved >= 0 AND reserved <= on_hand)`,
			`ALTER TABLE warehouse_movements ADD CONSTRAINT ` + ConstraintMovement +
				` CHECK (kind IN ` + kinds + ` AND (quantity <> 0 OR reserved <> 0))`,
			`CREATE FUNCTION warehouse_movement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
			 BEGIN
			   RAISE EXCEPTION '` + ConstraintMovement + `';
			 END $$`,
			`CREATE TRIGGER warehouse_movement_update BEFORE UPDATE ON warehouse_movements
			 FOR EACH ROW EXECUTE FUNCTION warehouse_movement_frozen()`,
		},
	}, {
		// The statistics' reads of a ledger of millions of rows (stats.go,
		// stats_rollup.go): a month's rows and the open month's by time; an
		// item's last row before a day; the rows that emptied a shelf.
		ID:       "warehouse/0002_stats_indexes",
		SQLite:   statsIndexes,
		Postgres: statsIndexes,
	}, {
		// The department's index served the statistics' direct reading,
		// which the rollup replaced (its months are read by time); every
		// movement paid for it, the reservations' throughput first.
		ID:       "warehouse/0003_drop_department_index",
		SQLite:   []string{`DROP INDEX IF EXISTS warehouse_movement_department`},
		Postgres: []string{`DROP INDEX IF EXISTS warehouse_movement_department`},
	}}
}

// statsIndexes are the ledger's indexes for the statistics, the same SQL on
// both databases.
var statsIndexes = []string{
	`CREATE INDEX warehouse_movement_time ON warehouse_movements (created_at)`,
	`CREATE INDEX warehouse_movement_item_time ON warehouse_movements (item_id, created_at, id)`,
	`CREATE INDEX warehouse_movement_empty ON warehouse_movements (created_at) WHERE on_hand_after = 0`,
}
