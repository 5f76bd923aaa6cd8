package appointments

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// DeskDayPage is the front desk's day: the office and date pickers, the
// counts, each desk's timeline with the steps each appointment allows, the
// waiting list and the walk-in form.
type DeskDayPage struct {
	Offices    []Office
	Day        *DeskDay
	Date       calendar.Date
	Today      bool
	PrevURL    string
	NextURL    string
	TodayURL   string
	Self       string // this view, for the forms' next=
	Query      string
	Found      []DayRow // search results on any day
	Rows       [][]DayRow
	Waiting    []DayRow
	Types      []CaseType
	Open       []Desk // desks a citizen may be called to now
	DisplayURL string
	Lang       string
}

// DayRow is one appointment as the desk's lists show it.
type DayRow struct {
	ID                             uint
	Time, Code, Name, Type, Status string
	Badge, Desk, Date              string
	Ticket                         int
	CanArrive, CanCall, CanServe   bool
	CanNoShow, CanUndo             bool
	CallDesk                       uint // the desk the Call button offers first
}

// deskClock is an instant's wall time in the offices' zone.
func deskClock(t *time.Time, tz *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(tz).Format("15:04")
}

// deskBadge is a status's badge class.
func deskBadge(status string) string {
	switch status {
	case StatusBooked, StatusPending:
		return "badge-info"
	case StatusArrived, StatusWaiting:
		return "badge-warning"
	case StatusCalled, StatusServed:
		return "badge-success"
	case StatusNoShow, StatusCancelled, StatusExpired:
		return "badge-danger"
	}
	return "badge-muted"
}

// row is it as a list line, with the steps its state allows now.
func (m *Module) row(c *fiber.Ctx, it DeskItem, deskNames map[uint]string) DayRow {
	s, a := m.svc, &it.Appointment
	now := s.now()
	today := calendar.DateOf(now, s.tz)
	r := DayRow{ID: a.ID, Time: deskClock(a.StartAt, s.tz), Code: a.Code, Name: a.Name, Type: it.Type.Name(web.LangOf(c)),
		Status: web.T(c, "appointments.desk.status."+a.Status), Badge: deskBadge(a.Status), Ticket: a.Ticket}
	onDay := a.StartAt == nil || calendar.DateOf(*a.StartAt, s.tz).Equal(today)
	if a.StartAt != nil {
		r.Date = web.Date(c, calendar.DateOf(*a.StartAt, s.tz))
	}
	switch a.Status {
	case StatusBooked, StatusPending:
		r.CanArrive = onDay
		r.CanNoShow = a.StartAt != nil && !a.StartAt.After(now)
	case StatusArrived, StatusWaiting:
		r.CanCall = onDay
		r.CanUndo = a.Status == StatusArrived && a.Source != SourceWalkIn
		r.CanNoShow = a.Status == StatusWaiting // left before being called
	case StatusCalled:
		r.CanServe, r.CanUndo = true, true
	case StatusServed, StatusNoShow:
		r.CanUndo = onDay
	}
	if a.DeskID != nil {
		r.CallDesk = *a.DeskID
	}
	if a.CalledDeskID != nil {
		r.Desk = deskNames[*a.CalledDeskID]
	}
	return r
}

// handleDeskDay shows an office's day (office= and date= in the query, the
// first office and today by default; q= searches). A signed-in person
// without a front desk role goes to the citizens' pages.
func (m *Module) handleDeskDay(c *fiber.Ctx) error {
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	if !isStaff(a) {
		return c.Redirect("/appointments", fiber.StatusSeeOther)
	}
	offices, err := s.DeskOffices(ctx, a)
	if err != nil {
		return err
	}
	today := calendar.DateOf(s.now(), s.tz)
	p := &DeskDayPage{Offices: offices, Date: today, Query: c.Query("q"), Lang: web.LangOf(c)}
	if d, err := calendar.ParseDate(c.Query("date")); err == nil {
		p.Date = d
	}
	if len(offices) == 0 {
		return web.Render(c, "appointments/desk_day", web.Page{Title: "appointments.desk.title", Data: p})
	}
	officeID := offices[0].ID
	if id, ok := web.ID(c.Query("office")); ok {
		officeID = id
	}
	day, err := s.Day(ctx, a, officeID, p.Date)
	if err != nil {
		return err
	}
	p.Day, p.Today = day, p.Date.Equal(today)
	link := func(d calendar.Date) string {
		v := url.Values{"office": {web.FormatID(officeID)}, "date": {d.String()}}
		return "/desk?" + v.Encode()
	}
	p.PrevURL, p.NextURL, p.TodayURL = link(p.Date.AddDays(-1)), link(p.Date.AddDays(1)), link(today)
	p.Self = link(p.Date)
	if p.Query != "" {
		p.Self += "&" + url.Values{"q": {p.Query}}.Encode()
	}
	names := map[uint]string{}
	for _, line := range day.Desks {
		names[line.Desk.ID] = line.Desk.Name
		if line.Desk.Active && line.Closed == "" && len(line.Hours) > 0 {
			p.Open = append(p.Open, line.Desk)
		}
	}
	if len(p.Open) == 0 {
		for _, line := range day.Desks {
			if line.Desk.Active {
				p.Open = append(p.Open, line.Desk)
			}
		}
	}
	day.Filter(p.Query)
	for _, line := range day.Desks {
		rows := []DayRow{}
		for _, it := range line.Items {
			rows = append(rows, m.row(c, it, names))
		}
		p.Rows = append(p.Rows, rows)
	}
	for _, it := range day.Waiting {
		p.Waiting = append(p.Waiting, m.row(c, it, names))
	}
	if p.Query != "" {
		found, err := s.Search(ctx, a, officeID, p.Query, 20)
		if err != nil {
			return err
		}
		for _, it := range found {
			p.Found = append(p.Found, m.row(c, it, names))
		}
	}
	if p.Types, err = s.CaseTypes(ctx, false); err != nil {
		return err
	}
	p.DisplayURL = strings.TrimRight(s.BaseURL, "/") + s.DisplayPath(officeID)
	return web.Render(c, "appointments/desk_day", web.Page{Title: "appointments.desk.title", Data: p})
}

// HoursText is the desk's opening hours that day, "08:00–12:00, 13:00–18:00".
func (l DeskLine) HoursText() string { return FormatHoursText(l.Hours) }
