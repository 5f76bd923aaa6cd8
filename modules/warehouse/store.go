package warehouse

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
)

// stmts are the ledger's prepared statements: a movement is the module's hot
// write (every reservation of every request line), and preparing its SQL each
// time cost more than running it (SQLite compiles the tables' triggers into
// every statement it prepares). department serves only whyRefused: the
// update checks the department itself.
type stmts struct {
	update, insert, department, audit *sql.Stmt
	// post, on PostgreSQL only, is the whole movement in one statement
	// (postSQL); nil elsewhere, where post runs update, insert and audit.
	post *sql.Stmt
	// bound are update and insert bound to the transaction they last ran
	// in: a shared SQLite commit runs up to 64 movements in one transaction,
	// and binding both again for each (Tx.Stmt, under the pool's lock) was
	// Go time the one writer spent while everyone waited.
	bound atomic.Pointer[txStmts]
}

// txStmts are stmts' update and insert bound to tx.
type txStmts struct {
	tx             *sql.Tx
	update, insert *sql.Stmt
}

// bind returns st's update and insert bound to tx's transaction.
func (st *stmts) bind(ctx context.Context, tx *gorm.DB) (*txStmts, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errNoTx
	}
	if b := st.bound.Load(); b != nil && b.tx == sqlTx {
		return b, nil
	}
	b := &txStmts{tx: sqlTx, update: sqlTx.StmtContext(ctx, st.update), insert: sqlTx.StmtContext(ctx, st.insert)}
	st.bound.Store(b)
	return b, nil
}

// preparedLedger keeps each database's stmts once prepare made them, so a
// movement neither looks up its statements again nor loses their bindings.
var preparedLedger sync.Map // *db.DB → *stmts

// stockGuardSQL moves an item's cached columns by a movement's changes ($1 on
// hand, $2 reserved) only if the result keeps 0 ≤ reserved ≤ on hand (so on
// hand ≥ 0): one guarded statement, so two movements at once can never both
// take the last units. The same statement holds the rest of what the item
// must be, as it is at that moment: a whole unit moves only in whole units,
// new stock and new promises need an active item ($4 = 1), a count applies
// only to the stock it was made against ($5, −1 for none), and the
// department a movement names ($6, 0 for none) exists, which costs no
// statement of its own.
var stockGuardSQL = `UPDATE warehouse_items SET on_hand = on_hand + $1, reserved = reserved + $2
	WHERE id = $3 AND reserved + $2 >= 0 AND on_hand + $1 >= reserved + $2
	  AND (unit IN ` + measuredUnitsSQL() + ` OR ($1 % ` + strconv.Itoa(QtyScale) + ` = 0 AND $2 % ` + strconv.Itoa(QtyScale) + ` = 0))
	  AND ($4 = 0 OR active) AND ($5 < 0 OR on_hand = $5)
	  AND ($6 = 0 OR EXISTS (SELECT 1 FROM departments WHERE id = $6))`

