package appointments

import (
	"context"

	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/module"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module serves the citizens' public booking pages (/appointments), the front
// desk (/desk) and its setup; everything it decides, the Service decides.
type Module struct {
	svc *Service
}

// New returns the appointments module with its service built from d.
func New(d module.Deps) *Module { return &Module{svc: NewService(d)} }

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "appointments" }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the no-double-booking invariant the database keeps itself.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the public pages first (no session, see web.Server.Public),
// then the administrators' and the statistics pages, and last the front
// desk's, whose /desk/:id paths would otherwise catch theirs.
func (m *Module) Routes(s *web.Server) {
	m.publicRoutes(s)
	m.adminRoutes(s)
	m.statsRoutes(s)
	m.deskRoutes(s)
}

// Jobs registers the reminders, thank-you mails, hold releases and the erasure of old personal data.
func (m *Module) Jobs(j schedule.Registrar) error { return m.jobs(j) }

// Demo adds the demo offices, desks and case types, and with the history a few weeks of appointments.
func (m *Module) Demo(ctx context.Context, o demo.Options) error { return m.demo(ctx, o) }
