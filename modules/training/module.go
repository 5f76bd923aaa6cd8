package training

import (
	"context"

	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module is training records: the yearly catalogue, sessions, requests and
// plans with their approval, completions and certificates, study points,
// compliance and statistics.
type Module struct {
	svc *Service
	// deps are the kernel's pieces the screens and jobs use beside the
	// service: departments for the forms, the outbox and the people to mail.
	deps module.Deps
	// feed is each person's training sessions for their calendar app (feed.go).
	feed *people.Feed
}

// New returns the training module with its service built from d.
func New(d module.Deps) *Module {
	svc := NewService(d)
	return &Module{svc: svc, deps: d, feed: newFeed(d.People, svc)}
}

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "training" }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the invariants the database keeps itself (migrations.go).
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the signed-out paths first (the mailed feedback link,
// routes_feedback.go, and the calendar feed), then the start page's card of
// the viewer's coming sessions (card.go), HR's catalogue and sessions
// (routes_admin.go), the employees' catalogue, requests and plan
// (routes_enrol.go), the records: my trainings, rosters, completions,
// import and compliance (routes_records.go), and the statistics
// (routes_stats.go).
func (m *Module) Routes(s *web.Server) {
	m.feedbackRoutes(s)
	m.feed.Route(s)
	s.AddCard(m.card)
	m.adminRoutes(s)
	m.enrolRoutes(s)
	m.recordRoutes(s)
	m.statsRoutes(s)
}

// Jobs registers the module's scheduled work (jobs.go).
func (m *Module) Jobs(j schedule.Registrar) error { return m.jobs(j) }

// Demo adds the demo city hall's trainings (demo.go).
func (m *Module) Demo(ctx context.Context, o demo.Options) error { return m.demo(ctx, o) }
