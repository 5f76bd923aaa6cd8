package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"kapu/modules/platform/web"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/places"
)

// Limits of what people may type.
const (
	maxTitle       = 200
	maxDescription = 4000
	maxPlace       = 100
	maxFloor       = 50
	maxComment     = 4000
)

// SettingReopenDays names the setting of how many working days after its
// resolution a reporter may reopen a ticket; DefaultReopenDays when unset.
const (
	SettingReopenDays = "helpdesk.reopen_days"
	DefaultReopenDays = 5
)

// Service holds the helpdesk rules; it owns its transactions. Every way in
// (the pages, later the mailbox) goes through it.
type Service struct {
	db       *db.DB
	cal      *calendar.Calendar
	people   *people.Service
	outbox   *notify.Outbox
	approval *approval.Engine
	cat      *i18n.Catalog
	cfg      *config.Config
	tz       *time.Location
	now      func() time.Time
	// Rooms are the rooms Kapu knows (booking's), for the report form's "where".
	Rooms places.Rooms
}

// NewService builds the service from the kernel's pieces.
func NewService(d module.Deps) *Service {
	return &Service{db: d.DB, cal: d.Calendar, people: d.People, outbox: d.Outbox, approval: d.Approval,
		cat: d.Catalog, cfg: d.Cfg, tz: d.Cfg.TZ, now: func() time.Time { return time.Now().UTC() }, Rooms: places.None{}}
}

// SetClock makes the service read the time from now (tests, the demo).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// ReportInput is one ticket as a person (or staff on their behalf) tells it.
type ReportInput struct {
	QueueKey    string
	CategoryID  uint
	Title       string
	Description string
	ReporterID  uint // 0: the actor themselves
	Building    string
	Floor       string
	Room        string
	AssetID     *uint
	Impact      string
	Urgency     string // "": medium; only staff's choice differs
}

// isStaff reports whether a works queue q: its role, or its lead.
func isStaff(a actor.Actor, q *Queue) bool {
	if a.ID == 0 {
		return false
	}
	return (q.Role != "" && a.Has(q.Role)) || (q.LeadID != nil && *q.LeadID == a.ID)
}

// validLine is web.ValidText on one line (a title, a room).
func validLine(s string, max int) bool {
	return web.ValidText(s, max) && !strings.ContainsAny(s, "\r\n\t")
}

// check trims the input and returns every problem in it at once.
func (in ReportInput) check() (ReportInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.Building, in.Floor, in.Room = strings.TrimSpace(in.Building), strings.TrimSpace(in.Floor), strings.TrimSpace(in.Room)
	if in.Urgency == "" {
		in.Urgency = UrgencyMedium
	}
	var problems []error
	switch {
	case in.Title == "":
		problems = append(problems, ErrTitle)
	case !validLine(in.Title, maxTitle):
		problems = append(problems, ErrTitleTooLong)
	}
	if !web.ValidText(in.Description, maxDescription) || !validLine(in.Building, maxPlace) ||
		!validLine(in.Floor, maxFloor) || !validLine(in.Room, maxPlace) {
		problems = append(problems, ErrText)
	}
	if !slices.Contains([]string{ImpactBlocks, ImpactHinders, ImpactCanWait}, in.Impact) {
		problems = append(problems, ErrImpact)
	}
	if !slices.Contains([]string{UrgencyHigh, UrgencyMedium, UrgencyLow}, in.Urgency) {
		problems = append(problems, ErrUrgency)
	}
	return in, errors.Join(problems...)
}

