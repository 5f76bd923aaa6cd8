package calendar

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module serves the admin page of the organisation's calendar.
type Module struct {
	db  *db.DB
	cal *Calendar
}

// NewModule returns the calendar module; cal answers the questions, d takes the edits.
func NewModule(d *db.DB, cal *Calendar) *Module { return &Module{db: d, cal: cal} }

// Name is the module's short name.
func (m *Module) Name() string { return "calendar" }

// Models lists the tables of the module.
func (m *Module) Models() []any { return Models() }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return nil }

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.calendar", Path: "/admin/calendar", Icon: "calendar", Section: web.SectionAdmin, Order: 40, Roles: []string{actor.Admin}})
	g := s.App.Group("/admin/calendar", web.Require(actor.Admin))
	g.Get("/", m.handleCalendarShow)
	g.Post("/", m.handleOverrideSave)
	g.Get("/:id/delete", m.handleOverrideDeleteConfirm)
	g.Post("/:id/delete", m.handleOverrideDelete)
}

// Jobs registers nothing: the module has no scheduled work.
func (m *Module) Jobs(schedule.Registrar) error { return nil }
