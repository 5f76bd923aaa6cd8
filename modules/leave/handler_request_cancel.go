package leave

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRequestCancel cancels a pending request, or asks to cancel approved leave.
func (m *Module) handleRequestCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	r, err := m.svc.Cancel(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable):
		web.AddFlash(c, "error", web.T(c, "leave.error.not_cancellable"))
		return c.Redirect("/leave/requests/"+c.Params("id"), fiber.StatusSeeOther)
	case err != nil:
		return err
	case r.Status == StatusCancelRequested:
		web.Success(c, "leave.cancel_asked")
	default:
		web.Success(c, "leave.cancelled")
	}
	return c.Redirect("/leave/requests/"+c.Params("id"), fiber.StatusSeeOther)
}
