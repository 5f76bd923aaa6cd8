package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
)

// CheckInWindow is how long before and after the start a booking of a
// check-in room may be checked in; a booking still not checked in when it
// closes is released as a no-show.
const CheckInWindow = 15 * time.Minute

// noShowLookback bounds how far back the release job looks, so turning
// check-in on for a room does not mark its old bookings as no-shows.
const noShowLookback = 24 * time.Hour

// Check-in refusals the handlers turn into messages.
var (
	ErrNoCheckIn       = errs.New(errs.Conflict, "booking: this room needs no check-in")
	ErrCheckInTooEarly = errs.New(errs.Conflict, "booking: check-in is not open yet")
	ErrCheckInTooLate  = errs.New(errs.Conflict, "booking: check-in has closed")
	ErrCheckedIn       = errs.New(errs.Conflict, "booking: already checked in")
)

// CheckInError is a check-in outside its window: it says when the window is,
// and matches ErrCheckInTooEarly or ErrCheckInTooLate.
type CheckInError struct {
	Opens, Closes time.Time
	Err           error
}

func (e *CheckInError) Error() string { return e.Err.Error() }
func (e *CheckInError) Unwrap() error { return e.Err }

// CheckInOpens and CheckInCloses are the window of a booking starting at start.
func CheckInOpens(start time.Time) time.Time  { return start.Add(-CheckInWindow) }
func CheckInCloses(start time.Time) time.Time { return start.Add(CheckInWindow) }

// CanCheckIn reports whether b, a booking of r, may be checked in at now.
func CanCheckIn(b *Booking, r *Resource, now time.Time) bool {
	return r.CheckIn && b.Status == StatusConfirmed && b.CheckedInAt == nil && b.ParentID == nil &&
		!now.Before(CheckInOpens(b.StartAt)) && now.Before(CheckInCloses(b.StartAt))
}

// CheckIn records that the booker (or someone of the room's unit) is in the
// room, which keeps the booking from being released as a no-show.
func (s *Service) CheckIn(ctx context.Context, a actor.Actor, id uint) (*Booking, error) {
	return s.withManaged(ctx, a, id, func(tx *gorm.DB, b *Booking, r *Resource) error {
		now := utc(s.now())
		switch {
		case !r.CheckIn || b.ParentID != nil:
			return ErrNoCheckIn
		case b.CheckedInAt != nil:
			return ErrCheckedIn
		case b.Status != StatusConfirmed:
			return ErrNotCancellable
		case now.Before(CheckInOpens(b.StartAt)):
			return &CheckInError{Opens: CheckInOpens(b.StartAt), Closes: CheckInCloses(b.StartAt), Err: ErrCheckInTooEarly}
		case !now.Before(CheckInCloses(b.StartAt)):
			return &CheckInError{Opens: CheckInOpens(b.StartAt), Closes: CheckInCloses(b.StartAt), Err: ErrCheckInTooLate}
		}
		// The status stays confirmed; checked_in_at is the marker the guard reads.
		err := s.move(tx, a, history.Transition{ID: b.ID, From: []string{StatusConfirmed}, To: StatusConfirmed,
			Guard: []any{"checked_in_at IS NULL"}, Set: map[string]any{"checked_in_at": now},
			Audit: "booking.checkin", After: map[string]any{"checked_in_at": now}})
		if errors.Is(err, history.ErrStateChanged) {
			return ErrCheckedIn
		}
		if err != nil {
			return err
		}
		b.CheckedInAt = &now
		return nil
	})
}

// ReleaseNoShows marks the confirmed bookings of check-in rooms that nobody
// checked in to by CheckInWindow after their start as no-shows (never
// deleting them), releases the equipment booked with them, and emails the
// booker. It says how many it released. Each booking moves only from
// confirmed, so a second run — or a second replica — finds nothing to do.
func (s *Service) ReleaseNoShows(ctx context.Context) (int, error) {
	now := utc(s.now())
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var rows []Booking
		err := tx.Table("bookings").Select("bookings.*").
			Joins("JOIN booking_resources r ON r.id = bookings.resource_id AND r.check_in = ?", true).
			Where("bookings.status = ? AND bookings.checked_in_at IS NULL AND bookings.parent_id IS NULL AND bookings.holder = '' AND bookings.start_at <= ? AND bookings.start_at > ?",
				StatusConfirmed, now.Add(-CheckInWindow), now.Add(-noShowLookback)).
			Order("bookings.id").Find(&rows).Error
		if err != nil {
			return err
		}
		sys := actor.System()
		for i := range rows {
			b := &rows[i]
			ok, err := s.setStatus(tx, sys, b.ID, StatusConfirmed, StatusNoShow, "booking.no_show")
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			b.Status = StatusNoShow
			var room Resource
			if err := tx.First(&room, b.ResourceID).Error; err != nil {
				return err
			}
			gone, err := s.endLines(tx, sys, b.ID, StatusNoShow, "booking.no_show")
			if err != nil {
				return err
			}
			if err := s.tellUnits(tx, b, &room, gone, "no_show"); err != nil {
				return err
			}
			if err := s.tellNoShow(tx, b, &room); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// tellNoShow emails the booker that their room was released.
func (s *Service) tellNoShow(tx *gorm.DB, b *Booking, room *Resource) error {
	if s.outbox == nil || s.cat == nil {
		return nil
	}
	p, err := s.bookerOf(tx, b)
	if err != nil || p == nil {
		return err
	}
	lang := p.Lang
	title := s.titleOr(lang, b.Title)
	return s.outbox.Enqueue(tx, notify.Message{
		Key: fmt.Sprintf("booking/%d/no_show", b.ID), To: p.Email, ToName: p.Name, Lang: lang,
		Template: "generic", Reason: "booking.mail.reason_self",
		Data: notify.Generic{
			Title: s.cat.T(lang, "booking.stats.mail.no_show_title", "Room", room.Name),
			Lines: []string{
				s.cat.T(lang, "booking.stats.mail.no_show_text", "Minutes", int(CheckInWindow/time.Minute)),
				s.cat.T(lang, "booking.mail.when", "When", i18n.FormatDateTime(lang, b.StartAt, s.tz), "To", clock(b.EndAt, s.tz)),
				s.cat.T(lang, "booking.mail.booking_title", "Title", title),
			},
			ActionURL:   "/bookings/mine",
			ActionLabel: s.cat.T(lang, "booking.mail.open_mine"),
		},
	})
}
