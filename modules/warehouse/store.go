package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
)

// stmts are the ledger's prepared statements: a movement is the module's hot
// write (every reservation of every request line), and preparing its SQL each
// time cost more than running it (SQLite compiles the tables' triggers into
// every statement it prepares).
type stmts struct {
	update, insert, department, audit *sql.Stmt
}

// updateSQL moves an item's cached columns by a movement's changes ($1 on
// hand, $2 reserved) only if the result keeps 0 ≤ reserved ≤ on hand (so on
// hand ≥ 0): one guarded statement, so two movements at once can never both
// take the last units. The same statement holds the rest of what the item
// must be, as it is at that moment: a whole unit moves only in whole units,
// new stock and new promises need an active item ($4 = 1), and a count
// applies only to the stock it was made against ($5, −1 for none).
// RETURNING gives the balance the movement left, for its ledger row.
var updateSQL = `UPDATE warehouse_items SET on_hand = on_hand + $1, reserved = reserved + $2
	WHERE id = $3 AND reserved + $2 >= 0 AND on_hand + $1 >= reserved + $2
	  AND (unit IN ` + measuredUnitsSQL() + ` OR ($1 % ` + strconv.Itoa(QtyScale) + ` = 0 AND $2 % ` + strconv.Itoa(QtyScale) + ` = 0))
	  AND ($4 = 0 OR active) AND ($5 < 0 OR on_hand = $5)
	RETURNING on_hand, reserved`

// measuredUnitsSQL is the SQL list of the units that take decimals.
func measuredUnitsSQL() string {
	var codes []string
	for _, u := range Units {
		if !u.Whole {
			codes = append(codes, "'"+u.Code+"'")
		}
	}
	return "(" + strings.Join(codes, ", ") + ")"
}

// insertSQL writes a ledger row.
const insertSQL = `INSERT INTO warehouse_movements (item_id, kind, quantity, reserved, on_hand_after, reserved_after,
	  department_id, supplier, delivery_note, reason, request_line_id, actor_id, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`

// departmentSQL counts the department a movement names (0 or 1).
const departmentSQL = `SELECT COUNT(*) FROM departments WHERE id = $1`

// prepare readies the statements; like db.Prepare, call it before the
// transaction (each is prepared once per database and kept).
func (s *Service) prepare(ctx context.Context) (*stmts, error) {
	var st stmts
	var err error
	insert := insertSQL
	if s.db.Dialect == db.Postgres {
		insert += " RETURNING id"
	}
	for _, p := range []struct {
		to  **sql.Stmt
		sql string
	}{{&st.update, updateSQL}, {&st.insert, insert}, {&st.department, departmentSQL}} {
		if *p.to, err = s.db.Prepare(ctx, p.sql); err != nil {
			return nil, err
		}
	}
	if st.audit, err = audit.Prepare(ctx, s.db); err != nil {
		return nil, err
	}
	return &st, nil
}

// errNoTx is a statement run outside a database/sql transaction: a bug.
var errNoTx = errors.New("warehouse: a movement runs inside a transaction")

// guardedUpdate runs the update for c and returns the balance it left, or
// nil when the guard refused it (no row).
func guardedUpdate(ctx context.Context, tx *gorm.DB, st *stmts, c change) (*stock, error) {
	up := db.InTx(ctx, tx, st.update)
	if up == nil {
		return nil, errNoTx
	}
	active, expected := 0, Qty(-1)
	if c.active {
		active = 1
	}
	if c.expected != nil {
		expected = *c.expected
	}
	var after stock
	err := up.QueryRowContext(ctx, c.mv.Quantity, c.mv.Reserved, c.mv.ItemID, active, expected).Scan(&after.OnHand, &after.Reserved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// insertMovement writes mv and sets its id.
func (s *Service) insertMovement(ctx context.Context, tx *gorm.DB, st *stmts, mv *Movement) error {
	ins := db.InTx(ctx, tx, st.insert)
	if ins == nil {
		return errNoTx
	}
	args := []any{mv.ItemID, mv.Kind, mv.Quantity, mv.Reserved, mv.OnHandAfter, mv.ReservedAfter,
		mv.DepartmentID, mv.Supplier, mv.DeliveryNote, mv.Reason, mv.RequestLineID, mv.ActorID, mv.CreatedAt}
	if s.db.Dialect == db.Postgres {
		return ins.QueryRowContext(ctx, args...).Scan(&mv.ID)
	}
	res, err := ins.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	mv.ID = uint(id)
	return err
}

// departmentExists reports whether the department with id exists.
func departmentExists(ctx context.Context, tx *gorm.DB, st *stmts, id uint) (bool, error) {
	q := db.InTx(ctx, tx, st.department)
	if q == nil {
		return false, errNoTx
	}
	var n int64
	err := q.QueryRowContext(ctx, id).Scan(&n)
	return n > 0, err
}
