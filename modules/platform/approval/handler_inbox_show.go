package approval

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleInbox lists what waits for the person's decision and their own requests.
func (m *Module) handleInbox(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	items, err := m.engine.InboxIn(c.UserContext(), v.ID, web.LangOf(c))
	if err != nil {
		return err
	}
	mine, err := m.engine.MineIn(c.UserContext(), v.ID, 20, web.LangOf(c))
	if err != nil {
		return err
	}
	return web.Render(c, "approval/inbox", web.Page{
		Title: "approval.inbox_title",
		Form:  fiber.Map{"Digest": m.engine.Digest(c.UserContext(), v.ID)},
		Data:  fiber.Map{"Items": items, "Mine": mine},
	})
}
