package helpdesk

import (
	"kapu/modules/platform/db"
	"kapu/modules/platform/module"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Module is the helpdesk: IT faults and building maintenance in one place.
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

// Migrations are the SQL GORM cannot express: the queue page's indexes.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the helpdesk's pages, each area in its routes_*.go. The
// rating link comes first: it opens without signing in, and the signed-in
// group's check on /helpdesk would otherwise run before it.
func (m *Module) Routes(s *web.Server) {
	m.rateRoutes(s)
	m.ticketRoutes(s)
	m.queueRoutes(s)
	m.workRoutes(s)
	m.assetRoutes(s)
	m.statsRoutes(s)
}

// Jobs registers the scheduled work: the SLA mails, the tickets' own jobs
// (auto-close) and the assets' preventive maintenance.
func (m *Module) Jobs(j schedule.Registrar) error {
	for _, reg := range []func(schedule.Registrar) error{m.slaJobs, m.ticketJobs, m.maintenanceJobs, m.statsJobs} {
		if err := reg(j); err != nil {
			return err
		}
	}
	return nil
}
