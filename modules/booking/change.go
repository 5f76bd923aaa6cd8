package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// Errors of changing a booking.
var (
	// ErrCarTimeChange: a car's time was approved as it is; a new time needs
	// a new request, so the person cancels and requests again.
	ErrCarTimeChange = errs.New(errs.Invalid, "booking: a car booking's time cannot be changed")
	ErrNotChangeable = errs.New(errs.Conflict, "booking: no longer changeable")
	ErrNotSeries     = errs.New(errs.Conflict, "booking: not part of a series")
)

// ChangeInput is a booking as the edit form describes it. Rooms change their
// times, title, attendees and equipment; cars only destination, purpose and
// passengers (Start and End, if given, must be the booked ones).
type ChangeInput struct {
	Start, End  time.Time
	Title       string
	Attendees   int
	Equipment   []EquipmentLine
	Destination string
	Purpose     string
	Passengers  int
	// Following changes the later occurrences of the series the same way,
	// except those changed on their own; otherwise the occurrence becomes an
	// exception of its series.
	Following bool
}

// ChangeResult is a changed booking and, for "this and following", what
// became of the later occurrences.
type ChangeResult struct {
	Booking Booking
	Moved   []SeriesDay // later occurrences changed with it
	Skipped []SeriesDay // later occurrences that did not fit, left as they were
}

// mayManage reports whether a may change or cancel b: their own, an admin,
// or the unit that manages the resource (the same people as Cancel).
func mayManage(a actor.Actor, b *Booking, r *Resource) bool {
	if b.PersonID == a.ID || b.CreatedBy == a.ID || a.Has(actor.Admin) {
		return true
	}
	role, ok := unitRoles[r.Unit]
	return ok && a.Has(role)
}

// managed loads a booking a may change, with its resource. Equipment lines
// are not bookings of their own here: they change with their room.
func (s *Service) managed(tx *gorm.DB, a actor.Actor, id uint) (*Booking, *Resource, error) {
	return loadManaged(tx, a, id, false)
}

// loadManaged loads booking id and its resource for a, who must be allowed to
// manage it (mayManage). Equipment lines are found only with lines set.
func loadManaged(tx *gorm.DB, a actor.Actor, id uint, lines bool) (*Booking, *Resource, error) {
	var b Booking
	if err := tx.First(&b, id).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, nil, ErrNotFound
		}
		return nil, nil, err
	}
	if b.ParentID != nil && !lines {
		return nil, nil, ErrNotFound
	}
	var r Resource
	if err := tx.First(&r, b.ResourceID).Error; err != nil {
		return nil, nil, err
	}
	if !mayManage(a, &b, &r) {
		return nil, nil, ErrForbidden
	}
	if b.Holder != "" {
		return nil, nil, ErrHeldElsewhere
	}
	return &b, &r, nil
}

// Editable returns a booking a may change, its resource and its active
// equipment lines, for the edit form.
func (s *Service) Editable(ctx context.Context, a actor.Actor, id uint) (*Booking, *Resource, []EquipmentLine, error) {
	q := s.db.R.WithContext(ctx)
	b, r, err := s.managed(q, a, id)
	if err != nil {
		return nil, nil, nil, err
	}
	var kids []Booking
	if err := q.Where("parent_id = ? AND status IN ?", b.ID, activeStatuses).Order("id").Find(&kids).Error; err != nil {
		return nil, nil, nil, err
	}
	eq := make([]EquipmentLine, len(kids))
	for i, k := range kids {
		eq[i] = EquipmentLine{ResourceID: k.ResourceID, Quantity: k.Quantity}
	}
	return b, r, eq, nil
}

