package booking

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// weekdayKeys are the weekday message stems, Monday first.
var weekdayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Timeline views: one day in quarter hours, or a week in hours.
const (
	viewDay  = "day"
	viewWeek = "week"
)

// kinds are the timeline's tabs, in order.
var kinds = []string{KindRoom, KindCar, KindEquipment}

// TimelineView is the timeline page: a table whose rows are resources and
// whose columns are time slots, so blocks are placed by colspan alone (the
// CSP forbids inline styles) and the page works without JavaScript.
type TimelineView struct {
	Kind, View  string
	Date        calendar.Date // the day shown, or the week's Monday
	Last        calendar.Date // the last day shown
	Tabs        []TimelineLink
	Views       []TimelineLink
	PrevURL     string
	NextURL     string
	TodayURL    string
	Days        []TimelineDay
	Hours       []TimelineHour // the day view's hour heads
	Rows        []TimelineRowView
	NewURL      string // the "book" button of the kind
	FromHour    int
	ToHour      int
	IsToday     bool
	DayHeadings bool
}

// TimelineLink is a tab or a view switch.
type TimelineLink struct {
	Label   string // message key
	URL     string
	Current bool
}

// TimelineDay is one day band's head.
type TimelineDay struct {
	Date    calendar.Date
	Weekday string // weekday message stem
	Today   bool
	Span    int // slot columns
	URL     string
}

// TimelineHour is one hour's head in the day view.
type TimelineHour struct {
	Label string
	Span  int
}

// TimelineRowView is one resource: its head and its cells.
type TimelineRowView struct {
	Resource  Resource
	InService bool
	Cells     []TimelineCell
}

// TimelineCell is a run of slots in one state; Class names the state.
type TimelineCell struct {
	Span     int
	Class    string
	Text     string // visible where it fits
	Title    string // the whole reason, as a tooltip
	URL      string // free space: the booking form, prefilled
	DayStart bool

	start, end time.Time
}

// slot is one column of a day band.
type slot struct {
	from, to time.Time
	wall     int // minutes after local midnight
}

// openingDay is the day the timeline shows when the link names none: today,
// except that a week view opened on a weekend shows the coming week, the one
// people are planning, rather than the one that is nearly over.
func openingDay(today calendar.Date, view string) calendar.Date {
	if view == viewWeek {
		switch today.Weekday() {
		case time.Saturday:
			return today.AddDays(2)
		case time.Sunday:
			return today.AddDays(1)
		}
	}
	return today
}

// handleTimelineShow shows a day or a week of one kind of resource, from
// ?kind=room|car|equipment&view=day|week&date=YYYY-MM-DD (week= still works).
func (m *Module) handleTimelineShow(c *fiber.Ctx) error {
	tz := m.svc.tz
	today := calendar.Today(tz)
	kind := c.Query("kind", KindRoom)
	if kind != KindRoom && kind != KindCar && kind != KindEquipment {
		return fiber.ErrNotFound
	}
	view := c.Query("view", viewWeek)
	if view != viewDay && view != viewWeek {
		return fiber.ErrNotFound
	}
	day := openingDay(today, view)
	for _, p := range []string{"date", "week"} {
		if s := c.Query(p); s != "" {
			d, err := calendar.ParseDate(s)
			if err != nil { // a mistyped link: say so, and show today
				web.AddFlash(c, "error", web.T(c, "booking.timeline.bad_date", "Value", s))
				return c.Redirect(timelineURL(kind, view, today), fiber.StatusSeeOther)
			}
			day = d
			break
		}
	}
	days := 1
	if view == viewWeek {
		day, days = mondayOf(day), 7
	}
	tl, err := m.svc.Span(c.UserContext(), kind, day, days)
	if err != nil {
		return err
	}
	names, err := m.svc.Names(c.UserContext(), tl)
	if err != nil {
		return err
	}
	v := m.timelineView(c, tl, kind, view, day, days, today, names)
	return web.Render(c, "booking/timeline", web.Page{Title: "booking.timeline.title", Data: v})
}

func mondayOf(d calendar.Date) calendar.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// timelineURL is the address of a timeline page.
func timelineURL(kind, view string, d calendar.Date) string {
	q := url.Values{"kind": {kind}, "view": {view}, "date": {d.String()}}
	return "/bookings?" + q.Encode()
}

// hoursOf is the span of hours the bands show: the union of the rows'
// bookable hours, whole hours, the whole day when any row is round the clock.
func hoursOf(rows []TimelineRow) (int, int) {
	from, to := 24, 0
	for _, r := range rows {
		from = min(from, r.Resource.OpenFrom/60)
		to = max(to, (r.Resource.openTo()+59)/60)
	}
	if from >= to {
		return 0, 24
	}
	return from, to
}

