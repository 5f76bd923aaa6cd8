package warehouse

import (
	"context"

	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/module"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module is the supply store: the catalogue, the stock ledger, and
// requests with their approval.
type Module struct {
	svc *Service
}

// New returns the warehouse module with its service built from d.
func New(d module.Deps) *Module { return &Module{svc: NewService(d)} }

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "warehouse" }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the stock invariants the database keeps itself.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	m.requestRoutes(s)
}

// Jobs registers nothing yet: the nightly drift check (Verify) comes next,
// with the screens.
func (m *Module) Jobs(j schedule.Registrar) error { return nil }

// Demo adds nothing yet: the demo's stock comes next, with the screens.
func (m *Module) Demo(ctx context.Context, o demo.Options) error { return nil }
