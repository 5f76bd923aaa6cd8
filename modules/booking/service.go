package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/cache"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// Errors the handlers turn into form messages or statuses.
var (
	ErrEndBeforeStart  = errs.New(errs.Invalid, "booking: the end is before the start")
	ErrZeroLength      = errs.New(errs.Invalid, "booking: the booking has no length")
	ErrInPast          = errs.New(errs.Invalid, "booking: the start is in the past")
	ErrOutsideHours    = errs.New(errs.Invalid, "booking: outside the bookable hours")
	ErrTooManySeats    = errs.New(errs.Invalid, "booking: more people than seats")
	ErrUnknownResource = errs.New(errs.Invalid, "booking: unknown or inactive resource")
	ErrBadQuantity     = errs.New(errs.Invalid, "booking: an individual item is booked one at a time")
	ErrTaken           = errs.New(errs.Conflict, "booking: the resource is already booked")
	ErrPoolFull        = errs.New(errs.Conflict, "booking: not enough left in the pool")
	ErrNotFound        = errs.New(errs.NotFound, "booking: not found")
	ErrForbidden       = errs.New(errs.Forbidden, "booking: not allowed")
	ErrNotCancellable  = errs.New(errs.Conflict, "booking: no longer active")
	// ErrHeldElsewhere is a booking another service holds (a training
	// session's room): it is changed or cancelled there.
	ErrHeldElsewhere = errs.New(errs.Conflict, "booking: held by another service's event; change it there")
	ErrNotHeld       = errs.New(errs.Conflict, "booking: not a held request")
	ErrHoldExpired   = errs.New(errs.Conflict, "booking: the hold has expired")
	ErrNoSuchTime    = errs.New(errs.Invalid, "booking: that wall time does not exist on that day")
	ErrNoApproval    = errs.New(errs.Invalid, "booking: car requests have no approver")
	// ErrWrongKind: each form books its own kind of resource — rooms (with
	// their equipment) through Book and series, cars only as car requests,
	// which need their approval; equipment only along with a room.
	ErrWrongKind = errs.New(errs.Invalid, "booking: this resource is not booked this way")
	// ErrBusy: the database gave up waiting for the resource's lock because
	// others are booking it right now. It is ErrTaken to every caller (the
	// person is told the time is already booked and may try again).
	ErrBusy = fmt.Errorf("%w (busy, try again)", ErrTaken)
)

// ErrDayPast is ErrInPast when the whole day has gone, not only the hour:
// the forms put it on the day, not on the start time.
var ErrDayPast = fmt.Errorf("%w (an earlier day)", ErrInPast)

// pastSlack lets a booking start a little before now: the form was filled a
// minute ago, and "from now" should not be refused.
const pastSlack = 5 * time.Minute

// nextFreeHorizon bounds how far NextFree looks ahead.
const nextFreeHorizon = 14 * 24 * time.Hour

// Service holds the booking rules; it owns its transactions.
type Service struct {
	db *db.DB
	tz *time.Location
	// HoldFor is how long a car request holds the car while it waits for approval.
	HoldFor time.Duration
	now     func() time.Time

	// Car requests need the engine (without it RequestCarApproval refuses
	// with ErrNoApproval), the people (for the steps and the summary) and
	// the catalog (for the summary's words).
	engine *approval.Engine
	people *people.Service
	cat    *i18n.Catalog

	// The units and drivers are emailed through the outbox (nil, as in the
	// service tests, sends nothing); lang is the default for people who
	// never chose one.
	outbox *notify.Outbox
	lang   string

	// BaseURL is the suite's address; calendar events take their UIDs' host from it.
	BaseURL string
	// cal holds the admins' day overrides for the day-off rule; without it
	// only weekends and public holidays count.
	cal *calendar.Calendar
	// resources are the resources bookings read before their write (see
	// resource); every write of a resource here forgets it.
	resources *cache.Map[uint, *Resource]
}

// resourcesTTL is how long another replica may check bookings against a
// resource as it was before an administrator changed it.
const resourcesTTL = 10 * time.Second

