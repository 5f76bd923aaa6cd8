package helpdesk

import "kapu/modules/platform/web"

func (m *Module) rateRoutes(s *web.Server) {}
