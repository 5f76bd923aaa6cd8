package helpdesk

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// statsRoutes registers the statistics page. The service decides who sees
// which queue (staff and leads their own, admins both) and refuses everyone
// else, so the route only asks for a signed-in viewer.
func (m *Module) statsRoutes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "helpdesk.stats.nav", Path: "/helpdesk/stats", Icon: "helpdesk", Section: web.SectionAdmin, Order: 23,
		Roles: []string{actor.IT, actor.Facilities, actor.Admin}})
	s.App.Get("/helpdesk/stats", web.RequireLogin, m.handleStatsShow)
}
