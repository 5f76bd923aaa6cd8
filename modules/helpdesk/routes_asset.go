package helpdesk

import "kapu/modules/platform/web"

func (m *Module) assetRoutes(s *web.Server) {}