// Change changes a booking in place, under the same rules as booking it: the
// database's triggers judge the UPDATE (excluding the row itself), and a
// clash changes nothing. A room's equipment lines change with it in the same
// transaction, and the units preparing equipment are told what changed.
func (s *Service) Change(ctx context.Context, a actor.Actor, id uint, in ChangeInput) (*ChangeResult, error) {
	var res ChangeResult
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context // reads through tx (db.WithTx)
		b, r, err := s.managed(tx, a, id)
		if err != nil {
			return err
		}
		if !b.Active() || !b.EndAt.After(s.now()) {
			return ErrNotChangeable
		}
		switch r.Kind {
		case KindCar:
			err = s.changeCar(ctx, tx, a, b, r, in)
			res.Booking = *b
			return err
		case KindRoom:
		default:
			return ErrNotFound
		}
		oldStart, oldEnd := b.StartAt, b.EndAt
		before, after, err := s.changeRoom(ctx, tx, a, b, r, in.Start, in.End, in.Title, in.Attendees, in.Equipment, false)
		if err != nil {
			return err
		}
		changed := []SeriesDay{{Day: dateIn(b.StartAt, s.tz), Start: b.StartAt, End: b.EndAt, BookingID: b.ID}}
		if b.SeriesID != nil && !in.Following && !b.SeriesException {
			if err := tx.Model(&Booking{}).Where("id = ?", b.ID).Update("series_exception", true).Error; err != nil {
				return err
			}
			b.SeriesException = true
		}
		if b.SeriesID != nil && in.Following {
			if res.Moved, res.Skipped, err = s.changeFollowing(ctx, tx, a, b, r, oldStart); err != nil {
				return err
			}
			changed = append(changed, res.Moved...)
		}
		res.Booking = *b
		return s.tellChange(tx, b, r, oldStart, oldEnd, before, after, changed)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// changeCar changes what may change on a car booking once requested: where,
// why and who goes. A new time would need a new approval. A request still
// under approval gets a new version (see underApproval).
func (s *Service) changeCar(ctx context.Context, tx *gorm.DB, a actor.Actor, b *Booking, r *Resource, in ChangeInput) error {
	if (!in.Start.IsZero() && !utc(in.Start).Equal(b.StartAt)) || (!in.End.IsZero() && !utc(in.End).Equal(b.EndAt)) {
		return ErrCarTimeChange
	}
	if in.Passengers < 0 || (r.Seats > 0 && in.Passengers > r.Seats) {
		return ErrTooManySeats
	}
	pending, err := s.underApproval(tx, b)
	if err != nil {
		return err
	}
	before := map[string]any{"destination": b.Destination, "purpose": b.Purpose, "passengers": b.Passengers}
	dest, purpose := clip(in.Destination, 200), clip(in.Purpose, 500)
	if dest == b.Destination && purpose == b.Purpose && in.Passengers == b.Passengers {
		pending = nil // saved as it was: the approver has nothing new to see
	}
	b.Destination, b.Purpose, b.Passengers = dest, purpose, in.Passengers
	after := map[string]any{"destination": b.Destination, "purpose": b.Purpose, "passengers": b.Passengers}
	err = tx.Model(&Booking{}).Where("id = ?", b.ID).
		Updates(map[string]any{"destination": b.Destination, "purpose": b.Purpose, "passengers": b.Passengers, "updated_at": s.now()}).Error
	if err != nil {
		return err
	}
	if err := audit.Record(tx, a, "booking.change", "booking", b.ID, before, after); err != nil {
		return err
	}
	return s.approvalChanged(ctx, tx, a, pending)
}

// underApproval locks and returns the pending approval requests of held
// booking b (a car request, a room that needs approval) before b changes:
// the engine locks a request before its booking when it decides, so taking
// them in the same order keeps a change and a decision from deadlocking.
func (s *Service) underApproval(tx *gorm.DB, b *Booking) ([]uint, error) {
	if s.engine == nil || b.Status != StatusHold {
		return nil, nil
	}
	q := db.ForUpdate(tx.Model(&approval.Request{})).
		Where("kind IN ? AND subject_id = ? AND status = ?", []string{KindCarApproval, KindRoomApproval},
			web.FormatID(b.ID), approval.StatusPending)
	var ids []uint
	if err := q.Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, dbError(err)
	}
	return ids, nil
}

