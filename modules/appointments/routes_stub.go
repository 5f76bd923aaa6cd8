package appointments

import (
	"context"

	"kapu/modules/platform/demo"
	"kapu/modules/platform/web"
)

// Placeholders until each part lands; every helper deletes its own line.
func (m *Module) publicRoutes(s *web.Server)                     {}
func (m *Module) deskRoutes(s *web.Server)                       {}
func (m *Module) adminRoutes(s *web.Server)                      {}
func (m *Module) demo(ctx context.Context, o demo.Options) error { return nil }
