package appointments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/ical"
)

// The front desk's errors: a step that does not fit the appointment's state
// is a conflict (someone else was first, or the button was stale).
var (
	ErrDeskStep          = errs.New(errs.Conflict, "appointments: the appointment is not in a state for this step")
	ErrDeskNotToday      = errs.New(errs.Conflict, "appointments: the appointment is not today")
	ErrDeskNotYet        = errs.New(errs.Conflict, "appointments: the appointment has not begun yet")
	ErrDeskNoUndo        = errs.New(errs.Conflict, "appointments: there is no step to undo")
	ErrDeskUnknown       = errs.New(errs.NotFound, "appointments: no such desk at this office")
	ErrDeskAlreadyClosed = errs.New(errs.Conflict, "appointments: the desk is already closed that day")
	ErrDeskPastDay       = errs.New(errs.Invalid, "appointments: the day is past")
)

// walkInLead is how far ahead a walk-in may be given a free time of its case
// type's grid: a citizen standing at the counter waits at most this long for
// a desk, else they take a ticket and join the waiting list.
const walkInLead = 10 * time.Minute

// displayWindow is how long a call stays on the waiting room's screen.
const displayWindow = 15 * time.Minute

// ticketLockKey is the first key of the advisory lock that serialises one
// office's waiting-list tickets on PostgreSQL (SQLite's one writer does that
// by itself), so two clerks at once never hand out the same number.
const ticketLockKey = 7426602

// DeskDay is one office's day as the front desk runs it.
type DeskDay struct {
	Office  Office
	Date    calendar.Date
	Workday bool
	Desks   []DeskLine
	Waiting []DeskItem // walk-ins waiting, by ticket
	Counts  DeskCounts
	Types   map[uint]CaseType
}

// DeskLine is one desk's part of the day: its opening hours and its
// appointments by time.
type DeskLine struct {
	Desk   Desk
	Hours  []HoursSpan
	Closed string // the reason of a closed exception that day; "" when open
	Items  []DeskItem
}

// DeskItem is an appointment on the desk's page, with its case type's name.
type DeskItem struct {
	Appointment
	Type CaseType
}

// DeskCounts are the day's figures at the top of the desk page.
type DeskCounts struct {
	Booked, Arrived, Called, Served, NoShow, Waiting, Cancelled int
}

// staffOnly refuses anyone without a front desk role.
func deskStaff(a actor.Actor) error {
	if !isStaff(a) {
		return ErrForbidden
	}
	return nil
}

// DeskOffices are the active offices the front desk may pick (staff only).
func (s *Service) DeskOffices(ctx context.Context, a actor.Actor) ([]Office, error) {
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	var out []Office
	return out, s.db.R.WithContext(ctx).Where("active = ?", true).Order("name, id").Find(&out).Error
}

// dayBounds are the instants d starts and ends in the offices' zone.
func (s *Service) dayBounds(d calendar.Date) (time.Time, time.Time) {
	return d.Start(s.tz).UTC(), d.AddDays(1).Start(s.tz).UTC()
}

