package appointments

import (
	"context"

	"kapu/modules/platform/demo"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Placeholders until each part lands; every helper deletes its own line.
func (m *Module) publicRoutes(s *web.Server)                     {}
func (m *Module) adminRoutes(s *web.Server)                      {}
func (m *Module) statsRoutes(s *web.Server)                      {}
func (m *Module) jobs(j schedule.Registrar) error                { return nil }
func (m *Module) demo(ctx context.Context, o demo.Options) error { return nil }
