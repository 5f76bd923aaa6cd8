package appointments

import "kapu/modules/platform/web"

// adminRoutes are the setup pages of offices, desks and case types, for
// administrators only (the service checks the role again on every change).
func (m *Module) adminRoutes(s *web.Server) {
	g := s.App.Group("/desk/setup", web.Require(AdminRoles...))
	g.Get("/", m.handleSetupOverview)
	g.Get("/offices/new", m.handleSetupOfficeNew)
	g.Post("/offices/new", m.handleSetupOfficeCreate)
	g.Get("/offices/:id", m.handleSetupOfficeEdit)
	g.Post("/offices/:id", m.handleSetupOfficeUpdate)
	g.Get("/offices/:id/delete", m.handleSetupOfficeDeleteConfirm)
	g.Post("/offices/:id/delete", m.handleSetupOfficeDelete)
	g.Get("/offices/:id/desks/new", m.handleSetupDeskNew)
	g.Post("/offices/:id/desks/new", m.handleSetupDeskCreate)
	g.Get("/desks/:id", m.handleSetupDeskEdit)
	g.Post("/desks/:id", m.handleSetupDeskUpdate)
	g.Post("/desks/:id/exceptions", m.handleSetupExceptionCreate)
	g.Get("/exceptions/:id/delete", m.handleSetupExceptionDeleteConfirm)
	g.Post("/exceptions/:id/delete", m.handleSetupExceptionDelete)
	g.Get("/types/new", m.handleSetupTypeNew)
	g.Post("/types/new", m.handleSetupTypeCreate)
	g.Get("/types/:id", m.handleSetupTypeEdit)
	g.Post("/types/:id", m.handleSetupTypeUpdate)
	s.AddNav(web.NavItem{Key: "appointments.setup.nav", Path: "/desk/setup", Icon: "appointments",
		Section: web.SectionAdmin, Order: 30, Roles: AdminRoles})
}