func (m *Module) timelineView(c *fiber.Ctx, tl *Timeline, kind, view string, first calendar.Date, days int, today calendar.Date, names map[uint]string) TimelineView {
	step := 7
	quantum := 60 // minutes per slot
	if view == viewDay {
		step, quantum = 1, 15
	}
	v := TimelineView{
		Kind: kind, View: view, Date: first, Last: first.AddDays(days - 1),
		PrevURL: timelineURL(kind, view, first.AddDays(-step)), NextURL: timelineURL(kind, view, first.AddDays(step)),
		TodayURL: timelineURL(kind, view, today), IsToday: !today.Before(first) && !today.After(first.AddDays(days-1)),
		DayHeadings: view == viewWeek,
	}
	for _, k := range kinds {
		v.Tabs = append(v.Tabs, TimelineLink{Label: "booking.timeline.tab_" + k, URL: timelineURL(k, view, first), Current: k == kind})
	}
	for _, w := range []string{viewDay, viewWeek} {
		d := first
		if w == viewDay && view == viewWeek && v.IsToday {
			d = today
		}
		v.Views = append(v.Views, TimelineLink{Label: "booking.timeline.view_" + w, URL: timelineURL(kind, w, d), Current: w == view})
	}
	switch kind {
	case KindCar:
		v.NewURL = "/bookings/cars/new"
	default:
		v.NewURL = "/bookings/new"
	}
	v.FromHour, v.ToHour = hoursOf(tl.Rows)
	perDay := (v.ToHour - v.FromHour) * 60 / quantum
	for i := 0; i < days; i++ {
		d := first.AddDays(i)
		v.Days = append(v.Days, TimelineDay{Date: d, Weekday: weekdayKeys[(int(d.Weekday())+6)%7], Today: d == today,
			Span: perDay, URL: timelineURL(kind, viewDay, d)})
	}
	if view == viewDay {
		for h := v.FromHour; h < v.ToHour; h++ {
			v.Hours = append(v.Hours, TimelineHour{Label: pad(h), Span: 60 / quantum})
		}
	}
	a := web.ActorOf(c)
	now := m.svc.now()
	for _, row := range tl.Rows {
		r := row.Resource
		rv := TimelineRowView{Resource: r, InService: !r.Active}
		if !r.Active {
			t := web.T(c, "booking.timeline.in_service")
			rv.Cells = []TimelineCell{{Span: perDay * days, Class: "tl-service", Text: t, Title: r.Name + ": " + t, DayStart: true}}
			v.Rows = append(v.Rows, rv)
			continue
		}
		for i := 0; i < days; i++ {
			d := first.AddDays(i)
			rv.Cells = append(rv.Cells, m.dayCells(c, a, row, d, tl.Days, v.FromHour, v.ToHour, quantum, view, now, names)...)
		}
		v.Rows = append(v.Rows, rv)
	}
	return v
}

// daySlots cuts a local day's hours [fromH, toH) into slots of quantum minutes.
func daySlots(d calendar.Date, fromH, toH, quantum int, tz *time.Location) []slot {
	var out []slot
	for w := fromH * 60; w < toH*60; w += quantum {
		s := slot{wall: w, from: time.Date(d.Year, d.Month, d.Day, w/60, w%60, 0, 0, tz).UTC()}
		if e := w + quantum; e >= 24*60 {
			s.to = d.AddDays(1).Start(tz).UTC()
		} else {
			s.to = time.Date(d.Year, d.Month, d.Day, e/60, e%60, 0, 0, tz).UTC()
		}
		out = append(out, s)
	}
	return out
}

// dayCells is one resource's day band: each slot gets a state, and runs of
// the same state become one cell.
func (m *Module) dayCells(c *fiber.Ctx, a actor.Actor, row TimelineRow, d calendar.Date, days *calendar.Days,
	fromH, toH, quantum int, view string, now time.Time, names map[uint]string) []TimelineCell {
	tz := m.svc.tz
	r := &row.Resource
	slots := daySlots(d, fromH, toH, quantum, tz)
	if reason := closedReason(r, days, d); reason != "" {
		t := web.T(c, "booking.timeline.closed_day", "Reason", web.T(c, reason))
		return []TimelineCell{{Span: len(slots), Class: "tl-off", Text: web.T(c, reason), Title: t, DayStart: true}}
	}
	var out []TimelineCell
	lastKey := ""
	for i, s := range slots {
		key, cell := m.slotState(c, a, row, s, now, names)
		if view == viewDay && cell.URL != "" {
			key += "@" + strconv.Itoa(s.wall/60) // one link per hour in the day view
		}
		if i > 0 && key == lastKey {
			out[len(out)-1].Span++
			out[len(out)-1].end = s.to
			continue
		}
		lastKey = key
		cell.Span, cell.DayStart, cell.start, cell.end = 1, i == 0, s.from, s.to
		out = append(out, cell)
	}
	for i := range out {
		if out[i].URL != "" {
			out[i].URL, out[i].Title, out[i].Text = m.freeLink(c, r, d, freeStart(out[i].start, now), out[i].end, out[i].Title)
		}
	}
	return out
}

