package leave

import (
	"context"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/db"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Module serves the leave pages; everything it decides, the Service decides.
type Module struct {
	svc  *Service
	feed *people.Feed // each person's approved leave for their calendar app
}

// New returns the leave module with its service built from d.
func New(d module.Deps) *Module {
	svc := NewService(d)
	feed := &people.Feed{People: d.People, Name: "leave", Path: "/leave/feed", MaxAge: 15 * time.Minute, Write: svc.writeFeed}
	return &Module{svc: svc, feed: feed}
}

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "leave" }

// ApprovalKinds are the requests managers decide: leave, and the
// cancellation of leave already approved.
func (m *Module) ApprovalKinds() []approval.Kind {
	s := m.svc
	return []approval.Kind{
		{Name: KindLeave, Summary: s.summary, Describe: s.describe, OnApprove: s.onApprove, OnReject: s.onReject},
		{Name: KindCancel, Summary: s.summary, Describe: s.describe, OnApprove: s.onCancelApproved, OnReject: s.onCancelRejected},
	}
}

// Ensure adds the built-in leave types a fresh database lacks.
func (m *Module) Ensure(ctx context.Context) error { return m.svc.EnsureTypes(ctx) }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the invariants the database keeps itself.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages. The suite's navigation already links
// /leave; the module adds HR's leave administration.
func (m *Module) Routes(s *web.Server) {
	m.feed.Route(s)
	s.AddCard(m.myLeaveCard)
	s.AddCard(m.teamAwayCard)
	s.AddNav(web.NavItem{Key: "nav.leave_admin", Path: "/leave/admin", Icon: "leave", Section: web.SectionAdmin, Order: 10, Roles: []string{actor.HR}})
	g := s.App.Group("/leave", web.RequireLogin)
	g.Get("/", m.handleOverviewShow)
	g.Get("/new", m.handleRequestNew)
	g.Post("/new", m.handleRequestCreate)
	g.Get("/requests/:id", m.handleRequestShow)
	g.Get("/requests/:id/cancel", m.handleRequestCancelConfirm)
	g.Post("/requests/:id/cancel", m.handleRequestCancel)
	g.Post("/requests/:id/resubmit", m.handleRequestResubmit)
	g.Get("/plan", m.handlePlanShow)
	g.Post("/plan", m.handlePlanAdd)
	g.Post("/plan/remove", m.handlePlanRemove)
	g.Get("/team", m.handleTeamShow)

	hr := s.App.Group("/leave/admin", web.Require(actor.HR))
	hr.Get("/", m.handleBalanceList)
	hr.Get("/export.csv", m.handleBalanceExportCSV)
	hr.Get("/export.xlsx", m.handleBalanceExportXLSX)
	hr.Get("/stats", m.handleStatsShow)
	hr.Get("/types", m.handleTypeList)
	hr.Get("/types/new", m.handleTypeNew)
	hr.Post("/types", m.handleTypeCreate)
	hr.Get("/types/:id", m.handleTypeEdit)
	hr.Post("/types/:id", m.handleTypeUpdate)
	hr.Get("/entitlements", m.handleEntitlementForm)
	hr.Post("/entitlements", m.handleEntitlementSave)
	hr.Post("/adjustments", m.handleAdjustmentCreate)
	hr.Get("/record", m.handleRecordNew)
	hr.Post("/record", m.handleRecordCreate)
}
