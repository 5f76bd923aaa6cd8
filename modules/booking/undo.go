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
)

// UndoWindow is how long the person who cancelled a booking may undo it: long
// enough to notice a wrong click and press Undo in the message, short enough
// that nobody has yet planned around the freed room.
const UndoWindow = 10 * time.Minute

// Why an undo is refused. A slot someone booked meanwhile is ErrTaken (or
// ErrPoolFull, an ItemError for equipment), as for any booking.
var (
	ErrUndoExpired   = errs.New(errs.Conflict, "booking: too late to undo the cancellation")
	ErrNotRestorable = errs.New(errs.Conflict, "booking: this cancellation cannot be undone")
)

// Timeline and audit words of an undone cancellation.
const (
	actionCancel   = "cancel"   // move's word for "booking.cancel"
	actionRestored = "restored" // the timeline line of an undo
	auditRestore   = "booking.restore"
)

// Restore undoes a's cancellation of booking id (and of the equipment booked
// with it) within UndoWindow, when its slot is still free; the units told of
// the cancellation are told it is back. Only a confirmed booking is restored:
// a request that waited for approval was withdrawn and is asked for again.
func (s *Service) Restore(ctx context.Context, a actor.Actor, id uint) (*Booking, error) {
	var out *Booking
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		b, r, err := s.managed(tx, a, id)
		if err != nil {
			return err
		}
		cancelled, err := s.undoable(tx, a, b)
		if err != nil {
			return err
		}
		lines, err := s.restoreTx(tx, a, b, r, cancelled)
		if err != nil {
			return err
		}
		out = b
		return s.tellUnits(tx, b, r, lines, "restored")
	})
	return out, err
}

// RestoreFollowing undoes a's "cancel this and all following" from occurrence
// id: every occurrence from it on that a cancelled within UndoWindow comes
// back when its slot is still free. It returns the dates restored and those
// someone else booked meanwhile, which stay cancelled.
func (s *Service) RestoreFollowing(ctx context.Context, a actor.Actor, id uint) (restored, taken []SeriesDay, err error) {
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		restored, taken = nil, nil
		b, r, err := s.managed(tx, a, id)
		if err != nil {
			return err
		}
		if b.SeriesID == nil {
			return ErrNotSeries
		}
		if _, err := s.undoable(tx, a, b); err != nil {
			return err
		}
		var ser Series
		if err := tx.First(&ser, *b.SeriesID).Error; err != nil {
			return err
		}
		var occ []Booking
		if err := tx.Where("series_id = ? AND parent_id IS NULL AND status = ? AND start_at >= ?", ser.ID, StatusCancelled, b.StartAt).
			Order("start_at, id").Find(&occ).Error; err != nil {
			return err
		}
		var back []line
		seen := map[uint]bool{}
		for i := range occ {
			o := &occ[i]
			cancelled, err := s.undoable(tx, a, o)
			if err != nil {
				continue // cancelled another time, by someone else, or not from confirmed
			}
			day := SeriesDay{Day: dateIn(o.StartAt, s.tz), Start: o.StartAt, End: o.EndAt, BookingID: o.ID}
			// A savepoint per date: a date the database refuses (taken
			// meanwhile) is rolled back alone and the others still return.
			sp := fmt.Sprintf("restore_%d", o.ID)
			if err := tx.SavePoint(sp).Error; err != nil {
				return err
			}
			lines, err := s.restoreTx(tx, a, o, r, cancelled)
			if isTaken(err) {
				if err := tx.RollbackTo(sp).Error; err != nil {
					return err
				}
				taken = append(taken, day)
				continue
			}
			if err != nil {
				return err
			}
			restored = append(restored, day)
			for _, l := range lines {
				if !seen[l.res.ID] {
					seen[l.res.ID] = true
					back = append(back, l)
				}
			}
		}
		if len(restored) == 0 && len(taken) == 0 {
			return ErrNotRestorable
		}
		return s.tellSeries(tx, &ser, r, back, restored, "restored")
	})
	if err != nil {
		return nil, nil, err
	}
	return restored, taken, nil
}

// isTaken reports whether err says the slot (or an item) is no longer free.
func isTaken(err error) bool { return errors.Is(err, ErrTaken) || errors.Is(err, ErrPoolFull) }

// undoable checks that b's last step was a's cancellation of a confirmed
// booking within UndoWindow, and returns that timeline entry.
func (s *Service) undoable(tx *gorm.DB, a actor.Actor, b *Booking) (*history.Entry, error) {
	if b.Status != StatusCancelled {
		return nil, ErrNotRestorable
	}
	last, err := lastEntry(tx, b.ID)
	if err != nil {
		return nil, err
	}
	if last == nil || last.Action != actionCancel || last.ActorID == nil || *last.ActorID != a.ID || last.From != StatusConfirmed {
		return nil, ErrNotRestorable
	}
	if s.now().Sub(last.At) > UndoWindow {
		return nil, ErrUndoExpired
	}
	if !b.EndAt.After(s.now()) {
		return nil, ErrUndoExpired // the meeting is over: nothing to restore
	}
	return last, nil
}

// lastEntry is booking id's latest timeline entry, nil without one.
func lastEntry(tx *gorm.DB, id uint) (*history.Entry, error) {
	var es []history.Entry
	if err := tx.Where("entity = ? AND entity_id = ?", "booking", id).Order("at DESC, id DESC").Limit(1).Find(&es).Error; err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, nil
	}
	return &es[0], nil
}

