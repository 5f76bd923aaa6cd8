package booking

import (
	"errors"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// bookingForm is the room booking form as typed, so it comes back unchanged.
type bookingForm struct {
	Resource, Day, From, To, Title, Attendees string
	// Repeat (daily, weekly, monthly or empty), Until and Count describe a series.
	Repeat, Until, Count string
	// Equipment is each "eq_<id>" field as typed, by field name.
	Equipment map[string]string
	Private   bool
}

// eqPrefix starts the name of each equipment count field.
const eqPrefix = "eq_"

func parseBookingForm(c *fiber.Ctx) bookingForm {
	return bookingForm{
		Resource: c.FormValue("resource"), Day: c.FormValue("day"), From: c.FormValue("from"), To: c.FormValue("to"),
		Title: c.FormValue("title"), Attendees: c.FormValue("attendees"), Private: c.FormValue("private") != "",
		Repeat: c.FormValue("repeat"), Until: c.FormValue("until"), Count: c.FormValue("count"),
		Equipment: equipmentArgs(c.Request().PostArgs().VisitAll),
	}
}

// equipmentArgs picks the eq_<id>=count pairs out of a form's or a query's
// arguments, given their VisitAll.
func equipmentArgs(visitAll func(func(k, v []byte))) map[string]string {
	out := map[string]string{}
	visitAll(func(k, v []byte) {
		if name := string(k); strings.HasPrefix(name, eqPrefix) {
			out[name] = string(v)
		}
	})
	return out
}

// input converts the typed form into a booking; each unreadable field gets its message.
func (f bookingForm) input(tz *time.Location) (BookingInput, web.Errors) {
	errs := web.Errors{}
	in := BookingInput{Title: strings.TrimSpace(f.Title), Private: f.Private}
	in.ResourceID = web.ParseID(f.Resource, "resource", errs)
	day := calendar.ParseDateField(f.Day, "day", errs)
	web.ParseTime(f.From, "from", errs)
	web.ParseEndTime(f.To, "to", errs)
	in.Attendees = web.ParseInt(f.Attendees, "attendees", 0, math.MaxInt, errs)
	names := make([]string, 0, len(f.Equipment))
	for name := range f.Equipment {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := strings.TrimSpace(f.Equipment[name])
		if v == "" {
			continue
		}
		id := web.ParseID(strings.TrimPrefix(name, eqPrefix), name, errs)
		n := web.ParseInt(v, name, 0, math.MaxInt, errs)
		if id > 0 && n > 0 && !errs.Has(name) {
			in.Equipment = append(in.Equipment, EquipmentLine{ResourceID: id, Quantity: n})
		}
	}
	if errs.Any() {
		return in, errs
	}
	var err error
	if in.Start, in.End, err = LocalTimes(day, f.From, f.To, tz); err != nil {
		errs.Add("from", "booking.error.no_such_time")
	}
	return in, errs
}

// fieldOf names the form field a service error belongs to, with its message.
var fieldOf = map[error]web.FieldMessage{
	ErrEndBeforeStart:  {"to", "booking.error.end_before_start"},
	ErrZeroLength:      {"to", "booking.error.zero_length"},
	ErrInPast:          {"from", "booking.error.in_past"},
	ErrOutsideHours:    {"from", "booking.error.outside_hours"},
	ErrTooManySeats:    {"attendees", "booking.error.too_many_seats"},
	ErrUnknownResource: {"resource", "validation.choice"},
	ErrWrongKind:       {"resource", "booking.error.not_a_room"},
	ErrBadQuantity:     {"", "booking.error.quantity"},
	ErrPoolFull:        {"", "booking.error.pool_full"},
	ErrNoSuchTime:      {"from", "booking.error.no_such_time"},
	ErrNoApproval:      {"resource", "booking.admin.error.no_room_approver"}, // a room that needs approval, and nobody to approve
}

// formErrors turns a service error into form messages, or reports that it is not one.
// ErrTaken is not here: the forms answer it with the free times and rooms.
func formErrors(c *fiber.Ctx, err error) (web.Errors, bool) {
	if errors.Is(err, ErrDayPast) { // before the table, which has ErrInPast it wraps
		errs := web.Errors{}
		errs.Add("day", "booking.error.day_past")
		return errs, true
	}
	var off *DayOffError
	if errors.As(err, &off) {
		errs := web.Errors{}
		errs.Add("day", "booking.timeline.error_day_off", "Reason", web.T(c, off.Reason))
		return errs, true
	}
	var item *ItemError
	if errors.As(err, &item) {
		errs := web.Errors{}
		key := "booking.error.item_taken"
		if errors.Is(err, ErrPoolFull) {
			key = "booking.error.pool_full_item"
		} else if errors.Is(err, ErrBadQuantity) {
			key = "booking.error.item_single"
		}
		errs.Add("", key, "Name", item.Name)
		return errs, true
	}
	return web.FieldErrors(err, fieldOf)
}

// clock writes an instant as HH:MM in tz.
func clock(t time.Time, tz *time.Location) string { return t.In(tz).Format("15:04") }

// endClock is clock for the end of a booking that starts at start: "24:00"
// when it ends on a later day, as the room forms write midnight.
func endClock(start, end time.Time, tz *time.Location) string {
	if dateIn(end, tz) != dateIn(start, tz) {
		return "24:00"
	}
	return clock(end, tz)
}

// dateIn is the local day of an instant.
func dateIn(t time.Time, tz *time.Location) calendar.Date { return calendar.DateOf(t, tz) }

// chosenRoom is the room the booking form has selected, if any, so the form
// can show its photo and say before submitting that it needs approval.
func chosenRoom(rooms []Resource, id string) *Resource {
	for i := range rooms {
		if itoa(rooms[i].ID) == id {
			return &rooms[i]
		}
	}
	return nil
}