// NewService returns the booking service. Bookable hours are local to
// d.Cfg.TZ; car requests hold the car for d.Cfg.CarHold.
func NewService(d module.Deps) *Service {
	return &Service{db: d.DB, tz: d.Cfg.TZ, HoldFor: d.Cfg.CarHold, now: func() time.Time { return time.Now().UTC() },
		engine: d.Approval, people: d.People, cat: d.Catalog,
		outbox: d.Outbox, lang: d.Cfg.Lang,
		BaseURL: d.Cfg.BaseURL, cal: d.Calendar,
		resources: cache.New[uint, *Resource](resourcesTTL)}
}

// EquipmentLine asks for equipment along with a room booking.
type EquipmentLine struct {
	ResourceID uint
	Quantity   int
}

// BookingInput is a booking as the form describes it. Start and End are
// instants; LocalTimes builds them from what the person typed.
type BookingInput struct {
	ResourceID  uint
	Start       time.Time
	End         time.Time
	Title       string
	Quantity    int // for pools; 1 otherwise
	Attendees   int // rooms
	Equipment   []EquipmentLine
	Destination string // cars
	Purpose     string // cars
	Passengers  int    // cars
	// SeriesID, set by BookSeries, goes on every row of the booking; the
	// series then tells the units once for all its dates (see tellSeries).
	SeriesID *uint
	Private  bool // others see neither the title nor the booker
}

// utc normalises an instant to what is stored: UTC, whole seconds, so SQLite's
// text comparison is time order and both databases hold the same value.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// Book books a room, and with it the listed equipment, together or not at
// all; a room that needs approval is held for its approver. Any other kind of
// resource is refused with ErrWrongKind: cars go through RequestCarApproval.
func (s *Service) Book(ctx context.Context, a actor.Actor, in BookingInput) (*Booking, error) {
	return s.book(ctx, a, in, StatusConfirmed, nil)
}

// RequestCar books a car as a hold that keeps it for the approval to decide;
// the hold expires after HoldFor unless ConfirmHold runs first. It submits no
// approval itself (RequestCarApproval does): it is for seeding and tests.
func (s *Service) RequestCar(ctx context.Context, a actor.Actor, in BookingInput) (*Booking, error) {
	return s.book(ctx, a, in, StatusHold, nil)
}

// kindFor is the kind of resource a booking of status books: a hold is a
// car request, anything else a room.
func kindFor(status string) string {
	if status == StatusHold {
		return KindCar
	}
	return KindRoom
}

// line is one row a booking request inserts.
type line struct {
	res *Resource
	qty int
}

