package audit

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/web"
)

// Module serves the audit log page to administrators.
type Module struct {
	db *db.DB
}

// New returns the audit module.
func New(d *db.DB) *Module { return &Module{db: d} }

// Models lists the tables of the module.
func (m *Module) Models() []any { return Models() }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.audit", Path: "/admin/audit", Icon: "audit", Section: web.SectionAdmin, Roles: []string{actor.Admin}})
	g := s.App.Group("/admin/audit", web.Require(actor.Admin))
	g.Get("/", m.handleLogList)
}