// restoreTx brings cancelled booking b back to confirmed, with the equipment
// lines cancelled along with it, after checking under the resources' locks
// that each is still free; the database's own overlap and pool rules refuse
// a slot taken meanwhile all the same (dbError turns that into ErrTaken). It
// returns the equipment lines restored, for the units' mail.
func (s *Service) restoreTx(tx *gorm.DB, a actor.Actor, b *Booking, r *Resource, cancelled *history.Entry) ([]line, error) {
	var kids []Booking
	if err := tx.Where("parent_id = ? AND status = ?", b.ID, StatusCancelled).Order("id").Find(&kids).Error; err != nil {
		return nil, err
	}
	// The lines cancelled with the room: their own last step is the same
	// person's cancellation, at the room's moment or after.
	var with []Booking
	for _, k := range kids {
		last, err := lastEntry(tx, k.ID)
		if err != nil {
			return nil, err
		}
		if last != nil && last.Action == actionCancel && last.ActorID != nil && *last.ActorID == a.ID && !last.At.Before(cancelled.At) {
			with = append(with, k)
		}
	}
	byID, err := resourcesOf(tx, append([]Booking{*b}, with...))
	if err != nil {
		return nil, err
	}
	all := []line{{res: r, qty: b.Quantity}}
	for _, k := range with {
		all = append(all, line{res: byID[k.ResourceID], qty: k.Quantity})
	}
	if err := s.lock(tx, all); err != nil {
		return nil, dbError(err)
	}
	if !r.Active {
		return nil, ErrUnknownResource
	}
	if err := s.fits(tx, r, b.StartAt, b.BlockEnd, b.Quantity, b.ID); err != nil {
		return nil, err
	}
	if err := s.move(tx, a, history.Transition{ID: b.ID, From: []string{StatusCancelled}, To: StatusConfirmed,
		Audit: auditRestore, Action: actionRestored}); err != nil {
		if errors.Is(err, history.ErrStateChanged) {
			return nil, ErrNotRestorable
		}
		return nil, err
	}
	b.Status = StatusConfirmed
	back := all[1:]
	for i, k := range with {
		res := back[i].res
		if !res.Active {
			return nil, itemError(res, ErrUnknownResource)
		}
		if err := s.fits(tx, res, k.StartAt, k.BlockEnd, k.Quantity, k.ID); err != nil {
			return nil, itemError(res, err)
		}
		if err := s.move(tx, a, history.Transition{ID: k.ID, From: []string{StatusCancelled}, To: StatusConfirmed,
			Audit: auditRestore, Action: actionRestored}); err != nil {
			return nil, itemError(res, err)
		}
	}
	return back, nil
}

// restores is how many times booking id came back from a cancellation, so
// the units' mail of a later cancellation (or undo) is not taken for the
// first one's and dropped by the outbox's key.
func restores(tx *gorm.DB, id uint) (int64, error) {
	var n int64
	err := tx.Model(&history.Entry{}).Where("entity = ? AND entity_id = ? AND action = ?", "booking", id, actionRestored).Count(&n).Error
	return n, err
}

// Cancellation is what cancelling a booking would do, for its confirmation page.
type Cancellation struct {
	Booking   Booking
	Resource  Resource
	Equipment []line      // active equipment booked with it, cancelled along
	Units     []string    // the units emailed that their equipment is no longer needed
	Following []SeriesDay // for "this and all following": the active dates from it on
}

// EquipmentText writes the equipment as "2 × Projector, 1 × Laptop".
func (c *Cancellation) EquipmentText() string { return linesText(c.Equipment) }

// Cancellation reads what cancelling booking id would do (with following,
// the rest of its series too), when a may cancel it. It changes nothing.
func (s *Service) Cancellation(ctx context.Context, a actor.Actor, id uint, following bool) (*Cancellation, error) {
	q := s.db.R.WithContext(ctx)
	b, r, err := s.managed(q, a, id)
	if err != nil {
		return nil, err
	}
	if !b.Active() {
		return nil, ErrNotCancellable
	}
	if following && b.SeriesID == nil {
		return nil, ErrNotSeries
	}
	out := &Cancellation{Booking: *b, Resource: *r}
	ids := []uint{b.ID}
	if following {
		var occ []Booking
		if err := q.Where("series_id = ? AND parent_id IS NULL AND status IN ? AND start_at >= ?", *b.SeriesID, activeStatuses, b.StartAt).
			Order("start_at, id").Find(&occ).Error; err != nil {
			return nil, err
		}
		ids = ids[:0]
		for _, o := range occ {
			ids = append(ids, o.ID)
			out.Following = append(out.Following, SeriesDay{Day: dateIn(o.StartAt, s.tz), Start: o.StartAt, End: o.EndAt, BookingID: o.ID})
		}
	}
	var kids []Booking
	if err := q.Where("parent_id IN ? AND status IN ?", ids, activeStatuses).Order("id").Find(&kids).Error; err != nil {
		return nil, err
	}
	if len(kids) > 0 {
		byID, err := resourcesOf(q, kids)
		if err != nil {
			return nil, err
		}
		seen := map[uint]bool{}
		units := map[string]bool{}
		for _, k := range kids {
			res := byID[k.ResourceID]
			if !seen[res.ID] { // a series lists each item once, as its mail does
				seen[res.ID] = true
				out.Equipment = append(out.Equipment, line{res: res, qty: k.Quantity})
			}
			if _, ok := unitRoles[res.Unit]; ok && !units[res.Unit] {
				units[res.Unit] = true
				out.Units = append(out.Units, res.Unit)
			}
		}
	}
	return out, nil
}

// SetClock replaces the service's clock, for tests that step past
// UndoWindow; call it while no request is running.
func (s *Service) SetClock(now func() time.Time) { s.now = now }
