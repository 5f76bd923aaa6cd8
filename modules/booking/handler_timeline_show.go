package booking

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// weekdayKeys are the weekday message stems, Monday first.
var weekdayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Timeline views: one day, or a week of days one under the other.
const (
	viewDay  = "day"
	viewWeek = "week"
)

// quantum is the minutes of one column of a day band: fine enough that a
// block starts and ends where the booking does, to the quarter hour.
const quantum = 15

// kinds are the timeline's tabs, in order.
var kinds = []string{KindRoom, KindCar, KindEquipment}

// TimelineView is the timeline page. The grid is a table: each day is a band
// of rows (one per resource) under a head with the hour scale, and a block is
// placed by colspan alone, since the CSP forbids inline styles. The agenda is
// the same days as lists, which phones get instead of the grid; both are
// rendered and CSS picks one, so neither needs JavaScript.
type TimelineView struct {
	Kind, View string
	Date       calendar.Date // the day shown, or the week's Monday
	Last       calendar.Date // the last day shown
	Tabs       []TimelineLink
	Views      []TimelineLink
	PrevURL    string
	NextURL    string
	TodayURL   string
	NewURL     string // the "book" button of the kind
	FromHour   int
	ToHour     int
	IsToday    bool
	Hours      []TimelineHour // the hour scale every band's head repeats
	HoursHTML  template.HTML  // Hours, written once by hoursHTML
	Cols       int            // columns of a band after the resource's head
	Bands      []TimelineBand
	Agenda     []AgendaDay
	Resources  int // rows in a band; 0 shows the "none yet" message
}

// TimelineLink is a tab or a view switch.
type TimelineLink struct {
	Label   string // message key
	URL     string
	Current bool
}

// TimelineDay is a day's head, in the grid and in the agenda.
type TimelineDay struct {
	Date    calendar.Date
	Weekday string // weekday message stem
	Today   bool
	URL     string // its day view; empty in the day view itself
}

// TimelineHour is one hour of the scale.
type TimelineHour struct {
	Label string
	Span  int  // columns
	Minor bool // a label narrow screens drop, so a 24-hour scale stays legible
}

// TimelineBand is one day of the grid. Closed is set when no resource can be
// booked that day (a weekend for rooms): the band is then one line saying why.
type TimelineBand struct {
	TimelineDay
	Closed string
	Rows   []TimelineRowView
}

// TimelineRowView is one resource in one band: its head and its cells,
// written as HTML by cellsHTML.
type TimelineRowView struct {
	Resource  Resource
	InService bool
	Cells     []TimelineCell
	HTML      template.HTML
}

// TimelineCell is a run of columns in one state, or one booking's block;
// Class names the state.
type TimelineCell struct {
	Span  int
	Class string
	Text  string // visible: a block's title, a reason
	Sub   string // a block's second line: who booked
	When  string // a block's time, for screen readers (the tooltip has it too)
	Title string // the tooltip: the whole story
	URL   string // free space: the booking form, prefilled

	start, end time.Time
}

// AgendaDay is one day of the phone agenda. Note replaces the list when the
// day has nothing to list (closed, or past with nothing booked).
type AgendaDay struct {
	TimelineDay
	Note  string
	Items []AgendaItem
}

// AgendaItem is one resource's day: its bookings and free ranges in time
// order, or a Note (in service, nothing left today).
type AgendaItem struct {
	Resource Resource
	Note     string
	Entries  []AgendaEntry
}