// Day is the office's day on date: each active desk (and an inactive one
// still holding appointments) with its hours and its appointments by time,
// the waiting list by ticket and the counts. It reads only that day
// (the office and start index, the tickets' partial index), in a fixed
// handful of queries whatever the number of appointments.
func (s *Service) Day(ctx context.Context, a actor.Actor, officeID uint, date calendar.Date) (*DeskDay, error) {
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx)
	day := &DeskDay{Date: date, Types: map[uint]CaseType{}}
	res := q.Where("id = ?", officeID).Limit(1).Find(&day.Office)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrUnknownOffice
	}
	var desks []Desk
	// Inactive desks too: one switched off with appointments still on it
	// must not hide them; it is shown only when it holds some (below).
	if err := q.Where("office_id = ?", officeID).Order("name, id").Find(&desks).Error; err != nil {
		return nil, err
	}
	days, err := s.cal.Span(ctx, date, date)
	if err != nil {
		return nil, err
	}
	day.Workday = days.IsWorkday(date)
	ids := make([]uint, len(desks))
	for i, d := range desks {
		ids[i] = d.ID
	}
	p := &plan{tz: s.tz, days: days, officeSetup: &officeSetup{week: map[uint][7][]HoursSpan{}, exc: map[uint][]DeskException{}}}
	if len(ids) > 0 {
		var hours []DeskHours
		if err := q.Where("desk_id IN ? AND weekday = ?", ids, date.Weekday()).Order(`desk_id, "from"`).Find(&hours).Error; err != nil {
			return nil, err
		}
		for _, h := range hours {
			w := p.week[h.DeskID]
			w[h.Weekday] = append(w[h.Weekday], HoursSpan{h.From, h.To})
			p.week[h.DeskID] = w
		}
		var exc []DeskException
		if err := q.Where(`desk_id IN ? AND "from" <= ? AND "to" >= ?`, ids, date, date).Order("id DESC").Find(&exc).Error; err != nil {
			return nil, err
		}
		for _, e := range exc {
			p.exc[e.DeskID] = append(p.exc[e.DeskID], e)
		}
	}
	var types []CaseType
	if err := q.Find(&types).Error; err != nil {
		return nil, err
	}
	for _, t := range types {
		day.Types[t.ID] = t
	}
	start, end := s.dayBounds(date)
	var appts []Appointment
	if err := q.Where("office_id = ? AND start_at >= ? AND start_at < ?", officeID, start, end).
		Order("start_at, id").Find(&appts).Error; err != nil {
		return nil, err
	}
	// The walk-ins of the waiting list have no planned time: they come by
	// the tickets' index, the ones still waiting for the list and every
	// one for the day's figures.
	var tickets []Appointment
	if err := q.Where("office_id = ? AND ticket > 0 AND booked_at >= ? AND booked_at < ? AND start_at IS NULL",
		officeID, start, end).Order("ticket").Find(&tickets).Error; err != nil {
		return nil, err
	}
	byDesk := map[uint]int{}
	for i, d := range desks {
		line := DeskLine{Desk: d, Hours: p.hoursOn(d.ID, date)}
		for _, e := range p.exc[d.ID] {
			if e.Covers(date) && e.Kind == ExceptionClosed {
				line.Closed = e.Reason
				if line.Closed == "" {
					line.Closed = "-"
				}
				break
			}
		}
		day.Desks = append(day.Desks, line)
		byDesk[d.ID] = i
	}
	for _, ap := range appts {
		day.Counts.add(ap.Status)
		if ap.DeskID == nil {
			continue
		}
		if i, ok := byDesk[*ap.DeskID]; ok {
			day.Desks[i].Items = append(day.Desks[i].Items, DeskItem{Appointment: ap, Type: day.Types[ap.CaseTypeID]})
		}
	}
	kept := day.Desks[:0]
	for _, line := range day.Desks {
		if line.Desk.Active || len(line.Items) > 0 {
			kept = append(kept, line)
		}
	}
	day.Desks = kept
	for _, ap := range tickets {
		if ap.Status != StatusWaiting {
			day.Counts.add(ap.Status)
			continue
		}
		day.Counts.Waiting++
		day.Waiting = append(day.Waiting, DeskItem{Appointment: ap, Type: day.Types[ap.CaseTypeID]})
	}
	return day, nil
}

func (c *DeskCounts) add(status string) {
	switch status {
	case StatusBooked, StatusPending:
		c.Booked++
	case StatusArrived:
		c.Arrived++
	case StatusCalled:
		c.Called++
	case StatusServed:
		c.Served++
	case StatusNoShow:
		c.NoShow++
	case StatusCancelled:
		c.Cancelled++
	}
}

// Filter keeps the day's appointments whose code or name holds query
// (case-insensitive, the dash of a code optional), in Go: the day is small
// and Go folds every letter (Á, Ő) where SQLite's LOWER folds ASCII only.
func (d *DeskDay) Filter(query string) {
	query = strings.TrimSpace(query)
	if query == "" {
		return
	}
	keep := func(items []DeskItem) []DeskItem {
		var out []DeskItem
		for _, it := range items {
			if deskMatches(&it.Appointment, query) {
				out = append(out, it)
			}
		}
		return out
	}
	for i := range d.Desks {
		d.Desks[i].Items = keep(d.Desks[i].Items)
	}
	d.Waiting = keep(d.Waiting)
}

func deskMatches(a *Appointment, query string) bool {
	if c := deskCode(query); c != "" && strings.ReplaceAll(a.Code, "-", "") == c {
		return true
	}
	return a.Name != "" && strings.Contains(strings.ToLower(a.Name), strings.ToLower(query))
}

// normCode is query as a booking code without its dash ("k7f 3qx" →
// "K7F3QX"), or "" when it cannot be one.
func deskCode(query string) string {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(query))
	if len(c) != 6 {
		return ""
	}
	for _, r := range c {
		if !strings.ContainsRune(codeAlphabet, r) {
			return ""
		}
	}
	return c
}

// searchBack is how far back a search by name reaches; a code finds its
// appointment on any day.
const searchBack = 90 * 24 * time.Hour

