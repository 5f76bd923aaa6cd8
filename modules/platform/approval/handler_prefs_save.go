package approval

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleInboxPrefs stores whether the person wants one email per request or a daily digest.
func (m *Module) handleInboxPrefs(c *fiber.Ctx) error {
	if err := m.engine.SetDigest(c.UserContext(), web.ViewerOf(c).ID, c.FormValue("digest") == "on"); err != nil {
		return err
	}
	web.Success(c, "approval.prefs_saved")
	return c.Redirect("/approvals", fiber.StatusSeeOther)
}
