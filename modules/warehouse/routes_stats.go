package warehouse

import (
	"kapu/modules/platform/web"
)

// statsRoutes registers the store's statistics page. The service decides
// who reads it (mayReadStats: the storekeeper and administrators); the route
// asks for the same roles so others get the house's 403 page.
func (m *Module) statsRoutes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "warehouse.stats.nav", Path: "/warehouse/stats", Icon: "warehouse", Section: web.SectionAdmin, Order: 47, Roles: StatsRoles})
	s.App.Get("/warehouse/stats", web.Require(StatsRoles...), m.handleStatsShow)
}