// Report records a ticket, its first status-log line and its audit row in
// one transaction: the one intake call, whatever the channel. Staff of the
// queue may report for another person; everyone else only for themselves,
// and only staff pick an urgency other than medium.
func (s *Service) Report(ctx context.Context, a actor.Actor, in ReportInput) (*Ticket, error) {
	if a.ID == 0 {
		return nil, ErrForbidden
	}
	in, err := in.check()
	if staffRole(in.QueueKey) == "" { // also keeps stray bytes away from the query
		return nil, errors.Join(err, ErrQueue)
	}
	var q Queue
	if qerr := s.db.R.WithContext(ctx).Where("key = ?", in.QueueKey).Limit(1).Find(&q).Error; qerr != nil {
		return nil, qerr
	}
	if q.ID == 0 {
		return nil, errors.Join(err, ErrQueue)
	}
	staff := isStaff(a, &q)
	if in.ReporterID == 0 {
		in.ReporterID = a.ID
	}
	if in.ReporterID != a.ID && !staff {
		return nil, ErrOnBehalf
	}
	if err != nil {
		return nil, err
	}
	if !staff {
		in.Urgency = UrgencyMedium
	}
	now := s.now().UTC()
	t := &Ticket{QueueID: q.ID, CategoryID: in.CategoryID, Title: in.Title, Description: in.Description,
		ReporterID: in.ReporterID, Building: in.Building, Floor: in.Floor, Room: in.Room, AssetID: in.AssetID,
		Impact: in.Impact, Urgency: in.Urgency, Priority: Priority(in.Impact, in.Urgency), State: StateNew,
		CreatedAt: now, UpdatedAt: now}
	if in.ReporterID != a.ID {
		t.RecordedByID = &a.ID
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Category{}).Where("id = ? AND queue_id = ? AND active = ?", in.CategoryID, q.ID, true).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrCategory
		}
		var rep struct {
			ID           uint
			DepartmentID *uint
		}
		if err := tx.Table("people").Select("id, department_id").Where("id = ? AND active = ?", in.ReporterID, true).
			Limit(1).Scan(&rep).Error; err != nil {
			return err
		}
		if rep.ID == 0 {
			return ErrReporter
		}
		t.DepartmentID = rep.DepartmentID
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		t.Number = fmt.Sprintf("%s-%05d", strings.ToUpper(q.Key), t.ID)
		if err := tx.Model(t).Update("number", t.Number).Error; err != nil {
			return err
		}
		if err := tx.Create(&TicketEvent{TicketID: t.ID, At: now, ByID: a.ID, Kind: EventState, To: StateNew}).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "helpdesk.report", "helpdesk_ticket", t.ID, nil,
			map[string]any{"number": t.Number, "queue": q.Key, "title": t.Title, "priority": t.Priority, "reporter_id": t.ReporterID}); err != nil {
			return err
		}
		return s.changed(tx, a, t.ID, change{Kind: ChangeReport, To: StateNew})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// load reads ticket id and its queue through q (a transaction or a reader).
func load(q *gorm.DB, id uint) (*Ticket, *Queue, error) {
	var t Ticket
	if err := q.Where("id = ?", id).Limit(1).Find(&t).Error; err != nil {
		return nil, nil, err
	}
	if t.ID == 0 {
		return nil, nil, ErrNotFound
	}
	var qu Queue
	if err := q.Where("id = ?", t.QueueID).Limit(1).Find(&qu).Error; err != nil {
		return nil, nil, err
	}
	return &t, &qu, nil
}

// loadForStaff is load for work only the queue's staff do: the reporter is
// told it is not theirs to do, anyone else does not see the ticket at all.
func loadForStaff(q *gorm.DB, a actor.Actor, id uint) (*Ticket, *Queue, error) {
	t, qu, err := load(q, id)
	if err != nil {
		return nil, nil, err
	}
	if !isStaff(a, qu) {
		if a.ID != 0 && t.ReporterID == a.ID {
			return nil, nil, ErrForbidden
		}
		return nil, nil, ErrNotFound
	}
	return t, qu, nil
}

// loadForViewer is load for whoever may see the ticket: its reporter and
// the queue's staff (staff says which). Another person's ticket is
// ErrNotFound: its number is not a way to learn it exists.
func loadForViewer(q *gorm.DB, a actor.Actor, id uint) (t *Ticket, qu *Queue, staff bool, err error) {
	t, qu, err = load(q, id)
	if err != nil {
		return nil, nil, false, err
	}
	staff = isStaff(a, qu)
	if a.ID == 0 || (t.ReporterID != a.ID && !staff) {
		return nil, nil, false, ErrNotFound
	}
	return t, qu, staff, nil
}

