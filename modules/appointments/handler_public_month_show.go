package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// monthCell is one cell of the month table: a padding cell before the 1st
// or after the last, or a day with its free times or why it has none.
type monthCell struct {
	Pad   bool
	Date  calendar.Date
	Free  int
	Kind  string // "free", "off" (holiday, closed, full) or "out" (outside the window)
	Why   string // translated: "Zárva", the holiday's name, "Betelt"
	Count string // translated: "16 szabad időpont"
	URL   string // the day's times, for a day with free ones
	Today bool
}

// monthView is a month of free days for a case type at an office, when
// booking or moving an appointment (Links).
type monthView struct {
	pubBase
	Type       typeView
	Office     *Office
	Links      linkBase
	Heading    string // "2026. március" / "March 2026"
	Prev, Next string // the neighbouring months within the window, or ""
	Weeks      [][]monthCell
	Weekdays   [7][2]string // Monday first: short and full name
	AnyFree    bool
	Appt       *pubAppt // when moving
}

var weekdayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// monthHeading is "2026. március" in Hungarian, "March 2026" in English.
func monthHeading(c *fiber.Ctx, d calendar.Date) string {
	name := web.T(c, "month."+web.FormatID(uint(d.Month)))
	if web.LangOf(c) == "en" {
		return name + " " + web.FormatID(uint(d.Year))
	}
	return web.FormatID(uint(d.Year)) + ". " + name
}

// buildMonth reads the month of first for t at office and lays it out in weeks.
func (m *Module) buildMonth(c *fiber.Ctx, t *CaseType, office *Office, links linkBase, first calendar.Date) (*monthView, error) {
	ctx := c.UserContext()
	a := web.ActorOf(c)
	s := m.svc
	w, err := s.window(ctx, a, t)
	if err != nil {
		return nil, err
	}
	// A month before the first bookable one or after the last shows the nearest.
	firstMonth := calendar.NewDate(w.FirstDay.Year, w.FirstDay.Month, 1)
	lastMonth := calendar.NewDate(w.LastDay.Year, w.LastDay.Month, 1)
	if first.Before(firstMonth) {
		first = firstMonth
	}
	if first.After(lastMonth) {
		first = lastMonth
	}
	days, err := s.Month(ctx, a, t, office.ID, first)
	if err != nil {
		return nil, err
	}
	v := &monthView{pubBase: pubBase{office: office}, Type: viewType(t, web.LangOf(c)), Office: office, Links: links, Heading: monthHeading(c, first)}
	for i, k := range weekdayKeys {
		v.Weekdays[i] = [2]string{web.T(c, "weekday."+k+"_short"), web.T(c, "weekday."+k)}
	}
	if prev := first.AddDays(-1); !prev.Before(w.FirstDay) {
		v.Prev = links.MonthURL(calendar.NewDate(prev.Year, prev.Month, 1))
	}
	if next := first.AddDays(32); !calendar.NewDate(next.Year, next.Month, 1).After(w.LastDay) {
		v.Next = links.MonthURL(calendar.NewDate(next.Year, next.Month, 1))
	}
	today := calendar.DateOf(s.now(), s.tz)
	// A month repeats a handful of texts; each is translated once.
	texts := map[string]string{}
	tr := func(key string, n int) string {
		k := key + "#" + web.FormatID(uint(n))
		if s, ok := texts[k]; ok {
			return s
		}
		s := web.T(c, key)
		if n > 0 {
			s = web.T(c, key, "Count", n)
		}
		texts[k] = s
		return s
	}
	var week []monthCell
	lead := (int(first.Weekday()) + 6) % 7 // Monday first
	for i := 0; i < lead; i++ {
		week = append(week, monthCell{Pad: true})
	}
	for _, d := range days {
		cell := monthCell{Date: d.Date, Free: d.Free, Today: d.Date.Equal(today)}
		switch d.Reason {
		case DayFree:
			cell.Kind, cell.URL, cell.Count = "free", links.DayURL(d.Date), tr("appt.month.free", d.Free)
			v.AnyFree = true
		case DayHoliday:
			cell.Kind, cell.Why = "off", tr(d.Holiday, 0)
		case DayClosed:
			cell.Kind, cell.Why = "off", tr("appt.day.closed", 0)
		case DayFull:
			cell.Kind, cell.Why = "off", tr("appt.day.full", 0)
		default:
			cell.Kind, cell.Why = "out", tr("appt.day.outside", 0)
		}
		week = append(week, cell)
		if len(week) == 7 {
			v.Weeks = append(v.Weeks, week)
			week = nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, monthCell{Pad: true})
		}
		v.Weeks = append(v.Weeks, week)
	}
	return v, nil
}

// handlePublicMonthShow is the month view of a case type at an office: each
// day with free times a link to them, the others saying why they have none.
func (m *Module) handlePublicMonthShow(c *fiber.Ctx) error {
	t, err := m.publicType(c)
	if err != nil {
		return serviceProblem(c, err, problem{})
	}
	office, err := m.publicOffice(c, t)
	if err != nil {
		return serviceProblem(c, err, problem{Back: "/appointments/t/" + web.FormatID(t.ID), BackLabel: "appt.pub.back_type"})
	}
	first := monthParam(c, calendar.DateOf(m.svc.now(), m.svc.tz))
	v, err := m.buildMonth(c, t, office, linkBase{Base: typeBase(t.ID, office.ID)}, first)
	if err != nil {
		return err
	}
	return web.RenderPublic(c, "appointments/public_month", web.Page{Title: "appt.pub.month_title", Data: v})
}
