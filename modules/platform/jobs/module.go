package jobs

import (
	"context"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	sched "kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module serves the scheduled-jobs page to administrators.
type Module struct {
	sched *Scheduler
}

// NewModule returns the jobs module for the scheduler the app runs.
func NewModule(s *Scheduler) *Module { return &Module{sched: s} }

// Name is the module's short name.
func (m *Module) Name() string { return "jobs" }

// Models lists the tables of the module.
func (m *Module) Models() []any { return Models() }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return nil }

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.jobs", Path: "/admin/jobs", Icon: "clock", Section: web.SectionAdmin, Order: 60, Roles: []string{actor.Admin}})
	g := s.App.Group("/admin/jobs", web.Require(actor.Admin))
	g.Get("/", m.handleJobList)
	g.Post("/:name/run", m.handleJobRun)
}

// Jobs registers nothing more: the scheduler holds its own jobs.prune from New.
func (m *Module) Jobs(sched.Registrar) error { return nil }

// Demo adds nothing: the module has no demo data of its own.
func (m *Module) Demo(context.Context, demo.Options) error { return nil }
