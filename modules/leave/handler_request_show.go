package leave

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRequestShow shows one request to its person, their manager or HR.
func (m *Module) handleRequestShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	r, row, entries, err := m.svc.RequestPage(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	return web.Render(c, "leave/request_show", web.Page{
		Title: "leave.request_title", Form: fiber.Map{},
		Data: fiber.Map{"R": row, "Dates": m.svc.dateRange(web.LangOf(c), r), "Days": r.Days(), "History": entries},
	})
}
