package appointments

import (
	"context"
	"sort"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
)

// Slot is a bookable time and the desks free for all of it.
type Slot struct {
	Start, End time.Time
	Desks      []uint
}

// Why a day of the month view has no free time (Day.Reason).
const (
	DayFree    = ""
	DayHoliday = "holiday" // a public holiday or a closed day of the calendar (Day.Holiday names it)
	DayClosed  = "closed"  // no desk serving the case type is open
	DayFull    = "full"    // open, every time taken
	DayOutside = "outside" // before the earliest or after the last bookable day
)

// Day is one day of the month view.
type Day struct {
	Date    calendar.Date
	Free    int    // free times that day
	Reason  string // why there is none (DayHoliday …)
	Holiday string // for DayHoliday, the calendar's translation key of why (a holiday's name, the weekend)
}

// window is when a case type may be booked: from the earliest instant to the
// end of the last bookable day. The front desk books from now on.
type window struct {
	From     time.Time
	LastDay  calendar.Date
	FirstDay calendar.Date
}

func (s *Service) window(ctx context.Context, a actor.Actor, t *CaseType) (window, error) {
	now := s.now()
	today := calendar.DateOf(now, s.tz)
	w := window{From: now, FirstDay: today, LastDay: today.AddDays(t.HorizonDays)}
	if isStaff(a) {
		return w, nil
	}
	w.From = now.Add(time.Duration(t.LeadMinutes) * time.Minute)
	if t.LeadDays > 0 {
		first, err := s.cal.AddWorkdays(ctx, today, t.LeadDays)
		if err != nil {
			return w, err
		}
		if start := first.Start(s.tz); start.After(w.From) {
			w.From = start
		}
	}
	w.FirstDay = calendar.DateOf(w.From, s.tz)
	return w, nil
}

// plan is what slots are computed from, for one case type at one office over
// a span of days: the desks serving it, their weeks and exceptions (the
// setup, cached), the calendar and what is taken.
type plan struct {
	*officeSetup
	t     *CaseType
	tz    *time.Location
	days  *calendar.Days
	busy  map[uint][]busySpan // per desk, by start
	grids map[calendar.Date]map[int64][]uint
}

// officeSetup is what administrators change rarely: the desks serving a case type
// at an office, their weekly hours and their exceptions.
type officeSetup struct {
	desks []uint
	week  map[uint][7][]HoursSpan
	exc   map[uint][]DeskException // newest first
}

type setupKey struct{ typeID, officeID uint }

// setupTTL is how long another replica may offer times by a desk's hours
// as they were before an administrator changed them; the database still
// refuses overlaps, and this process forgets at once (SetupChanged).
const setupTTL = 10 * time.Second

type busySpan struct{ Start, End time.Time }

// SetupChanged forgets the cached setup; every change of offices, desks,
// hours, exceptions or case types calls it.
func (s *Service) SetupChanged() {
	s.setups.Clear()
	s.types.Clear()
	s.offices.Clear()
}

// deskSetup reads (or recalls) the setup of case type typeID at office.
func (s *Service) deskSetup(ctx context.Context, typeID, officeID uint) (*officeSetup, error) {
	return s.setups.Load(setupKey{typeID, officeID}, func() (*officeSetup, error) {
		q := s.db.R.WithContext(ctx)
		st := &officeSetup{week: map[uint][7][]HoursSpan{}, exc: map[uint][]DeskException{}}
		if err := q.Raw(`SELECT d.id FROM appt_desks d JOIN appt_desk_case_types dc ON dc.desk_id = d.id
			WHERE d.office_id = ? AND d.active = ? AND dc.case_type_id = ? ORDER BY d.id`, officeID, true, typeID).
			Scan(&st.desks).Error; err != nil {
			return nil, err
		}
		if len(st.desks) == 0 {
			return st, nil
		}
		var hours []DeskHours
		if err := q.Where("desk_id IN ?", st.desks).Order(`desk_id, weekday, "from"`).Find(&hours).Error; err != nil {
			return nil, err
		}
		for _, h := range hours {
			w := st.week[h.DeskID]
			if h.Weekday >= 0 && h.Weekday < 7 {
				w[h.Weekday] = append(w[h.Weekday], HoursSpan{h.From, h.To})
			}
			st.week[h.DeskID] = w
		}
		var exc []DeskException
		if err := q.Where("desk_id IN ?", st.desks).Order("id DESC").Find(&exc).Error; err != nil {
			return nil, err
		}
		for _, e := range exc {
			st.exc[e.DeskID] = append(st.exc[e.DeskID], e)
		}
		return st, nil
	})
}

