package warehouse

import (
	"kapu/modules/platform/web"
)

// homeRoutes is the module's start page at /warehouse, the suite's tile.
func (m *Module) homeRoutes(s *web.Server) {
	s.App.Get("/warehouse", web.RequireLogin, m.handleHomeShow)
}
