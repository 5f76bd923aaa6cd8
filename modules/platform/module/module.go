// Package module is the contract between the suite (modules/kapu) and its
// modules: what a module declares about itself, and the one set of kernel
// services a service module is built from.
//
// Platform modules (people, calendar, approval, …) fulfil Module without
// importing this package, which imports them for Deps; the types the
// contract names therefore live in leaf packages (schedule, demo).
package module

import (
	"context"
	"log/slog"

	"kapu/config"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Deps are the kernel services every service module's New takes. A test that
// builds one service alone may leave out what it does not exercise: a nil
// Outbox sends no mail, a nil Approval refuses what needs approving.
type Deps struct {
	Cfg      *config.Config
	DB       *db.DB
	Log      *slog.Logger
	Catalog  *i18n.Catalog
	People   *people.Service
	Calendar *calendar.Calendar
	Outbox   *notify.Outbox
	Approval *approval.Engine
}

// Module is what every module gives the suite. The suite calls each method
// once, module by module in its list, which is also the order their demo
// data depends on.
type Module interface {
	// Name is the module's short name in errors and logs.
	Name() string
	// Models are the GORM types whose tables the module owns.
	Models() []any
	// Migrations are the module's explicit SQL steps (constraints GORM cannot express).
	Migrations() []db.Migration
	// Routes registers the module's pages and its navigation entries.
	Routes(s *web.Server)
	// Jobs registers the module's scheduled work.
	Jobs(j schedule.Registrar) error
	// Demo adds the module's part of the demo city hall to an empty
	// database; the modules before it in the list have added theirs.
	Demo(ctx context.Context, o demo.Options) error
}

// ApprovalKinds is a module whose requests go through the approval engine;
// the suite registers the kinds before any request is submitted.
type ApprovalKinds interface {
	ApprovalKinds() []approval.Kind
}

// Composers is a module whose mails are written when the outbox sends them
// rather than when they are queued; the suite registers each by its name.
type Composers interface {
	Composers() map[string]notify.Composer
}

// AuditNames is a module whose records the audit log names in sentences
// ("Cancelled the booking Tárgyaló 2, 8 Dec 2026 10:00") instead of by id.
type AuditNames interface {
	AuditNames() map[string]audit.Namer
}

// Ensurer is a module with rows it cannot work without (leave's built-in
// types). Ensure runs after every migration, so it must be idempotent.
type Ensurer interface {
	Ensure(ctx context.Context) error
}
