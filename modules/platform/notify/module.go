package notify

import (
	"context"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/web"
)

// Module serves the outbox page, where administrators see every message Kapu
// sends (or keeps, without an SMTP server) and retry or cancel one.
type Module struct {
	out *Outbox
}

// NewModule returns the admin module around the outbox.
func NewModule(o *Outbox) *Module { return &Module{out: o} }

// Name is the module's short name.
func (m *Module) Name() string { return "notify" }

// Models lists the tables of the module.
func (m *Module) Models() []any { return Models() }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return nil }

// Routes registers the module's pages.
func (m *Module) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.outbox", Path: "/admin/outbox", Icon: "mail", Section: web.SectionAdmin, Order: 50, Roles: []string{actor.Admin}})
	g := s.App.Group("/admin/outbox", web.Require(actor.Admin))
	g.Get("/", m.handleOutboxList)
	g.Get("/:id", m.handleMailView)
	g.Get("/:id/html", m.handleMailHTML)
	g.Get("/:id/files/:n", m.handleMailFile)
	g.Post("/:id/retry", m.handleMailRetry)
	g.Post("/:id/cancel", m.handleMailCancel)
}

// Demo adds nothing: the module has no demo data of its own.
func (m *Module) Demo(context.Context, demo.Options) error { return nil }
