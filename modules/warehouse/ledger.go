package warehouse

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/web"
)

// itemEntity is the audit log's name for an item; every movement is recorded
// against its item.
const itemEntity = "warehouse_item"

// Receipt is stock delivered by a supplier.
type Receipt struct {
	ItemID       uint
	Quantity     Qty
	Supplier     string
	DeliveryNote string
}

// Issue is stock handed over to a department. FromReserved says the whole
// quantity was reserved for it (a request's handover), so the reservation is
// used up with it; otherwise it comes out of what is available.
type Issue struct {
	ItemID        uint
	Quantity      Qty
	DepartmentID  uint
	FromReserved  bool
	RequestLineID *uint
}

// Return is stock a department brings back unused.
type Return struct {
	ItemID       uint
	Quantity     Qty
	DepartmentID uint
	Reason       string // optional
}

// Count is one item's line of a stock-take: what the storekeeper saw on the
// shelf (Counted) against what Kapu said when the sheet was made (Expected).
// A count made against a stock that has changed since is refused (ErrStale).
type Count struct {
	ItemID   uint
	Expected Qty
	Counted  Qty
	Reason   string
}

// WriteOff is stock that is gone: damaged, expired, lost.
type WriteOff struct {
	ItemID   uint
	Quantity Qty
	Reason   string
}

// Reservation is stock promised to (or withdrawn from) a request line.
type Reservation struct {
	ItemID        uint
	Quantity      Qty
	DepartmentID  uint // optional: the requesting department
	RequestLineID *uint
}

// change is what one movement does: its ledger row (kind, signed changes,
// particulars) and what the item must be for it to apply.
type change struct {
	mv Movement
	// active refuses the change on an item no longer stocked: new stock and
	// new promises. What is on the shelf of a retired item may still be
	// handed over, counted, returned, released and written off.
	active bool
	// expected, for a count, is the on hand the count was made against.
	expected *Qty
	// department requires the row's department (an issue, a return).
	department bool
	// then, when set, runs after the row in the same transaction (a
	// receipt reserves for the requests waiting for the item).
	then func(tx *gorm.DB, st *stmts, mv *Movement) error
}

// Receive records a delivery: on hand goes up.
func (s *Service) Receive(ctx context.Context, a actor.Actor, in Receipt) (*Movement, error) {
	var problems []error
	in.Supplier, in.DeliveryNote = trim(in.Supplier), trim(in.DeliveryNote)
	if !validLine(in.Supplier, maxSupplier) || !validLine(in.DeliveryNote, maxDeliveryNote) {
		problems = append(problems, ErrText)
	}
	if in.Supplier == "" {
		problems = append(problems, ErrSupplier)
	}
	if in.DeliveryNote == "" {
		problems = append(problems, ErrDeliveryNote)
	}
	return s.move(ctx, a, in.Quantity, problems, change{active: true, mv: Movement{
		ItemID: in.ItemID, Kind: KindReceipt, Quantity: in.Quantity,
		Supplier: in.Supplier, DeliveryNote: in.DeliveryNote,
	}, then: func(tx *gorm.DB, st *stmts, mv *Movement) error {
		return s.reserveWaiting(tx, st, a, mv.ItemID, mv.Quantity)
	}})
}

// Issue hands stock over to a department: on hand goes down, and with it the
// reservation when the stock was reserved for the handover.
func (s *Service) Issue(ctx context.Context, a actor.Actor, in Issue) (*Movement, error) {
	mv := Movement{ItemID: in.ItemID, Kind: KindIssue, Quantity: -in.Quantity,
		DepartmentID: optionalID(in.DepartmentID), RequestLineID: in.RequestLineID}
	if in.FromReserved {
		mv.Reserved = -in.Quantity
	}
	return s.move(ctx, a, in.Quantity, nil, change{department: true, mv: mv})
}

// Return takes back stock a department did not use: on hand goes up.
func (s *Service) Return(ctx context.Context, a actor.Actor, in Return) (*Movement, error) {
	var problems []error
	if !web.ValidText(in.Reason, maxReason) {
		problems = append(problems, ErrText)
	}
	return s.move(ctx, a, in.Quantity, problems, change{department: true, mv: Movement{
		ItemID: in.ItemID, Kind: KindReturn, Quantity: in.Quantity,
		DepartmentID: optionalID(in.DepartmentID), Reason: trim(in.Reason),
	}})
}

