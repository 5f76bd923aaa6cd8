package appointments

import "kapu/modules/platform/web"

// Placeholders until each part lands; every helper deletes its own line.
func (m *Module) deskRoutes(s *web.Server) {}