// updateSQL is the guarded update; RETURNING gives the balance the movement
// left, for its ledger row.
var updateSQL = stockGuardSQL + `
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

// movementColumns are a ledger row's columns, in the order insertSQL and
// postSQL give them.
const movementColumns = `item_id, kind, quantity, reserved, on_hand_after, reserved_after,
	  department_id, supplier, delivery_note, reason, request_line_id, actor_id, created_at`

// insertSQL writes a ledger row.
const insertSQL = `INSERT INTO warehouse_movements (` + movementColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`

// departmentSQL counts the department a movement names (0 or 1).
const departmentSQL = `SELECT COUNT(*) FROM departments WHERE id = $1`

// postSQL is a whole movement on PostgreSQL in one statement: the guarded
// update, the ledger row with the balance it left, and the audit row, each a
// part of one WITH. One statement is one round trip instead of six (begin,
// department, update, ledger, audit, commit), and alone it is its own
// transaction: all three rows or none. It returns the ledger row's id and
// balance, or no row when the guard refused. The audit row's JSON is the
// one audit.RecordPrepared would write: Go marshals it around the three
// numbers only the statement knows (movementJSON), and qtySQL writes those
// as Qty's JSON does. Parameters: $1–$6 stockGuardSQL's; $7–$13 the ledger
// row's kind, supplier, delivery note, reason, request line, actor, time;
// $14–$19 the audit row's time, actor name, channel, ip, action, entity;
// $20–$22 its before around the two numbers, $23–$26 its after around three.
var postSQL = `WITH up AS (` + stockGuardSQL + `
	RETURNING on_hand, reserved),
	mv AS (INSERT INTO warehouse_movements (` + movementColumns + `)
	  SELECT $3, $7::text, $1, $2, on_hand, reserved, NULLIF($6, 0), $8::text, $9::text, $10::text,
	    $11::bigint, $12::bigint, $13::timestamptz FROM up
	  RETURNING id, on_hand_after, reserved_after),
	au AS (INSERT INTO audit_log (at, actor_id, actor_name, channel, ip, action, entity, entity_id, "before", "after")
	  SELECT $14::timestamptz, $12, $15::text, $16::text, $17::text, $18::text, $19::text, $3::text,
	    $20::text || ` + qtySQL("on_hand_after - $1") + ` || $21::text || ` + qtySQL("reserved_after - $2") + ` || $22::text,
	    $23::text || id::text || $24::text || ` + qtySQL("on_hand_after") + ` || $25::text || ` + qtySQL("reserved_after") + ` || $26::text
	  FROM mv)
	SELECT id, on_hand_after, reserved_after FROM mv`

// qtySQL writes the Qty expr in PostgreSQL as Qty.String does: units with
// only the decimals needed ("3", "2.5", "-0.125").
func qtySQL(expr string) string {
	return `trim_scale((` + expr + `)::numeric / ` + strconv.Itoa(QtyScale) + `)::text`
}

// stockJSON is an audit row's before (stock) around its two numbers.
var stockJSON = mustSplitJSON(stock{}, "on_hand", "reserved")

// movementJSON is mv's JSON, the audit row's after, around the numbers
// postSQL learns: its id and the balance it left.
func movementJSON(mv Movement) ([]string, error) {
	return splitJSON(mv, "ID", "OnHandAfter", "ReservedAfter")
}

// splitJSON marshals v and cuts out the number of each key, in order: the
// parts around them. Only a key can be followed by an unescaped `":`, so a
// string field cannot be mistaken for one.
func splitJSON(v any, keys ...string) ([]string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	rest := string(b)
	parts := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		key := `"` + k + `":`
		i := strings.Index(rest, key)
		if i < 0 {
			return nil, fmt.Errorf("warehouse: no %s in %s", k, b)
		}
		i += len(key)
		parts = append(parts, rest[:i])
		rest = rest[i:]
		rest = rest[strings.IndexAny(rest, ",}"):]
	}
	return append(parts, rest), nil
}

// mustSplitJSON is splitJSON of a fixed type, which fails only by a bug.
func mustSplitJSON(v any, keys ...string) []string {
	parts, err := splitJSON(v, keys...)
	if err != nil {
		panic(err)
	}
	return parts
}

// prepare readies the statements; like db.Prepare, call it before the
// transaction (each is prepared once per database and kept).
func (s *Service) prepare(ctx context.Context) (*stmts, error) {
	if st, ok := preparedLedger.Load(s.db); ok {
		return st.(*stmts), nil
	}
	st := &stmts{}
	type prepared struct {
		to  **sql.Stmt
		sql string
	}
	todo := []prepared{{&st.update, updateSQL}, {&st.insert, insertSQL}, {&st.department, departmentSQL}}
	if s.db.Dialect == db.Postgres {
		todo = []prepared{{&st.post, postSQL}, {&st.department, departmentSQL}}
	}
	var err error
	for _, p := range todo {
		if *p.to, err = s.db.Prepare(ctx, p.sql); err != nil {
			return nil, err
		}
	}
	if s.db.Dialect == db.SQLite {
		if st.audit, err = audit.Prepare(ctx, s.db); err != nil {
			return nil, err
		}
	}
	got, _ := preparedLedger.LoadOrStore(s.db, st)
	return got.(*stmts), nil
}

