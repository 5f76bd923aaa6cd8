package training

import "kapu/modules/platform/web"

func (m *Module) recordRoutes(s *web.Server) {}
