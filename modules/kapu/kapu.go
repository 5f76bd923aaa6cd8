// Package kapu assembles the suite: it opens the database, migrates every
// module's tables and builds the web server with each module's routes.
package kapu

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"kapu/config"
	"kapu/modules/booking"
	"kapu/modules/leave"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/jobs"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Module is what every module gives the suite.
type Module interface {
	Models() []any
	Migrations() []db.Migration
	Routes(s *web.Server)
}

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
	Log      *slog.Logger
	modules  []Module
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
	a := &App{Cfg: cfg, DB: d, Log: log, People: people.NewService(d), Calendar: calendar.New(d.R)}
	if a.Outbox, err = notify.New(d, cat, cfg, log); err != nil {
		return nil, err
	}
	if a.Jobs, err = jobs.New(d, cfg.TZ, log); err != nil {
		return nil, err
	}
	a.Approval = approval.New(d, a.People, a.Outbox, a.Calendar, cfg)
	a.Leave = leave.NewService(d, a.People, a.Calendar, a.Approval, a.Outbox, cat, cfg)
	a.Approval.Absences = a.Leave
	a.Booking = booking.New(d, cfg.TZ)
	a.Booking.UseApproval(a.Approval, a.People, cat)
	a.Booking.UseOutbox(a.Outbox, cfg.Lang)
	a.Booking.BaseURL = cfg.BaseURL
	a.Booking.HoldFor = cfg.CarHold
	a.Booking.UseCalendar(a.Calendar)
	a.Web = web.New(cfg, d, cat, log)
	a.Web.Demo = a.demo.Load
	// People mail set-password links and end a person's sessions when their
	// password changes or they are deactivated.
	a.People.UseOutbox(a.Outbox, cfg.BaseURL)
	a.People.UseSessions(a.Web.Storage.EndSessionsOf)
	a.modules = []Module{
		auth.New(a.People),
		newHome("leave", "bookings"),
		approval.NewModule(a.Approval, cfg.Secret),
		leave.New(a.Leave, cfg.Secret),
		booking.NewModule(a.Booking),
		people.New(a.People),
		calendar.NewModule(d, a.Calendar),
		notify.NewModule(a.Outbox),
		jobs.NewModule(a.Jobs),
		audit.New(d),
	}
	for _, m := range a.modules {
		m.Routes(a.Web)
	}
	a.Web.Finish()
	return a, a.registerJobs()
}

// registerJobs gives every module's scheduled work to the scheduler.
func (a *App) registerJobs() error {
	every := func(name string, interval time.Duration, fn func(context.Context) error) error {
		return a.Jobs.Every(name, interval, fn)
	}
	daily := func(name string, hh, mm int, fn func(context.Context) error) error {
		return a.Jobs.Daily(name, hh, mm, fn)
	}
	if err := a.Outbox.Register(every); err != nil {
		return err
	}
	if err := a.Approval.Jobs(daily); err != nil {
		return err
	}
	if err := a.Leave.Jobs(daily); err != nil {
		return err
	}
	if err := a.Booking.Jobs(every); err != nil {
		return err
	}
	if err := daily("db.optimize", 3, 30, a.DB.Optimize); err != nil {
		return err
	}
	return every("web.sessions", time.Hour, func(ctx context.Context) error {
		_, err := a.Web.Storage.DeleteExpired(ctx)
		return err
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
	if err := a.Leave.EnsureTypes(ctx); err != nil {
		return err
	}
	v, err := a.DB.GetSetting(ctx, settingDemo)
	a.demo.Store(v == "1")
	return err
}

const settingDemo = "demo"

// DemoOptions choose how much of the demo is loaded.
type DemoOptions struct {
	// History adds the demo's past: leave taken and planned, bookings of the
	// last weeks, car trips. Tests that count days or bookings start without it.
	History bool
}

// SeedDemo loads the whole demo city hall into an empty database and reports whether it did.
func (a *App) SeedDemo(ctx context.Context) (bool, error) {
	return a.SeedDemoWith(ctx, DemoOptions{History: true})
}

// SeedDemoWith loads the demo chosen by opts into an empty database.
func (a *App) SeedDemoWith(ctx context.Context, opts DemoOptions) (bool, error) {
	withLeave := opts.History
	empty, err := a.People.IsEmpty(ctx)
	if err != nil || !empty {
		return false, err
	}
	if err := a.People.SeedDemo(ctx, "kapu.example.org"); err != nil {
		return false, fmt.Errorf("demo people: %w", err)
	}
	if err := a.seedDemoCalendar(ctx); err != nil {
		return false, fmt.Errorf("demo calendar: %w", err)
	}
	if err := a.seedDemoRooms(ctx, withLeave); err != nil {
		return false, fmt.Errorf("demo rooms: %w", err)
	}
	if err := a.seedDemoCars(ctx); err != nil {
		return false, fmt.Errorf("demo cars: %w", err)
	}
	if withLeave {
		if err := a.seedDemoBookingHistory(ctx); err != nil {
			return false, fmt.Errorf("demo booking history: %w", err)
		}
		if err := a.seedDemoCarTrips(ctx); err != nil {
			return false, fmt.Errorf("demo car trips: %w", err)
		}
	}
	if withLeave {
		if err := a.seedDemoLeave(ctx); err != nil {
			return false, fmt.Errorf("demo leave: %w", err)
		}
	}
	if err := a.DB.SetSetting(ctx, settingDemo, "1"); err != nil {
		return false, err
	}
	a.demo.Store(true)
	return true, nil
}