// freeStart is where free time in a slot begins: not before now, rounded up
// to five minutes.
func freeStart(t, now time.Time) time.Time {
	if t.Before(now) {
		return now.Add(5 * time.Minute).Truncate(5 * time.Minute)
	}
	return t
}

// slotState says what a slot is: booked, partly booked (pools), closed, past
// or free. The key groups slots that show as one cell.
func (m *Module) slotState(c *fiber.Ctx, a actor.Actor, row TimelineRow, s slot, now time.Time, names map[uint]string) (string, TimelineCell) {
	tz := m.svc.tz
	r := &row.Resource
	used, first := 0, -1
	for i, b := range row.Bookings {
		if b.StartAt.Before(s.to) && b.BlockEnd.After(s.from) {
			used += b.Quantity
			if first < 0 {
				first = i
			}
		}
	}
	switch {
	case first >= 0 && !r.Pooled():
		b := &row.Bookings[first]
		cell := TimelineCell{Class: "tl-busy"}
		when := clock(b.StartAt, tz) + "–" + clock(b.EndAt, tz)
		if SeesDetails(a, b, r) {
			who := names[b.PersonID]
			cell.Text = who
			if b.Title != "" {
				cell.Text = b.Title + " · " + who
			}
			cell.Title = when + " · " + web.T(c, "booking.timeline.booked_by", "Name", who)
			if b.Title != "" {
				cell.Title += " · " + b.Title
			}
			if b.Private {
				cell.Class += " tl-private"
			}
		} else {
			cell.Text = web.T(c, "booking.timeline.private")
			cell.Title = when + " · " + web.T(c, "booking.timeline.booked_private")
			cell.Class += " tl-private"
		}
		if b.Status == StatusHold {
			cell.Title += " · " + web.T(c, "booking.status.hold")
		}
		if b.PersonID == a.ID {
			cell.Class += " tl-mine"
		}
		return "b" + itoa(b.ID), cell
	case first >= 0 && used >= r.Quantity:
		t := web.T(c, "booking.timeline.pool_full", "Used", used, "Of", r.Quantity)
		return "full" + itoa(uint(used)), TimelineCell{Class: "tl-busy", Text: t, Title: t}
	case s.wall < r.OpenFrom || s.wall >= r.openTo():
		t := web.T(c, "booking.timeline.outside_hours", "From", minutes(r.OpenFrom), "To", minutes(r.openTo()))
		return "closed", TimelineCell{Class: "tl-closed", Title: t}
	case !s.to.After(now):
		return "past", TimelineCell{Class: "tl-past", Title: web.T(c, "booking.timeline.past")}
	case first >= 0:
		t := web.T(c, "booking.timeline.pool_part", "Used", used, "Of", r.Quantity)
		return "part" + itoa(uint(used)), TimelineCell{Class: "tl-free tl-part", URL: "free", Title: t}
	}
	return "free", TimelineCell{Class: "tl-free", URL: "free"}
}

// freeLink is the booking form for free time [from, to) of r, an hour at most,
// with its tooltip (after what the slot already says, for pools) and hidden text.
func (m *Module) freeLink(c *fiber.Ctx, r *Resource, d calendar.Date, from, to time.Time, note string) (string, string, string) {
	tz := m.svc.tz
	if to.Sub(from) > time.Hour {
		to = from.Add(time.Hour)
	}
	startDay, endDay := calendar.DateOf(from, tz), calendar.DateOf(to, tz)
	fromS, toS := clock(from, tz), clock(to, tz)
	var u string
	switch r.Kind {
	case KindCar:
		q := url.Values{"car": {itoa(r.ID)}, "start_day": {startDay.String()}, "start_time": {fromS},
			"end_day": {endDay.String()}, "end_time": {toS}}
		u = "/bookings/cars/new?" + q.Encode()
	case KindEquipment:
		q := url.Values{"day": {startDay.String()}, "from": {fromS}, "to": {endClock(from, to, tz)}, eqPrefix + itoa(r.ID): {"1"}}
		u = "/bookings/new?" + q.Encode()
	default:
		q := url.Values{"resource": {itoa(r.ID)}, "day": {startDay.String()}, "from": {fromS}, "to": {endClock(from, to, tz)}}
		u = "/bookings/new?" + q.Encode()
	}
	t := web.T(c, "booking.timeline.book_free", "Name", r.Name, "Day", web.Date(c, d), "From", fromS, "To", toS)
	if note != "" {
		t = note + " · " + t
	}
	return u, t, web.T(c, "booking.timeline.book_short", "From", fromS)
}
