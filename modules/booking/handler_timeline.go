package booking

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// weekdayKeys are the weekday message stems, Monday first.
var weekdayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// TimelineView is the week of rooms as the template shows it.
type TimelineView struct {
	Days      []TimelineDay
	Rows      []TimelineRowView
	Monday    calendar.Date
	Sunday    calendar.Date
	PrevParam string
	NextParam string
	ThisWeek  bool
}

// TimelineDay is one column head.
type TimelineDay struct {
	Date    calendar.Date
	Weekday string // weekday message stem
	Today   bool
}

// TimelineRowView is one room and its bookings per day.
type TimelineRowView struct {
	Resource Resource
	Cells    []TimelineCell
}

// TimelineCell is one room's day: its bookings and the link to book it.
type TimelineCell struct {
	Day    calendar.Date
	Items  []TimelineItem
	NewURL string
}

// TimelineItem is one booking as a time range on one day.
type TimelineItem struct {
	From, To  string
	Title     string
	Mine      bool
	Equipment []string // "2 × Projector", booked with the room
}

// handleTimelineShow shows a week of rooms, Monday to Sunday, from ?week=YYYY-MM-DD.
func (m *Module) handleTimelineShow(c *fiber.Ctx) error {
	today := calendar.Today(m.svc.tz)
	day := today
	if w := c.Query("week"); w != "" {
		d, err := calendar.ParseDate(w)
		if err != nil {
			return fiber.ErrNotFound
		}
		day = d
	}
	monday := mondayOf(day)
	tl, err := m.svc.Week(c.UserContext(), KindRoom, monday.Start(m.svc.tz))
	if err != nil {
		return err
	}
	var ids []uint
	for _, row := range tl.Rows {
		for _, b := range row.Bookings {
			ids = append(ids, b.ID)
		}
	}
	eq, err := m.svc.EquipmentOf(c.UserContext(), ids)
	if err != nil {
		return err
	}
	return web.Render(c, "booking/timeline", web.Page{
		Title: "booking.timeline_title",
		Data:  m.timelineView(tl, monday, today, web.ViewerOf(c).ID, eq),
	})
}

func mondayOf(d calendar.Date) calendar.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

func (m *Module) timelineView(tl *Timeline, monday, today calendar.Date, viewer uint, eq map[uint][]string) TimelineView {
	v := TimelineView{
		Monday: monday, Sunday: monday.AddDays(6),
		PrevParam: monday.AddDays(-7).String(), NextParam: monday.AddDays(7).String(),
		ThisWeek: mondayOf(today) == monday,
	}
	for i := 0; i < 7; i++ {
		d := monday.AddDays(i)
		v.Days = append(v.Days, TimelineDay{Date: d, Weekday: weekdayKeys[i], Today: d == today})
	}
	for _, row := range tl.Rows {
		r := TimelineRowView{Resource: row.Resource}
		for _, day := range v.Days {
			from, to := day.Date.Start(m.svc.tz), day.Date.AddDays(1).Start(m.svc.tz)
			cell := TimelineCell{Day: day.Date}
			if !day.Date.Before(today) {
				cell.NewURL = "/bookings/new?resource=" + itoa(row.Resource.ID) + "&day=" + day.Date.String()
			}
			for _, b := range row.Bookings {
				if !b.StartAt.Before(to) || !b.EndAt.After(from) {
					continue
				}
				cell.Items = append(cell.Items, TimelineItem{
					From: clock(later(b.StartAt, from), m.svc.tz), To: dayEnd(b.EndAt, to, m.svc.tz),
					Title: b.Title, Mine: b.PersonID == viewer, Equipment: eq[b.ID],
				})
			}
			r.Cells = append(r.Cells, cell)
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// dayEnd writes a booking's end on a day ending at dayTo: "24:00" when it runs past the day.
func dayEnd(end, dayTo time.Time, tz *time.Location) string {
	if !end.Before(dayTo) {
		return "24:00"
	}
	return clock(end, tz)
}
