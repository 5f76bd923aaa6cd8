// Package kapu assembles the suite: it opens the database, builds the kernel
// services, lists the modules (see module.Module) and gives each module's
// declarations — tables, pages, jobs, approval kinds, mails, demo data — to
// the kernel piece that runs them.
package kapu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/appointments"
	"kapu/modules/booking"
	"kapu/modules/helpdesk"
	"kapu/modules/leave"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/jobs"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
	"kapu/modules/training"
	"kapu/modules/warehouse"
)

// App is Kapu with its dependencies, shared by the commands and the tests.
type App struct {
	Cfg      *config.Config
	DB       *db.DB
	Web      *web.Server
	People   *people.Service
	Calendar *calendar.Calendar
	Outbox   *notify.Outbox
	Jobs     *jobs.Scheduler
	Approval *approval.Engine
	Leave    *leave.Service
	Booking  *booking.Service
	// Appointments is the citizens' booking service.
	Appointments *appointments.Service
	// Helpdesk is IT faults and building maintenance.
	Helpdesk *helpdesk.Service
	// Warehouse is the supply store: catalogue, stock ledger, stock-take, requests.
	Warehouse *warehouse.Service
	// Training is the catalogue, sessions, requests, completions and study points.
	Training *training.Service
	Log      *slog.Logger
	modules  []module.Module
	auditLog *audit.Module
	demo     atomic.Bool // the database holds demo data
}

// Open connects to the database and builds every module, without migrating.
// The scheduler is built with its jobs but not started: Start does that.
func Open(cfg *config.Config, log *slog.Logger) (*App, error) {
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	d, err := db.Open(cfg.DB)
	if err != nil {
		return nil, err
	}
	a, err := build(cfg, d, log)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

func build(cfg *config.Config, d *db.DB, log *slog.Logger) (*App, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, DB: d, Log: log, People: people.NewService(d, cfg.PasswordCost), Calendar: calendar.New(d.R)}
	if a.Outbox, err = notify.New(d, cat, cfg, log); err != nil {
		return nil, err
	}
	if a.Jobs, err = jobs.New(d, cfg.TZ, log); err != nil {
		return nil, err
	}
	a.Approval = approval.New(d, a.People, a.Outbox, a.Calendar, cfg)
	a.Web = web.New(cfg, d, cat, log)
	a.auditLog = audit.New(d)
	a.Web.Demo = a.demo.Load
	// People mail set-password links and end a person's sessions when their
	// password changes or they are deactivated.
	a.People.UseOutbox(a.Outbox, cfg.BaseURL)
	a.People.UseSessions(a.Web.Storage.EndSessionsOf)

	deps := module.Deps{Cfg: cfg, DB: d, Log: log, Catalog: cat, People: a.People,
		Calendar: a.Calendar, Outbox: a.Outbox, Approval: a.Approval}
	bookings, leaves, appts, desk := booking.New(deps), leave.New(deps), appointments.New(deps), helpdesk.New(deps)
	a.Booking, a.Leave, a.Appointments, a.Helpdesk = bookings.Service(), leaves.Service(), appts.Service(), desk.Service()
	store := warehouse.New(deps)
	a.Warehouse = store.Service()
	courses := training.New(deps)
	a.Training = courses.Service()
	// The one hook between modules: approval asks leave who is away today,
	// so a step waiting for an absent approver goes to their deputy.
	a.Approval.Absences = a.Leave
	a.Helpdesk.Rooms = a.Booking
	// Training sessions book their rooms through booking's rules.
	a.Training.Rooms = a.Booking
	// Training days show on the team calendar and count as away for deputies.
	a.Leave.Engagements = a.Training
	// In the order their demo data depends on: everything is about the
	// people; bookings and leave count the calendar's working days.
	a.modules = []module.Module{
		auth.New(a.People),
		newHome(),
		people.New(a.People),
		calendar.NewModule(d, a.Calendar),
		notify.NewModule(a.Outbox),
		approval.NewModule(a.Approval, cfg.Secret),
		jobs.NewModule(a.Jobs),
		a.auditLog,
		bookings,
		leaves,
		appts,
		desk,
		store,
		courses,
	}
	for _, m := range a.modules {
		if err := a.use(m); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name(), err)
		}
	}
	a.Web.Finish()
	return a, a.upkeepJobs()
}

// use gives the suite what m declares: its approval kinds, audit namers, mail composers,
// pages and scheduled work.
func (a *App) use(m module.Module) error {
	if k, ok := m.(module.ApprovalKinds); ok {
		for _, kind := range k.ApprovalKinds() {
			a.Approval.Register(kind)
		}
	}
	if n, ok := m.(module.AuditNames); ok {
		a.auditLog.AddNamers(n.AuditNames())
	}
	if c, ok := m.(module.Composers); ok {
		for name, fn := range c.Composers() {
			a.Outbox.Compose(name, fn)
		}
	}
	m.Routes(a.Web)
	return m.Jobs(a.Jobs)
}

