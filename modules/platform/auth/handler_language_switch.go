package auth

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleLanguageSwitch remembers a visitor's language choice in a cookie and goes back.
func (m *Module) handleLanguageSwitch(c *fiber.Ctx) error {
	code := c.Params("code")
	if code != "hu" && code != "en" {
		return fiber.ErrNotFound
	}
	c.Cookie(&fiber.Cookie{
		Name: "kapu_lang", Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, SameSite: "Lax", Secure: web.ServerOf(c).Cfg.SecureCookies(),
	})
	return c.Redirect(web.SafeNext(c.Query("next"), "/"), fiber.StatusSeeOther)
}
