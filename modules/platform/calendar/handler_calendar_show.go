package calendar

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// Cell is one square of a month grid on the calendar page.
type Cell struct {
	Date    Date
	InMonth bool
	Workday bool
	Reason  string // translation key of why the day is off
	Moved   bool   // a weekend day made a workday
	Extra   bool   // an extra day off set by the admin
	Today   bool
}

// MonthGrid is one month laid out in Monday-first weeks.
type MonthGrid struct {
	Month time.Month
	Weeks [][]Cell
}

// overrideForm is the add-a-day form as typed.
type overrideForm struct {
	Date, Kind, Note string
}

// handleCalendarShow shows a year: twelve month grids, the public holidays and the admin's overrides.
func (m *Module) handleCalendarShow(c *fiber.Ctx) error {
	return m.renderCalendar(c, yearParam(c, c.Query("year")), overrideForm{Kind: KindWorkday}, nil)
}

func (m *Module) renderCalendar(c *fiber.Ctx, year int, form overrideForm, errs web.Errors) error {
	ctx := c.UserContext()
	first, last := NewDate(year, time.January, 1), NewDate(year, time.December, 31)
	days, err := m.cal.load(ctx, first.AddDays(-7), last.AddDays(7))
	if err != nil {
		return err
	}
	overrides, err := m.cal.Overrides(ctx, year)
	if err != nil {
		return err
	}
	today := Today(web.ServerOf(c).Cfg.TZ)
	months := make([]MonthGrid, 12)
	for i := range months {
		mon := time.Month(i + 1)
		start := NewDate(year, mon, 1)
		// Back up to the Monday of the first week.
		start = start.AddDays(-((int(start.Weekday()) + 6) % 7))
		g := MonthGrid{Month: mon}
		for d := start; d.Month == mon || d.Before(NewDate(year, mon, 1)); {
			week := make([]Cell, 7)
			for j := range week {
				o, has := days.Override(d)
				week[j] = Cell{
					Date: d, InMonth: d.Month == mon, Workday: days.IsWorkday(d), Reason: days.Reason(d),
					Moved: has && o.Kind == KindWorkday, Extra: has && o.Kind == KindHoliday, Today: d.Equal(today),
				}
				d = d.AddDays(1)
			}
			g.Weeks = append(g.Weeks, week)
		}
		months[i] = g
	}
	return web.RenderForm(c, "calendar/calendar", web.Page{
		Title: "calendar.title", Form: form, Errors: errs,
		Data: fiber.Map{
			"Year": year, "PrevYear": year - 1, "NextYear": year + 1,
			"Months": months, "Holidays": PublicHolidays(year), "Overrides": overrides,
			"Workdays": days.WorkdaysBetween(first, last),
			"Weekdays": []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
		},
	})
}

// yearParam reads a year, defaulting to this year; years far away make no sense here.
func yearParam(c *fiber.Ctx, s string) int {
	y, err := strconv.Atoi(s)
	if err != nil || y < 1990 || y > 2200 {
		return time.Now().In(web.ServerOf(c).Cfg.TZ).Year()
	}
	return y
}
