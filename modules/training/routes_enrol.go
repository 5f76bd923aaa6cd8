package training

import "kapu/modules/platform/web"

// enrolRoutes are the pages every employee uses: the year's catalogue to
// choose from, the request form, one enrolment's page (the approval kind's
// Summary.Path) with its cancel, my requests and my plan, and a plan's page
// (the plan kind's Summary.Path). Someone else's enrolment or plan is a 404
// (the service decides).
func (m *Module) enrolRoutes(s *web.Server) {
	g := s.App.Group("/training", web.RequireLogin)
	g.Get("/catalogue", m.handleCatalogueBrowse)
	g.Get("/catalogue/:id/request", m.handleEnrolRequestForm)
	g.Post("/catalogue/:id/request", m.handleEnrolRequestCreate)
	g.Get("/enrolments/:id", m.handleEnrolShow)
	g.Get("/enrolments/:id/cancel", m.handleEnrolCancelConfirm)
	g.Post("/enrolments/:id/cancel", m.handleEnrolCancel)
	g.Get("/requests", m.handleRequestsList)
	g.Post("/plan/:year/items", m.handlePlanItems)
	g.Post("/plan/:year/submit", m.handlePlanSubmit)
	g.Get("/plans/:id", m.handlePlanShow)
}