// Search finds appointments by code on any day at any office, and by name
// (case-insensitive; on SQLite only ASCII letters fold) at office from
// searchBack on, through the office and start index; newest first.
func (s *Service) Search(ctx context.Context, a actor.Actor, officeID uint, query string, limit int) ([]DeskItem, error) {
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	query = strings.TrimSpace(query)
	if query == "" || len(query) > 100 {
		return nil, nil
	}
	q := s.db.R.WithContext(ctx)
	var appts []Appointment
	// "Kertes" could be a code as well as a name: both are looked for.
	if c := deskCode(query); c != "" {
		if err := q.Where("code = ?", c[:3]+"-"+c[3:]).Limit(1).Find(&appts).Error; err != nil {
			return nil, err
		}
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(query)) + "%"
	op := "LIKE"
	if s.db.Dialect == db.Postgres {
		op = "ILIKE"
	}
	since := s.now().Add(-searchBack)
	var named []Appointment
	if err := q.Where("office_id = ? AND start_at >= ? AND name "+op+" ? ESCAPE '\\'", officeID, since, like).
		Order("start_at DESC, id DESC").Limit(limit).Find(&named).Error; err != nil {
		return nil, err
	}
	var waiting []Appointment
	if err := q.Where("office_id = ? AND ticket > 0 AND booked_at >= ? AND start_at IS NULL AND name "+op+" ? ESCAPE '\\'", officeID, since, like).
		Order("booked_at DESC, id DESC").Limit(limit).Find(&waiting).Error; err != nil {
		return nil, err
	}
	seen := map[uint]bool{}
	for _, ap := range appts {
		seen[ap.ID] = true
	}
	for _, ap := range append(waiting, named...) {
		if !seen[ap.ID] && len(appts) < limit {
			seen[ap.ID] = true
			appts = append(appts, ap)
		}
	}
	return s.withTypes(ctx, appts)
}

// withTypes pairs appointments with their case types in one query.
func (s *Service) withTypes(ctx context.Context, appts []Appointment) ([]DeskItem, error) {
	if len(appts) == 0 {
		return nil, nil
	}
	ids := map[uint]bool{}
	var list []uint
	for _, ap := range appts {
		if !ids[ap.CaseTypeID] {
			ids[ap.CaseTypeID] = true
			list = append(list, ap.CaseTypeID)
		}
	}
	var types []CaseType
	if err := s.db.R.WithContext(ctx).Where("id IN ?", list).Find(&types).Error; err != nil {
		return nil, err
	}
	byID := map[uint]CaseType{}
	for _, t := range types {
		byID[t.ID] = t
	}
	out := make([]DeskItem, len(appts))
	for i, ap := range appts {
		out[i] = DeskItem{Appointment: ap, Type: byID[ap.CaseTypeID]}
	}
	return out, nil
}

// step is one front desk transition: from which states, to which, what else
// the same UPDATE sets, and a check of the appointment first.
type step struct {
	from   []string
	to     string
	action string
	set    func(now time.Time) map[string]any
	check  func(appt *Appointment, now time.Time) error
	guard  func(now time.Time) []any
}

// move runs st on appointment id in one transaction: the check, the guarded
// state change with its audit row and timeline line. A state changed
// meanwhile is ErrDeskStep.
func (s *Service) move(ctx context.Context, a actor.Actor, id uint, st step, comment string) (*Appointment, error) {
	defer s.busyChanged() // citizens see the freed or taken time at once
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	var out *Appointment
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		appt, err := s.find(tx, a, Ref{ID: id})
		if err != nil {
			return err
		}
		now := s.now()
		if !slices.Contains(st.from, appt.Status) {
			return ErrDeskStep
		}
		if st.check != nil {
			if err := st.check(appt, now); err != nil {
				return err
			}
		}
		set := map[string]any{}
		if st.set != nil {
			set = st.set(now)
		}
		tr := history.Transition{Entity: entity, Model: &Appointment{}, ID: appt.ID, From: []string{appt.Status}, To: st.to,
			Set: set, Audit: "appointment." + st.action, Action: st.action, Comment: comment, At: now}
		if st.guard != nil {
			tr.Guard = st.guard(now)
		}
		if err := history.Move(quiet(tx), a, tr); err != nil {
			switch {
			case errors.Is(err, history.ErrStateChanged):
				return ErrDeskStep
			case db.IsConstraint(err, "appt_overlap"):
				return ErrTaken
			case db.IsLockTimeout(err):
				return ErrBusy
			}
			return err
		}
		out, err = s.find(tx, a, Ref{ID: id})
		return err
	})
	return out, err
}

// onToday refuses a planned appointment of another day: a citizen arrives
// on their day.
func (s *Service) onToday(appt *Appointment, now time.Time) error {
	if appt.StartAt != nil && !calendar.DateOf(*appt.StartAt, s.tz).Equal(calendar.DateOf(now, s.tz)) {
		return ErrDeskNotToday
	}
	return nil
}