// upkeepJobs schedules the upkeep of the two pieces the suite builds itself
// rather than a module: the database and the web server's session store.
func (a *App) upkeepJobs() error {
	if err := a.Jobs.Daily("db.optimize", 3, 30, a.DB.Optimize); err != nil {
		return err
	}
	return a.Jobs.Every("web.sessions", time.Hour, func(ctx context.Context) error {
		n, err := a.Web.Storage.DeleteExpired(ctx)
		return schedule.Did(int(n), err)
	})
}

// Close stops the scheduler (waiting for running jobs) and releases the database.
func (a *App) Close() error {
	_ = a.Jobs.Shutdown()
	return a.DB.Close()
}

// Migrate brings the schema up to date.
func (a *App) Migrate(ctx context.Context) error {
	var models []any
	var steps []db.Migration
	for _, m := range a.modules {
		models = append(models, m.Models()...)
		steps = append(steps, m.Migrations()...)
	}
	if err := a.DB.Migrate(ctx, models, steps); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range a.modules {
		if e, ok := m.(module.Ensurer); ok {
			if err := e.Ensure(ctx); err != nil {
				return fmt.Errorf("%s: %w", m.Name(), err)
			}
		}
	}
	v, err := a.DB.GetSetting(ctx, settingDemo)
	a.demo.Store(v == "1")
	return err
}

const settingDemo = "demo"

// DemoOptions choose how much of the demo is loaded.
type DemoOptions = demo.Options

// ErrNotDemo refuses to reset a database that holds more than the demo.
var ErrNotDemo = errors.New("the database holds more than the demo; it is left alone")

// ResetDemo empties a demo database and loads the demo again, so a tried-out
// installation starts fresh on today's dates. It refuses, changing nothing,
// unless the database was seeded with the demo, every person in it is one
// the demo made, and every table in it is one of Kapu's.
func (a *App) ResetDemo(ctx context.Context) error {
	empty, err := a.People.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		onlyDemo, err := a.People.OnlyDemoPeople(ctx)
		if err != nil {
			return err
		}
		if !a.demo.Load() || !onlyDemo {
			return ErrNotDemo
		}
	}
	if foreign, err := a.foreignTables(); err != nil || len(foreign) > 0 {
		if err == nil {
			err = fmt.Errorf("%w: tables Kapu did not make: %s", ErrNotDemo, strings.Join(foreign, ", "))
		}
		return err
	}
	if err := a.DB.DropAll(ctx); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	if err := a.Migrate(ctx); err != nil {
		return err
	}
	_, err = a.SeedDemo(ctx)
	return err
}

// foreignTables lists the tables in Kapu's schema that none of its modules
// own: another program's, which a reset must not drop.
func (a *App) foreignTables() ([]string, error) {
	own := map[string]bool{"schema_migrations": true, "settings": true}
	for _, m := range a.modules {
		for _, model := range m.Models() {
			st := &gorm.Statement{DB: a.DB.W}
			if err := st.Parse(model); err != nil {
				return nil, err
			}
			own[st.Schema.Table] = true
		}
	}
	tables, err := a.DB.W.Migrator().GetTables()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range tables {
		if !own[t] && !strings.HasPrefix(t, "sqlite_") {
			out = append(out, t)
		}
	}
	return out, nil
}

// SeedDemo loads the whole demo city hall into an empty database and reports whether it did.
func (a *App) SeedDemo(ctx context.Context) (bool, error) {
	return a.SeedDemoWith(ctx, DemoOptions{History: true})
}

// SeedDemoWith loads the demo chosen by opts into an empty database: each
// module's part, in the order of the module list.
func (a *App) SeedDemoWith(ctx context.Context, opts DemoOptions) (bool, error) {
	empty, err := a.People.IsEmpty(ctx)
	if err != nil || !empty {
		return false, err
	}
	for _, m := range a.modules {
		if err := m.Demo(ctx, opts); err != nil {
			return false, fmt.Errorf("demo %s: %w", m.Name(), err)
		}
	}
	// The demo's past was never lived through: apply what fell due on its
	// dates (carried-over days that expired in spring), as a running Kapu would have.
	if err := a.Jobs.CatchUpAll(ctx); err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	if err := a.DB.SetSetting(ctx, settingDemo, "1"); err != nil {
		return false, err
	}
	a.demo.Store(true)
	return true, nil
}