// errNoTx is a statement run outside a database/sql transaction: a bug.
var errNoTx = errors.New("warehouse: a movement runs inside a transaction")

// guardArgs are stockGuardSQL's parameters for c.
func guardArgs(c change) []any {
	active, expected, department := 0, Qty(-1), uint(0)
	if c.active {
		active = 1
	}
	if c.expected != nil {
		expected = *c.expected
	}
	if c.mv.DepartmentID != nil {
		department = *c.mv.DepartmentID
	}
	return []any{c.mv.Quantity, c.mv.Reserved, c.mv.ItemID, active, expected, department}
}

// write writes p in tx: the guarded update, the ledger row and the audit
// row, and sets p.mv's id and balance; false when the guard refused it, and
// then nothing was written.
func (p *posting) write(ctx context.Context, tx *gorm.DB, st *stmts) (bool, error) {
	if st.post != nil {
		q := db.InTx(ctx, tx, st.post)
		if q == nil {
			return false, errNoTx
		}
		return p.writeOne(ctx, q)
	}
	b, err := st.bind(ctx, tx)
	if err != nil {
		return false, err
	}
	after, err := guardedUpdate(ctx, b.update, p.c)
	if err != nil || after == nil {
		return false, err
	}
	mv := &p.mv
	mv.OnHandAfter, mv.ReservedAfter = after.OnHand, after.Reserved
	if err := insertMovement(ctx, b.insert, mv); err != nil {
		return false, err
	}
	before := stockJSON[0] + (mv.OnHandAfter - mv.Quantity).String() + stockJSON[1] + (mv.ReservedAfter - mv.Reserved).String() + stockJSON[2]
	return true, audit.RecordPrepared(tx, st.audit, p.a, "warehouse."+mv.Kind, itemEntity, mv.ItemID,
		json.RawMessage(before), json.RawMessage(p.afterJSON()))
}

// afterJSON is the audit row's after once the write set p.mv's numbers:
// json.Marshal(p.mv), written by Go before the writer took its turn.
func (p *posting) afterJSON() string {
	mv := &p.mv
	return p.after[0] + strconv.FormatUint(uint64(mv.ID), 10) + p.after[1] + mv.OnHandAfter.String() +
		p.after[2] + mv.ReservedAfter.String() + p.after[3]
}

// writeOne is write through postSQL's statement q, bound to a transaction
// or alone, where it is its own.
func (p *posting) writeOne(ctx context.Context, q *sql.Stmt) (bool, error) {
	mv := &p.mv
	e := audit.NewEntry(p.a, "warehouse."+mv.Kind, itemEntity, mv.ItemID)
	args := append(guardArgs(p.c), mv.Kind, mv.Supplier, mv.DeliveryNote, mv.Reason, mv.RequestLineID, mv.ActorID, mv.CreatedAt,
		e.At, e.ActorName, e.Channel, e.IP, e.Action, e.Entity, stockJSON[0], stockJSON[1], stockJSON[2],
		p.after[0], p.after[1], p.after[2], p.after[3])
	err := q.QueryRowContext(ctx, args...).Scan(&mv.ID, &mv.OnHandAfter, &mv.ReservedAfter)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// guardedUpdate runs the update for c through up and returns the balance
// it left, or nil when the guard refused it (no row).
func guardedUpdate(ctx context.Context, up *sql.Stmt, c change) (*stock, error) {
	var onHand, reserved int64
	err := up.QueryRowContext(ctx, guardArgs(c)...).Scan(&onHand, &reserved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &stock{OnHand: Qty(onHand), Reserved: Qty(reserved)}, nil
}

// insertMovement writes mv through ins and sets its id (SQLite: PostgreSQL
// writes it in postSQL).
func insertMovement(ctx context.Context, ins *sql.Stmt, mv *Movement) error {
	res, err := ins.ExecContext(ctx, mv.ItemID, mv.Kind, mv.Quantity, mv.Reserved, mv.OnHandAfter, mv.ReservedAfter,
		mv.DepartmentID, mv.Supplier, mv.DeliveryNote, mv.Reason, mv.RequestLineID, mv.ActorID, mv.CreatedAt)
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