// Arrive marks a booked (or still pending) citizen as here, on the day.
func (s *Service) Arrive(ctx context.Context, a actor.Actor, id uint) (*Appointment, error) {
	return s.move(ctx, a, id, step{from: []string{StatusBooked, StatusPending}, to: StatusArrived, action: "arrive",
		set:   func(now time.Time) map[string]any { return map[string]any{"arrived_at": now, "hold_until": nil} },
		check: s.onToday}, "")
}

// Call calls an arrived citizen or a waiting walk-in to desk deskID, which
// must be an active desk of the appointment's office; the waiting room's
// screen shows it.
func (s *Service) Call(ctx context.Context, a actor.Actor, id, deskID uint) (*Appointment, error) {
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	var desk Desk
	res := s.db.R.WithContext(ctx).Where("id = ? AND active = ?", deskID, true).Limit(1).Find(&desk)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrDeskUnknown
	}
	return s.move(ctx, a, id, step{from: []string{StatusArrived, StatusWaiting}, to: StatusCalled, action: "call",
		set: func(now time.Time) map[string]any { return map[string]any{"called_at": now, "called_desk_id": deskID} },
		check: func(appt *Appointment, now time.Time) error {
			if appt.OfficeID != desk.OfficeID {
				return ErrDeskUnknown
			}
			return s.onToday(appt, now)
		}}, desk.Name)
}

// Serve marks a called citizen as served.
func (s *Service) Serve(ctx context.Context, a actor.Actor, id uint) (*Appointment, error) {
	return s.move(ctx, a, id, step{from: []string{StatusCalled}, to: StatusServed, action: "serve",
		set: func(now time.Time) map[string]any { return map[string]any{"served_at": now} }}, "")
}

// NoShow marks a booked citizen who did not come, from the appointment's
// start on (the UPDATE guards it too); the desk's time is free again. A
// walk-in who left the waiting list before being called goes the same way.
func (s *Service) NoShow(ctx context.Context, a actor.Actor, id uint) (*Appointment, error) {
	return s.move(ctx, a, id, step{from: []string{StatusBooked, StatusPending, StatusWaiting}, to: StatusNoShow, action: "no_show",
		set: func(time.Time) map[string]any { return map[string]any{"hold_until": nil} },
		check: func(appt *Appointment, now time.Time) error {
			if appt.Status != StatusWaiting && (appt.StartAt == nil || appt.StartAt.After(now)) {
				return ErrDeskNotYet
			}
			return nil
		},
		guard: func(now time.Time) []any { return []any{"(start_at IS NULL OR start_at <= ?)", now} }}, "")
}

// Undo takes back the last front desk step of a mistaken click: arrived →
// booked, called → arrived (a walk-in from the list: waiting), served →
// called, no-show → booked (while its time is still free: the database
// refuses an overlap, ErrTaken) or, for a walk-in, back on the list. A
// walk-in who arrived has no booking to go back to.
func (s *Service) Undo(ctx context.Context, a actor.Actor, id uint) (*Appointment, error) {
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	appt, err := s.Find(ctx, a, Ref{ID: id})
	if err != nil {
		return nil, err
	}
	// A mistaken step is taken back on its day; later it is history (the
	// statistics and the rating link count on it).
	when := appt.BookedAt
	if appt.StartAt != nil {
		when = *appt.StartAt
	}
	if calendar.DateOf(when, s.tz) != calendar.DateOf(s.now(), s.tz) {
		return nil, ErrDeskNoUndo
	}
	var st step
	switch appt.Status {
	case StatusArrived:
		if appt.Source == SourceWalkIn {
			return nil, ErrDeskNoUndo
		}
		st = step{to: StatusBooked, set: func(time.Time) map[string]any { return map[string]any{"arrived_at": nil} }}
	case StatusCalled:
		back := StatusArrived
		if appt.DeskID == nil {
			back = StatusWaiting
		}
		st = step{to: back, set: func(time.Time) map[string]any { return map[string]any{"called_at": nil, "called_desk_id": nil} }}
	case StatusServed:
		st = step{to: StatusCalled, set: func(time.Time) map[string]any { return map[string]any{"served_at": nil} }}
	case StatusNoShow:
		st = step{to: StatusBooked}
		if appt.DeskID == nil {
			st.to = StatusWaiting
		}
	default:
		return nil, ErrDeskNoUndo
	}
	st.from, st.action = []string{appt.Status}, "undo"
	return s.move(ctx, a, id, st, "")
}

