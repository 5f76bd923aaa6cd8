package training

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// adminRoles may open HR's catalogue pages; the service checks the same (isStaff).
var adminRoles = []string{actor.HR}

// adminRoutes are HR's catalogue and sessions: the years, a year's
// trainings, a training's form with its sessions, a session's form and its
// cancellation. The fixed paths come before /:year. The session's roster
// (/training/admin/sessions/:id/roster) is the records' (routes_records.go).
func (m *Module) adminRoutes(s *web.Server) {
	g := s.App.Group("/training/admin", web.Require(adminRoles...))
	g.Get("/", m.handleCatalogueList)
	g.Post("/years", m.handleCatalogueStart)
	g.Get("/trainings/:id", m.handleTrainingEdit)
	g.Post("/trainings/:id", m.handleTrainingUpdate)
	g.Post("/trainings/:id/active", m.handleTrainingActive)
	g.Get("/trainings/:id/sessions/new", m.handleSessionNew)
	g.Post("/trainings/:id/sessions/new", m.handleSessionCreate)
	g.Get("/sessions/:id", m.handleSessionEdit)
	g.Post("/sessions/:id", m.handleSessionUpdate)
	g.Get("/sessions/:id/cancel", m.handleSessionCancelConfirm)
	g.Post("/sessions/:id/cancel", m.handleSessionCancel)
	g.Get("/:year", m.handleCatalogueShow)
	g.Get("/:year/publish", m.handleCataloguePublishConfirm)
	g.Post("/:year/publish", m.handleCataloguePublish)
	g.Get("/:year/new", m.handleTrainingNew)
	g.Post("/:year/new", m.handleTrainingCreate)
	s.AddNav(web.NavItem{Key: "training.admin.nav", Path: "/training/admin", Icon: "training",
		Section: web.SectionAdmin, Order: 20, Roles: adminRoles})
}

// yearParam reads the :year in the path; anything but a plausible year is 404.
func yearParam(c *fiber.Ctx) (int, error) {
	y, err := strconv.Atoi(c.Params("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, fiber.ErrNotFound
	}
	return y, nil
}

// yearPath is a year's page.
func yearPath(year int) string { return "/training/admin/" + strconv.Itoa(year) }

// trainingPath is a training's page.
func trainingPath(id uint) string { return "/training/admin/trainings/" + web.FormatID(id) }

// sessionPath is a session's page.
func sessionPath(id uint) string { return "/training/admin/sessions/" + web.FormatID(id) }