// Adjust posts a stock-take's difference: on hand becomes what was counted.
// A count below what is reserved is refused (BelowReserveError): those
// promises are released first, so the requests they served learn of it.
func (s *Service) Adjust(ctx context.Context, a actor.Actor, in Count) (*Movement, error) {
	var problems []error
	switch {
	case in.Counted < 0 || in.Expected < 0:
		problems = append(problems, ErrQuantity)
	case in.Counted > MaxQty || in.Expected > MaxQty:
		problems = append(problems, ErrTooMuch)
	case in.Counted == in.Expected:
		problems = append(problems, ErrNoDifference)
	}
	problems = append(problems, reasonProblems(in.Reason)...)
	// The update takes the difference only in the item's unit; as the stock
	// it applies to is Expected, the count is then whole for a whole unit.
	expected := in.Expected
	return s.move(ctx, a, 0, problems, change{expected: &expected, mv: Movement{
		ItemID: in.ItemID, Kind: KindAdjust, Quantity: in.Counted - in.Expected, Reason: trim(in.Reason),
	}})
}

// WriteOff removes stock that is gone: on hand goes down; reserved stock is
// released first, as with a count.
func (s *Service) WriteOff(ctx context.Context, a actor.Actor, in WriteOff) (*Movement, error) {
	return s.move(ctx, a, in.Quantity, reasonProblems(in.Reason), change{mv: Movement{
		ItemID: in.ItemID, Kind: KindWriteOff, Quantity: -in.Quantity, Reason: trim(in.Reason),
	}})
}

// Reserve promises available stock to a request line: reserved goes up.
func (s *Service) Reserve(ctx context.Context, a actor.Actor, in Reservation) (*Movement, error) {
	return s.move(ctx, a, in.Quantity, nil, change{active: true, mv: Movement{
		ItemID: in.ItemID, Kind: KindReserve, Reserved: in.Quantity,
		DepartmentID: optionalID(in.DepartmentID), RequestLineID: in.RequestLineID,
	}})
}

// Release withdraws a promise: reserved goes down.
func (s *Service) Release(ctx context.Context, a actor.Actor, in Reservation) (*Movement, error) {
	return s.move(ctx, a, in.Quantity, nil, change{mv: Movement{
		ItemID: in.ItemID, Kind: KindRelease, Reserved: -in.Quantity,
		DepartmentID: optionalID(in.DepartmentID), RequestLineID: in.RequestLineID,
	}})
}

// reasonProblems checks a reason that must be given.
func reasonProblems(reason string) []error {
	switch {
	case !web.ValidText(reason, maxReason):
		return []error{ErrText}
	case trim(reason) == "":
		return []error{ErrReason}
	}
	return nil
}

