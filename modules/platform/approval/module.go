package approval

import (
	"context"

	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/web"
)

// Module serves the "waiting for me" inbox, request pages and email links.
type Module struct {
	engine *Engine
	secret string
}

// NewModule returns the web side of the engine; secret signs the email-link forms.
func NewModule(e *Engine, secret string) *Module { return &Module{engine: e, secret: secret} }

// Name is the module's short name.
func (m *Module) Name() string { return "approval" }

// Models lists the tables of the module.
func (m *Module) Models() []any { return Models() }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages. Email links under /a/ work without
// signing in; their forms carry their own signature instead of the session's CSRF token.
func (m *Module) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.approvals", Path: "/approvals", Icon: "inbox", Count: m.waitingCount})
	s.AddCard(m.waitingCard)
	g := s.App.Group("/approvals", web.RequireLogin)
	g.Get("/", m.handleInbox)
	g.Post("/bulk", m.handleInboxBulkApprove)
	g.Post("/prefs", m.handleInboxPrefs)
	g.Get("/:id", m.handleRequestShow)
	g.Post("/:id", m.handleRequestDecide)

	s.ExemptCSRF("/a/")
	s.SecretPath("/a/")
	s.App.Get("/a/:token", m.handleLinkShow)
	s.App.Post("/a/:token", m.handleLinkDecide)
}

func (m *Module) waitingCount(ctx context.Context, v *web.Viewer) int {
	n, err := m.engine.Waiting(ctx, v.ID)
	if err != nil {
		return 0
	}
	return int(n)
}

// Demo adds nothing: the module has no demo data of its own.
func (m *Module) Demo(context.Context, demo.Options) error { return nil }
