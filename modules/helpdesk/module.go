package helpdesk

import (
	"kapu/modules/platform/db"
	"kapu/modules/platform/module"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module is the helpdesk: IT faults and building maintenance in one place.
// This first slice is the model and the rules; its pages come next.
type Module struct {
	svc *Service
}

// New returns the helpdesk module with its service built from d.
func New(d module.Deps) *Module { return &Module{svc: NewService(d)} }

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "helpdesk" }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the invariants the database keeps itself (none yet: a
// ticket's number is unique because it carries the id).
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers no pages yet.
func (m *Module) Routes(*web.Server) {}

// Jobs registers no scheduled work yet (the SLA clock and auto-close come next).
func (m *Module) Jobs(schedule.Registrar) error { return nil }
