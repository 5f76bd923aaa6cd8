package warehouse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
)

// Errors of procurement and handover.
var (
	ErrLineNotFound = errs.New(errs.NotFound, "warehouse: no such request line")
	ErrLineState    = errs.New(errs.Conflict, "warehouse: the line is no longer at this step")
	ErrExpected     = errs.New(errs.Invalid, "warehouse: the expected day is past or more than a year ahead")
	ErrNothingReady = errs.New(errs.Conflict, "warehouse: nothing on the request is ready for this step")
)

func init() {
	for e, k := range map[error]string{
		ErrLineNotFound: "warehouse.procure.err.line_not_found", ErrLineState: "warehouse.procure.err.line_state",
		ErrExpected: "warehouse.procure.err.expected", ErrNothingReady: "warehouse.handover.err.nothing",
	} {
		messages[e] = k
	}
}

// WaitingLine is a line of an approved request still waiting for stock,
// with what the storekeeper needs to see beside it.
type WaitingLine struct {
	RequestLine
	DepartmentID uint
	RequesterID  uint
	DecidedAt    *time.Time
	// Order is the line's open order once it is ordered.
	Order *Order `gorm:"-"`
}

// ProcureList is the storekeeper's list to procure: every line with
// something still to buy, oldest approval first (the order a receipt
// serves them in).
func (s *Service) ProcureList(ctx context.Context, a actor.Actor) ([]WaitingLine, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	q := s.db.R.WithContext(ctx)
	rows, err := waitingLines(q, nil)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, 0, len(rows))
	for i := range rows {
		ids = append(ids, rows[i].ID)
	}
	var orders []Order
	if len(ids) > 0 {
		if err := q.Where("line_id IN ? AND received_at IS NULL", ids).Order("id").Find(&orders).Error; err != nil {
			return nil, err
		}
	}
	by := map[uint]*Order{}
	for i := range orders {
		by[orders[i].LineID] = &orders[i]
	}
	out := rows[:0]
	for i := range rows {
		if rows[i].ToProcure() <= 0 {
			continue
		}
		rows[i].Order = by[rows[i].ID]
		out = append(out, rows[i])
	}
	return out, nil
}

// waitingLines reads the lines to procure or ordered of approved requests
// through q, of item itemID when given, in order of approval.
func waitingLines(q *gorm.DB, itemID *uint) ([]WaitingLine, error) {
	q = q.Table("warehouse_request_lines l").
		Select("l.*, r.department_id, r.requester_id, r.decided_at").
		Joins("JOIN warehouse_requests r ON r.id = l.request_id").
		Where("l.state IN ? AND r.status = ?", []string{LineToProcure, LineOrdered}, RequestApproved)
	if itemID != nil {
		q = q.Where("l.item_id = ?", *itemID)
	}
	var rows []WaitingLine
	err := q.Order("r.decided_at, l.id").Scan(&rows).Error
	return rows, err
}

// onOrder is, per item, what open orders still bring: the part of each
// ordered line not yet reserved or handed over (LowStock's on order).
func onOrder(q *gorm.DB) (OnOrder, error) {
	var rows []struct {
		ItemID uint
		Qty    Qty
	}
	err := q.Table("warehouse_request_lines").Select("item_id, SUM(approved - reserved - issued) AS qty").
		Where("state = ? AND item_id IS NOT NULL", LineOrdered).Group("item_id").Scan(&rows).Error
	out := OnOrder{}
	for _, r := range rows {
		out[r.ItemID] = r.Qty
	}
	return out, err
}

// OnOrderNow is onOrder read now, for the low-stock list and its card.
func (s *Service) OnOrderNow(ctx context.Context) (OnOrder, error) {
	return onOrder(s.db.R.WithContext(ctx))
}

// OrderInput is the storekeeper's "order placed" for one line.
type OrderInput struct {
	Supplier string
	Expected calendar.Date // zero: unknown
}

