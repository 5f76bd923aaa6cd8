package warehouse

import "kapu/modules/platform/web"

// requestRoutes are the pages every employee uses: my requests, the request
// form, the request page with its cancel and, for the approver whose step
// it is, the decision with less than asked; the start page's card of my
// open requests. Someone else's request is a 404 (the service decides).
func (m *Module) requestRoutes(s *web.Server) {
	s.AddCard(m.openRequestsCard)
	g := s.App.Group("/warehouse", web.RequireLogin)
	g.Get("/", m.handleMineList)
	g.Get("/new", m.handleRequestNew)
	g.Post("/new", m.handleRequestCreate)
	g.Get("/requests/:id", m.handleRequestShow)
	g.Post("/requests/:id/decide", m.handleRequestDecide)
	g.Get("/requests/:id/cancel", m.handleRequestCancelConfirm)
	g.Post("/requests/:id/cancel", m.handleRequestCancel)
}
