package warehouse

import (
	"time"

	"kapu/modules/platform/web"
)

// flowRoutes are a request line's way after its approval: the
// storekeeper's list to procure (order placed, a free text received) and
// handover list (ready, handed over); the requester's "received" button on
// the request page; and the ready mail's one-click confirmation, which
// works without signing in: like the helpdesk's rating link, its form is
// signed for its own link instead of carrying the session's CSRF token,
// and the logs hide the token. A GET only shows; the POST confirms.
func (m *Module) flowRoutes(s *web.Server) {
	g := s.App.Group("/warehouse/stock", web.Require(stockRoles...))
	g.Get("/procure", m.handleProcureList)
	g.Post("/procure/:id/order", m.handleProcureOrder)
	g.Post("/procure/:id/received", m.handleProcureReceived)
	g.Get("/handover", m.handleHandoverList)
	g.Post("/handover/:id/ready", m.handleHandoverReady)
	g.Post("/handover/:id/hand", m.handleHandoverHand)
	s.App.Post("/warehouse/requests/:id/confirm", web.RequireLogin, m.handleConfirmButton)
	s.ExemptCSRF(confirmPath)
	s.SecretPath(confirmPath)
	s.App.Get(confirmPath+":token", m.handleConfirmShow)
	s.App.Post(confirmPath+":token", s.Limit(web.Limit{Name: "warehouse.confirm", Max: 20, Window: time.Minute, Key: web.ByIP}), m.handleConfirmSave)
	s.AddNav(web.NavItem{Key: "warehouse.procure.nav", Path: "/warehouse/stock/procure", Icon: "warehouse", Section: web.SectionAdmin, Order: 47, Roles: stockRoles},
		web.NavItem{Key: "warehouse.handover.nav", Path: "/warehouse/stock/handover", Icon: "check", Section: web.SectionAdmin, Order: 48, Roles: stockRoles})
}
