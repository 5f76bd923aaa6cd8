package helpdesk

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// queueRoutes are the staff's queue pages and the queues' settings. Any
// signed-in person reaches the paths; the service decides who works which
// queue and who sets it up, so a lead without the role is let in too.
func (m *Module) queueRoutes(s *web.Server) {
	g := s.App.Group("/helpdesk/queue", web.RequireLogin)
	g.Get("/:key", m.handleQueueShow)
	g.Post("/:key/assign", m.handleQueueAssign)
	st := s.App.Group("/helpdesk/settings", web.RequireLogin)
	st.Get("/", m.handleSettingsList)
	st.Get("/:key", m.handleSettingsShow)
	st.Post("/:key", m.handleSettingsSave)
	st.Post("/:key/categories", m.handleSettingsCategoryAdd)
	st.Post("/:key/categories/:id", m.handleSettingsCategoryRename)
	st.Post("/:key/categories/:id/move", m.handleSettingsCategoryMove)
	st.Post("/:key/categories/:id/active", m.handleSettingsCategoryActive)
	s.AddNav(
		web.NavItem{Key: "helpdesk.queue.nav", Path: "/helpdesk/queue/" + QueueIT, Icon: "helpdesk",
			Section: web.SectionServices, Order: 1, Roles: []string{actor.IT}},
		web.NavItem{Key: "helpdesk.queue.nav", Path: "/helpdesk/queue/" + QueueMaintenance, Icon: "helpdesk",
			Section: web.SectionServices, Order: 1, Roles: []string{actor.Facilities}},
		web.NavItem{Key: "helpdesk.settings.nav", Path: "/helpdesk/settings", Icon: "settings",
			Section: web.SectionAdmin, Order: 40, Roles: []string{actor.Admin}},
	)
}
