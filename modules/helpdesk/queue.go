package helpdesk

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
)

// QueuePerPage is how many tickets one page of a queue shows; CountCap is
// where the count of matching tickets stops (200 pages).
const (
	QueuePerPage = 50
	CountCap     = 10_000
)

// Queue filter values.
const (
	FilterOpen     = ""    // state: not resolved or closed (the default)
	FilterAll      = "all" // state: every state
	AssigneeMe     = "me"
	AssigneeNobody = "nobody"
	SLAOk          = "ok"
	SLAWarning     = "warning"
	SLABreached    = "breached"
	SortDue        = "" // due first, no due last, then priority and age (the default)
	SortNewest     = "newest"
	SortPriority   = "priority"
)

// openStates are the states a ticket is worked in: the queue's default view.
// Listed rather than negated, so an index on the state serves it.
var openStates = []string{StateNew, StateAssigned, StateInProgress, StateWaitingReporter, StateWaitingVendor}

// openStatesSQL is openStates as SQL, written out (never bound) so the
// query's term is the partial index's own condition and SQLite uses it
// (migrations.go).
var openStatesSQL = "('" + strings.Join(openStates, "','") + "')"

// QueueFilter is what a queue page is narrowed to; a value the lists do not
// offer counts as no filter, so a stray query string never fails the page.
type QueueFilter struct {
	State      string // FilterOpen, FilterAll or one of States
	CategoryID uint
	Assignee   string // "", AssigneeMe, AssigneeNobody or a person's id
	Building   string
	SLA        string // "", SLAOk, SLAWarning, SLABreached
	Sort       string // SortDue, SortNewest, SortPriority
	Page       int    // 1-based
}

// normal is f with every value it does not know dropped.
func (f QueueFilter) normal() QueueFilter {
	if f.State != FilterAll && !slices.Contains(States, f.State) {
		f.State = FilterOpen
	}
	if f.Assignee != AssigneeMe && f.Assignee != AssigneeNobody {
		if n, err := strconv.ParseUint(f.Assignee, 10, 32); err != nil || n == 0 {
			f.Assignee = ""
		}
	}
	if !slices.Contains([]string{SLAOk, SLAWarning, SLABreached}, f.SLA) {
		f.SLA = ""
	}
	if f.Sort != SortNewest && f.Sort != SortPriority {
		f.Sort = SortDue
	}
	if !validLine(f.Building, maxPlace) {
		f.Building = ""
	}
	if f.Page < 1 {
		f.Page = 1
	}
	return f
}

// QueueRow is one ticket of a queue page, with the names it shows.
type QueueRow struct {
	ID           uint
	Number       string
	Title        string
	State        string
	Priority     int
	CategoryHU   string
	CategoryEN   string
	ReporterName string
	AssigneeID   *uint
	AssigneeName string
	Building     string
	Floor        string
	Room         string
	CreatedAt    time.Time
	DueAt        *time.Time
	SLAWarnAt    *time.Time `gorm:"column:sla_warn_at"`
	SLABreachAt  *time.Time `gorm:"column:sla_breach_at"`
	SLABreached  bool       `gorm:"column:sla_breached"`

	// SLA is SLAOk, SLAWarning or SLABreached as of the page's now.
	SLA string `gorm:"-"`
	// Paused: the clock stands while the ticket waits for the reporter.
	Paused bool `gorm:"-"`
	// Running: the resolution clock runs and Left says how much business
	// time is left to DueAt (negative: overdue by that much).
	Running bool          `gorm:"-"`
	Left    time.Duration `gorm:"-"`
}

// Category is the row's category in lang.
func (r *QueueRow) Category(lang string) string { return pick(lang, r.CategoryHU, r.CategoryEN) }

// LeftMinutes is Left in whole minutes, for the pages' "3 h 20 min".
func (r *QueueRow) LeftMinutes() int { return int(r.Left / time.Minute) }

// Staffer is a person who works a queue, for the assignee lists.
type Staffer struct {
	ID   uint
	Name string
}

// QueuePage is one page of a queue's tickets with what its filters offer.
type QueuePage struct {
	Queue      Queue
	Rows       []QueueRow
	Total      int64       // at most CountCap
	More       bool        // more than CountCap tickets match
	Filter     QueueFilter // as applied
	Categories []Category  // all of the queue's, active or not
	Buildings  []string    // the distinct buildings of the queue's tickets
	Staff      []Staffer   // who may be assigned
	Now        time.Time
}

