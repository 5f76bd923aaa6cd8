// Package kapu assembles the suite: it opens the database, migrates every
// module's tables and builds the web server with each module's routes.
package kapu

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"kapu/config"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
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
	Log      *slog.Logger
	modules  []Module
	demo     atomic.Bool // the database holds demo data
}

// Open connects to the database and builds every module, without migrating.
func Open(cfg *config.Config, log *slog.Logger) (*App, error) {
	d, err := db.Open(cfg.DB)
	if err != nil {
		return nil, err
	}
	cat, err := i18n.Load()
	if err != nil {
		d.Close()
		return nil, err
	}
	a := &App{Cfg: cfg, DB: d, Log: log, People: people.NewService(d), Calendar: calendar.New(d.R)}
	a.Web = web.New(cfg, d, cat, log)
	a.Web.Demo = a.demo.Load
	a.modules = []Module{
		auth.New(a.People),
		newHome(),
		people.New(a.People),
		calendar.NewModule(d, a.Calendar),
		audit.New(d),
	}
	for _, m := range a.modules {
		m.Routes(a.Web)
	}
	a.Web.Finish()
	return a, nil
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
	v, err := a.DB.GetSetting(ctx, settingDemo)
	a.demo.Store(v == "1")
	return err
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

const settingDemo = "demo"

// SeedDemo loads the demo city hall into an empty database and reports whether it did.
func (a *App) SeedDemo(ctx context.Context) (bool, error) {
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
	if err := a.DB.SetSetting(ctx, settingDemo, "1"); err != nil {
		return false, err
	}
	a.demo.Store(true)
	return true, nil
}
