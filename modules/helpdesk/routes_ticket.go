package helpdesk

import "kapu/modules/platform/web"

// ticketRoutes are the pages every employee uses (report, my tickets) and
// the ticket page queue staff work on; the start page's card of my open
// tickets. The navigation entry is the suite's (modules/kapu's services
// list, nav.helpdesk), so it keeps its place among the services. Another person's ticket or photo is a 404 (the service decides).
func (m *Module) ticketRoutes(s *web.Server) {
	s.AddCard(m.openTicketsCard)
	g := s.App.Group("/helpdesk", web.RequireLogin)
	g.Get("/", m.handleTicketList)
	g.Get("/new", m.handleReportNew)
	g.Post("/new", m.handleReportCreate)
	g.Get("/attachments/:id", m.handleAttachmentShow)
	g.Get("/tickets/:id", m.handleTicketShow)
	g.Post("/tickets/:id/comment", m.handleTicketComment)
	g.Post("/tickets/:id/reopen", m.handleTicketReopen)
	g.Post("/tickets/:id/take", m.handleTicketTake)
	g.Post("/tickets/:id/assign", m.handleTicketAssign)
	g.Post("/tickets/:id/state", m.handleTicketState)
	g.Post("/tickets/:id/resolve", m.handleTicketResolve)
	g.Post("/tickets/:id/priority", m.handleTicketPriority)
}
