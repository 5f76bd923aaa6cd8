// Package leave is the leave-tracking service: allowances kept as a ledger,
// a yearly plan, requests approved through the approval engine, the team
// calendar and HR's overview. It is the module the other services copy.
package leave

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Errors the handlers turn into form messages or statuses.
var (
	ErrForbidden           = errs.New(errs.Forbidden, "leave: not allowed")
	ErrNotFound            = errs.New(errs.NotFound, "leave: not found")
	ErrOverlap             = errs.New(errs.Conflict, "leave: overlaps another request")
	ErrInsufficientBalance = errs.New(errs.Conflict, "leave: not enough days left")
	ErrNoWorkdays          = errs.New(errs.Invalid, "leave: no working day in the range")
	ErrReversed            = errs.New(errs.Invalid, "leave: the last day is before the first")
	ErrOutsideWindow       = errs.New(errs.Invalid, "leave: outside the years open for requests")
	ErrUnknownType         = errs.New(errs.Invalid, "leave: unknown or inactive type")
	ErrHalfDays            = errs.New(errs.Invalid, "leave: this type has no half days")
	ErrTooLong             = errs.New(errs.Invalid, "leave: longer than the type allows")
	ErrNotCancellable      = errs.New(errs.Conflict, "leave: cannot be cancelled now")
	// ErrPastStart: a person's own request starts before today. Leave already
	// taken is HR's to record; the person may still send it, saying so.
	ErrPastStart = errs.New(errs.Invalid, "leave: starts in the past")
)

// Approval kinds of the module.
const (
	KindLeave  = "leave"
	KindCancel = "leave_cancel"
)

// Service holds the rules of leave; it owns its transactions.
type Service struct {
	db     *db.DB
	people *people.Service
	cal    *calendar.Calendar
	engine *approval.Engine
	outbox *notify.Outbox
	cat    *i18n.Catalog
	cfg    *config.Config
	now    func() time.Time
	// Engagements are the days people are away at a training (set by the
	// suite, kapu.go): the team calendar draws them, and Away counts them.
	Engagements people.Engagements
}

// NewService returns the leave service; its requests need d.Approval, and
// its approval kinds are registered through the module (ApprovalKinds).
func NewService(d module.Deps) *Service {
	return &Service{db: d.DB, people: d.People, cal: d.Calendar, engine: d.Approval, outbox: d.Outbox, cat: d.Catalog, cfg: d.Cfg,
		now: func() time.Time { return time.Now().UTC() }, Engagements: people.NoEngagements{}}
}

// carryUntil is the day carried-over days expire in year.
func (s *Service) carryUntil(year int) calendar.Date {
	return calendar.NewDate(year, s.cfg.LeaveCarryUntil.Month, s.cfg.LeaveCarryUntil.Day)
}

// Today is the current date in the city's zone.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now(), s.cfg.TZ) }

// RequestInput is a request as the form describes it.
type RequestInput struct {
	TypeID    uint
	Start     calendar.Date
	End       calendar.Date
	StartHalf bool
	EndHalf   bool
	Comment   string
	// PastConfirmed: the person saw that the leave starts before today and
	// sends it themself anyway (see ErrPastStart).
	PastConfirmed bool
}

// Quote is what a request would cost, shown before it is sent.
type Quote struct {
	Halves  int
	PerYear map[int]int // half days drawn from each year's allowance (counting types only)
	After   map[int]int // remaining half days after it, per year (counting types only)
	Type    *Type
	// StartsInPast: the first day is before today; a person's own request
	// then needs PastConfirmed.
	StartsInPast bool
}

// Types lists the leave types, active ones first in their order.
func (s *Service) Types(ctx context.Context, activeOnly bool) ([]Type, error) {
	q := s.db.R.WithContext(ctx).Order("active DESC, sort_order, id")
	if activeOnly {
		q = q.Where("active = ?", true)
	}
	var out []Type
	return out, q.Find(&out).Error
}

func (s *Service) typeByID(q *gorm.DB, id uint) (*Type, error) {
	var t Type
	if err := q.First(&t, id).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrUnknownType
		}
		return nil, err
	}
	return &t, nil
}