// Get is one ticket for its reporter or the queue's staff.
func (s *Service) Get(ctx context.Context, a actor.Actor, id uint) (*Ticket, error) {
	t, _, _, err := loadForViewer(s.db.R.WithContext(ctx), a, id)
	return t, err
}

// MinePerPage is how many of my tickets one page lists.
const MinePerPage = 50

// MineQuery picks a page of my tickets; Open keeps those still being worked
// (not resolved or closed).
type MineQuery struct {
	Open bool
	Page int // from 1
}

// Mine are the tickets a reported (or had reported for them), newest
// first, a page of MinePerPage, and how many there are in all.
func (s *Service) Mine(ctx context.Context, a actor.Actor, q MineQuery) ([]Ticket, int64, error) {
	if a.ID == 0 {
		return nil, 0, ErrForbidden
	}
	r := s.db.R.WithContext(ctx).Model(&Ticket{}).Where("reporter_id = ?", a.ID)
	if q.Open {
		r = r.Where("state NOT IN ?", []string{StateResolved, StateClosed})
	}
	var total int64
	if err := r.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ts []Ticket
	err := r.Order("created_at DESC, id DESC").Offset(max(q.Page-1, 0) * MinePerPage).Limit(MinePerPage).Find(&ts).Error
	return ts, total, err
}

// Take assigns a new ticket to a, one of its queue's staff. The UPDATE is the
// guard: of two staff taking the ticket at once one wins, and the other gets
// a TakenError naming the winner.
func (s *Service) Take(ctx context.Context, a actor.Actor, id uint) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, _, err := loadForStaff(tx, a, id)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Model(&Ticket{}).Where("id = ? AND assignee_id IS NULL AND state = ?", id, StateNew).
			Updates(map[string]any{"assignee_id": a.ID, "state": StateAssigned, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return s.whyNotTaken(tx, id)
		}
		if err := s.logAssign(tx, a, t, a.ID, now); err != nil {
			return err
		}
		return s.changed(tx, a, id, change{Kind: ChangeAssign, From: t.State, To: StateAssigned, AssigneeID: a.ID})
	})
}

// whyNotTaken explains a Take that changed nothing: who has the ticket, or
// that it has moved on.
func (s *Service) whyNotTaken(tx *gorm.DB, id uint) error {
	var cur struct {
		Number     string
		AssigneeID *uint
		Name       string
	}
	if err := tx.Raw(`SELECT t.number, t.assignee_id, COALESCE(p.name, '') AS name FROM helpdesk_tickets t
		LEFT JOIN people p ON p.id = t.assignee_id WHERE t.id = ?`, id).Scan(&cur).Error; err != nil {
		return err
	}
	if cur.AssigneeID != nil {
		return &TakenError{By: cur.Name, ByID: *cur.AssigneeID, Number: cur.Number}
	}
	return ErrNotNew
}

// logAssign writes the status-log line and audit row of t going to person.
func (s *Service) logAssign(tx *gorm.DB, a actor.Actor, t *Ticket, person uint, now time.Time) error {
	if err := tx.Create(&TicketEvent{TicketID: t.ID, At: now, ByID: a.ID, Kind: EventAssign,
		From: t.State, To: StateAssigned, AssigneeID: &person}).Error; err != nil {
		return err
	}
	return audit.Record(tx, a, "helpdesk.assign", "helpdesk_ticket", t.ID,
		map[string]any{"state": t.State, "assignee_id": t.AssigneeID}, map[string]any{"state": StateAssigned, "assignee_id": person})
}