// queueForStaff reads the queue key for one of its staff: an unknown key is
// ErrNotFound, a person who does not work the queue ErrForbidden (the two
// queues are no secret, their tickets are).
func (s *Service) queueForStaff(q *gorm.DB, a actor.Actor, key string) (*Queue, error) {
	qu, err := queueByKey(q, key)
	if err != nil {
		return nil, err
	}
	if !isStaff(a, qu) {
		return nil, ErrForbidden
	}
	return qu, nil
}

// queueByKey reads the queue of key through q; ErrNotFound for a key that
// is not one of the two (the check also keeps stray bytes from the query).
func queueByKey(q *gorm.DB, key string) (*Queue, error) {
	if staffRole(key) == "" {
		return nil, ErrNotFound
	}
	var qu Queue
	if err := q.Where("key = ?", key).Limit(1).Find(&qu).Error; err != nil {
		return nil, err
	}
	if qu.ID == 0 {
		return nil, ErrNotFound
	}
	return &qu, nil
}

// QueueTickets is one page of queue key's tickets for its staff, filtered
// and sorted as f says: one query for the rows (with the category's,
// reporter's and assignee's names) and one count. Each running row carries
// the business time left to its due time, from one calendar span.
func (s *Service) QueueTickets(ctx context.Context, a actor.Actor, key string, f QueueFilter) (QueuePage, error) {
	r := s.db.R.WithContext(ctx)
	q, err := s.queueForStaff(r, a, key)
	if err != nil {
		return QueuePage{}, err
	}
	f = f.normal()
	now := s.now().UTC()
	page := QueuePage{Queue: *q, Filter: f, Now: now}

	// Among the open tickets SQLite is told to read the open tickets'
	// partial index, which carries every filtered column: its statistics
	// do not know that nearly every ticket is closed, and would pick the
	// (queue_id, state) index and look up each open ticket in the table.
	from := "helpdesk_tickets t"
	if f.State == FilterOpen && s.db.Dialect == db.SQLite {
		from += " INDEXED BY helpdesk_ticket_open"
	}
	where := r.Table(from).Where("t.queue_id = ?", q.ID)
	switch f.State {
	case FilterOpen:
		where = where.Where("t.state IN " + openStatesSQL)
	case FilterAll:
	default:
		where = where.Where("t.state = ?", f.State)
	}
	if f.CategoryID != 0 {
		where = where.Where("t.category_id = ?", f.CategoryID)
	}
	switch f.Assignee {
	case "":
	case AssigneeMe:
		where = where.Where("t.assignee_id = ?", a.ID)
	case AssigneeNobody:
		where = where.Where("t.assignee_id IS NULL")
	default:
		id, _ := strconv.ParseUint(f.Assignee, 10, 32)
		where = where.Where("t.assignee_id = ?", uint(id))
	}
	if f.Building != "" {
		where = where.Where("t.building = ?", f.Building)
	}
	switch f.SLA {
	case SLABreached:
		where = where.Where("(t.sla_breached = ? OR t.sla_breach_at <= ?)", true, now)
	case SLAWarning:
		where = where.Where("t.sla_breached = ? AND (t.sla_breach_at IS NULL OR t.sla_breach_at > ?) AND t.sla_warn_at <= ?", false, now, now)
	case SLAOk:
		where = where.Where("t.sla_breached = ? AND (t.sla_breach_at IS NULL OR t.sla_breach_at > ?) AND (t.sla_warn_at IS NULL OR t.sla_warn_at > ?)", false, now, now)
	}

	// The count stops at CountCap: a queue's whole history is hundreds of
	// thousands of tickets, and counting them all costs more than the rest
	// of the page while telling staff nothing a "more than" does not.
	capped := where.Session(&gorm.Session{}).Select("1").Limit(CountCap + 1)
	if err := r.Raw("SELECT COUNT(*) FROM (?) capped", capped).Scan(&page.Total).Error; err != nil {
		return QueuePage{}, err
	}
	if page.Total > CountCap {
		page.Total, page.More = CountCap, true
	}
	if page.Total > 0 {
		err := where.Session(&gorm.Session{}).
			Select(`t.id, t.number, t.title, t.state, t.priority, c.name_hu AS category_hu, c.name_en AS category_en,
				COALESCE(rp.name, '') AS reporter_name, t.assignee_id, COALESCE(ap.name, '') AS assignee_name,
				t.building, t.floor, t.room, t.created_at, t.due_at, t.sla_warn_at, t.sla_breach_at, t.sla_breached`).
			Joins("JOIN helpdesk_categories c ON c.id = t.category_id").
			Joins("LEFT JOIN people rp ON rp.id = t.reporter_id").
			Joins("LEFT JOIN people ap ON ap.id = t.assignee_id").
			Order(s.queueOrder(f.Sort)).
			Limit(QueuePerPage).Offset((f.Page - 1) * QueuePerPage).
			Scan(&page.Rows).Error
		if err != nil {
			return QueuePage{}, err
		}
	}
	if err := s.timeLeft(ctx, q, page.Rows, now); err != nil {
		return QueuePage{}, err
	}
	if page.Categories, err = s.Categories(ctx, q.ID, true); err != nil {
		return QueuePage{}, err
	}
	if err := r.Raw(buildingsSQL, q.ID, q.ID, maxBuildings).Scan(&page.Buildings).Error; err != nil {
		return QueuePage{}, err
	}
	if page.Staff, err = s.staffOf(r, q); err != nil {
		return QueuePage{}, err
	}
	return page, nil
}

