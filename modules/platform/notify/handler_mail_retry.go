package notify

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleMailRetry queues a failed or cancelled message again.
func (m *Module) handleMailRetry(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.afterChange(c, id, m.out.Retry(c.UserContext(), web.ActorOf(c), id), "notify.retried")
}