// busySQL reads what occupies an office's desks between two instants:
// active appointments, cancelled ones whose slot is still blocked, and the
// still blocked times appointments moved away from (Block). The start range
// reaches back maxMinutes for appointments running into the span, so each
// half is a range of its (office_id, start_at) index and the past is never
// read. readBusy gives its four arguments twice, once per half.
const busySQL = `SELECT desk_id, start_at, end_at FROM appointments
	WHERE office_id = ? AND start_at >= ? AND start_at < ? AND desk_id IS NOT NULL
	  AND (status IN ` + activeSQL + ` OR (status = 'cancelled' AND blocked_until > ?))
	UNION ALL SELECT desk_id, start_at, end_at FROM appt_blocks
	WHERE office_id = ? AND start_at >= ? AND start_at < ? AND until > ?
	ORDER BY start_at`

// busyKey names what an office's desks hold over a span of days.
type busyKey struct {
	office   uint
	from, to calendar.Date
}

// busyTTL is how stale the free times a citizen is shown may be: in a
// rush, a thousand people asking for one morning's times share one read.
// A citizen's booking still checks against the database, which has the last
// word; this process forgets at every change it makes (busyChanged), and
// the front desk always reads afresh.
const busyTTL = time.Second

// busyChanged forgets the cached busy times after a change of appointments.
func (s *Service) busyChanged() { s.busyCache.Clear() }

// loadPlan reads everything for slots of t at office from day from to day to.
func (s *Service) loadPlan(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, from, to calendar.Date) (*plan, error) {
	st, err := s.deskSetup(ctx, t.ID, officeID)
	if err != nil {
		return nil, err
	}
	p := &plan{officeSetup: st, t: t, tz: s.tz}
	if p.days, err = s.cal.Span(ctx, from, to); err != nil {
		return nil, err
	}
	if len(p.desks) == 0 {
		p.busy = map[uint][]busySpan{}
		return p, nil
	}
	read := func() (map[uint][]busySpan, error) { return s.readBusy(ctx, officeID, from, to) }
	if isStaff(a) {
		p.busy, err = read()
	} else {
		p.busy, err = s.busyCache.Load(busyKey{officeID, from, to}, read)
	}
	return p, err
}

