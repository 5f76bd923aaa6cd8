package audit

import (
	"context"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module serves the audit log page to administrators.
type Module struct {
	db     *db.DB
	namers map[string]Namer // entity → who names its records
}

// New returns the audit module.
func New(d *db.DB) *Module { return &Module{db: d, namers: map[string]Namer{}} }

// Name is the module's short name.
func (m *Module) Name() string { return "audit" }

// Models lists the tables of the module.
func (m *Module) Models() []any { return Models() }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.audit", Path: "/admin/audit", Icon: "audit", Section: web.SectionAdmin, Order: 70, Roles: []string{actor.Admin}})
	g := s.App.Group("/admin/audit", web.Require(actor.Admin))
	g.Get("/", m.handleLogList)
}

// Jobs registers nothing: the module has no scheduled work.
func (m *Module) Jobs(schedule.Registrar) error { return nil }

// Demo adds nothing: the module has no demo data of its own.
func (m *Module) Demo(context.Context, demo.Options) error { return nil }
