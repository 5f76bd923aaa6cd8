package warehouse

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleHomeShow is the store's start page: the storekeeper's way into the
// stock pages; for everyone else, until requests are built, who to ask.
func (m *Module) handleHomeShow(c *fiber.Ctx) error {
	a := web.ActorOf(c)
	data := fiber.Map{"Staff": isStaff(a)}
	if isStaff(a) {
		low, err := m.svc.LowStock(c.UserContext(), a, nil)
		if err != nil {
			return err
		}
		data["Low"] = len(low)
	}
	return web.Render(c, "warehouse/home", web.Page{Title: "warehouse.page.title", Data: data})
}
