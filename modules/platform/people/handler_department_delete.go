package people

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleDepartmentDelete removes an empty department.
func (m *Module) handleDepartmentDelete(c *fiber.Ctx) error {
	d, err := m.departmentParam(c)
	if err != nil {
		return err
	}
	err = m.svc.DeleteDepartment(c.UserContext(), web.ActorOf(c), d.ID)
	if errors.Is(err, ErrDepartmentInUse) {
		web.AddFlash(c, "error", web.T(c, "departments.error.in_use", "Name", d.Name))
		return c.Redirect("/admin/departments/"+c.Params("id"), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	web.Success(c, "departments.deleted", "Name", d.Name)
	return c.Redirect("/admin/departments", fiber.StatusSeeOther)
}
