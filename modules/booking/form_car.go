package booking

import (
	"errors"
	"math"
	"strings"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"

	"github.com/gofiber/fiber/v2"
)

// carForm is the car request form as typed, so it comes back unchanged. The
// end day is optional: left empty, the trip ends on the start day.
type carForm struct {
	Car, StartDay, StartTime, EndDay, EndTime, Destination, Purpose, Passengers string
}

// input converts the typed form into a car request; each unreadable field
// gets its message. The times are read whenever their own four fields are,
// whatever else is wrong, so the service's checks of them (CheckCarRequest)
// are shown together with the other fields' messages; otherwise they stay zero.
func (f carForm) input(tz *time.Location) (BookingInput, web.Errors) {
	errs := web.Errors{}
	var in BookingInput
	in.ResourceID = web.ParseID(f.Car, "car", errs)
	startDay := calendar.ParseDateField(f.StartDay, "start_day", errs)
	endDay := startDay
	if strings.TrimSpace(f.EndDay) != "" {
		endDay = calendar.ParseDateField(f.EndDay, "end_day", errs)
	}
	web.ParseTime(f.StartTime, "start_time", errs)
	web.ParseTime(f.EndTime, "end_time", errs)
	in.Destination = web.Required(f.Destination, "destination", errs)
	in.Purpose = web.Required(f.Purpose, "purpose", errs)
	in.Passengers = web.ParseInt(f.Passengers, "passengers", 0, math.MaxInt, errs)
	if errs.Has("start_day") || errs.Has("end_day") || errs.Has("start_time") || errs.Has("end_time") {
		return in, errs
	}
	start, err1 := wallTime(startDay, f.StartTime, tz)
	if err1 != nil {
		errs.Add("start_time", "booking.error.no_such_time")
	}
	end, err2 := wallTime(endDay, f.EndTime, tz)
	if err2 != nil {
		errs.Add("end_time", "booking.error.no_such_time")
	}
	if err1 == nil && err2 == nil {
		in.Start, in.End = start, end
	}
	return in, errs
}

// carProblems adds to errs the message of every rule the request breaks
// (CheckCarRequest), each on its field unless the field has one already.
func carProblems(c *fiber.Ctx, problems []error, errs web.Errors) {
	for _, p := range problems {
		found, _ := carFormErrors(c, p)
		for field, msg := range found {
			if !errs.Has(field) {
				errs[field] = msg
			}
		}
	}
}

// carFieldOf renames the room form's fields for the car form.
var carFieldOf = map[string]string{"resource": "car", "attendees": "passengers", "day": "start_day", "from": "start_time", "to": "end_time"}

// carFormErrors is formErrors with the car form's field names and words.
func carFormErrors(c *fiber.Ctx, err error) (web.Errors, bool) {
	switch {
	case errors.Is(err, ErrTooManySeats):
		errs := web.Errors{}
		errs.Add("passengers", "booking.error.car_seats")
		return errs, true
	case errors.Is(err, ErrWrongKind):
		errs := web.Errors{}
		errs.Add("car", "booking.error.not_a_car")
		return errs, true
	case errors.Is(err, ErrNoApproval):
		errs := web.Errors{}
		errs.Add("", "booking.error.no_approver")
		return errs, true
	}
	errs, ok := formErrors(c, err)
	if !ok {
		return nil, false
	}
	out := web.Errors{}
	for f, msg := range errs {
		if to, ok := carFieldOf[f]; ok {
			f = to
		}
		out[f] = msg
	}
	return out, true
}
