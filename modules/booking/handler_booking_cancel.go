package booking

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleBookingCancel cancels one of my bookings (or one my unit manages).
func (m *Module) handleBookingCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	_, err = m.svc.Cancel(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable):
		web.AddFlash(c, "error", web.T(c, "booking.error.not_cancellable"))
	case err != nil:
		return err
	default:
		web.Success(c, "booking.cancelled")
	}
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}
