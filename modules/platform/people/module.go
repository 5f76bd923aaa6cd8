package people

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module serves people, departments and each person's profile.
type Module struct {
	svc *Service
}

// New returns the people module around its service.
func New(svc *Service) *Module { return &Module{svc: svc} }

// Name is the module's short name.
func (m *Module) Name() string { return "people" }

// Models lists the tables of the module.
func (m *Module) Models() []any {
	return []any{&Department{}, &Person{}, &PersonRole{}, &PasswordLink{}}
}

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return migrations }

// migrations: on SQLite the people list walks an index in Hungarian order
// (db.ByName) and stops after its page, instead of sorting every person
// through the Go collation on each request (see docs/benchmarks.md). Only
// Kapu's own connections know the "hu" collation, so a person row changed
// from the sqlite3 shell fails there; read-only use of the file works.
// PostgreSQL sorts with ICU's abbreviated keys, fast enough without one.
var migrations = []db.Migration{{
	ID:     "people/0001_active_name_hu_index",
	SQLite: []string{"CREATE INDEX IF NOT EXISTS people_active_name_hu ON people (active, name COLLATE hu, id)"},
}}

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	staff := []string{actor.Admin, actor.HR}
	s.AddNav(
		web.NavItem{Key: "nav.people", Path: "/admin/people", Icon: "people", Section: web.SectionAdmin, Order: 30, Roles: staff},
		web.NavItem{Key: "nav.departments", Path: "/admin/departments", Icon: "departments", Section: web.SectionAdmin, Order: 31, Roles: []string{actor.Admin}},
	)
	p := s.App.Group("/admin/people", web.Require(staff...))
	p.Get("/", m.handlePersonList)
	p.Get("/new", m.handlePersonNew)
	p.Post("/", m.handlePersonCreate)
	p.Get("/import", m.handlePersonImportForm)
	p.Post("/import", m.handlePersonImport)
	p.Get("/export.csv", m.handlePersonExport)
	p.Get("/sample.csv", m.handlePersonSample)
	p.Get("/:id", m.handlePersonEdit)
	p.Post("/:id", m.handlePersonUpdate)
	p.Post("/:id/active", m.handlePersonActivate)
	p.Post("/:id/password-link", m.handlePersonPasswordLink)

	d := s.App.Group("/admin/departments", web.Require(actor.Admin))
	d.Get("/", m.handleDepartmentList)
	d.Get("/new", m.handleDepartmentNew)
	d.Post("/", m.handleDepartmentCreate)
	d.Get("/:id", m.handleDepartmentEdit)
	d.Post("/:id", m.handleDepartmentUpdate)
	d.Post("/:id/delete", m.handleDepartmentDelete)

	// Set-password links are public: the person has no password yet, or forgot it.
	s.SecretPath(PasswordLinkPath)
	s.App.Get(PasswordLinkPath+":token", m.handlePasswordLinkShow)
	s.App.Post(PasswordLinkPath+":token", m.handlePasswordLinkSet)

	me := s.App.Group("/profile", web.RequireLogin)
	me.Get("/", m.handleProfileShow)
	me.Post("/language", m.handleProfileLanguage)
	me.Post("/password", m.handleProfilePassword)
	me.Post("/deputy", m.handleProfileDeputy)
	me.Post("/feeds", m.handleProfileFeeds)
}

// Jobs registers nothing: the module has no scheduled work.
func (m *Module) Jobs(schedule.Registrar) error { return nil }
