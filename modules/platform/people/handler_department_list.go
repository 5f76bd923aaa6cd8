package people

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleDepartmentList shows the organisation as a tree.
func (m *Module) handleDepartmentList(c *fiber.Ctx) error {
	tree, err := m.svc.DepartmentTree(c.UserContext())
	if err != nil {
		return err
	}
	return web.Render(c, "people/department_list", web.Page{Title: "departments.title", Data: fiber.Map{"Tree": tree}})
}
