package auth

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// recordSessionOwner runs around the sign-in handler: once it has signed a
// person in, the session's row names them, so every session of theirs can be
// ended when their password changes or they are deactivated
// (web.Storage.EndSessionsOf, wired into people.Service.UseSessions).
func (m *Module) recordSessionOwner(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	return web.ServerOf(c).Storage.RecordOwner(c)
}