// count returns the working half-days of a range per year.
func (s *Service) count(ctx context.Context, in RequestInput) (map[int]int, int, error) {
	days, err := s.cal.Span(ctx, in.Start, in.End)
	if err != nil {
		return nil, 0, err
	}
	perYear := map[int]int{}
	total := 0
	for d := in.Start; !d.After(in.End); d = d.AddDays(1) {
		if !days.IsWorkday(d) {
			continue
		}
		h := 2
		if in.StartHalf && d.Equal(in.Start) {
			h--
		}
		if in.EndHalf && d.Equal(in.End) {
			h--
		}
		perYear[d.Year] += h
		total += h
	}
	return perYear, total, nil
}

// check validates a request's shape and counts it; it reads nothing of the person.
func (s *Service) check(ctx context.Context, q *gorm.DB, in RequestInput) (*Type, map[int]int, int, error) {
	t, err := s.typeByID(q, in.TypeID)
	if err != nil {
		return nil, nil, 0, err
	}
	if !t.Active {
		return nil, nil, 0, ErrUnknownType
	}
	today := s.Today()
	switch {
	case in.Start.IsZero() || in.End.IsZero():
		return nil, nil, 0, ErrNoWorkdays
	case in.End.Before(in.Start):
		return nil, nil, 0, ErrReversed
	case in.Start.Year < today.Year-1 || in.End.Year > today.Year+1:
		return nil, nil, 0, ErrOutsideWindow
	case (in.StartHalf || in.EndHalf) && !t.HalfDays:
		return nil, nil, 0, ErrHalfDays
	}
	perYear, total, err := s.count(ctx, in)
	if err != nil {
		return nil, nil, 0, err
	}
	if total <= 0 {
		return nil, nil, 0, ErrNoWorkdays
	}
	if t.MaxConsecutive > 0 && total > t.MaxConsecutive*2 {
		return nil, nil, 0, ErrTooLong
	}
	return t, perYear, total, nil
}

// Quote says what the request would cost the person, without saving anything.
func (s *Service) Quote(ctx context.Context, personID uint, in RequestInput) (Quote, error) {
	q := s.db.R.WithContext(ctx)
	t, perYear, total, err := s.check(ctx, q, in)
	if err != nil {
		return Quote{}, err
	}
	out := Quote{Halves: total, Type: t, StartsInPast: in.Start.Before(s.Today())}
	if t.CountsAgainst {
		out.PerYear, out.After = perYear, map[int]int{}
		for y, h := range perYear {
			avail, err := s.available(q, personID, y)
			if err != nil {
				return Quote{}, err
			}
			out.After[y] = avail - h
		}
	}
	return out, nil
}

// available is what a person can still ask for in a year: the ledger's
// remaining days less what pending requests already hold.
func (s *Service) available(q *gorm.DB, personID uint, year int) (int, error) {
	b, err := balanceOf(q, personID, year)
	if err != nil {
		return 0, err
	}
	pending, err := s.pendingHalves(q, personID, year)
	return b.Remaining() - pending, err
}

