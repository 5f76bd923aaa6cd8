package training

import "kapu/modules/platform/web"

func (m *Module) enrolRoutes(s *web.Server) {}
