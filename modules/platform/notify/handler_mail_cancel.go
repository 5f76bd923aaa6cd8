package notify

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleMailCancel stops a queued or failed message.
func (m *Module) handleMailCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.afterChange(c, id, m.out.Cancel(c.UserContext(), web.ActorOf(c), id), "notify.cancelled")
}