// WalkIn takes a citizen who came without an appointment. When a desk
// serving the case type has a free time of the type's grid running now or
// starting within walkInLead, it is booked there as arrived; otherwise the citizen joins the waiting list with the office's
// next ticket of the day. The name is optional (a ticket is enough).
func (s *Service) WalkIn(ctx context.Context, a actor.Actor, officeID, typeID uint, name string) (*Appointment, error) {
	defer s.busyChanged() // citizens see the freed or taken time at once
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	name = strings.Join(strings.Fields(name), " ")
	if len([]rune(name)) > maxName || !printable(name) {
		return nil, ErrName
	}
	t, err := s.CaseType(ctx, typeID, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.Office(ctx, officeID); err != nil {
		return nil, err
	}
	now := s.now()
	slots, err := s.walkInSlots(ctx, a, t, officeID, now)
	if err != nil {
		return nil, err
	}
	appt := Appointment{Code: newCode(), CaseTypeID: t.ID, OfficeID: officeID, Status: StatusWaiting, Source: SourceWalkIn,
		Name: name, Lang: s.lang, BookedAt: now, BookedBy: &a.ID, ConfirmedAt: &now, CreatedAt: now, UpdatedAt: now}
	for _, sl := range slots {
		start, end := sl.Start, sl.End
		appt.StartAt, appt.EndAt, appt.Status, appt.ArrivedAt = &start, &end, StatusArrived, &now
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			if err := s.insertAtFreeDesk(tx, &appt, sl.Desks); err != nil {
				return err
			}
			return s.recordWalkIn(tx, a, &appt)
		})
		if errors.Is(err, ErrTaken) {
			continue // a clerk at the next desk was quicker; try the next time
		}
		if err != nil {
			return nil, err
		}
		return &appt, nil
	}
	appt.StartAt, appt.EndAt, appt.DeskID, appt.ArrivedAt, appt.Status = nil, nil, nil, nil, StatusWaiting
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.nextTicket(tx, &appt); err != nil {
			return err
		}
		if err := tx.Create(&appt).Error; err != nil {
			if db.IsLockTimeout(err) {
				return ErrBusy
			}
			return err
		}
		return s.recordWalkIn(tx, a, &appt)
	})
	if err != nil {
		return nil, err
	}
	return &appt, nil
}