// move is every storekeeper's movement: who may, the input's problems all at
// once (size is the quantity the person named; a count checks its own),
// then post in one transaction. Concurrent movements share a commit on SQLite (db.Group);
// each one's outcome is its own. On PostgreSQL a movement with nothing to do
// after it is one statement (postSQL), run alone: its own transaction, one
// round trip. Only when that is refused does post run, to learn why.
func (s *Service) move(ctx context.Context, a actor.Actor, size Qty, problems []error, c change) (*Movement, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	if c.mv.Kind != KindAdjust {
		if err := checkQty(size, Unit{}); err != nil {
			problems = append(problems, err)
		}
	}
	if c.department && c.mv.DepartmentID == nil {
		problems = append(problems, ErrDepartment)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	st, err := s.prepare(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.posting(a, c)
	if err != nil {
		return nil, err
	}
	if st.post != nil && c.then == nil {
		done, err := p.writeOne(ctx, st.post)
		if err != nil {
			return nil, err
		}
		if done {
			return &p.mv, nil
		}
	}
	var out *Movement
	err = s.db.Group(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.postOne(tx, st, p)
		if err == nil && c.then != nil {
			err = c.then(tx, st, out)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// post applies c in the caller's transaction: the guarded update of the
// item's cache, the ledger row with the balance it left, and the audit row
// (write), so the cache can never disagree with a committed ledger. The
// update itself checks the item and the department (see stockGuardSQL);
// only a refused one reads them, to say why.
// post checks no rights: the exported movements do, and the request flow
// will post inside its own transactions under its own rules (with st from
// prepare, made before the transaction).
func (s *Service) post(tx *gorm.DB, st *stmts, a actor.Actor, c change) (*Movement, error) {
	p, err := s.posting(a, c)
	if err != nil {
		return nil, err
	}
	return s.postOne(tx, st, p)
}

// postOne is post of a posting made beforehand.
func (s *Service) postOne(tx *gorm.DB, st *stmts, p *posting) (*Movement, error) {
	ctx := tx.Statement.Context
	done, err := p.write(ctx, tx, st)
	if err == nil && !done {
		if s.refused != nil {
			s.refused()
		}
		// Refused: learn why under the row's lock, so the answer is about
		// the stock that refused it. If the stock changed back meanwhile
		// (another movement committed between the two statements), the
		// update holds now and cannot be refused while the lock is ours.
		if err = s.whyRefused(tx, st, p.c); err == nil {
			if done, err = p.write(ctx, tx, st); err == nil && !done {
				err = ErrShort // cannot happen under the lock; never post blind
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return &p.mv, nil
}

// posting is a movement ready to write: c's ledger row as a writes it now,
// and its audit row's JSON around the numbers only the write learns
// (movementJSON). It is made before the transaction, so that SQLite's one
// writer, which every movement waits for, only fills in those numbers.
type posting struct {
	a     actor.Actor
	c     change
	mv    Movement // write adds its id and the balance it leaves
	after []string
}

// posting makes c's posting by a.
func (s *Service) posting(a actor.Actor, c change) (*posting, error) {
	mv := c.mv
	mv.ActorID = actorID(a)
	mv.CreatedAt = s.now()
	after, err := movementJSON(mv)
	if err != nil {
		return nil, err
	}
	return &posting{a: a, c: c, mv: mv, after: after}, nil
}

// stock is an item's cached columns, as an audit row's before shows them.
type stock struct {
	OnHand   Qty `json:"on_hand"`
	Reserved Qty `json:"reserved"`
}

// whyRefused locks the item's row (PostgreSQL; SQLite's one writer already
// holds the database) and names every reason stockGuardSQL refused c; nil
// when none holds now. A department that does not exist comes first, as
// nothing about the item matters then.
func (s *Service) whyRefused(tx *gorm.DB, st *stmts, c change) error {
	if c.mv.DepartmentID != nil {
		ok, err := departmentExists(tx.Statement.Context, tx, st, *c.mv.DepartmentID)
		if err != nil {
			return err
		}
		if !ok {
			return ErrDepartment
		}
	}
	q := `SELECT id, unit, active, on_hand, reserved FROM warehouse_items WHERE id = ?`
	if s.db.Dialect == db.Postgres {
		q += ` FOR UPDATE`
	}
	var rows []Item
	if err := tx.Raw(q, c.mv.ItemID).Scan(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return ErrNotFound
	}
	it := rows[0]
	var problems []error
	if c.active && !it.Active {
		problems = append(problems, ErrInactive)
	}
	if it.UnitInfo().Whole && (!c.mv.Quantity.Whole() || !c.mv.Reserved.Whole()) {
		problems = append(problems, ErrFraction)
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	switch {
	case c.expected != nil && it.OnHand != *c.expected:
		return ErrStale
	case it.Reserved+c.mv.Reserved < 0:
		return &ShortError{ItemID: it.ID, Left: it.Reserved, Unit: it.Unit, Reserved: true}
	case it.OnHand+c.mv.Quantity >= it.Reserved+c.mv.Reserved:
		return nil
	case c.mv.Kind == KindAdjust:
		return &BelowReserveError{Reserved: it.Reserved, Unit: it.Unit}
	}
	return &ShortError{ItemID: it.ID, Left: it.Available(), Unit: it.Unit}
}

// Drift is an item whose cached stock differs from the sums of its ledger.
type Drift struct {
	ItemID         uint
	Code           string
	OnHand         Qty // cached
	Reserved       Qty // cached
	LedgerOnHand   Qty // summed
	LedgerReserved Qty // summed
}

// Verify sums the whole ledger per item and returns every item whose cache
// differs, by code. It changes nothing: a drift is a bug or a hand-made
// change, and a person must look at it (the nightly job reports it).
func (s *Service) Verify(ctx context.Context) ([]Drift, error) {
	var out []Drift
	err := s.db.R.WithContext(ctx).Raw(`SELECT i.id AS item_id, i.code, i.on_hand, i.reserved,
		  COALESCE(m.on_hand, 0) AS ledger_on_hand, COALESCE(m.reserved, 0) AS ledger_reserved
		FROM warehouse_items i
		LEFT JOIN (SELECT item_id, SUM(quantity) AS on_hand, SUM(reserved) AS reserved
		           FROM warehouse_movements GROUP BY item_id) m ON m.item_id = i.id
		WHERE i.on_hand <> COALESCE(m.on_hand, 0) OR i.reserved <> COALESCE(m.reserved, 0)
		ORDER BY i.code`).Scan(&out).Error
	return out, err
}

// optionalID is nil for 0.
func optionalID(id uint) *uint {
	if id == 0 {
		return nil
	}
	return &id
}

// actorID is the actor's person id, nil for the system.
func actorID(a actor.Actor) *uint { return optionalID(a.ID) }
