package warehouse

import (
	"context"
	"errors"

	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/module"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module is the supply store: the catalogue and stock ledger with the
// storekeeper's screens, and employees' requests with their approval.
type Module struct {
	svc *Service
	// deps are the kernel's pieces the screens and jobs use beside the
	// service: departments for the forms, the outbox and the people to mail.
	deps module.Deps
}

// New returns the warehouse module with its service built from d.
func New(d module.Deps) *Module { return &Module{svc: NewService(d), deps: d} }

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "warehouse" }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the stock invariants the database keeps itself.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers employees' request pages (routes_request.go, my requests
// at /warehouse), the storekeeper's stock pages (routes_stock.go), the
// statistics (routes_stats.go) and the store's card on the suite's start
// page (card.go).
func (m *Module) Routes(s *web.Server) {
	m.flowRoutes(s) // first: the confirmation link needs no sign-in, and /warehouse/stock/:id would take /procure
	m.requestRoutes(s)
	m.stockRoutes(s)
	m.statsRoutes(s)
	s.AddCard(m.card)
}

// Jobs registers the nightly drift check and the low-stock alert (jobs.go).
func (m *Module) Jobs(j schedule.Registrar) error { return errors.Join(m.jobs(j), m.handoverJobs(j)) }

// Demo stocks the demo city hall's store (demo.go).
func (m *Module) Demo(ctx context.Context, o demo.Options) error { return m.demo(ctx, o) }
