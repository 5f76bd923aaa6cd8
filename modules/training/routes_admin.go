package training

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// adminRoles may open HR's catalogue pages; the service checks the same (isStaff).
var adminRoles = []string{actor.HR}

// adminRoutes are HR's catalogue and sessions: the years, the study-points
// rules, a year's trainings, a training's form with its sessions, a session's form and its
// cancellation. Each route carries the role check itself, not the group,
// so the other pages under /training/admin (the session's roster, the
// import, in routes_records.go) keep their own rules; :year matches only
// digits, so it takes no fixed path of theirs.
func (m *Module) adminRoutes(s *web.Server) {
	hr := web.Require(adminRoles...)
	g := s.App.Group("/training/admin")
	g.Get("/", hr, m.handleCatalogueList)
	g.Post("/years", hr, m.handleCatalogueStart)
	g.Get("/points", hr, m.handlePointsShow)
	g.Post("/points", hr, m.handlePointsSave)
	g.Get("/trainings/:id", hr, m.handleTrainingEdit)
	g.Post("/trainings/:id", hr, m.handleTrainingUpdate)
	g.Post("/trainings/:id/active", hr, m.handleTrainingActive)
	g.Get("/trainings/:id/sessions/new", hr, m.handleSessionNew)
	g.Post("/trainings/:id/sessions/new", hr, m.handleSessionCreate)
	g.Get("/sessions/:id", hr, m.handleSessionEdit)
	g.Post("/sessions/:id", hr, m.handleSessionUpdate)
	g.Get("/sessions/:id/cancel", hr, m.handleSessionCancelConfirm)
	g.Post("/sessions/:id/cancel", hr, m.handleSessionCancel)
	g.Get("/:year<int>", hr, m.handleCatalogueShow)
	g.Get("/:year<int>/publish", hr, m.handleCataloguePublishConfirm)
	g.Post("/:year<int>/publish", hr, m.handleCataloguePublish)
	g.Get("/:year<int>/new", hr, m.handleTrainingNew)
	g.Post("/:year<int>/new", hr, m.handleTrainingCreate)
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

// adminYearPath is a year's page.
func adminYearPath(year int) string { return "/training/admin/" + strconv.Itoa(year) }

// adminTrainingPath is a training's page.
func adminTrainingPath(id uint) string { return "/training/admin/trainings/" + web.FormatID(id) }

// adminSessionPath is a session's page.
func adminSessionPath(id uint) string { return "/training/admin/sessions/" + web.FormatID(id) }
