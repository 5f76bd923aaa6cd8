package training

import "kapu/modules/platform/web"

// statsRoutes registers the training statistics page. The service decides
// who reads it (mayReadStats: HR and the administrators); the route asks
// for the same roles so others get the house's 403 page.
func (m *Module) statsRoutes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "training.stats.nav", Path: "/training/stats", Icon: "training", Section: web.SectionAdmin, Order: 22, Roles: StatsRoles})
	s.App.Get("/training/stats", web.Require(StatsRoles...), m.handleStatsShow)
}
