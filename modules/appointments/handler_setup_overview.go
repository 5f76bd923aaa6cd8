package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSetupOverview lists the offices (with their desks counted) and the
// case types, active or not: the start of every setup change.
func (m *Module) handleSetupOverview(c *fiber.Ctx) error {
	a := web.ActorOf(c)
	offices, err := m.svc.SetupOffices(c.UserContext(), a)
	if err != nil {
		return err
	}
	types, err := m.svc.SetupCaseTypes(c.UserContext(), a)
	if err != nil {
		return err
	}
	return web.Render(c, "appointments/setup_overview", web.Page{
		Title: "appointments.setup.title",
		Data:  fiber.Map{"Offices": offices, "Types": types},
	})
}