// walkInSlots are the free times of t's grid at office a walk-in may take
// now, earliest first: the one running now while half of it is left (the
// citizen is served at once) and those starting within walkInLead.
func (s *Service) walkInSlots(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, now time.Time) ([]Slot, error) {
	today := calendar.DateOf(now, s.tz)
	p, err := s.loadPlan(ctx, a, t, officeID, today, today)
	if err != nil {
		return nil, err
	}
	dur := time.Duration(t.Minutes) * time.Minute
	var out []Slot
	for unix, open := range p.grid(today) {
		start := time.Unix(unix, 0).UTC()
		// A time running now is worth it while half of it is left.
		if start.Add(dur/2).Before(now) || !start.Before(now.Add(walkInLead)) {
			continue
		}
		if desks := p.free(open, start); len(desks) > 0 {
			out = append(out, Slot{Start: start, End: start.Add(dur), Desks: desks})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// nextTicket sets appt.Ticket to the office's next number of the day, inside
// tx: the office's lock on PostgreSQL, the one writer on SQLite, so the read
// and the insert after it are never interleaved with another clerk's.
func (s *Service) nextTicket(tx *gorm.DB, appt *Appointment) error {
	if s.db.Dialect == db.Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", ticketLockKey, int32(appt.OfficeID)).Error; err != nil {
			if db.IsLockTimeout(err) {
				return ErrBusy
			}
			return err
		}
	}
	start, end := s.dayBounds(calendar.DateOf(appt.BookedAt, s.tz))
	var last int
	if err := tx.Model(&Appointment{}).Select("COALESCE(MAX(ticket), 0)").
		Where("office_id = ? AND ticket > 0 AND booked_at >= ? AND booked_at < ?", appt.OfficeID, start, end).
		Scan(&last).Error; err != nil {
		return err
	}
	appt.Ticket = last + 1
	return nil
}

func (s *Service) recordWalkIn(tx *gorm.DB, a actor.Actor, appt *Appointment) error {
	after := map[string]any{"code": appt.Code, "case_type": appt.CaseTypeID, "office": appt.OfficeID,
		"status": appt.Status, "source": appt.Source}
	if appt.DeskID != nil {
		after["desk"], after["start"] = *appt.DeskID, *appt.StartAt
	} else {
		after["ticket"] = appt.Ticket
	}
	if err := audit.Record(tx, a, "appointment.walk_in", entity, appt.ID, nil, after); err != nil {
		return err
	}
	return history.Note(tx, a, history.Entry{Entity: entity, EntityID: appt.ID, Action: "walk_in", At: appt.BookedAt})
}

// closable are the states of appointments a closed desk hands on: the
// citizen has not been called yet.
var closable = []string{StatusPending, StatusBooked, StatusArrived}

// DeskAffected counts the appointments closing desk deskID on date would
// move or ask to rebook (staff only); it changes nothing.
func (s *Service) DeskAffected(ctx context.Context, a actor.Actor, deskID uint, date calendar.Date) (*Desk, int, error) {
	if err := deskStaff(a); err != nil {
		return nil, 0, err
	}
	q := s.db.R.WithContext(ctx)
	var desk Desk
	res := q.Where("id = ?", deskID).Limit(1).Find(&desk)
	if res.Error != nil {
		return nil, 0, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, 0, ErrDeskUnknown
	}
	if err := s.notPast(date); err != nil {
		return nil, 0, err
	}
	start, end := s.dayBounds(date)
	var n int64
	err := q.Model(&Appointment{}).Where("desk_id = ? AND start_at >= ? AND start_at < ? AND status IN ?",
		deskID, start, end, closable).Count(&n).Error
	return &desk, int(n), err
}

// notPast refuses a day before today: its appointments are history, and
// closing it would only rewrite the hours the statistics read.
func (s *Service) notPast(date calendar.Date) error {
	if date.Before(calendar.DateOf(s.now(), s.tz)) {
		return ErrDeskPastDay
	}
	return nil
}

// carveDay takes date out of the "other hours" exception e, so the closing
// is the desk's one rule that day: e goes when it was that day alone, else
// it keeps the days before and after (split in two around date).
func carveDay(tx *gorm.DB, e DeskException, date calendar.Date) error {
	before, after := e.From.Before(date), e.To.After(date)
	row := tx.Model(&DeskException{}).Where("id = ?", e.ID)
	switch {
	case !before && !after:
		return tx.Where("id = ?", e.ID).Delete(&DeskException{}).Error
	case !before:
		return row.Update("from", date.AddDays(1)).Error
	}
	if err := row.Update("to", date.AddDays(-1)).Error; err != nil {
		return err
	}
	if !after {
		return nil
	}
	rest := e
	rest.ID, rest.From = 0, date.AddDays(1)
	return tx.Create(&rest).Error
}

// CloseDesk closes desk deskID for date (an exception of that day) and, in
// the same transaction, moves each of its appointments not yet called to
// another desk of the office serving the case type and open and free at the
// same time (only desk_id changes; the database refuses an overlap, each try
// in a savepoint). The citizens moved are not mailed: their time holds, and
// the desk is called out on the day. The others keep their appointment and
// are asked to pick another time through their link (tellDeskClosed). It
// returns how many were moved and how many were left.
// A day already past is refused (ErrDeskPastDay), so is a day the desk is
// already closed on; "other hours" set for the day give way to the closing
// (carveDay), what a clerk closing a desk for an ill colleague means.
func (s *Service) CloseDesk(ctx context.Context, a actor.Actor, deskID uint, date calendar.Date, reason string) (moved, left int, err error) {
	if err := deskStaff(a); err != nil {
		return 0, 0, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return 0, 0, ErrReason
	}
	if len([]rune(reason)) > 200 {
		return 0, 0, ErrNoteTooLong
	}
	if err := s.notPast(date); err != nil {
		return 0, 0, err
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		moved, left = 0, 0
		tctx := tx.Statement.Context
		var desk Desk
		res := tx.Where("id = ?", deskID).Limit(1).Find(&desk)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrDeskUnknown
		}
		var n int64
		if err := tx.Model(&DeskException{}).Where(`desk_id = ? AND kind = ? AND "from" <= ? AND "to" >= ?`,
			deskID, ExceptionClosed, date, date).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrDeskAlreadyClosed
		}
		var hours []DeskException
		if err := tx.Where(`desk_id = ? AND kind = ? AND "from" <= ? AND "to" >= ?`,
			deskID, ExceptionHours, date, date).Find(&hours).Error; err != nil {
			return err
		}
		after := map[string]any{"desk": deskID, "date": date.String(), "reason": reason}
		for _, e := range hours {
			if err := carveDay(tx, e, date); err != nil {
				return err
			}
			after["replaced_hours"] = e.Hours
		}
		exc := DeskException{DeskID: deskID, From: date, To: date, Kind: ExceptionClosed, Reason: reason, CreatedAt: s.now()}
		if err := tx.Create(&exc).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, a, "appointment.desk_close", "appointment_desk_closure", exc.ID, nil, after); err != nil {
			return err
		}
		start, end := s.dayBounds(date)
		var appts []Appointment
		if err := tx.Where("desk_id = ? AND start_at >= ? AND start_at < ? AND status IN ?", deskID, start, end, closable).
			Order("start_at, id").Find(&appts).Error; err != nil {
			return err
		}
		plans := map[uint]*plan{}
		for i := range appts {
			appt := &appts[i]
			p, ok := plans[appt.CaseTypeID]
			if !ok {
				var t CaseType
				if err := tx.Where("id = ?", appt.CaseTypeID).Limit(1).Find(&t).Error; err != nil {
					return err
				}
				if p, err = s.loadPlan(tctx, a, &t, desk.OfficeID, date, date); err != nil {
					return err
				}
				plans[appt.CaseTypeID] = p
			}
			to, err := s.moveDesk(tx, a, p, appt, date)
			if err != nil {
				return err
			}
			if to != 0 {
				moved++ // same time, another desk: nothing the citizen needs to hear
				continue
			}
			left++
			if err := history.Note(tx, a, history.Entry{Entity: entity, EntityID: appt.ID, Action: "desk_closed",
				Comment: reason, At: s.now()}); err != nil {
				return err
			}
			if err := s.tellDeskClosed(tx, appt); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		// The slots read the desks' exceptions and busy times from memory.
		s.SetupChanged()
		s.busyChanged()
	}
	return moved, left, err
}

