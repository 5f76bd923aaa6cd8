package helpdesk

import "kapu/modules/platform/web"

func (m *Module) statsRoutes(s *web.Server) {}
