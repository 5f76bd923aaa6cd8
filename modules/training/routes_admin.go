package training

import "kapu/modules/platform/web"

func (m *Module) adminRoutes(s *web.Server) {}
