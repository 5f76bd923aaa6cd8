package appointments

import "kapu/modules/platform/web"

// statsRoutes registers the front desk's statistics and abuse tools.
func (m *Module) statsRoutes(s *web.Server) {}
