package appointments

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePublicPrivacyShow is the data-processing notice the booking form asks
// the citizen to accept: what is kept, why, for how long, whom to ask.
func (m *Module) handlePublicPrivacyShow(c *fiber.Ctx) error {
	return web.RenderPublic(c, "appointments/public_privacy", web.Page{Title: "appt.privacy.title",
		Data: &struct {
			pubBase
			Days int
			City string
		}{Days: int(m.svc.retention / (24 * time.Hour)), City: web.ServerOf(c).Cfg.City}})
}
