package leave

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleTypeList lists every leave type, inactive ones last.
func (m *Module) handleTypeList(c *fiber.Ctx) error {
	types, err := m.svc.Types(c.UserContext(), false)
	if err != nil {
		return err
	}
	return web.Render(c, "leave/type_list", web.Page{Title: "leave.hr.types.title", Form: fiber.Map{}, Data: fiber.Map{"Types": types}})
}
