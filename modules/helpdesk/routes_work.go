package helpdesk

import "kapu/modules/platform/web"

func (m *Module) workRoutes(s *web.Server) {}