// moveDesk moves appt to the first other desk of plan p open and free for
// all its time, or returns 0 when none takes it.
func (s *Service) moveDesk(tx *gorm.DB, a actor.Actor, p *plan, appt *Appointment, d calendar.Date) (uint, error) {
	from := *appt.DeskID
	for i, desk := range p.desks {
		if desk == from || !p.openThroughout(desk, d, *appt.StartAt, *appt.EndAt) || p.overlaps(desk, *appt.StartAt, *appt.EndAt) {
			continue
		}
		sp := fmt.Sprintf("appt_close_%d", i)
		if err := tx.SavePoint(sp).Error; err != nil {
			return 0, err
		}
		res := quiet(tx).Model(&Appointment{}).Where("id = ? AND desk_id = ? AND status IN ?", appt.ID, from, closable).
			Updates(map[string]any{"desk_id": desk, "updated_at": s.now()})
		if res.Error != nil {
			if rerr := tx.RollbackTo(sp).Error; rerr != nil {
				return 0, rerr
			}
			if db.IsConstraint(res.Error, "appt_overlap") {
				continue
			}
			if db.IsLockTimeout(res.Error) {
				return 0, ErrBusy
			}
			return 0, res.Error
		}
		if res.RowsAffected == 0 {
			return 0, nil
		}
		appt.DeskID = &desk
		p.busy[desk] = deskInsertBusy(p.busy[desk], busySpan{*appt.StartAt, *appt.EndAt})
		if err := audit.Record(tx, a, "appointment.move", entity, appt.ID, map[string]any{"desk": from},
			map[string]any{"desk": desk, "reason": "desk_closed"}); err != nil {
			return 0, err
		}
		if err := history.Note(tx, a, history.Entry{Entity: entity, EntityID: appt.ID, Action: "desk_moved", At: s.now()}); err != nil {
			return 0, err
		}
		return desk, nil
	}
	return 0, nil
}

// insertBusy puts b among list's spans in start order (addBusy appends only).
func deskInsertBusy(list []busySpan, b busySpan) []busySpan {
	list = append(list, b)
	sort.Slice(list, func(i, j int) bool { return list[i].Start.Before(list[j].Start) })
	var out []busySpan
	for _, x := range list {
		out = addBusy(out, x)
	}
	return out
}

// openDuring reports whether desk is open on d for all of [start, end).
func (p *plan) openThroughout(desk uint, d calendar.Date, start, end time.Time) bool {
	for _, sp := range p.hoursOn(desk, d) {
		from, err1 := calendar.At(d, sp.From/60, sp.From%60, p.tz)
		to, err2 := calendar.At(d, sp.To/60, sp.To%60, p.tz)
		if sp.To == 24*60 {
			to, err2 = d.AddDays(1).Start(p.tz), nil
		}
		if err1 == nil && err2 == nil && !start.Before(from) && !end.After(to) {
			return true
		}
	}
	return false
}

// DisplayCall is one line of the waiting room's screen: a ticket or a code and
// the desk it goes to. No names: the screen is public.
type DisplayCall struct {
	Ticket int
	Code   string
	Desk   string
	At     time.Time
}

// DisplaySig is the signature of office's waiting room screen link; the
// link is the permission, as with the calendar feeds.
func (s *Service) DisplaySig(officeID uint) string {
	return ical.FeedSig(s.secret, "appointments-display", officeID, "")
}

// DisplaySigOK checks a screen link's signature in constant time.
func (s *Service) DisplaySigOK(officeID uint, sig string) bool {
	return ical.FeedSigOK(s.secret, "appointments-display", officeID, "", sig)
}

// DisplayPath is office's waiting room screen.
func (s *Service) DisplayPath(officeID uint) string {
	return fmt.Sprintf("/appointments/display/%d/%s", officeID, s.DisplaySig(officeID))
}

