package helpdesk

import "kapu/modules/platform/web"

// workRoutes are the staff's pages beside a ticket: its work log, merging
// and links, and purchases. Each route carries its own login check rather
// than a group's, so nothing else under /helpdesk/tickets is touched.
func (m *Module) workRoutes(s *web.Server) {
	const t = "/helpdesk/tickets/:id"
	s.App.Get(t+"/work", web.RequireLogin, m.handleWorkShow)
	s.App.Post(t+"/work", web.RequireLogin, m.handleWorkCreate)
	s.App.Get(t+"/work/:entry/delete", web.RequireLogin, m.handleWorkDeleteConfirm)
	s.App.Post(t+"/work/:entry/delete", web.RequireLogin, m.handleWorkDelete)
	s.App.Get(t+"/merge", web.RequireLogin, m.handleMergeShow)
	s.App.Post(t+"/merge", web.RequireLogin, m.handleMergeCreate)
	s.App.Get(t+"/merge/confirm", web.RequireLogin, m.handleMergeConfirm)
	s.App.Post(t+"/links/:other/delete", web.RequireLogin, m.handleLinkDelete)
	s.App.Get(t+"/purchase", web.RequireLogin, m.handlePurchaseShow)
	s.App.Post(t+"/purchase", web.RequireLogin, m.handlePurchaseCreate)
	s.App.Get(t+"/purchase/:purchase/withdraw", web.RequireLogin, m.handlePurchaseWithdrawConfirm)
	s.App.Post(t+"/purchase/:purchase/withdraw", web.RequireLogin, m.handlePurchaseWithdraw)
}

// ticketPath is a ticket's own page, which the work pages link back to.
func ticketPath(id uint) string { return "/helpdesk/tickets/" + web.FormatID(id) }
