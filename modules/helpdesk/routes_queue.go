package helpdesk

import "kapu/modules/platform/web"

func (m *Module) queueRoutes(s *web.Server) {}