// book checks and inserts a booking in one transaction; then, when given, runs
// in the same transaction what must exist with it (a car request's approval),
// with a context that reads through that transaction.
func (s *Service) book(ctx context.Context, a actor.Actor, in BookingInput, status string, then func(ctx context.Context, tx *gorm.DB, b *Booking) error) (*Booking, error) {
	in, err := s.normalise(in)
	if err != nil {
		return nil, err
	}
	st, err := s.prepare(ctx)
	if err != nil {
		return nil, err
	}
	// The resources are read and checked before the write, beside other
	// bookings' writes: the database itself refuses what must never happen
	// (an overlap, a full pool, a missing resource), and a resource changed
	// by an admin meanwhile is no different from one changed just after.
	lines, err := s.checkedLines(s.db.R.WithContext(ctx), st.resource, in, kindFor(status))
	if err != nil {
		return nil, err
	}
	var out *Booking
	// Group: concurrent bookings share a commit (see db.Group); each one's
	// outcome is still its own.
	err = s.db.Group(ctx, func(tx *gorm.DB) error {
		// Group marks tx's context (db.WithTx): every read made for the
		// booking, the approval's people and absences too, goes through tx,
		// which may hold the resource's lock.
		ctx := tx.Statement.Context
		var err error
		if out, err = s.insertTx(ctx, tx, st, a, in, status, lines); err != nil || then == nil {
			return err
		}
		return then(ctx, tx, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// normalise checks the times that need no database and clips the free texts.
func (s *Service) normalise(in BookingInput) (BookingInput, error) {
	if err := s.checkTimes(in.Start, in.End); err != nil {
		return in, err
	}
	in.Title = clip(in.Title, 200)
	in.Destination = clip(in.Destination, 200)
	in.Purpose = clip(in.Purpose, 500)
	return in, nil
}

// checkTimes checks a booking's times against each other and against now:
// a start on an earlier day than today is ErrDayPast, one earlier today ErrInPast.
func (s *Service) checkTimes(start, end time.Time) error {
	start, end = utc(start), utc(end)
	now := s.now()
	switch {
	case end.Before(start):
		return ErrEndBeforeStart
	case end.Equal(start):
		return ErrZeroLength
	case !start.Before(now.Add(-pastSlack)):
		return nil
	case calendar.DateOf(start, s.tz).Before(calendar.DateOf(now, s.tz)):
		return ErrDayPast
	}
	return ErrInPast
}

// CheckCarRequest lists every rule a car request breaks that can be told
// before it is sent, so the form shows them all at once: its times (skipped
// while Start or End is unknown), the car (skipped while ResourceID is) and
// the passengers for the car's seats. RequestCarApproval checks them again,
// and the rest (a car already booked, nobody to approve) there.
func (s *Service) CheckCarRequest(ctx context.Context, in BookingInput) ([]error, error) {
	var out []error
	if !in.Start.IsZero() && !in.End.IsZero() {
		if err := s.checkTimes(in.Start, in.End); err != nil {
			out = append(out, err)
		}
	}
	if in.ResourceID == 0 {
		return out, nil
	}
	r, err := s.resource(s.db.R.WithContext(ctx), nil, in.ResourceID)
	switch {
	case err != nil:
		return nil, err
	case r == nil || !r.Active:
		out = append(out, ErrUnknownResource)
	case r.Kind != KindCar:
		out = append(out, ErrWrongKind)
	case r.Seats > 0 && in.Passengers > r.Seats:
		out = append(out, ErrTooManySeats)
	}
	return out, nil
}

// bookTx is book inside the caller's transaction, so a series' dates or a
// change commit together; in must already be normalised by book's checks.
func (s *Service) bookTx(ctx context.Context, tx *gorm.DB, st *stmts, a actor.Actor, in BookingInput, status string) (*Booking, error) {
	ctx = db.WithTx(ctx, tx)
	lines, err := s.checkedLines(tx, nil, in, kindFor(status))
	if err != nil {
		return nil, err
	}
	return s.insertTx(ctx, tx, st, a, in, status, lines)
}

// insertTx writes a booking's lines (checked by lines) in tx, with their
// audit rows, and tells whoever must hear of it in the same transaction.
func (s *Service) insertTx(ctx context.Context, tx *gorm.DB, st *stmts, a actor.Actor, in BookingInput, status string, lines []line) (*Booking, error) {
	start, end := utc(in.Start), utc(in.End)
	var out Booking
	err := func() error {
		main := lines[0].res
		// A room that needs approval is held until its approver decides
		// (room_approval.go), whichever path booked it.
		approve := status == StatusConfirmed && needsApproval(main)
		if approve {
			status = StatusHold
		}
		if err := s.lock(tx, lines); err != nil {
			return dbError(err)
		}
		var holdUntil *time.Time
		if status == StatusHold {
			h := utc(s.now().Add(s.HoldFor))
			if approve && start.Before(h) {
				h = start // a room hold never outlives the meeting's start
			}
			holdUntil = &h
		}
		for i, l := range lines {
			// No check first: the database refuses an overlap or a full pool
			// itself, and dbError turns that into the same friendly answer.
			blockEnd := end.Add(time.Duration(l.res.BufferMinutes) * time.Minute)
			b := Booking{ResourceID: l.res.ID, PersonID: a.ID, Title: in.Title, StartAt: start, EndAt: end,
				BlockEnd: blockEnd, Quantity: l.qty, Pooled: l.res.Pooled(), Status: status, SeriesID: in.SeriesID, CreatedBy: a.ID, Private: in.Private}
			b.HoldUntil = holdUntil // equipment held with its room expires with it
			if i == 0 {
				b.Attendees, b.Passengers = in.Attendees, in.Passengers
				b.Destination, b.Purpose = in.Destination, in.Purpose
			} else {
				b.ParentID = &out.ID
			}
			if err := s.create(ctx, tx, st, &b); err != nil {
				return itemError(l.res, dbError(err))
			}
			if err := audit.RecordPrepared(tx, st.audit, a, "booking.create", "booking", b.ID, nil, b.created()); err != nil {
				return err
			}
			if i == 0 {
				out = b
			}
		}
		if approve { // the units hear of it once it is approved
			return s.submitRoomApproval(ctx, tx, a, &out, main)
		}
		if in.SeriesID != nil {
			return nil // the series tells everyone once, for all its dates
		}
		if err := s.tellUnits(tx, &out, main, lines[1:], "created"); err != nil {
			return err
		}
		return s.tellBooker(tx, st, &out)
	}()
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// checkedLines is lines checked for the booking's time and party too
// (fitsBooking): everything a booking must pass before its write.
func (s *Service) checkedLines(q *gorm.DB, read *sql.Stmt, in BookingInput, kind string) ([]line, error) {
	lines, err := s.lines(q, read, in, kind)
	if err != nil {
		return nil, err
	}
	if err := s.fitsBooking(q.Statement.Context, lines, in); err != nil {
		return nil, err
	}
	return lines, nil
}

// lines loads the booked resource and its equipment (see resource for read)
// and checks that each may be booked this way: active, the main one of kind
// (ErrWrongKind otherwise), the others equipment, in a quantity it has.
func (s *Service) lines(q *gorm.DB, read *sql.Stmt, in BookingInput, kind string) ([]line, error) {
	ids := []uint{in.ResourceID}
	for _, e := range in.Equipment {
		ids = append(ids, e.ResourceID)
	}
	byID := make(map[uint]*Resource, len(ids))
	for _, id := range ids {
		r, err := s.resource(q, read, id)
		if err != nil {
			return nil, err
		}
		if r != nil {
			byID[id] = r
		}
	}
	main := byID[in.ResourceID]
	if main == nil || !main.Active {
		return nil, ErrUnknownResource
	}
	if main.Kind != kind || (kind == KindCar && len(in.Equipment) > 0) {
		return nil, ErrWrongKind
	}
	first, err := quantity(main, in.Quantity)
	if err != nil {
		return nil, err
	}
	out := []line{{res: main, qty: first}}
	for _, e := range in.Equipment {
		r := byID[e.ResourceID]
		if r == nil || !r.Active || r.Kind != KindEquipment || r.ID == main.ID {
			return nil, ErrUnknownResource
		}
		n, err := quantity(r, e.Quantity)
		if err != nil {
			return nil, itemError(r, err)
		}
		out = append(out, line{res: r, qty: n})
	}
	return out, nil
}

// fitsBooking checks what depends on the booking's time and party: every
// line within its bookable hours on a day it is open, and no more people
// than seats.
func (s *Service) fitsBooking(ctx context.Context, lines []line, in BookingInput) error {
	start, end := utc(in.Start), utc(in.End)
	for _, l := range lines {
		if !s.withinHours(l.res, start, end) {
			return ErrOutsideHours
		}
	}
	if err := s.checkDayOff(ctx, lines, start); err != nil {
		return err
	}
	main := lines[0].res
	if (main.Kind == KindRoom && main.Seats > 0 && in.Attendees > main.Seats) ||
		(main.Kind == KindCar && main.Seats > 0 && in.Passengers > main.Seats) {
		return ErrTooManySeats
	}
	return nil
}

// quantity is how many units of r a line takes: 1 for an individual item, at
// least 1 and at most the pool for a pool.
func quantity(r *Resource, asked int) (int, error) {
	switch {
	case asked <= 0:
		return 1, nil
	case !r.Pooled() && asked > 1:
		return 0, ErrBadQuantity
	case r.Pooled() && asked > r.Quantity:
		return 0, ErrPoolFull
	}
	return asked, nil
}

// withinHours reports whether [start, end) lies inside r's bookable hours on
// one local day. Round-the-clock resources (cars) may span days.
func (s *Service) withinHours(r *Resource, start, end time.Time) bool {
	if r.allDay() {
		return true
	}
	ls, le := start.In(s.tz), end.In(s.tz)
	day := calendar.DateOf(ls, s.tz)
	from := ls.Hour()*3600 + ls.Minute()*60 + ls.Second()
	to := le.Hour()*3600 + le.Minute()*60 + le.Second()
	switch endDay := calendar.DateOf(le, s.tz); {
	case endDay == day:
	case endDay == day.AddDays(1) && to == 0:
		to = 24 * 3600 // ends at midnight
	default:
		return false
	}
	return from >= r.OpenFrom*60 && to <= r.openTo()*60
}

// clip trims s and cuts it to n bytes so an over-long field cannot fail the insert.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// NextFree returns up to n start times at or after start when the resource is
// free for d (plus its buffer) within its hours: the "already booked — how about"
// answer. It looks two weeks ahead.
func (s *Service) NextFree(ctx context.Context, resourceID uint, start time.Time, d time.Duration, n int) ([]time.Time, error) {
	q := s.db.R.WithContext(ctx)
	var r Resource
	if err := q.First(&r, resourceID).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrUnknownResource
		}
		return nil, err
	}
	if d <= 0 || n <= 0 {
		return nil, nil
	}
	start = utc(start)
	if now := utc(s.now()); start.Before(now) {
		start = now
	}
	buffer := time.Duration(r.BufferMinutes) * time.Minute
	horizon := start.Add(nextFreeHorizon)
	var rows []Booking
	err := q.Select("id", "start_at", "block_end", "quantity").
		Where("resource_id = ? AND status IN ? AND block_end > ? AND start_at < ?",
			r.ID, activeStatuses, start, horizon.Add(d+buffer)).
		Order("start_at").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	// Candidates: the asked start, the moment each booking frees the resource,
	// and each day's opening time.
	cands := []time.Time{start}
	for _, b := range rows {
		if b.BlockEnd.After(start) {
			cands = append(cands, b.BlockEnd)
		}
	}
	if !r.allDay() {
		for day := calendar.DateOf(start, s.tz); ; day = day.AddDays(1) {
			open := time.Date(day.Year, day.Month, day.Day, r.OpenFrom/60, r.OpenFrom%60, 0, 0, s.tz).UTC()
			if open.After(horizon) {
				break
			}
			if open.After(start) {
				cands = append(cands, open)
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].Before(cands[j]) })
	days, err := s.daysOff(ctx, calendar.DateOf(start, s.tz), calendar.DateOf(horizon, s.tz))
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for i, c := range cands {
		if len(out) == n || c.After(horizon) {
			break
		}
		if i > 0 && c.Equal(cands[i-1]) {
			continue
		}
		end := c.Add(d)
		if !s.withinHours(&r, c, end) || closedReason(&r, days, calendar.DateOf(c, s.tz)) != "" {
			continue
		}
		blockEnd := end.Add(buffer)
		var over []Booking
		for _, b := range rows {
			if b.BlockEnd.After(c) && b.StartAt.Before(blockEnd) {
				over = append(over, b)
			}
		}
		if (!r.Pooled() && len(over) == 0) || (r.Pooled() && maxUsed(over, c, blockEnd)+1 <= r.Quantity) {
			out = append(out, c)
		}
	}
	return out, nil
}

// ConfirmHold turns a held car request into a booking once it is approved,
// after checking again that the car is free. It runs its own transaction.
func (s *Service) ConfirmHold(ctx context.Context, bookingID uint) (*Booking, error) {
	var b *Booking
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var err error
		b, err = s.ConfirmHoldTx(tx, actor.System(), bookingID)
		return err
	})
	return b, err
}

// ConfirmHoldTx is ConfirmHold inside the caller's transaction (the approval
// engine's callback), so the decision and the booking commit together.
func (s *Service) ConfirmHoldTx(tx *gorm.DB, a actor.Actor, bookingID uint) (*Booking, error) {
	var b Booking
	if err := tx.First(&b, bookingID).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	var r Resource
	if err := tx.First(&r, b.ResourceID).Error; err != nil {
		return nil, err
	}
	if err := s.lock(tx, []line{{res: &r}}); err != nil {
		return nil, dbError(err)
	}
	if err := tx.First(&b, bookingID).Error; err != nil { // as it is now, under the lock
		return nil, err
	}
	if b.Status != StatusHold {
		return nil, ErrNotHeld
	}
	if b.HoldUntil != nil && b.HoldUntil.Before(s.now()) {
		return nil, ErrHoldExpired
	}
	if !r.Active {
		return nil, ErrUnknownResource
	}
	if err := s.fits(tx, &r, b.StartAt, b.BlockEnd, b.Quantity, b.ID); err != nil {
		return nil, err
	}
	err := s.move(tx, a, history.Transition{ID: b.ID, From: []string{StatusHold}, To: StatusConfirmed,
		Set: map[string]any{"hold_until": nil}, Audit: "booking.confirm"})
	if errors.Is(err, history.ErrStateChanged) {
		return nil, ErrNotHeld
	}
	if err != nil {
		return nil, err
	}
	b.Status, b.HoldUntil = StatusConfirmed, nil
	return &b, nil
}

// ExpireHolds releases car holds whose time ran out without an approval and
// says how many it released. A scheduled job runs it; running it twice is harmless.
func (s *Service) ExpireHolds(ctx context.Context) (int, error) {
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var ids []uint
		if err := tx.Model(&Booking{}).Where("status = ? AND hold_until < ?", StatusHold, utc(s.now())).
			Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := s.setStatus(tx, actor.System(), id, StatusHold, StatusExpired, "booking.expire")
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// setStatus moves one booking from one status to another (see move); it
// reports false when the booking was no longer in from.
func (s *Service) setStatus(tx *gorm.DB, a actor.Actor, id uint, from, to, action string) (bool, error) {
	err := s.move(tx, a, history.Transition{ID: id, From: []string{from}, To: to, Audit: action})
	if errors.Is(err, history.ErrStateChanged) {
		return false, nil
	}
	return err == nil, err
}

// move changes a booking's state through history: the guarded UPDATE (its
// updated_at with it), the audit row and the booking's timeline entry, whose
// word is the audit action's ("booking.cancel" → "cancel"). A booking no
// longer in a From state is history.ErrStateChanged.
func (s *Service) move(tx *gorm.DB, a actor.Actor, t history.Transition) error {
	now := s.now()
	t.Entity, t.Model, t.At = "booking", &Booking{}, now
	set := map[string]any{"updated_at": now}
	for k, v := range t.Set {
		set[k] = v
	}
	t.Set = set
	if t.Action == "" {
		t.Action = strings.TrimPrefix(t.Audit, "booking.")
	}
	err := history.Move(tx, a, t)
	if err != nil && !errors.Is(err, history.ErrStateChanged) {
		return dbError(err)
	}
	return err
}

// withManaged runs fn in a transaction on booking id (an equipment line
// too) and its resource when a may manage it (mayManage), and returns the
// booking as fn left it.
func (s *Service) withManaged(ctx context.Context, a actor.Actor, id uint, fn func(tx *gorm.DB, b *Booking, r *Resource) error) (*Booking, error) {
	var b *Booking
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var (
			r   *Resource
			err error
		)
		if b, r, err = loadManaged(tx, a, id, true); err != nil {
			return err
		}
		return fn(tx, b, r)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// endLines moves the active equipment lines booked with booking parentID to
// status to (cancelled, no-show) with the room, auditing each as action, and
// returns them for the units' mail.
func (s *Service) endLines(tx *gorm.DB, a actor.Actor, parentID uint, to, action string) ([]line, error) {
	var kids []Booking
	if err := tx.Where("parent_id = ? AND status IN ?", parentID, activeStatuses).Order("id").Find(&kids).Error; err != nil {
		return nil, err
	}
	if len(kids) == 0 {
		return nil, nil
	}
	byID, err := resourcesOf(tx, kids)
	if err != nil {
		return nil, err
	}
	gone := make([]line, 0, len(kids))
	for _, k := range kids {
		if _, err := s.setStatus(tx, a, k.ID, k.Status, to, action); err != nil {
			return nil, err
		}
		gone = append(gone, line{res: byID[k.ResourceID], qty: k.Quantity})
	}
	return gone, nil
}

// resourcesOf loads the resources of bookings in one query, by id.
func resourcesOf(tx *gorm.DB, bookings []Booking) (map[uint]*Resource, error) {
	ids := make([]uint, len(bookings))
	for i, b := range bookings {
		ids[i] = b.ResourceID
	}
	var rs []Resource
	if err := tx.Where("id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Resource, len(rs))
	for i := range rs {
		byID[rs[i].ID] = &rs[i]
	}
	return byID, nil
}

// unitRoles maps a resource's unit to the role that manages its bookings.
var unitRoles = map[string]string{UnitFacilities: actor.Facilities, UnitIT: actor.IT, UnitFleet: actor.Fleet}

// Cancel cancels an active booking: one's own, or any of a resource one's unit
// manages. Cancelling a room booking cancels the equipment booked with it.
func (s *Service) Cancel(ctx context.Context, a actor.Actor, id uint) (*Booking, error) {
	return s.withManaged(ctx, a, id, func(tx *gorm.DB, b *Booking, r *Resource) error {
		if !b.Active() {
			return ErrNotCancellable
		}
		// The request first: the approval engine locks it before the booking,
		// so a decision under way and this cancellation wait for each other.
		if err := s.withdrawApproval(ctx, tx, a, b); err != nil {
			return err
		}
		before := b.Status
		if ok, err := s.setStatus(tx, a, b.ID, before, StatusCancelled, "booking.cancel"); err != nil {
			return err
		} else if !ok {
			return ErrNotCancellable
		}
		b.Status = StatusCancelled
		gone, err := s.endLines(tx, a, b.ID, StatusCancelled, "booking.cancel")
		if err != nil {
			return err
		}
		return s.tellUnits(tx, b, r, gone, "cancelled")
	})
}

// LocalTimes turns a day and two "HH:MM" wall times in tz into instants, so a
// booking lasts what the person typed even on a DST weekend. A wall time that
// does not exist (the skipped hour in March) is refused with ErrNoSuchTime. A
// wall time that exists twice (the repeated hour in October) means its first
// occurrence, summer time: 02:30–02:30 on 2026-10-25 is therefore zero length
// (and refused by Book), while 02:00–03:00 that day lasts two hours. "24:00"
// as the end means the next midnight.
func LocalTimes(day calendar.Date, from, to string, tz *time.Location) (start, end time.Time, err error) {
	start, err = wallTime(day, from, tz)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if to == "24:00" {
		end, err = wallTime(day.AddDays(1), "00:00", tz)
	} else {
		end, err = wallTime(day, to, tz)
	}
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return start, end, nil
}

// wallTime reads "HH:MM" and resolves it with calendar.At (its first real
// occurrence in tz).
func wallTime(day calendar.Date, hhmm string, tz *time.Location) (time.Time, error) {
	var h, m int
	if len(hhmm) != 5 || hhmm[2] != ':' {
		return time.Time{}, fmt.Errorf("booking: time %q is not HH:MM", hhmm)
	}
	if _, err := fmt.Sscanf(hhmm, "%02d:%02d", &h, &m); err != nil || h > 23 || m > 59 || h < 0 || m < 0 {
		return time.Time{}, fmt.Errorf("booking: time %q is not HH:MM", hhmm)
	}
	t, err := calendar.At(day, h, m, tz)
	if errors.Is(err, calendar.ErrNoSuchTime) {
		return time.Time{}, ErrNoSuchTime
	}
	return t, err
}