// AgendaEntry is a booking or a free range.
type AgendaEntry struct {
	When  string
	Text  string
	Sub   string
	Class string
	Title string
	URL   string // free: book it

	at time.Time
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

// timelineCtx is what every cell of one page needs to know.
type timelineCtx struct {
	c        *fiber.Ctx
	a        actor.Actor
	tz       *time.Location
	lang     string
	now      time.Time
	names    map[uint]string
	days     *calendar.Days
	fromH    int
	toH      int
	dayLinks bool
	memo     map[string]string
	// linkMinutes is where free space is cut into links: every hour, or
	// every two on a week of 24-hour days, where an hour is narrow and a
	// link per hour would be 840 of them for five cars.
	linkMinutes int
}

// msg translates key with args once per page: a week asks for the same few
// messages hundreds of times, and every translation runs a template.
func (x *timelineCtx) msg(key string, args ...any) string {
	k := key
	if len(args) > 0 {
		k += fmt.Sprintf("%q", args)
	}
	if s, ok := x.memo[k]; ok {
		return s
	}
	s := web.T(x.c, key, args...)
	x.memo[k] = s
	return s
}

// fill is msg for a message whose values change at each use (times, names):
// it is translated once with a marker for each named value, and the markers
// are replaced. values are name, value pairs.
func (x *timelineCtx) fill(key string, values ...string) string {
	s, ok := x.memo["fill:"+key]
	if !ok {
		args := make([]any, len(values))
		for i := 0; i+1 < len(values); i += 2 {
			args[i], args[i+1] = values[i], "\x00"+values[i]+"\x00"
		}
		s = web.T(x.c, key, args...)
		x.memo["fill:"+key] = s
	}
	for i := 0; i+1 < len(values); i += 2 {
		s = strings.ReplaceAll(s, "\x00"+values[i]+"\x00", values[i+1])
	}
	return s
}

func (m *Module) timelineView(c *fiber.Ctx, tl *Timeline, kind, view string, first calendar.Date, days int, today calendar.Date, names map[uint]string) TimelineView {
	step := 7
	if view == viewDay {
		step = 1
	}
	v := TimelineView{
		Kind: kind, View: view, Date: first, Last: first.AddDays(days - 1),
		PrevURL: timelineURL(kind, view, first.AddDays(-step)), NextURL: timelineURL(kind, view, first.AddDays(step)),
		TodayURL: timelineURL(kind, view, today), IsToday: !today.Before(first) && !today.After(first.AddDays(days-1)),
		Resources: len(tl.Rows),
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
	for h := v.FromHour; h < v.ToHour; h++ {
		v.Hours = append(v.Hours, TimelineHour{Label: pad(h), Span: 60 / quantum, Minor: v.ToHour-v.FromHour > 12 && h%2 == 1})
		v.Cols += 60 / quantum
	}
	v.HoursHTML = hoursHTML(v.Hours)
	x := &timelineCtx{c: c, a: web.ActorOf(c), tz: m.svc.tz, lang: web.LangOf(c), now: m.svc.now(), names: names,
		days: tl.Days, fromH: v.FromHour, toH: v.ToHour, dayLinks: view == viewWeek, memo: map[string]string{}, linkMinutes: 60}
	if view == viewWeek && v.ToHour-v.FromHour > 12 {
		x.linkMinutes = 120
	}
	for i := 0; i < days; i++ {
		d := first.AddDays(i)
		head := TimelineDay{Date: d, Weekday: weekdayKeys[(int(d.Weekday())+6)%7], Today: d == today}
		if x.dayLinks {
			head.URL = timelineURL(kind, viewDay, d)
		}
		v.Bands = append(v.Bands, m.band(x, tl.Rows, head))
		v.Agenda = append(v.Agenda, m.agendaDay(x, tl.Rows, head))
	}
	return v
}

// closedDay is the reason no row can be booked on d, or "" when one can.
func closedDay(rows []TimelineRow, days *calendar.Days, d calendar.Date) string {
	reason := ""
	for i := range rows {
		r := &rows[i].Resource
		if !r.Active {
			continue
		}
		why := closedReason(r, days, d)
		if why == "" {
			return ""
		}
		reason = why
	}
	return reason
}

// band is one day of the grid.
func (m *Module) band(x *timelineCtx, rows []TimelineRow, head TimelineDay) TimelineBand {
	b := TimelineBand{TimelineDay: head}
	if reason := closedDay(rows, x.days, head.Date); reason != "" {
		b.Closed = x.msg("booking.timeline.closed_day", "Reason", x.msg(reason))
		return b
	}
	slots := daySlots(head.Date, x.fromH, x.toH, quantum, x.tz)
	for _, row := range rows {
		r := row.Resource
		rv := TimelineRowView{Resource: r, InService: !r.Active}
		switch {
		case !r.Active:
			t := x.msg("booking.timeline.in_service")
			rv.Cells = []TimelineCell{{Span: len(slots), Class: "tl-service", Text: t, Title: r.Name + ": " + t}}
		case closedReason(&r, x.days, head.Date) != "":
			reason := x.msg(closedReason(&r, x.days, head.Date))
			rv.Cells = []TimelineCell{{Span: len(slots), Class: "tl-off", Text: reason,
				Title: x.msg("booking.timeline.closed_day", "Reason", reason)}}
		case r.Pooled():
			rv.Cells = m.poolCells(x, row, head.Date, slots)
		default:
			rv.Cells = m.itemCells(x, row, head.Date, slots)
		}
		rv.HTML = cellsHTML(rv.Cells)
		b.Rows = append(b.Rows, rv)
	}
	return b
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

// slot is one column of a day band.
type slot struct {
	from, to time.Time
	wall     int // minutes after local midnight
}

// itemCells is one item's day band: a block per booking, and between them
// runs of closed, past or free columns, free space cut into links of an hour
// (x.linkMinutes) so a click books about where it was made.
func (m *Module) itemCells(x *timelineCtx, row TimelineRow, d calendar.Date, slots []slot) []TimelineCell {
	r := &row.Resource
	bounds := make([]time.Time, 0, len(slots)+1)
	for _, s := range slots {
		bounds = append(bounds, s.from)
	}
	bounds = append(bounds, slots[len(slots)-1].to)
	blocks := placeBookings(row.Bookings, bounds)
	var out []TimelineCell
	lastKey := ""
	for i, bi := 0, 0; i < len(slots); {
		s := slots[i]
		if bi < len(blocks) && blocks[bi].From == i {
			p := blocks[bi]
			cell := m.blockCell(x, r, p.Booking, p.More)
			cell.Span, cell.start, cell.end = p.To-p.From, s.from, slots[p.To-1].to
			out = append(out, cell)
			i, bi, lastKey = p.To, bi+1, ""
			continue
		}
		key, cell := openState(x, r, s)
		if cell.URL != "" {
			key += "@" + strconv.Itoa(s.wall/x.linkMinutes)
		}
		if key == lastKey {
			out[len(out)-1].Span++
			out[len(out)-1].end = s.to
		} else {
			cell.Span, cell.start, cell.end = 1, s.from, s.to
			out = append(out, cell)
			lastKey = key
		}
		i++
	}
	return m.finishCells(x, r, d, out)
}

// poolCells is a counted pool's day band: its bookings overlap, so the
// columns say how many are taken rather than whose.
func (m *Module) poolCells(x *timelineCtx, row TimelineRow, d calendar.Date, slots []slot) []TimelineCell {
	r := &row.Resource
	var out []TimelineCell
	lastKey := ""
	for _, s := range slots {
		used := 0
		for _, b := range row.Bookings {
			if b.StartAt.Before(s.to) && b.BlockEnd.After(s.from) {
				used += b.Quantity
			}
		}
		var key string
		var cell TimelineCell
		switch {
		case used >= r.Quantity:
			t := x.msg("booking.timeline.pool_full", "Used", used, "Of", r.Quantity)
			key, cell = "full", TimelineCell{Class: "tl-busy", Text: t, Title: t}
		default:
			key, cell = openState(x, r, s)
			if used > 0 && cell.URL != "" {
				t := x.msg("booking.timeline.pool_part", "Used", used, "Of", r.Quantity)
				key, cell = "part"+strconv.Itoa(used), TimelineCell{Class: "tl-free tl-part", URL: "free", Title: t}
			}
		}
		if cell.URL != "" {
			key += "@" + strconv.Itoa(s.wall/x.linkMinutes)
		}
		if key == lastKey {
			out[len(out)-1].Span++
			out[len(out)-1].end = s.to
			continue
		}
		cell.Span, cell.start, cell.end = 1, s.from, s.to
		out = append(out, cell)
		lastKey = key
	}
	return m.finishCells(x, r, d, out)
}

// openState is a column without a booking: outside r's hours, past, or free.
func openState(x *timelineCtx, r *Resource, s slot) (string, TimelineCell) {
	switch {
	case s.wall < r.OpenFrom || s.wall >= r.openTo():
		t := x.msg("booking.timeline.outside_hours", "From", minutes(r.OpenFrom), "To", minutes(r.openTo()))
		return "closed", TimelineCell{Class: "tl-closed", Title: t}
	case !s.to.After(x.now):
		return "past", TimelineCell{Class: "tl-past", Title: x.msg("booking.timeline.past")}
	}
	return "free", TimelineCell{Class: "tl-free", URL: "free"}
}

// finishCells gives free cells their links and marks the cell where now is.
func (m *Module) finishCells(x *timelineCtx, r *Resource, d calendar.Date, cells []TimelineCell) []TimelineCell {
	for i := range cells {
		cl := &cells[i]
		// The marker is the cell's left edge, so only a cell that starts in
		// now's column gets it: not a booking under way, not a full pool.
		if !cl.start.After(x.now) && x.now.Sub(cl.start) < quantum*time.Minute && cl.Class != "tl-closed" {
			cl.Class += " tl-now"
		}
		if cl.URL != "" {
			cl.URL, cl.Title, cl.Text = m.freeLink(x, r, d, freeStart(cl.start, x.now), cl.end, cl.Title)
		}
	}
	return cells
}

// when writes a booking's time: "10:00–11:00", or with the days when it
// runs over midnight (a car trip).
func (x *timelineCtx) when(from, to time.Time) string {
	if dateIn(from, x.tz) == dateIn(to, x.tz) || dateIn(to.Add(-time.Nanosecond), x.tz) == dateIn(from, x.tz) {
		return clock(from, x.tz) + "–" + endClock(from, to, x.tz)
	}
	return i18n.FormatDateTime(x.lang, from, x.tz) + " – " + i18n.FormatDateTime(x.lang, to, x.tz)
}

// blockCell is a booking's block: its title and who booked it when the
// viewer may see them (SeesDetails), "Booked" when not; the time as the
// tooltip and for screen readers.
func (m *Module) blockCell(x *timelineCtx, r *Resource, b *Booking, more []*Booking) TimelineCell {
	cell := TimelineCell{Class: "tl-busy", When: x.when(b.StartAt, b.EndAt)}
	cell.Text, cell.Sub, cell.Title = m.describe(x, r, b)
	if b.Private {
		cell.Class += " tl-private"
	}
	if b.PersonID == x.a.ID {
		cell.Class += " tl-mine"
	}
	if !b.EndAt.After(x.now) {
		cell.Class += " tl-done"
	}
	for _, o := range more {
		_, _, t := m.describe(x, r, o)
		cell.Title += " | " + t
	}
	return cell
}

// describe is what a booking shows as text, second line and tooltip.
func (m *Module) describe(x *timelineCtx, r *Resource, b *Booking) (text, sub, title string) {
	when := x.when(b.StartAt, b.EndAt)
	label := b.Title
	if label == "" {
		label = b.Destination // a car's trip is known by where it goes
	}
	if SeesDetails(x.a, b, r) {
		who := x.names[b.PersonID]
		text, sub = label, who
		if label == "" {
			text, sub = who, ""
		}
		title = when + " · " + x.fill("booking.timeline.booked_by", "Name", who)
		if label != "" {
			title += " · " + label
		}
		if b.Private {
			title += " · " + x.msg("booking.timeline.private_mark")
		}
	} else {
		text = x.msg("booking.timeline.booked")
		title = when + " · " + x.msg("booking.timeline.booked_private")
	}
	if r.Pooled() {
		text = x.msg("booking.timeline.pool_count", "N", b.Quantity) + " · " + text
	}
	if b.Status == StatusHold {
		title += " · " + x.msg("booking.status.hold")
	}
	if b.BlockEnd.After(b.EndAt) {
		title += " · " + x.fill("booking.timeline.buffer", "Until", clock(b.BlockEnd, x.tz))
	}
	return text, sub, title
}

// agendaDay is one day of the phone agenda: per resource its bookings and,
// from now on, its free ranges.
func (m *Module) agendaDay(x *timelineCtx, rows []TimelineRow, head TimelineDay) AgendaDay {
	out := AgendaDay{TimelineDay: head}
	if reason := closedDay(rows, x.days, head.Date); reason != "" {
		out.Note = x.msg("booking.timeline.closed_day", "Reason", x.msg(reason))
		return out
	}
	dayFrom, dayTo := head.Date.Start(x.tz).UTC(), head.Date.AddDays(1).Start(x.tz).UTC()
	past := !dayTo.After(x.now)
	for _, row := range rows {
		r := row.Resource
		item := AgendaItem{Resource: r}
		switch {
		case !r.Active:
			item.Note = x.msg("booking.timeline.in_service")
		case closedReason(&r, x.days, head.Date) != "":
			item.Note = x.msg("booking.timeline.closed_day", "Reason", x.msg(closedReason(&r, x.days, head.Date)))
		default:
			item.Entries = m.agendaEntries(x, row, head.Date, dayFrom, dayTo)
		}
		if past && len(item.Entries) == 0 {
			continue // a past day lists what happened, not every quiet room
		}
		if item.Note == "" && len(item.Entries) == 0 {
			item.Note = x.msg("booking.timeline.agenda_over")
		}
		out.Items = append(out.Items, item)
	}
	if len(out.Items) == 0 {
		out.Note = x.msg("booking.timeline.agenda_past_empty")
	}
	return out
}

// agendaEntries is one resource's bookings touching the day and its free
// ranges within its hours, in time order.
func (m *Module) agendaEntries(x *timelineCtx, row TimelineRow, d calendar.Date, dayFrom, dayTo time.Time) []AgendaEntry {
	r := &row.Resource
	var out []AgendaEntry
	var mine []Booking
	for i := range row.Bookings {
		b := &row.Bookings[i]
		if !b.StartAt.Before(dayTo) || !b.BlockEnd.After(dayFrom) {
			continue
		}
		mine = append(mine, *b)
		cell := m.blockCell(x, r, b, nil)
		out = append(out, AgendaEntry{When: cell.When, Text: cell.Text, Sub: cell.Sub, Class: cell.Class, Title: cell.Title, at: b.StartAt})
	}
	open, close := dayWindow(r, d, x.tz)
	for _, f := range freeRanges(r, mine, open, close, x.now) {
		e := AgendaEntry{When: x.when(f.From, f.To), Class: "tl-free", at: f.From}
		e.URL, e.Title, _ = m.freeLink(x, r, d, f.From, f.To, "")
		e.Text = x.msg("booking.timeline.agenda_free")
		if f.Free < r.Quantity {
			e.Text = x.msg("booking.timeline.agenda_free_pool", "Free", f.Free, "Of", r.Quantity)
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b AgendaEntry) int { return a.at.Compare(b.at) })
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

// freeLink is the booking form for free time [from, to) of r, an hour at most,
// with its tooltip (after what the slot already says, for pools) and hidden text.
func (m *Module) freeLink(x *timelineCtx, r *Resource, d calendar.Date, from, to time.Time, note string) (string, string, string) {
	tz := x.tz
	if to.Sub(from) > time.Hour {
		to = from.Add(time.Hour)
	}
	startDay, endDay := calendar.DateOf(from, tz), calendar.DateOf(to, tz)
	fromS, toS := clock(from, tz), clock(to, tz)
	// The values are digits, dashes and colons, so the query is written by
	// hand, in url.Values' order: a week has hundreds of these links.
	fromQ, toQ, endQ := queryClock(fromS), queryClock(toS), queryClock(endClock(from, to, tz))
	var u string
	switch r.Kind {
	case KindCar:
		u = "/bookings/cars/new?car=" + itoa(r.ID) + "&end_day=" + endDay.String() + "&end_time=" + toQ +
			"&start_day=" + startDay.String() + "&start_time=" + fromQ
	case KindEquipment:
		u = "/bookings/new?day=" + startDay.String() + "&" + eqPrefix + itoa(r.ID) + "=1&from=" + fromQ + "&to=" + endQ
	default:
		u = "/bookings/new?day=" + startDay.String() + "&from=" + fromQ + "&resource=" + itoa(r.ID) + "&to=" + endQ
	}
	day := i18n.FormatDate(x.lang, d.Year, d.Month, d.Day)
	t := x.fill("booking.timeline.book_free", "Name", r.Name, "Day", day, "From", fromS, "To", toS)
	if note != "" {
		t = note + " · " + t
	}
	return u, t, x.fill("booking.timeline.book_short", "From", fromS)
}

// queryClock is HH:MM as a query value.
func queryClock(hhmm string) string { return strings.Replace(hhmm, ":", "%3A", 1) }

// hoursHTML writes the hour scale every band's head repeats; minor hours
// keep their column but narrow screens hide their label.
func hoursHTML(hours []TimelineHour) template.HTML {
	var b strings.Builder
	for _, h := range hours {
		label := html.EscapeString(h.Label)
		if h.Minor {
			fmt.Fprintf(&b, `<th scope="col" colspan="%d" class="tl-hour tl-minor"><span>%s</span></th>`, h.Span, label)
		} else {
			fmt.Fprintf(&b, `<th scope="col" colspan="%d" class="tl-hour">%s</th>`, h.Span, label)
		}
	}
	return template.HTML(b.String()) // the labels are escaped
}

// cellsHTML writes a row's cells. A week has about a thousand of them, and
// through the template engine (reflection and an escaper per value) they
// cost ten times the rest of the page, so they are written here, escaped
// the same way: free space links to the form with the time for screen
// readers; a block has its time for screen readers, its title and who booked.
func cellsHTML(cells []TimelineCell) template.HTML {
	var b strings.Builder
	b.Grow(len(cells) * 240)
	esc := html.EscapeString
	for _, c := range cells {
		b.WriteString(`<td colspan="`)
		b.WriteString(strconv.Itoa(c.Span))
		b.WriteString(`" class="`)
		b.WriteString(esc(c.Class))
		b.WriteString(`"`)
		if c.Title != "" && c.URL == "" {
			b.WriteString(` title="`)
			b.WriteString(esc(c.Title))
			b.WriteString(`"`)
		}
		b.WriteString(`>`)
		switch {
		case c.URL != "":
			b.WriteString(`<a href="`)
			b.WriteString(esc(c.URL))
			b.WriteString(`" title="`)
			b.WriteString(esc(c.Title))
			b.WriteString(`"><span class="visually-hidden">`)
			b.WriteString(esc(c.Text))
			b.WriteString(`</span></a>`)
		case c.When != "":
			b.WriteString(`<span class="tl-block"><span class="visually-hidden">`)
			b.WriteString(esc(c.When))
			b.WriteString(`: </span><span class="tl-text">`)
			b.WriteString(esc(c.Text))
			b.WriteString(`</span>`)
			if c.Sub != "" {
				b.WriteString(`<span class="tl-who">`)
				b.WriteString(esc(c.Sub))
				b.WriteString(`</span>`)
			}
			b.WriteString(`</span>`)
		case c.Text != "":
			b.WriteString(`<span class="tl-text">`)
			b.WriteString(esc(c.Text))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td>`)
	}
	return template.HTML(b.String()) // every value above is escaped
}
