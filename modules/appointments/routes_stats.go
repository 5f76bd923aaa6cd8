package appointments

import "kapu/modules/platform/web"

// statsRoutes registers the front desk's statistics and its abuse tool
// (cancel every booking of an address). Each route carries its own role
// check, so nothing here changes the rest of /desk.
func (m *Module) statsRoutes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.appointments_stats", Path: "/desk/stats", Icon: "appointments", Section: web.SectionAdmin, Order: 22, Roles: StaffRoles})
	staff := web.Require(StaffRoles...)
	s.App.Get("/desk/stats", staff, m.handleStatsShow)
	s.App.Get("/desk/abuse", staff, m.handleAbuseShow)
	s.App.Get("/desk/abuse/cancel", staff, m.handleAbuseCancelConfirm)
	s.App.Post("/desk/abuse/cancel", staff, m.handleAbuseCancel)
}