// Display is the office's calls of the last displayWindow, newest first,
// at most n. Two reads of today through the indexes: planned times by the
// office and start index, walk-ins from the list by the tickets' index.
func (s *Service) Display(ctx context.Context, officeID uint, n int) ([]DisplayCall, error) {
	q := s.db.R.WithContext(ctx)
	now := s.now()
	since := now.Add(-displayWindow)
	start, end := s.dayBounds(calendar.DateOf(now, s.tz))
	var appts, walkIns []Appointment
	cols := "id, code, ticket, called_at, called_desk_id"
	if err := q.Select(cols).Where("office_id = ? AND start_at >= ? AND start_at < ? AND called_at >= ? AND called_desk_id IS NOT NULL",
		officeID, start, end, since).Find(&appts).Error; err != nil {
		return nil, err
	}
	if err := q.Select(cols).Where("office_id = ? AND ticket > 0 AND booked_at >= ? AND booked_at < ? AND start_at IS NULL AND called_at >= ? AND called_desk_id IS NOT NULL",
		officeID, start, end, since).Find(&walkIns).Error; err != nil {
		return nil, err
	}
	appts = append(appts, walkIns...)
	sort.Slice(appts, func(i, j int) bool { return appts[i].CalledAt.After(*appts[j].CalledAt) })
	if len(appts) > n {
		appts = appts[:n]
	}
	var desks []Desk
	if err := q.Where("office_id = ?", officeID).Find(&desks).Error; err != nil {
		return nil, err
	}
	names := map[uint]string{}
	for _, d := range desks {
		names[d.ID] = d.Name
	}
	out := make([]DisplayCall, len(appts))
	for i, ap := range appts {
		out[i] = DisplayCall{Ticket: ap.Ticket, Code: ap.Code, Desk: names[*ap.CalledDeskID], At: *ap.CalledAt}
		if ap.Ticket > 0 {
			out[i].Code = ""
		}
	}
	return out, nil
}

// DeskToday is the start page's figures of the front desk: per office, today's
// appointments still to come and the waiting list, and the next few.
type DeskToday struct {
	Offices []DeskTodayOffice
	Next    []DeskItem
}

// DeskTodayOffice is one office's line of the card.
type DeskTodayOffice struct {
	Office          Office
	Booked, Waiting int
}

// TodayAtDesk is DeskToday for the start page card (staff only), in three reads.
func (s *Service) TodayAtDesk(ctx context.Context, a actor.Actor, n int) (*DeskToday, error) {
	offices, err := s.DeskOffices(ctx, a)
	if err != nil || len(offices) == 0 {
		return nil, err
	}
	ids := make([]uint, len(offices))
	for i, o := range offices {
		ids[i] = o.ID
	}
	q := s.db.R.WithContext(ctx)
	now := s.now()
	start, end := s.dayBounds(calendar.DateOf(now, s.tz))
	type row struct {
		OfficeID uint
		Waiting  bool
		N        int
	}
	var rows []row
	if err := q.Raw(`SELECT office_id, FALSE AS waiting, COUNT(*) AS n FROM appointments
		WHERE office_id IN ? AND start_at >= ? AND start_at < ? AND status IN ? GROUP BY office_id
		UNION ALL
		SELECT office_id, TRUE AS waiting, COUNT(*) AS n FROM appointments
		WHERE office_id IN ? AND ticket > 0 AND booked_at >= ? AND booked_at < ? AND status = ? GROUP BY office_id`,
		ids, start, end, []string{StatusPending, StatusBooked, StatusArrived}, ids, start, end, StatusWaiting).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := &DeskToday{}
	at := map[uint]int{}
	for i, o := range offices {
		out.Offices = append(out.Offices, DeskTodayOffice{Office: o})
		at[o.ID] = i
	}
	for _, r := range rows {
		if r.Waiting {
			out.Offices[at[r.OfficeID]].Waiting = r.N
		} else {
			out.Offices[at[r.OfficeID]].Booked = r.N
		}
	}
	var next []Appointment
	if err := q.Where("office_id IN ? AND start_at >= ? AND start_at < ? AND status IN ?", ids, now.Add(-30*time.Minute), end,
		[]string{StatusPending, StatusBooked, StatusArrived}).Order("start_at, id").Limit(n).Find(&next).Error; err != nil {
		return nil, err
	}
	if out.Next, err = s.withTypes(ctx, next); err != nil {
		return nil, err
	}
	return out, nil
}

// tellDeskClosed asks the citizen of an appointment left on a closed desk to
// pick another time through their personal link; the booking stays theirs
// until they do.
func (s *Service) tellDeskClosed(tx *gorm.DB, a *Appointment) error {
	return s.enqueue(tx, nil, a, "appointments_desk_closed", fmt.Sprintf("appointments/%d/desk_closed/%s", a.ID, a.StartAt.UTC().Format("20060102")), false, nil)
}