// readBusy reads the office's busy spans per desk from day from to day to,
// inside the transaction ctx carries if any (db.WithTx).
func (s *Service) readBusy(ctx context.Context, officeID uint, from, to calendar.Date) (map[uint][]busySpan, error) {
	start, end := from.Start(s.tz).Add(-maxMinutes*time.Minute), to.AddDays(1).Start(s.tz)
	args := []any{officeID, start.UTC(), end.UTC(), s.now().UTC()}
	rows, err := s.db.R.WithContext(ctx).Raw(busySQL, append(args, args...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	busy := map[uint][]busySpan{}
	for rows.Next() {
		var id uint
		var b busySpan
		if err := rows.Scan(&id, &b.Start, &b.End); err != nil {
			return nil, err
		}
		busy[id] = addBusy(busy[id], b)
	}
	return busy, rows.Err()
}

// addBusy appends b (rows come by start) to list, merged with the last span
// when they touch, so the spans stay apart and sorted by both ends: a
// cancelled slot still blocked may lie under a newer appointment.
func addBusy(list []busySpan, b busySpan) []busySpan {
	if n := len(list); n > 0 && !b.Start.After(list[n-1].End) {
		if b.End.After(list[n-1].End) {
			list[n-1].End = b.End
		}
		return list
	}
	return append(list, b)
}

// maxMinutes is the longest a case type may last; the busy query reaches
// back this far for appointments still running into the span.
const maxMinutes = 480

// hoursOn are desk's opening spans on d: none on a day the calendar closes,
// else the newest exception covering d, else the weekday's hours.
func (p *plan) hoursOn(desk uint, d calendar.Date) []HoursSpan {
	if !p.days.IsWorkday(d) {
		return nil
	}
	for _, e := range p.exc[desk] {
		if e.Covers(d) {
			if e.Kind == ExceptionClosed {
				return nil
			}
			spans, _ := ParseHoursSpans(e.Hours)
			return spans
		}
	}
	return p.week[desk][d.Weekday()]
}

// grid is every start of t on d at any desk (free or not), each with its
// desks open then: a start is a desk's opening plus whole durations. It is
// kept per day: the month view asks twice.
func (p *plan) grid(d calendar.Date) map[int64][]uint {
	if g, ok := p.grids[d]; ok {
		return g
	}
	out := map[int64][]uint{}
	if p.grids == nil {
		p.grids = map[calendar.Date]map[int64][]uint{}
	}
	p.grids[d] = out
	dur := p.t.Minutes
	if dur <= 0 {
		return out
	}
	at := wallClock(d, p.tz)
	for _, desk := range p.desks {
		for _, sp := range p.hoursOn(desk, d) {
			for m := sp.From; m+dur <= sp.To; m += dur {
				if t, ok := at(m); ok {
					out[t.Unix()] = append(out[t.Unix()], desk)
				}
			}
		}
	}
	return out
}

// wallClock turns minutes after local midnight of d into instants: on a day
// of 24 hours by adding them to midnight, on a DST day through calendar.At,
// which refuses the skipped hour (false) and takes the first of a repeated one.
func wallClock(d calendar.Date, tz *time.Location) func(m int) (time.Time, bool) {
	midnight, err1 := calendar.At(d, 0, 0, tz)
	next, err2 := calendar.At(d.AddDays(1), 0, 0, tz)
	if err1 == nil && err2 == nil && next.Sub(midnight) == 24*time.Hour {
		return func(m int) (time.Time, bool) { return midnight.Add(time.Duration(m) * time.Minute), true }
	}
	return func(m int) (time.Time, bool) {
		t, err := calendar.At(d, m/60, m%60, tz)
		return t, err == nil
	}
}

// free are the desks among open that nothing occupies from start for t's length.
func (p *plan) free(open []uint, start time.Time) []uint {
	end := start.Add(time.Duration(p.t.Minutes) * time.Minute)
	var out []uint
	for _, desk := range open {
		if !p.overlaps(desk, start, end) {
			out = append(out, desk)
		}
	}
	return out
}

func (p *plan) overlaps(desk uint, start, end time.Time) bool {
	list := p.busy[desk]
	// The first busy span that ends after start (addBusy keeps them apart,
	// so their ends are sorted too).
	i := sort.Search(len(list), func(i int) bool { return list[i].End.After(start) })
	return i < len(list) && list[i].Start.Before(end)
}

// slots are the free slots of d from w.From on, by time.
func (p *plan) slots(d calendar.Date, w window) []Slot {
	var out []Slot
	for unix, open := range p.grid(d) {
		start := time.Unix(unix, 0).UTC()
		if start.Before(w.From) {
			continue
		}
		if desks := p.free(open, start); len(desks) > 0 {
			out = append(out, Slot{Start: start, End: start.Add(time.Duration(p.t.Minutes) * time.Minute), Desks: desks})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// day describes d for the month view.
func (p *plan) day(d calendar.Date, w window) Day {
	day := Day{Date: d}
	switch {
	case d.Before(w.FirstDay) || d.After(w.LastDay):
		day.Reason = DayOutside
	case !p.days.IsWorkday(d):
		day.Reason, day.Holiday = DayHoliday, p.days.Reason(d)
	default:
		day.Free = len(p.slots(d, w))
		if day.Free == 0 {
			day.Reason = DayFull
			if len(p.grid(d)) == 0 {
				day.Reason = DayClosed
			}
		}
	}
	return day
}

// Month is the month view of t at office: every day of the month of first,
// with its number of free times or why it has none.
func (s *Service) Month(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, first calendar.Date) ([]Day, error) {
	first = calendar.NewDate(first.Year, first.Month, 1)
	last := first.AddDays(31)
	last = calendar.NewDate(last.Year, last.Month, 1).AddDays(-1)
	w, err := s.window(ctx, a, t)
	if err != nil {
		return nil, err
	}
	from, to := first, last
	if from.Before(w.FirstDay) {
		from = w.FirstDay
	}
	if to.After(w.LastDay) {
		to = w.LastDay
	}
	var p *plan
	if !from.After(to) {
		if p, err = s.loadPlan(ctx, a, t, officeID, from, to); err != nil {
			return nil, err
		}
	}
	var out []Day
	for d := first; !d.After(last); d = d.AddDays(1) {
		if p == nil || d.Before(from) || d.After(to) {
			out = append(out, Day{Date: d, Reason: DayOutside})
			continue
		}
		out = append(out, p.day(d, w))
	}
	return out, nil
}

// Times are the free times of t at office on d (none outside the window).
func (s *Service) Times(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, d calendar.Date) ([]Slot, error) {
	w, err := s.window(ctx, a, t)
	if err != nil || d.Before(w.FirstDay) || d.After(w.LastDay) {
		return nil, err
	}
	p, err := s.loadPlan(ctx, a, t, officeID, d, d)
	if err != nil {
		return nil, err
	}
	return p.slots(d, w), nil
}

// NextFree are up to n free times of t at office from after on, searching
// the window a week at a time.
func (s *Service) NextFree(ctx context.Context, a actor.Actor, t *CaseType, officeID uint, after time.Time, n int) ([]Slot, error) {
	w, err := s.window(ctx, a, t)
	if err != nil {
		return nil, err
	}
	if after.After(w.From) {
		w.From = after
	}
	var out []Slot
	for from := calendar.DateOf(w.From, s.tz); !from.After(w.LastDay) && len(out) < n; from = from.AddDays(7) {
		to := from.AddDays(6)
		if to.After(w.LastDay) {
			to = w.LastDay
		}
		p, err := s.loadPlan(ctx, a, t, officeID, from, to)
		if err != nil {
			return nil, err
		}
		if len(p.desks) == 0 {
			break
		}
		for d := from; !d.After(to) && len(out) < n; d = d.AddDays(1) {
			for _, sl := range p.slots(d, w) {
				if len(out) == n {
					break
				}
				out = append(out, sl)
			}
		}
	}
	return out, nil
}
