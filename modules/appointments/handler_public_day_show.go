package appointments

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// timeLink is one free time of a day: its label, and the form's address
// (booking) or the value the move form posts.
type timeLink struct {
	Label string // "09:30"
	URL   string
	Value string // "0930"
}

// dayView is one day's free times, morning and afternoon apart.
type dayView struct {
	pubBase
	Type       typeView
	Office     *Office
	Links      linkBase
	Date       calendar.Date
	Heading    string // "2026. 03. 05., csütörtök"
	Morning    []timeLink
	Afternoon  []timeLink
	None       string // why there are none: a translation key
	Month      string // back to the month
	Appt       *pubAppt
	FormToken  string // the move form's
	Error      string // a translation key: the move's problem
	TimeBefore string // the appointment's current time, when moving
}

// dayHeading is the date with its weekday, in the page's language.
func dayHeading(c *fiber.Ctx, d calendar.Date) string {
	return web.Date(c, d) + ", " + web.T(c, "weekday."+weekdayKeys[(int(d.Weekday())+6)%7])
}

// buildDay reads d's free times of t at office; exclude leaves one out (the
// time being moved from).
func (m *Module) buildDay(c *fiber.Ctx, t *CaseType, office *Office, links linkBase, d calendar.Date, exclude *time.Time) (*dayView, error) {
	ctx := c.UserContext()
	a := web.ActorOf(c)
	s := m.svc
	v := &dayView{pubBase: pubBase{office: office}, Type: viewType(t, web.LangOf(c)), Office: office, Links: links,
		Date: d, Heading: dayHeading(c, d), Month: links.MonthURL(d)}
	slots, err := s.Times(ctx, a, t, office.ID, d)
	if err != nil {
		return nil, err
	}
	for _, sl := range slots {
		if exclude != nil && sl.Start.Equal(*exclude) {
			continue
		}
		l := timeLink{Label: clockOf(sl.Start, s.tz), Value: hhmm(sl.Start, s.tz)}
		l.URL = links.DayURL(d) + "/at/" + l.Value
		if sl.Start.In(s.tz).Hour() < 12 {
			v.Morning = append(v.Morning, l)
		} else {
			v.Afternoon = append(v.Afternoon, l)
		}
	}
	if len(v.Morning)+len(v.Afternoon) == 0 {
		v.None = "appt.day.none"
		days, err := s.Month(ctx, a, t, office.ID, d)
		if err != nil {
			return nil, err
		}
		for _, day := range days {
			if day.Date.Equal(d) {
				switch day.Reason {
				case DayOutside:
					v.None = "appt.day.none_outside"
				case DayHoliday, DayClosed:
					v.None = "appt.day.none_closed"
				}
			}
		}
	}
	return v, nil
}

// handlePublicDayShow is a day's free times, each a link to the form.
func (m *Module) handlePublicDayShow(c *fiber.Ctx) error {
	t, err := m.publicType(c)
	if err != nil {
		return serviceProblem(c, err, problem{})
	}
	office, err := m.publicOffice(c, t)
	if err != nil {
		return serviceProblem(c, err, problem{Back: "/appointments/t/" + web.FormatID(t.ID), BackLabel: "appt.pub.back_type"})
	}
	d, err := dateParam(c)
	if err != nil {
		return err
	}
	v, err := m.buildDay(c, t, office, linkBase{Base: typeBase(t.ID, office.ID)}, d, nil)
	if err != nil {
		return err
	}
	return web.RenderPublic(c, "appointments/public_day", web.Page{Title: "appt.pub.day_title", Data: v})
}