// approvalChanged tells the engine that the requests under approval changed,
// in the change's transaction: each gets a new version, the links already
// mailed stop working and the approver is mailed the request as it now is.
func (s *Service) approvalChanged(ctx context.Context, tx *gorm.DB, a actor.Actor, requests []uint) error {
	for _, id := range requests {
		if err := s.engine.Changed(ctx, tx, a, id); err != nil {
			return err
		}
	}
	return nil
}

// changeRoom moves room booking b to [start, end) with the given title,
// attendees and equipment (or, with keepEq, its own equipment), checking
// what Book checks. It updates b and returns its equipment lines before and
// after. Equipment lines that stay are updated in place, so they never
// compete with themselves; removed ones are cancelled.
func (s *Service) changeRoom(ctx context.Context, tx *gorm.DB, a actor.Actor, b *Booking, r *Resource, start, end time.Time, title string,
	attendees int, eq []EquipmentLine, keepEq bool) (before, after []line, err error) {
	start, end, title = utc(start), utc(end), clip(title, 200)
	if _, err := s.normalise(BookingInput{Start: start, End: end}); err != nil && !(errors.Is(err, ErrInPast) && start.Equal(b.StartAt)) {
		return nil, nil, err
	}
	if attendees < 0 {
		return nil, nil, ErrTooManySeats
	}
	var kids []Booking
	if err := tx.Where("parent_id = ? AND status IN ?", b.ID, activeStatuses).Order("id").Find(&kids).Error; err != nil {
		return nil, nil, err
	}
	if keepEq {
		eq = make([]EquipmentLine, len(kids))
		for i, k := range kids {
			eq[i] = EquipmentLine{ResourceID: k.ResourceID, Quantity: k.Quantity}
		}
	}
	ls, err := s.lines(tx, nil, BookingInput{ResourceID: r.ID, Equipment: eq}, KindRoom)
	if err != nil {
		return nil, nil, err
	}
	if err := s.fitsBooking(ctx, ls, BookingInput{Start: start, End: end, Attendees: attendees}); err != nil {
		return nil, nil, err
	}
	pending, err := s.underApproval(tx, b) // before the resources' locks, as a decision takes them
	if err != nil {
		return nil, nil, err
	}
	if err := s.lock(tx, ls); err != nil {
		return nil, nil, dbError(err)
	}
	old := make(map[uint]Booking, len(kids))
	for _, k := range kids {
		old[k.ResourceID] = k
	}
	if len(kids) > 0 {
		byID, err := resourcesOf(tx, kids)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range kids {
			before = append(before, line{res: byID[k.ResourceID], qty: k.Quantity})
		}
	}
	// Checked first only for the friendly answer; the database decides.
	blockEnd := end.Add(time.Duration(r.BufferMinutes) * time.Minute)
	if err := s.fits(tx, r, start, blockEnd, 1, b.ID); err != nil {
		return nil, nil, err
	}
	for _, l := range ls[1:] {
		lEnd := end.Add(time.Duration(l.res.BufferMinutes) * time.Minute)
		if err := s.fits(tx, l.res, start, lEnd, l.qty, old[l.res.ID].ID); err != nil {
			return nil, nil, itemError(l.res, err)
		}
	}
	now := s.now()
	snap := func(b *Booking, ls []line) map[string]any {
		return map[string]any{"start_at": b.StartAt, "end_at": b.EndAt, "title": b.Title, "attendees": b.Attendees, "equipment": linesText(ls)}
	}
	was := snap(b, before)
	if b.StartAt.Equal(start) && b.EndAt.Equal(end) && b.Title == title && b.Attendees == attendees && linesText(before) == linesText(ls[1:]) {
		pending = nil // saved as it was: the approver has nothing new to see
	}
	set := map[string]any{"start_at": start, "end_at": end, "block_end": blockEnd, "title": title, "attendees": attendees, "updated_at": now}
	// A held room waits for its approver, and its equipment with it; the
	// hold still never outlives the meeting's start (see insertTx).
	kidStatus, holdUntil := StatusConfirmed, (*time.Time)(nil)
	if b.Status == StatusHold {
		kidStatus, holdUntil = StatusHold, b.HoldUntil
		if holdUntil != nil && start.Before(*holdUntil) {
			h := start
			holdUntil = &h
			set["hold_until"] = h
		}
	}
	err = tx.Model(&Booking{}).Where("id = ?", b.ID).Updates(set).Error
	if err != nil {
		return nil, nil, dbError(err)
	}
	b.StartAt, b.EndAt, b.BlockEnd, b.Title, b.Attendees = start, end, blockEnd, title, attendees
	if b.Status == StatusHold {
		b.HoldUntil = holdUntil
	}
	for _, l := range ls[1:] {
		lEnd := end.Add(time.Duration(l.res.BufferMinutes) * time.Minute)
		if k, ok := old[l.res.ID]; ok {
			delete(old, l.res.ID)
			kset := map[string]any{"start_at": start, "end_at": end, "block_end": lEnd, "quantity": l.qty, "title": title, "updated_at": now}
			if k.Status == StatusHold && holdUntil != nil {
				kset["hold_until"] = *holdUntil
			}
			err := tx.Model(&Booking{}).Where("id = ?", k.ID).Updates(kset).Error
			if err != nil {
				return nil, nil, itemError(l.res, dbError(err))
			}
			continue
		}
		parent := b.ID
		k := Booking{ResourceID: l.res.ID, PersonID: b.PersonID, Title: title, StartAt: start, EndAt: end, BlockEnd: lEnd,
			Quantity: l.qty, Pooled: l.res.Pooled(), Status: kidStatus, HoldUntil: holdUntil, ParentID: &parent, SeriesID: b.SeriesID, CreatedBy: a.ID}
		if err := tx.Create(&k).Error; err != nil {
			return nil, nil, itemError(l.res, dbError(err))
		}
		if err := audit.Record(tx, a, "booking.create", "booking", k.ID, nil, k.created()); err != nil {
			return nil, nil, err
		}
	}
	for _, k := range old {
		if _, err := s.setStatus(tx, a, k.ID, k.Status, StatusCancelled, "booking.cancel"); err != nil {
			return nil, nil, err
		}
	}
	after = ls[1:]
	if err := audit.Record(tx, a, "booking.change", "booking", b.ID, was, snap(b, after)); err != nil {
		return nil, nil, err
	}
	return before, after, s.approvalChanged(ctx, tx, a, pending)
}

