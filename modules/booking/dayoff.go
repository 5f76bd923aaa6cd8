package booking

import (
	"context"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
)

// ErrDayOff refuses a booking of a resource with limited hours (a room) on a
// weekend or public holiday; round-the-clock resources (cars) stay bookable.
var ErrDayOff = errs.New(errs.Invalid, "booking: the resource is closed that day")

// DayOffError is ErrDayOff with the reason's translation key (a holiday's
// name or "weekend"), so the form can say which day off it is.
type DayOffError struct {
	Reason string
}

func (e *DayOffError) Error() string { return ErrDayOff.Error() + ": " + e.Reason }
func (e *DayOffError) Unwrap() error { return ErrDayOff }

// daysOff answers day-off questions for the days from..to.
func (s *Service) daysOff(ctx context.Context, from, to calendar.Date) (*calendar.Days, error) {
	if s.cal == nil {
		return calendar.NewDays(from, to, nil), nil
	}
	return s.cal.Span(ctx, from, to)
}

// closedReason is why r cannot be booked at all on day, or "": resources with
// limited hours keep the office's days off.
func closedReason(r *Resource, days *calendar.Days, day calendar.Date) string {
	if r.allDay() {
		return ""
	}
	return days.Reason(day)
}

// checkDayOff refuses a booking of lines that starts on a day off of one of
// them; the day's calendar is read once, and not at all for round-the-clock
// resources.
func (s *Service) checkDayOff(ctx context.Context, lines []line, start time.Time) error {
	var days *calendar.Days
	day := calendar.DateOf(start, s.tz)
	for _, l := range lines {
		if l.res.allDay() {
			continue
		}
		if days == nil {
			var err error
			if days, err = s.daysOff(ctx, day, day); err != nil {
				return err
			}
		}
		if reason := closedReason(l.res, days, day); reason != "" {
			return &DayOffError{Reason: reason}
		}
	}
	return nil
}

// SeesDetails reports whether a sees a booking's title and booker: always,
// unless the booking is private; then only the booker, admins and the
// resource's unit do.
func SeesDetails(a actor.Actor, b *Booking, r *Resource) bool {
	return !b.Private || mayManage(a, b, r)
}
