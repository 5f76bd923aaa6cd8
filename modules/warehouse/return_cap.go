package warehouse

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// A return can name the request its stock was handed over on: it is then
// tied to that request's line of the item (the ledger row's request line)
// and booked to the request's department, so consumption per department and
// line stays true, and it may bring back at most what the line issued less
// what came back on it already. A return naming no request stays an
// item-level return, as Return posts it.

// ReturnOnRequest posts in as a return on request requestID's line of the
// item. in.DepartmentID may be 0 (the request's department is taken); any
// other department is refused. The cap is checked after the ledger row in
// the same transaction: the row's guarded update holds the item's row, so
// two returns of the same line's item cannot both pass on what each read.
func (s *Service) ReturnOnRequest(ctx context.Context, a actor.Actor, requestID uint, in Return) (*Movement, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	q := s.db.R.WithContext(ctx)
	var r Request
	if err := q.Limit(1).Find(&r, requestID).Error; err != nil {
		return nil, err
	}
	var l RequestLine
	if r.ID != 0 {
		if err := q.Where("request_id = ? AND item_id = ? AND issued > 0", r.ID, in.ItemID).Limit(1).Find(&l).Error; err != nil {
			return nil, err
		}
	}
	var problems []error
	if l.ID == 0 {
		problems = append(problems, ErrReturnLine)
	} else if in.DepartmentID != 0 && in.DepartmentID != r.DepartmentID {
		problems = append(problems, ErrReturnDepartment)
	}
	if !web.ValidText(in.Reason, maxReason) {
		problems = append(problems, ErrText)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	lineID := l.ID
	return s.move(ctx, a, in.Quantity, nil, change{department: true, mv: Movement{
		ItemID: in.ItemID, Kind: KindReturn, Quantity: in.Quantity,
		DepartmentID: &r.DepartmentID, RequestLineID: &lineID, Reason: trim(in.Reason),
	}, then: func(tx *gorm.DB, _ *stmts, mv *Movement) error {
		return checkReturnCap(tx, &l, mv.Quantity)
	}})
}

// checkReturnCap refuses, inside the return's transaction, a return of q on
// line l that brings the line's returns (this one counted) above what it
// issued, both read in the transaction.
func checkReturnCap(tx *gorm.DB, l *RequestLine, q Qty) error {
	var issued, returned Qty
	if err := tx.Model(&RequestLine{}).Select("issued").Where("id = ?", l.ID).Scan(&issued).Error; err != nil {
		return err
	}
	if err := tx.Model(&Movement{}).Select("COALESCE(SUM(quantity), 0)").
		Where("request_line_id = ? AND kind = ?", l.ID, KindReturn).Scan(&returned).Error; err != nil {
		return err
	}
	if returned <= issued {
		return nil
	}
	return &ReturnCapError{Left: max(0, issued-(returned-q)), Issued: issued, Unit: l.Unit}
}
