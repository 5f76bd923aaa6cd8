package helpdesk

import "kapu/modules/platform/web"

func (m *Module) ticketRoutes(s *web.Server) {}