// maxBuildings bounds the building filter's list.
const maxBuildings = 200

// buildingsSQL lists the distinct buildings of a queue's tickets in order by
// hopping from one to the next along the (queue_id, building) index: a few
// dozen index seeks instead of reading every ticket the queue ever had,
// which a plain DISTINCT does on both databases.
const buildingsSQL = `WITH RECURSIVE b(name) AS (
	SELECT MIN(building) FROM helpdesk_tickets WHERE queue_id = ? AND building > ''
	UNION ALL
	SELECT (SELECT MIN(t.building) FROM helpdesk_tickets t WHERE t.queue_id = ? AND t.building > b.name)
	FROM b WHERE b.name IS NOT NULL)
SELECT name FROM b WHERE name IS NOT NULL LIMIT ?`

// queueOrder is the ORDER BY of a sort. Due comes first with the tickets
// whose clock stands (no due time) last; PostgreSQL sorts NULLs last by
// itself, SQLite is given the same order as an expression its index holds
// (migrations.go), so both read the first page straight off an index.
func (s *Service) queueOrder(sort string) string {
	switch sort {
	case SortNewest:
		return "t.created_at DESC, t.id DESC"
	case SortPriority:
		return "t.priority, t.created_at, t.id"
	}
	if s.db.Dialect == db.SQLite {
		return "t.due_at IS NULL, t.due_at, t.priority, t.created_at, t.id"
	}
	return "t.due_at, t.priority, t.created_at, t.id"
}

