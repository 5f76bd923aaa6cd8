package appointments

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// deskRoutes registers the front desk's pages under /desk, its card on the
// start page and the waiting room's screen, which needs no session: the
// signed link is its permission. Who may act is the service's call; the
// day page only sends a signed-in person without a front desk role to the
// citizens' pages instead of an error.
func (m *Module) deskRoutes(s *web.Server) {
	s.AddCard(m.deskCard)
	s.App.Get("/appointments/display/:office/:sig", m.handleDisplayShow)
	in := web.RequireLogin
	s.App.Get("/desk", in, m.handleDeskDay)
	s.App.Post("/desk/walk-in", in, m.handleDeskWalkIn)
	s.App.Get("/desk/book", in, m.handleDeskBookNew)
	s.App.Post("/desk/book", in, m.handleDeskBookCreate)
	s.App.Get("/desk/close", in, m.handleDeskCloseConfirm)
	s.App.Post("/desk/close", in, m.handleDeskClose)
	s.App.Get("/desk/a/:id", in, m.handleDeskShow)
	s.App.Post("/desk/a/:id/move", in, m.handleDeskMove)
	s.App.Get("/desk/a/:id/cancel", in, m.handleDeskCancelConfirm)
	s.App.Post("/desk/a/:id/cancel", in, m.handleDeskCancel)
	s.App.Post("/desk/a/:id/:step", in, m.handleDeskStep)
}

// deskBack is where a desk action returns: the page it came from (next=),
// else the day.
func deskBack(c *fiber.Ctx) string { return web.NextOr(c, "/desk") }

// urlQuery escapes s for a query value.
func urlQuery(s string) string { return url.QueryEscape(s) }
