package booking

import (
	"errors"
	"strconv"
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

// input converts the typed form into a car request; each unreadable field gets its message.
func (f carForm) input(tz *time.Location) (BookingInput, web.Errors) {
	errs := web.Errors{}
	in := BookingInput{Destination: strings.TrimSpace(f.Destination), Purpose: strings.TrimSpace(f.Purpose)}
	if n, err := strconv.ParseUint(f.Car, 10, 32); err == nil && n > 0 {
		in.ResourceID = uint(n)
	} else {
		errs.Add("car", "validation.choice")
	}
	startDay, err := calendar.ParseDate(f.StartDay)
	if err != nil {
		errs.Add("start_day", "validation.date")
	}
	endDay := startDay
	if strings.TrimSpace(f.EndDay) != "" {
		if endDay, err = calendar.ParseDate(f.EndDay); err != nil {
			errs.Add("end_day", "validation.date")
		}
	}
	if !isHHMM(f.StartTime, false) {
		errs.Add("start_time", "booking.error.time")
	}
	if !isHHMM(f.EndTime, false) {
		errs.Add("end_time", "booking.error.time")
	}
	if in.Destination == "" {
		errs.Add("destination", "booking.error.required")
	}
	if in.Purpose == "" {
		errs.Add("purpose", "booking.error.required")
	}
	if p := strings.TrimSpace(f.Passengers); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			errs.Add("passengers", "booking.error.attendees")
		}
		in.Passengers = n
	}
	if len(errs) > 0 {
		return in, errs
	}
	if in.Start, err = wallTime(startDay, f.StartTime, tz); err != nil {
		errs.Add("start_time", "booking.error.no_such_time")
	}
	if in.End, err = wallTime(endDay, f.EndTime, tz); err != nil {
		errs.Add("end_time", "booking.error.no_such_time")
	}
	return in, errs
}

// carFieldOf renames the room form's fields for the car form.
var carFieldOf = map[string]string{"resource": "car", "attendees": "passengers", "from": "start_time", "to": "end_time"}

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
