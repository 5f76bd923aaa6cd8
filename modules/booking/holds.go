package booking

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/places"
)

// ErrHoldNeedsApproval refuses a hold of a room whose bookings wait for an
// approver: another service's event must know in its own transaction that
// the room is its, and an approval decided later cannot promise that.
var ErrHoldNeedsApproval = errors.New("booking: the room's bookings need approval")

// HoldRoom books a room for another service's event (a training session):
// each span becomes a confirmed booking under Book's rules (an active room,
// its hours and days, no double booking, which the database itself refuses),
// all of them or none, inside the caller's transaction tx. The spans are
// grouped as a series whose id is the reference ReleaseRoom takes; the
// series' dates show on the room's calendar with the hold's title, and
// nobody is mailed: the caller tells its own people. Every refusal wraps
// places.ErrRoomTaken (with booking's own reason beside it).
//
// Nothing is prepared on the writer here: on SQLite the one writer
// connection is tx's, so the rows go through tx itself.
func (s *Service) HoldRoom(ctx context.Context, tx *gorm.DB, h places.Hold) (uint, error) {
	if len(h.Spans) == 0 {
		return 0, fmt.Errorf("%w: %w", places.ErrRoomTaken, ErrZeroLength)
	}
	var ref uint
	// A savepoint: a refused span undoes the hold's rows but leaves the
	// caller's transaction usable (PostgreSQL aborts a transaction on error).
	err := tx.Transaction(func(tx *gorm.DB) error {
		ctx := db.WithTx(ctx, tx)
		tx = tx.WithContext(ctx)
		first := BookingInput{ResourceID: h.RoomID, Start: h.Spans[0].Start, End: h.Spans[0].End, Title: h.Title}
		room, err := s.resource(tx, nil, h.RoomID)
		switch {
		case err != nil:
			return err
		case room == nil || !room.Active || room.Kind != KindRoom:
			return ErrUnknownResource
		case needsApproval(room):
			return ErrHoldNeedsApproval
		}
		if first, err = s.normalise(first); err != nil {
			return err
		}
		last := h.Spans[len(h.Spans)-1]
		ser := Series{ResourceID: room.ID, PersonID: h.By.ID, Rule: RepeatDaily,
			FirstDay: calendar.DateOf(first.Start, s.tz).String(), Until: calendar.DateOf(last.Start, s.tz).String(),
			Count: len(h.Spans), FromTime: clock(first.Start, s.tz), ToTime: clock(first.End, s.tz),
			Title: first.Title, CreatedBy: h.By.ID}
		if err := tx.Create(&ser).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, h.By, "booking.series.create", "booking_series", ser.ID, nil, ser); err != nil {
			return err
		}
		// No prepared statements (see above): create and the audit row fall
		// back to tx itself.
		st := &stmts{}
		for _, span := range h.Spans {
			one := first
			one.Start, one.End, one.SeriesID = span.Start, span.End, &ser.ID
			if one, err = s.normalise(one); err != nil {
				return err
			}
			if _, err := s.bookTx(ctx, tx, st, h.By, one, StatusConfirmed); err != nil {
				return err
			}
		}
		// The bookings are the holder's: booking's own pages leave them be.
		if err := tx.Model(&Booking{}).Where("series_id = ?", ser.ID).Update("holder", h.Owner).Error; err != nil {
			return err
		}
		ref = ser.ID
		return nil
	})
	if err != nil {
		if db.IsLockTimeout(err) {
			err = ErrBusy
		}
		var off *DayOffError
		switch {
		case errors.Is(err, ErrTaken), errors.Is(err, ErrPoolFull), errors.Is(err, ErrUnknownResource),
			errors.Is(err, ErrWrongKind), errors.Is(err, ErrHoldNeedsApproval), errors.Is(err, ErrOutsideHours),
			errors.Is(err, ErrInPast), errors.Is(err, ErrEndBeforeStart), errors.Is(err, ErrZeroLength),
			errors.Is(err, ErrNoSuchTime), errors.As(err, &off):
			return 0, fmt.Errorf("%w: %w", places.ErrRoomTaken, err)
		}
		return 0, err
	}
	return ref, nil
}

// ReleaseRoom cancels the hold ref's bookings that have not ended yet, in
// the caller's transaction, as by: the days already held stay as they
// happened. A hold already gone (or an unknown reference) is no error.
func (s *Service) ReleaseRoom(ctx context.Context, tx *gorm.DB, by actor.Actor, ref uint) error {
	tx = tx.WithContext(db.WithTx(ctx, tx))
	var held []Booking
	err := tx.Select("id", "status").Where("series_id = ? AND parent_id IS NULL AND status IN ? AND end_at > ?",
		ref, activeStatuses, utc(s.now())).Order("id").Find(&held).Error
	if err != nil {
		return err
	}
	for _, b := range held {
		if _, err := s.setStatus(tx, by, b.ID, b.Status, StatusCancelled, "booking.cancel"); err != nil {
			return err
		}
		if _, err := s.endLines(tx, by, b.ID, StatusCancelled, "booking.cancel"); err != nil {
			return err
		}
	}
	return nil
}

var _ places.Holds = (*Service)(nil)
