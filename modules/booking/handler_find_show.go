package booking

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// findForm is the room finder as typed: a GET form, so results can be linked.
type findForm struct {
	Day, From, To, Seats, Features string
	Equipment                      map[string]string
}

// FoundRoom is one result (or suggestion) with its "book" link.
type FoundRoom struct {
	Room    Resource
	Day     calendar.Date
	From    string
	To      string
	BookURL string
}

// handleFindShow is "find me a room": the form, and once sent (?day=…) the
// rooms free then with the seats and the equipment, or the nearest free times.
func (m *Module) handleFindShow(c *fiber.Ctx) error {
	tz := m.svc.tz
	form := findForm{Day: c.Query("day"), From: c.Query("from", "09:00"), To: c.Query("to", "10:00"),
		Seats: c.Query("seats"), Features: c.Query("features"), Equipment: equipmentArgs(c.Request().URI().QueryArgs().VisitAll)}
	searched := form.Day != ""
	if !searched {
		form.Day = calendar.Today(tz).String()
	}
	var (
		found, suggested []FoundRoom
		short            []string
		errs             web.Errors
	)
	if searched {
		bf := bookingForm{Resource: "1", Day: form.Day, From: form.From, To: form.To, Attendees: form.Seats, Equipment: form.Equipment}
		in, ferrs := bf.input(tz)
		errs = ferrs
		if msg, ok := errs["attendees"]; ok {
			delete(errs, "attendees")
			errs["seats"] = msg
		}
		if len(errs) == 0 {
			res, err := m.svc.FindRooms(c.UserContext(), FindInput{Start: in.Start, End: in.End, Seats: in.Attendees,
				Features: form.Features, Equipment: in.Equipment})
			if fe, ok := formErrors(c, err); ok {
				errs = fe
			} else if err != nil {
				return err
			} else {
				d := in.End.Sub(in.Start)
				for _, r := range res.Rooms {
					found = append(found, m.foundRoom(r, form, in.Start, d))
				}
				for _, s := range res.Suggestions {
					suggested = append(suggested, m.foundRoom(s.Room, form, s.Start, d))
				}
				short = res.Short
			}
		}
	}
	equipment, err := m.svc.Resources(c.UserContext(), KindEquipment)
	if err != nil {
		return err
	}
	return web.RenderForm(c, "booking/find", web.Page{
		Title: "booking.timeline.find_title", Form: form, Errors: errs,
		Data: fiber.Map{"Searched": searched && len(errs) == 0, "Found": found, "Suggested": suggested, "Short": short,
			"Equipment": equipmentFields(bookingForm{Equipment: form.Equipment}, equipment, errs)},
	})
}

// foundRoom is a room free from start for d, with the booking form's link
// carrying the search's values.
func (m *Module) foundRoom(r Resource, form findForm, start time.Time, d time.Duration) FoundRoom {
	tz := m.svc.tz
	end := start.Add(d)
	day := calendar.DateOf(start, tz)
	f := FoundRoom{Room: r, Day: day, From: clock(start, tz), To: endClock(start, end, tz)}
	q := url.Values{"resource": {itoa(r.ID)}, "day": {day.String()}, "from": {f.From}, "to": {f.To}}
	if form.Seats != "" {
		q.Set("attendees", form.Seats)
	}
	for name, v := range form.Equipment {
		if v != "" && v != "0" {
			q.Set(name, v)
		}
	}
	f.BookURL = "/bookings/new?" + q.Encode()
	return f
}