// Assign gives a ticket that is not yet resolved to person, who must work
// its queue; staff and the lead of the queue do it. A new ticket becomes
// assigned; one in work keeps its state and changes hands.
func (s *Service) Assign(ctx context.Context, a actor.Actor, id, person uint) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, q, err := loadForStaff(tx, a, id)
		if err != nil {
			return err
		}
		if t.State == StateResolved || t.State == StateClosed {
			return ErrTransition
		}
		if ok, err := s.works(tx, q, person); err != nil || !ok {
			return errors.Join(err, ErrAssignee)
		}
		to := t.State
		if to == StateNew {
			to = StateAssigned
		}
		now := s.now().UTC()
		upd := tx.Model(&Ticket{}).Where("id = ? AND state = ?", id, t.State)
		if t.AssigneeID == nil {
			upd = upd.Where("assignee_id IS NULL")
		} else {
			upd = upd.Where("assignee_id = ?", *t.AssigneeID)
		}
		res := upd.Updates(map[string]any{"assignee_id": person, "state": to, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrChanged
		}
		if err := tx.Create(&TicketEvent{TicketID: t.ID, At: now, ByID: a.ID, Kind: EventAssign,
			From: t.State, To: to, AssigneeID: &person}).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "helpdesk.assign", "helpdesk_ticket", t.ID,
			map[string]any{"state": t.State, "assignee_id": t.AssigneeID}, map[string]any{"state": to, "assignee_id": person}); err != nil {
			return err
		}
		return s.changed(tx, a, id, change{Kind: ChangeAssign, From: t.State, To: to, AssigneeID: person})
	})
}

// works reports whether person is active and holds the queue's role (or leads it).
func (s *Service) works(tx *gorm.DB, q *Queue, person uint) (bool, error) {
	if q.LeadID != nil && *q.LeadID == person {
		return true, nil
	}
	var n int64
	err := tx.Table("people").Joins("JOIN person_roles r ON r.person_id = people.id").
		Where("people.id = ? AND people.active = ? AND r.role = ?", person, true, q.Role).Count(&n).Error
	return n > 0, err
}

// transitions are the state changes staff make with ChangeState. Work on a
// new ticket starts with Take or Assign (so two staff never both start it);
// a new one may only be resolved on the spot (a password reset on the
// phone) or closed (a duplicate).
var transitions = map[string][]string{
	StateNew:             {StateResolved, StateClosed},
	StateAssigned:        {StateInProgress, StateWaitingReporter, StateWaitingVendor, StateResolved},
	StateInProgress:      {StateWaitingReporter, StateWaitingVendor, StateResolved},
	StateWaitingReporter: {StateInProgress, StateResolved},
	StateWaitingVendor:   {StateInProgress, StateResolved},
	StateResolved:        {StateInProgress, StateClosed},
	StateClosed:          {},
}

// reporterTransitions are the only changes a reporter makes with
// ChangeState: reopening within the window. They answer a question with
// AddComment, which moves the ticket back to in progress.
var reporterTransitions = map[string][]string{
	StateResolved: {StateInProgress},
}

// Allowed reports whether staff may move a ticket from one state to another.
func Allowed(from, to string) bool { return slices.Contains(transitions[from], to) }

// ChangeState moves a ticket from its current state to to, writing the
// status-log line (with the comment) and the audit row in one transaction.
// A change the tables do not allow from the current state is ErrTransition
// and changes nothing. Resolving goes through Resolve, which needs a code.
func (s *Service) ChangeState(ctx context.Context, a actor.Actor, id uint, to, comment string) error {
	if to == StateResolved {
		return ErrResolutionCode
	}
	return s.changeState(ctx, a, id, to, comment, "")
}

// Resolve marks a ticket resolved with how it was resolved (one of
// ResolutionCodes) and what the reporter should know (comment).
func (s *Service) Resolve(ctx context.Context, a actor.Actor, id uint, code, comment string) error {
	if !slices.Contains(ResolutionCodes, code) {
		return ErrResolutionCode
	}
	return s.changeState(ctx, a, id, StateResolved, comment, code)
}

// changeState is ChangeState and Resolve: code is set with a resolution.
func (s *Service) changeState(ctx context.Context, a actor.Actor, id uint, to, comment, code string) error {
	if !slices.Contains(States, to) {
		return ErrState
	}
	comment = strings.TrimSpace(comment)
	if !web.ValidText(comment, maxComment) {
		return ErrText
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, q, err := load(tx, id)
		if err != nil {
			return err
		}
		staff := isStaff(a, q)
		switch {
		case staff:
			if !Allowed(t.State, to) {
				return ErrTransition
			}
		case a.ID != 0 && t.ReporterID == a.ID:
			if !slices.Contains(reporterTransitions[t.State], to) {
				return ErrTransition
			}
			if err := s.mayReopen(tx, t); err != nil {
				return err
			}
		default:
			return ErrNotFound
		}
		return s.moveState(tx, a, t, to, comment, code)
	})
}

