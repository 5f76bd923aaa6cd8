package booking

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleBookingCheckIn checks in to a booked room from my bookings; a refusal
// comes back as a message saying when check-in is open.
func (m *Module) handleBookingCheckIn(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	b, err := m.svc.CheckIn(c.UserContext(), web.ActorOf(c), id)
	var win *CheckInError
	switch {
	case err == nil:
		web.Success(c, "booking.stats.checked_in", "Time", clock(*b.CheckedInAt, m.svc.tz))
	case errors.As(err, &win):
		key := "booking.stats.error.checkin_early"
		if errors.Is(err, ErrCheckInTooLate) {
			key = "booking.stats.error.checkin_late"
		}
		web.AddFlash(c, "error", web.T(c, key, "From", clock(win.Opens, m.svc.tz), "To", clock(win.Closes, m.svc.tz)))
	case errors.Is(err, ErrCheckedIn):
		web.AddFlash(c, "error", web.T(c, "booking.stats.error.checked_in"))
	case errors.Is(err, ErrNoCheckIn):
		web.AddFlash(c, "error", web.T(c, "booking.stats.error.no_checkin"))
	case errors.Is(err, ErrNotCancellable):
		web.AddFlash(c, "error", web.T(c, "booking.stats.error.checkin_inactive"))
	default:
		return err
	}
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}