// changeFollowing gives the later occurrences of b's series that were not
// changed on their own b's new wall times (shifted by as many days as b
// moved), title and attendees, each in its own savepoint: those that fit
// move, the others stay and are reported.
func (s *Service) changeFollowing(ctx context.Context, tx *gorm.DB, a actor.Actor, b *Booking, r *Resource, oldStart time.Time) (moved, skipped []SeriesDay, err error) {
	var later []Booking
	err = tx.Where("series_id = ? AND parent_id IS NULL AND status IN ? AND series_exception = ? AND start_at > ? AND id <> ?",
		*b.SeriesID, activeStatuses, false, oldStart, b.ID).Order("start_at, id").Find(&later).Error
	if err != nil {
		return nil, nil, err
	}
	shift := dateIn(oldStart, s.tz).DaysUntil(dateIn(b.StartAt, s.tz))
	from, to := clock(b.StartAt, s.tz), endClock(b.StartAt, b.EndAt, s.tz)
	for i := range later {
		o := &later[i]
		d := SeriesDay{Day: dateIn(o.StartAt, s.tz).AddDays(shift), BookingID: o.ID}
		d.Start, d.End, err = LocalTimes(d.Day, from, to, s.tz)
		if errors.Is(err, ErrNoSuchTime) {
			d.Reason = ReasonNoSuchTime
			skipped = append(skipped, d)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		err = tx.Transaction(func(tx *gorm.DB) error {
			_, _, err := s.changeRoom(ctx, tx, a, o, r, d.Start, d.End, b.Title, b.Attendees, nil, true)
			return err
		})
		var item *ItemError
		switch {
		case err == nil:
			moved = append(moved, d)
			continue
		case errors.As(err, &item):
			d.Reason, d.Item = ReasonEquipment, item.Name
		case errors.Is(err, ErrTaken) || errors.Is(err, ErrPoolFull):
			d.Reason = ReasonTaken
		case errors.Is(err, ErrOutsideHours):
			d.Reason = ReasonOutsideHours
		case errors.Is(err, ErrInPast):
			d.Reason = ReasonPast
		default:
			return nil, nil, err
		}
		skipped = append(skipped, d)
	}
	return moved, skipped, nil
}

// tellChange emails the units whose equipment a change touches (before or
// after) once: the time and items before and now, and the dates changed.
func (s *Service) tellChange(tx *gorm.DB, b *Booking, room *Resource, oldStart, oldEnd time.Time, before, after []line, days []SeriesDay) error {
	ls := append(append([]line{}, before...), after...)
	if len(ls) == 0 {
		return nil
	}
	booker, err := bookerName(tx, b.PersonID)
	if err != nil {
		return err
	}
	at := s.now().UnixNano()
	key := func(unit string) string { return fmt.Sprintf("booking/%d/changed/%d/%s", b.ID, at, unit) }
	return s.mailUnits(tx, ls, key, func(lang string, _ []line) (string, []string) {
		none := s.cat.T(lang, "booking.series.no_equipment")
		was, now := linesText(before), linesText(after)
		if was == "" {
			was = none
		}
		if now == "" {
			now = none
		}
		title := s.titleOr(lang, b.Title)
		out := []string{
			s.cat.T(lang, "booking.series.mail_before", "When", i18n.FormatDateTime(lang, oldStart, s.tz), "To", clock(oldEnd, s.tz), "Items", was),
			s.cat.T(lang, "booking.series.mail_now", "When", i18n.FormatDateTime(lang, b.StartAt, s.tz), "To", clock(b.EndAt, s.tz), "Items", now),
		}
		if len(days) > 1 {
			out = append(out, s.datesLine(lang, days))
		}
		return s.cat.T(lang, "booking.series.mail_changed_title", "Room", room.Name), append(out,
			s.cat.T(lang, "booking.mail.where", "Where", place(room)),
			s.cat.T(lang, "booking.mail.booker", "Name", booker),
			s.cat.T(lang, "booking.mail.booking_title", "Title", title),
		)
	}, "/bookings?week="+mondayOf(dateIn(b.StartAt, s.tz)).String())
}

// CancelFollowing cancels an occurrence of a series and every later active
// occurrence with their equipment, and tells each unit once. It returns the
// dates cancelled.
func (s *Service) CancelFollowing(ctx context.Context, a actor.Actor, id uint) ([]SeriesDay, error) {
	var days []SeriesDay
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		b, r, err := s.managed(tx, a, id)
		if err != nil {
			return err
		}
		if b.SeriesID == nil {
			return ErrNotSeries
		}
		if !b.Active() {
			return ErrNotCancellable
		}
		var ser Series
		if err := tx.First(&ser, *b.SeriesID).Error; err != nil {
			return err
		}
		var occ []Booking
		if err := tx.Where("series_id = ? AND parent_id IS NULL AND status IN ? AND start_at >= ?", ser.ID, activeStatuses, b.StartAt).
			Order("start_at, id").Find(&occ).Error; err != nil {
			return err
		}
		var gone []line
		seen := map[uint]bool{}
		for _, o := range occ {
			if err := s.withdrawApproval(ctx, tx, a, &o); err != nil {
				return err
			}
			if ok, err := s.setStatus(tx, a, o.ID, o.Status, StatusCancelled, "booking.cancel"); err != nil {
				return err
			} else if !ok {
				continue
			}
			days = append(days, SeriesDay{Day: dateIn(o.StartAt, s.tz), Start: o.StartAt, End: o.EndAt, BookingID: o.ID})
			ended, err := s.endLines(tx, a, o.ID, StatusCancelled, "booking.cancel")
			if err != nil {
				return err
			}
			for _, l := range ended {
				if !seen[l.res.ID] {
					seen[l.res.ID] = true
					gone = append(gone, l)
				}
			}
		}
		return s.tellSeries(tx, &ser, r, gone, days, "cancelled")
	})
	return days, err
}