// moveState moves t (read in tx) to to: the guarded update, its status-log
// line, the audit row, the SLA refresh and the mails. The caller has checked
// that a may. Jobs (auto-close) call it as the system.
func (s *Service) moveState(tx *gorm.DB, a actor.Actor, t *Ticket, to, comment, code string) error {
	now := s.now().UTC()
	set := map[string]any{"state": to, "updated_at": now}
	switch to {
	case StateResolved:
		set["resolved_at"] = now
		set["resolution_code"] = code
	case StateClosed:
		set["closed_at"] = now
	}
	if t.State == StateResolved && to != StateClosed {
		set["resolved_at"] = nil
		set["resolution_code"] = ""
	}
	res := tx.Model(&Ticket{}).Where("id = ? AND state = ?", t.ID, t.State).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrChanged
	}
	if err := tx.Create(&TicketEvent{TicketID: t.ID, At: now, ByID: a.ID, Kind: EventState, From: t.State, To: to, Comment: comment}).Error; err != nil {
		return err
	}
	after := map[string]string{"state": to}
	if code != "" {
		after["resolution_code"] = code
	}
	if err := audit.Record(tx, a, "helpdesk.state", "helpdesk_ticket", t.ID, map[string]string{"state": t.State}, after); err != nil {
		return err
	}
	return s.changed(tx, a, t.ID, change{Kind: ChangeState, From: t.State, To: to, Note: comment})
}

// mayReopen refuses a reopen more than the setting's working days after the
// ticket was resolved (the resolution day itself does not count).
// The calendar reads with tx's context, so through the transaction.
func (s *Service) mayReopen(tx *gorm.DB, t *Ticket) error {
	ctx := tx.Statement.Context
	if t.ResolvedAt == nil {
		return ErrReopenExpired
	}
	days := DefaultReopenDays
	var v string
	if err := tx.Table("settings").Select("value").Where("name = ?", SettingReopenDays).Limit(1).Scan(&v).Error; err != nil {
		return err
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		days = n
	}
	resolved := calendar.DateOf(*t.ResolvedAt, s.tz)
	today := calendar.DateOf(s.now(), s.tz)
	if !today.After(resolved) {
		return nil
	}
	n, err := s.cal.WorkdaysBetween(ctx, resolved.AddDays(1), today)
	if err != nil {
		return err
	}
	if n > days {
		return ErrReopenExpired
	}
	return nil
}

// Queues are the helpdesk's queues, IT first.
func (s *Service) Queues(ctx context.Context) ([]Queue, error) {
	var qs []Queue
	err := s.db.R.WithContext(ctx).Order("id").Find(&qs).Error
	return qs, err
}

// Categories are a queue's categories in their order; only the active ones
// unless all.
func (s *Service) Categories(ctx context.Context, queueID uint, all bool) ([]Category, error) {
	q := s.db.R.WithContext(ctx).Where("queue_id = ?", queueID)
	if !all {
		q = q.Where("active = ?", true)
	}
	var cs []Category
	err := q.Order(clause.OrderByColumn{Column: clause.Column{Name: "order"}}).Order("id").Find(&cs).Error
	return cs, err
}

