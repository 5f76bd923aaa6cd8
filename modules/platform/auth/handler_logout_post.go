package auth

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleLogout ends the session.
func (m *Module) handleLogout(c *fiber.Ctx) error {
	if err := web.SignOut(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