// pendingHalves sums the counting days of a person's pending requests in a year.
func (s *Service) pendingHalves(q *gorm.DB, personID uint, year int) (int, error) {
	var reqs []Request
	err := q.Joins("JOIN leave_types t ON t.id = leave_requests.type_id AND t.counts_against = ?", true).
		Where("leave_requests.person_id = ? AND leave_requests.status = ?", personID, StatusPending).
		Where("leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			calendar.NewDate(year, time.December, 31), calendar.NewDate(year, time.January, 1)).
		Find(&reqs).Error
	if err != nil {
		return 0, err
	}
	total := 0
	for _, r := range reqs {
		perYear, _, err := s.count(q.Statement.Context, RequestInput{Start: r.Start(), End: r.EndDate, StartHalf: r.StartHalf, EndHalf: r.EndHalf})
		if err != nil {
			return 0, err
		}
		total += perYear[year]
	}
	return total, nil
}

// Start is the request's first day.
func (r *Request) Start() calendar.Date { return r.StartDate }

// Submit files a request for personID. A person asks for themself; HR records
// leave on someone's behalf, approved at once. Types that need no approval are
// approved at once too; the others go to the person's manager. A person's own
// request starting before today needs in.PastConfirmed (ErrPastStart): leave
// already taken is normally recorded by HR, on their behalf.
func (s *Service) Submit(ctx context.Context, a actor.Actor, personID uint, in RequestInput) (*Request, error) {
	onBehalf := a.ID != personID
	if onBehalf && !a.Has(actor.HR) {
		return nil, ErrForbidden
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if len(in.Comment) > 500 {
		in.Comment = in.Comment[:500]
	}
	person, err := s.people.Person(ctx, personID)
	if err != nil || !person.Active {
		return nil, ErrNotFound
	}
	var req Request
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		// One person's requests are decided one at a time, so two overlapping
		// requests sent at once cannot both pass the checks below.
		if err := s.lockPerson(tx, personID); err != nil {
			return err
		}
		t, perYear, total, err := s.check(ctx, tx, in)
		if err != nil {
			return err
		}
		if !onBehalf && in.Start.Before(s.Today()) && !in.PastConfirmed {
			return ErrPastStart
		}
		if overlap, err := s.overlaps(tx, personID, in.Start, in.End, 0); err != nil {
			return err
		} else if overlap {
			return ErrOverlap
		}
		if t.CountsAgainst && !t.AllowNegative {
			for y, h := range perYear {
				avail, err := s.available(tx, personID, y)
				if err != nil {
					return err
				}
				if h > avail {
					return ErrInsufficientBalance
				}
			}
		}
		req = Request{PersonID: personID, TypeID: t.ID, StartDate: in.Start, EndDate: in.End, StartHalf: in.StartHalf,
			EndHalf: in.EndHalf, Halves: total, Comment: in.Comment, Status: StatusPending, CreatedBy: a.ID}
		if err := tx.Create(&req).Error; err != nil {
			if isOverlapViolation(err) {
				return ErrOverlap
			}
			return err
		}
		if err := audit.Record(tx, a, "leave.request.create", "leave_request", req.ID, nil, req); err != nil {
			return err
		}
		if err := history.Note(tx, a, history.Entry{Entity: HistoryEntity, EntityID: req.ID, Action: "submitted", At: s.now()}); err != nil {
			return err
		}
		mgr, err := s.people.ManagerOf(ctx, person)
		if err != nil {
			return err
		}
		if onBehalf || !t.NeedsApproval || mgr == nil || !mgr.Active {
			return s.approve(ctx, tx, &req, a)
		}
		ar, err := s.engine.Submit(ctx, tx, KindLeave, web.FormatID(req.ID), person.Actor(), []uint{mgr.ID})
		if err != nil {
			return err
		}
		req.ApprovalID = &ar.ID
		return tx.Model(&req).Update("approval_id", ar.ID).Error
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

func (s *Service) lockPerson(tx *gorm.DB, personID uint) error {
	if s.db.Dialect != db.Postgres {
		return nil // SQLite's immediate transaction already holds the write lock
	}
	return tx.Exec("SELECT id FROM people WHERE id = ? FOR UPDATE", personID).Error
}

// overlaps reports whether the person has an active request touching [start, end] other than except.
func (s *Service) overlaps(q *gorm.DB, personID uint, start, end calendar.Date, except uint) (bool, error) {
	var n int64
	err := q.Model(&Request{}).Where("person_id = ? AND status IN ? AND start_date <= ? AND end_date >= ? AND id <> ?",
		personID, activeStatuses, end, start, except).Count(&n).Error
	return n > 0, err
}

// isOverlapViolation recognises the database's own refusal of an overlapping request.
func isOverlapViolation(err error) bool { return db.IsConstraint(err, "leave_overlap") }

// approve makes a request approved leave: its days leave the ledger now.
func (s *Service) approve(ctx context.Context, tx *gorm.DB, req *Request, by actor.Actor) error {
	t, err := s.typeByID(tx, req.TypeID)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.move(tx, by, history.Transition{ID: req.ID, From: []string{StatusPending}, To: StatusApproved,
		Set: map[string]any{"decided_at": now}, Audit: "leave.request.approve", Action: "approved"})
	if err != nil {
		return decidedError(err)
	}
	req.Status, req.DecidedAt = StatusApproved, &now
	if t.CountsAgainst {
		perYear, _, err := s.count(ctx, RequestInput{Start: req.StartDate, End: req.EndDate, StartHalf: req.StartHalf, EndHalf: req.EndHalf})
		if err != nil {
			return err
		}
		for y, h := range perYear {
			if err := s.post(tx, Entry{PersonID: req.PersonID, Year: y, Kind: KindUsage, Halves: -h, RequestID: &req.ID, CreatedBy: by.ID}); err != nil {
				return err
			}
		}
	}
	return s.tellHR(ctx, tx, req, t)
}

// Cancel withdraws a pending request at once; approved leave that has not
// started goes to the manager as a cancellation request (HR cancels at once).
func (s *Service) Cancel(ctx context.Context, a actor.Actor, requestID uint) (*Request, error) {
	var req Request
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&req, requestID).Error; err != nil {
			if db.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		if err := s.lockPerson(tx, req.PersonID); err != nil {
			return err
		}
		if err := tx.First(&req, requestID).Error; err != nil { // as it is now, under the lock
			return err
		}
		how, mgr, err := s.cancelWay(ctx, a, &req)
		if err != nil {
			return err
		}
		switch how {
		case CancelWithdraw:
			if req.ApprovalID != nil {
				if err := s.engine.Withdraw(ctx, tx, actor.System(), *req.ApprovalID); err != nil && !errors.Is(err, approval.ErrDecided) {
					return err
				}
			}
			return s.setCancelled(tx, &req, a, false)
		case CancelAtOnce:
			return s.setCancelled(tx, &req, a, true)
		case CancelAsk:
			person, err := s.people.Person(ctx, req.PersonID)
			if err != nil {
				return err
			}
			ar, err := s.engine.Submit(ctx, tx, KindCancel, web.FormatID(req.ID), person.Actor(), []uint{mgr.ID})
			if err != nil {
				return err
			}
			err = s.move(tx, a, history.Transition{ID: req.ID, From: []string{StatusApproved}, To: StatusCancelRequested,
				Set: map[string]any{"approval_id": ar.ID}, Audit: "leave.request.cancel_ask", Action: "cancel_requested"})
			if err != nil {
				return cancelError(err)
			}
			req.Status, req.ApprovalID = StatusCancelRequested, &ar.ID
			return nil
		}
		return ErrNotCancellable
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

// What cancelling a request does (CancelWay).
const (
	CancelWithdraw = "withdraw" // a pending request: withdrawn at once
	CancelAtOnce   = "cancel"   // approved leave cancelled at once: by HR, or one's own with no manager to ask
	CancelAsk      = "ask"      // one's own approved leave ahead: the manager is asked to agree
)

// CancelWay says what cancelling r would do for a, or ErrNotCancellable /
// ErrForbidden; the confirmation page and Cancel both follow it.
func (s *Service) CancelWay(ctx context.Context, a actor.Actor, r *Request) (string, error) {
	how, _, err := s.cancelWay(ctx, a, r)
	return how, err
}

// cancelWay is CancelWay with the manager who would be asked.
func (s *Service) cancelWay(ctx context.Context, a actor.Actor, r *Request) (string, *people.Person, error) {
	own := r.PersonID == a.ID
	if !own && !a.Has(actor.HR) {
		return "", nil, ErrForbidden
	}
	switch {
	case r.Status == StatusPending:
		return CancelWithdraw, nil, nil
	case r.Status == StatusApproved && a.Has(actor.HR):
		return CancelAtOnce, nil, nil
	case r.Status == StatusApproved && own && r.StartDate.After(s.Today()):
		person, err := s.people.Person(ctx, r.PersonID)
		if err != nil {
			return "", nil, err
		}
		mgr, err := s.people.ManagerOf(ctx, person)
		if err != nil {
			return "", nil, err
		}
		if mgr == nil || !mgr.Active {
			return CancelAtOnce, nil, nil
		}
		return CancelAsk, mgr, nil
	}
	return "", nil, ErrNotCancellable
}

// setCancelled marks a request cancelled; approved leave gives its days back.
func (s *Service) setCancelled(tx *gorm.DB, req *Request, a actor.Actor, refund bool) error {
	err := s.move(tx, a, history.Transition{ID: req.ID, From: []string{req.Status}, To: StatusCancelled,
		Set: map[string]any{"decided_at": s.now()}, Audit: "leave.request.cancel", Action: "cancelled"})
	if err != nil {
		return cancelError(err)
	}
	req.Status = StatusCancelled
	if refund {
		var used []Entry
		if err := tx.Where("request_id = ? AND kind IN ?", req.ID, []string{KindUsage, KindCancellation}).Find(&used).Error; err != nil {
			return err
		}
		net := map[int]int{}
		for _, e := range used {
			net[e.Year] += e.Halves
		}
		for y, h := range net {
			if h != 0 {
				if err := s.post(tx, Entry{PersonID: req.PersonID, Year: y, Kind: KindCancellation, Halves: -h, RequestID: &req.ID, CreatedBy: a.ID}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// HistoryEntity names a leave request in audit rows and on its timeline.
const HistoryEntity = "leave_request"

// move changes a request's status through history: the guarded UPDATE, the
// audit row and the request's timeline entry. A request no longer in a From
// state is history.ErrStateChanged.
func (s *Service) move(tx *gorm.DB, a actor.Actor, t history.Transition) error {
	t.Entity, t.Model, t.At = HistoryEntity, &Request{}, s.now()
	return history.Move(tx, a, t)
}

// cancelError is what a cancellation that found the request moved meanwhile says.
func cancelError(err error) error {
	if errors.Is(err, history.ErrStateChanged) {
		return ErrNotCancellable
	}
	return err
}

// Request loads one request the actor may see: their own, their team's as
// manager of the person, or any as HR.
func (s *Service) Request(ctx context.Context, a actor.Actor, id uint) (*Request, error) {
	var r Request
	if err := s.db.R.WithContext(ctx).First(&r, id).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	ok, err := s.people.MaySee(ctx, a, people.ScopeOf(a, actor.HR), r.PersonID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrForbidden
	}
	return &r, nil
}

// RequestPage is what the request's page shows to a: the request, its list
// row (CanCancel only for its person or HR) and its timeline.
func (s *Service) RequestPage(ctx context.Context, a actor.Actor, id uint) (*Request, *RequestRow, []history.Entry, error) {
	r, err := s.Request(ctx, a, id)
	if err != nil {
		return nil, nil, nil, err
	}
	q := s.db.R.WithContext(ctx)
	rows, err := s.requestRows(q.Where("leave_requests.id = ?", r.ID))
	if err != nil {
		return nil, nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, nil, ErrNotFound
	}
	row := &rows[0]
	row.CanCancel = row.CanCancel && (row.PersonID == a.ID || a.Has(actor.HR))
	entries, err := history.Of(q, HistoryEntity, r.ID)
	return r, row, entries, err
}

// Away implements people.Absences: approved leave covering the day, or an
// engagement (a training day) on it.
func (s *Service) Away(ctx context.Context, personID uint, day calendar.Date) (bool, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Model(&Request{}).
		Where("person_id = ? AND status IN ? AND start_date <= ? AND end_date >= ?",
			personID, []string{StatusApproved, StatusCancelRequested}, day, day).Count(&n).Error
	if err != nil || n > 0 {
		return n > 0, err
	}
	es, err := s.Engagements.Engagements(ctx, []uint{personID}, day, day)
	return len(es) > 0, err
}

// loadSubject loads the leave request behind an approval.
func (s *Service) loadSubject(tx *gorm.DB, req *approval.Request) (*Request, error) {
	id, err := req.RowID()
	if err != nil {
		return nil, err
	}
	var r Request
	if err := tx.First(&r, id).Error; err != nil {
		return nil, err
	}
	return &r, nil
}

func (s *Service) catalog() *i18n.Catalog { return s.cat }