// AddComment adds a comment to a ticket that is not closed. The reporter's
// comment on a ticket waiting for them is their answer: it moves the ticket
// back to in progress, logged, in the same transaction. Only queue staff
// write internal comments.
func (s *Service) AddComment(ctx context.Context, a actor.Actor, id uint, body string, internal bool) (*Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, ErrCommentNeeded
	}
	if !web.ValidText(body, maxComment) {
		return nil, ErrText
	}
	var c *Comment
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, q, err := load(tx, id)
		if err != nil {
			return err
		}
		staff := isStaff(a, q)
		if !staff && (a.ID == 0 || t.ReporterID != a.ID) {
			return ErrNotFound
		}
		if internal && !staff {
			return ErrForbidden
		}
		if t.State == StateClosed {
			return ErrClosed
		}
		now := s.now().UTC()
		c = &Comment{TicketID: id, ByID: a.ID, Body: body, Internal: internal, CreatedAt: now}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "helpdesk.comment", "helpdesk_ticket", id, nil, map[string]any{"comment_id": c.ID, "internal": internal}); err != nil {
			return err
		}
		if !internal { // a reply the reporter sees: staff's first one is the response
			if err := tx.Create(&TicketEvent{TicketID: id, At: now, ByID: a.ID, Kind: EventComment}).Error; err != nil {
				return err
			}
		}
		ch := change{Kind: ChangeComment, Comment: c}
		if staff || t.State != StateWaitingReporter {
			if err := tx.Model(&Ticket{}).Where("id = ?", id).Update("updated_at", now).Error; err != nil {
				return err
			}
			return s.changed(tx, a, id, ch)
		}
		res := tx.Model(&Ticket{}).Where("id = ? AND state = ?", id, StateWaitingReporter).
			Updates(map[string]any{"state": StateInProgress, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return errors.Join(res.Error, ErrChanged)
		}
		if err := tx.Create(&TicketEvent{TicketID: id, At: now, ByID: a.ID, Kind: EventState,
			From: StateWaitingReporter, To: StateInProgress, Comment: body}).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "helpdesk.state", "helpdesk_ticket", id,
			map[string]string{"state": StateWaitingReporter}, map[string]string{"state": StateInProgress}); err != nil {
			return err
		}
		ch.From, ch.To = StateWaitingReporter, StateInProgress
		return s.changed(tx, a, id, ch)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Comments are a ticket's comments, oldest first: all of them for queue
// staff, the public ones for the reporter.
func (s *Service) Comments(ctx context.Context, a actor.Actor, id uint) ([]Comment, error) {
	r := s.db.R.WithContext(ctx)
	_, _, staff, err := loadForViewer(r, a, id)
	if err != nil {
		return nil, err
	}
	return visibleComments(r, id, staff)
}

// visibleComments are ticket id's comments oldest first: all of them for
// staff, the public ones otherwise.
func visibleComments(q *gorm.DB, id uint, staff bool) ([]Comment, error) {
	q = q.Where("ticket_id = ?", id)
	if !staff {
		q = q.Where("internal = ?", false)
	}
	var cs []Comment
	err := q.Order("created_at, id").Find(&cs).Error
	return cs, err
}

// SetPriority lets queue staff correct a ticket's impact and urgency; the
// priority is computed again and the change logged (EventPriority, from and
// to as numbers), so the SLA clock can recompute its targets from the log.
func (s *Service) SetPriority(ctx context.Context, a actor.Actor, id uint, impact, urgency string) error {
	p := Priority(impact, urgency)
	if p == 0 {
		var problems []error
		if Priority(impact, UrgencyMedium) == 0 {
			problems = append(problems, ErrImpact)
		}
		if Priority(ImpactHinders, urgency) == 0 {
			problems = append(problems, ErrUrgency)
		}
		return errors.Join(problems...)
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, _, err := loadForStaff(tx, a, id)
		if err != nil {
			return err
		}
		if t.State == StateClosed {
			return ErrClosed
		}
		if t.Impact == impact && t.Urgency == urgency {
			return nil
		}
		now := s.now().UTC()
		res := tx.Model(&Ticket{}).Where("id = ? AND impact = ? AND urgency = ?", id, t.Impact, t.Urgency).
			Updates(map[string]any{"impact": impact, "urgency": urgency, "priority": p, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return errors.Join(res.Error, ErrChanged)
		}
		if err := tx.Create(&TicketEvent{TicketID: id, At: now, ByID: a.ID, Kind: EventPriority,
			From: strconv.Itoa(t.Priority), To: strconv.Itoa(p)}).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "helpdesk.priority", "helpdesk_ticket", id,
			map[string]any{"impact": t.Impact, "urgency": t.Urgency, "priority": t.Priority},
			map[string]any{"impact": impact, "urgency": urgency, "priority": p}); err != nil {
			return err
		}
		return s.changed(tx, a, id, change{Kind: ChangePriority, From: strconv.Itoa(t.Priority), To: strconv.Itoa(p)})
	})
}
