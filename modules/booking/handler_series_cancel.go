package booking

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSeriesCancelFollowing cancels an occurrence and the rest of its series.
func (m *Module) handleSeriesCancelFollowing(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	days, err := m.svc.CancelFollowing(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable) || errors.Is(err, ErrNotSeries):
		web.AddFlash(c, "error", web.T(c, "booking.error.not_cancellable"))
	case err != nil:
		return err
	default:
		web.Success(c, "booking.series.cancelled_following", "Count", len(days))
	}
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}