// PlaceOrder records that line lineID's missing quantity was ordered: an
// Order row, the line goes ordered, the requester is told. Only a line to
// procure can be ordered (a second press is ErrLineState).
func (s *Service) PlaceOrder(ctx context.Context, a actor.Actor, lineID uint, in OrderInput) (*Order, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	var problems []error
	in.Supplier = trim(in.Supplier)
	switch {
	case !validLine(in.Supplier, maxSupplier):
		problems = append(problems, ErrText)
	case in.Supplier == "":
		problems = append(problems, ErrSupplier)
	}
	if !in.Expected.IsZero() {
		today := calendar.DateOf(s.now(), s.tz())
		if in.Expected.Before(today) || in.Expected.After(today.AddDays(maxNeededBy)) {
			problems = append(problems, ErrExpected)
		}
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	var o *Order
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		l, r, err := s.lockLine(tx, lineID)
		if err != nil {
			return err
		}
		if l.State != LineToProcure || l.ToProcure() <= 0 {
			return ErrLineState
		}
		now := s.now()
		o = &Order{LineID: l.ID, ItemID: l.ItemID, Supplier: in.Supplier, ExpectedOn: in.Expected,
			Quantity: l.ToProcure(), ActorID: actorID(a), CreatedAt: now}
		if err := tx.Create(o).Error; err != nil {
			return err
		}
		if err := s.setLine(tx, l, LineToProcure, map[string]any{"state": LineOrdered}); err != nil {
			return err
		}
		l.State = LineOrdered
		if err := audit.Record(tx, a, "warehouse.request.order", requestEntity, r.ID, nil,
			map[string]any{"line": l.Seq, "supplier": o.Supplier, "quantity": o.Quantity, "expected": o.ExpectedOn}); err != nil {
			return err
		}
		labels, err := lineLabels(tx, []RequestLine{*l})
		if err != nil {
			return err
		}
		action, facts := orderFacts(labels[l.ID], o)
		if err := noteStep(tx, a, r.ID, action, now, facts); err != nil {
			return err
		}
		return s.mailRequester(tx, r, []RequestLine{*l}, "warehouse.procure.mail.ordered", fmt.Sprintf("ordered/%d", o.ID), requestPath(r.ID))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// ReceiveFree records that a free-text line's goods arrived (they are not
// in the catalogue, so no ledger row): the line is ready for pickup and the
// requester gets the ready mail with the confirmation link.
func (s *Service) ReceiveFree(ctx context.Context, a actor.Actor, lineID uint) error {
	if !isStaff(a) {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		l, r, err := s.lockLine(tx, lineID)
		if err != nil {
			return err
		}
		if !l.Free() || (l.State != LineToProcure && l.State != LineOrdered) {
			return ErrLineState
		}
		now := s.now()
		if err := s.setLine(tx, l, l.State, map[string]any{"state": LineReady, "ready_at": now}); err != nil {
			return err
		}
		if err := tx.Model(&Order{}).Where("line_id = ? AND received_at IS NULL", l.ID).Update("received_at", now).Error; err != nil {
			return err
		}
		l.State = LineReady
		if err := audit.Record(tx, a, "warehouse.request.free_received", requestEntity, r.ID, nil,
			map[string]any{"line": l.Seq, "text": l.Text}); err != nil {
			return err
		}
		if err := noteStep(tx, a, r.ID, eventFreeReceived, now, l.Text); err != nil {
			return err
		}
		return s.mailReady(tx, r, []RequestLine{*l})
	})
}

// reserveWaiting is a receipt's second half, in its transaction: what came
// in (q of itemID) is reserved for the lines waiting for the item, oldest
// approval first, through post; a line fully held becomes reserved and its
// order received. What is left after them stays available.
func (s *Service) reserveWaiting(tx *gorm.DB, st *stmts, a actor.Actor, itemID uint, q Qty) error {
	rows, err := waitingLines(tx, &itemID)
	if err != nil {
		return err
	}
	now := s.now()
	code := "" // the item's, for the timeline, read once
	for i := range rows {
		if q <= 0 {
			return nil
		}
		w := &rows[i]
		l := &w.RequestLine
		take := min(l.ToProcure(), q)
		if take <= 0 {
			continue
		}
		reserve := func(n Qty) error {
			_, err := s.post(tx, st, a, change{active: true, mv: Movement{ItemID: itemID, Kind: KindReserve, Reserved: n,
				DepartmentID: &w.DepartmentID, RequestLineID: &l.ID}})
			return err
		}
		err := reserve(take)
		var se *ShortError
		if errors.As(err, &se) && !se.Reserved {
			if take = min(se.Left, take); take <= 0 {
				return nil
			}
			err = reserve(take)
		}
		if errors.Is(err, ErrInactive) || errors.Is(err, ErrFraction) {
			return nil
		}
		if err != nil {
			return err
		}
		q -= take
		set := map[string]any{"reserved": l.Reserved + take}
		full := l.Reserved+take+l.Issued >= l.Approved
		if full {
			set["state"] = LineReserved
		}
		if err := s.setLine(tx, l, l.State, set); err != nil {
			return err
		}
		if full {
			if err := tx.Model(&Order{}).Where("line_id = ? AND received_at IS NULL", l.ID).Update("received_at", now).Error; err != nil {
				return err
			}
		}
		if err := audit.Record(tx, a, "warehouse.request.reserve_received", requestEntity, l.RequestID, nil,
			map[string]any{"line": l.Seq, "reserved": take, "full": full}); err != nil {
			return err
		}
		if code == "" {
			labels, err := lineLabels(tx, []RequestLine{*l})
			if err != nil {
				return err
			}
			code = labels[l.ID]
		}
		action := eventReceivedPart
		if full {
			action = eventReceived
		}
		if err := noteStep(tx, a, l.RequestID, action, now, code+": "+take.String()); err != nil {
			return err
		}
	}
	return nil
}

// lockLine reads line id and its request for update in tx (the request's
// row first, the order CancelRequest locks them in).
func (s *Service) lockLine(tx *gorm.DB, id uint) (*RequestLine, *Request, error) {
	var peek RequestLine
	if err := tx.Limit(1).Find(&peek, id).Error; err != nil {
		return nil, nil, err
	}
	if peek.ID == 0 {
		return nil, nil, ErrLineNotFound
	}
	r, err := s.lockRequest(tx, peek.RequestID)
	if err != nil {
		return nil, nil, err
	}
	q := db.ForUpdate(tx)
	var l RequestLine
	if err := q.Limit(1).Find(&l, id).Error; err != nil {
		return nil, nil, err
	}
	if r.Status != RequestApproved {
		return nil, nil, ErrLineState
	}
	return &l, r, nil
}

// setLine updates line l guarded on its state (from) and reserved, so a
// change that raced it (a cancellation) is refused, not overwritten.
func (s *Service) setLine(tx *gorm.DB, l *RequestLine, from string, set map[string]any) error {
	set["updated_at"] = s.now()
	res := tx.Model(&RequestLine{}).Where("id = ? AND state = ? AND reserved = ?", l.ID, from, l.Reserved).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrLineState
	}
	return nil
}