// timeLeft fills each row's SLA state and, for a running clock, the business
// time left to its due time; the calendar is read once for the whole page.
func (s *Service) timeLeft(ctx context.Context, q *Queue, rows []QueueRow, now time.Time) error {
	from, to := now, now
	for i := range rows {
		r := &rows[i]
		switch {
		case r.SLABreached || (r.SLABreachAt != nil && !r.SLABreachAt.After(now)):
			r.SLA = SLABreached
		case r.SLAWarnAt != nil && !r.SLAWarnAt.After(now):
			r.SLA = SLAWarning
		default:
			r.SLA = SLAOk
		}
		r.Paused = r.State == StateWaitingReporter
		if r.DueAt == nil || r.Paused || r.State == StateResolved || r.State == StateClosed {
			continue
		}
		r.Running = true
		from, to = minTime(from, *r.DueAt), maxTime(to, *r.DueAt)
	}
	if !slices.ContainsFunc(rows, func(r QueueRow) bool { return r.Running }) {
		return nil
	}
	days, err := s.cal.Span(ctx, calendar.DateOf(from, s.tz).AddDays(-1), calendar.DateOf(to, s.tz).AddDays(1))
	if err != nil {
		return err
	}
	hours := q.BusinessHours(s.tz)
	for i := range rows {
		r := &rows[i]
		if !r.Running {
			continue
		}
		if r.DueAt.After(now) {
			r.Left = days.WorkingTime(hours, now, *r.DueAt)
		} else {
			r.Left = -days.WorkingTime(hours, *r.DueAt, now)
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// staffOf are the active people who work queue q (its role or its lead), by name.
func (s *Service) staffOf(r *gorm.DB, q *Queue) ([]Staffer, error) {
	var out []Staffer
	sub := r.Table("person_roles").Select("person_id").Where("role = ?", q.Role)
	qq := r.Table("people p").Select("p.id, p.name").Where("p.active = ?", true)
	if q.LeadID != nil {
		qq = qq.Where("p.id IN (?) OR p.id = ?", sub, *q.LeadID)
	} else {
		qq = qq.Where("p.id IN (?)", sub)
	}
	err := qq.Order(s.db.ByName("p.name") + ", p.id").Scan(&out).Error
	return out, err
}

// BulkFailure is one ticket a bulk assignment left as it was, and why.
type BulkFailure struct {
	ID     uint
	Number string
	Err    error
}

// BulkResult is what a bulk assignment did.
type BulkResult struct {
	Assigned int
	Failed   []BulkFailure
}

// maxBulk bounds one bulk assignment (two pages of the queue).
const maxBulk = 2 * QueuePerPage

// BulkAssign gives the tickets ids of queue key to person, one by one, each
// as Assign (or Take, when staff take a new ticket themselves) would. A
// person who does not work the queue is refused before anything changes. A
// ticket that someone else took since the page was shown, or that moved on,
// is reported with why and the others go ahead; one already person's is
// left alone.
func (s *Service) BulkAssign(ctx context.Context, a actor.Actor, key string, ids []uint, person uint) (BulkResult, error) {
	r := s.db.R.WithContext(ctx)
	q, err := s.queueForStaff(r, a, key)
	if err != nil {
		return BulkResult{}, err
	}
	if ok, err := s.works(r, q, person); err != nil || !ok {
		return BulkResult{}, errors.Join(err, ErrAssignee)
	}
	if len(ids) > maxBulk {
		ids = ids[:maxBulk]
	}
	var res BulkResult
	seen := map[uint]bool{}
	for _, id := range ids {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		var t Ticket
		if err := r.Where("id = ? AND queue_id = ?", id, q.ID).Limit(1).Find(&t).Error; err != nil {
			return res, err
		}
		if t.ID == 0 {
			res.Failed = append(res.Failed, BulkFailure{ID: id, Err: ErrNotFound})
			continue
		}
		if err := s.bulkOne(ctx, a, &t, person); err != nil {
			if !isRefusal(err) {
				return res, err
			}
			if errors.Is(err, errAlready) {
				continue
			}
			res.Failed = append(res.Failed, BulkFailure{ID: t.ID, Number: t.Number, Err: err})
			continue
		}
		res.Assigned++
	}
	return res, nil
}

// errAlready marks a ticket already with the person a bulk assigns it to.
var errAlready = errors.New("helpdesk: already assigned to them")

// bulkOne assigns t as read a moment ago. A ticket someone holds is taken
// already: reassigning it is a choice made on the ticket's own page, never
// in passing from a list.
func (s *Service) bulkOne(ctx context.Context, a actor.Actor, t *Ticket, person uint) error {
	if t.AssigneeID != nil {
		if *t.AssigneeID == person {
			return errAlready
		}
		return s.whyNotTaken(s.db.R.WithContext(ctx), t.ID)
	}
	if person == a.ID && t.State == StateNew {
		return s.Take(ctx, a, t.ID)
	}
	err := s.Assign(ctx, a, t.ID, person)
	if errors.Is(err, ErrChanged) { // taken between the read and the update
		if why := s.whyNotTaken(s.db.R.WithContext(ctx), t.ID); why != nil {
			return why
		}
	}
	return err
}

// isRefusal reports whether err is a rule's answer about one ticket (taken,
// moved on, not allowed) rather than a failure of the database.
func isRefusal(err error) bool {
	if errors.Is(err, errAlready) {
		return true
	}
	for _, e := range []error{ErrTaken, ErrNotNew, ErrChanged, ErrTransition, ErrNotFound, ErrForbidden, ErrAssignee} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
