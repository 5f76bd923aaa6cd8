// Package auth signs people in and out, loads the signed-in person for every
// request and limits password guessing.
package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// Sign-in limits, both counting failed attempts only: LoginAttempts per
// address and username, so one person's typos behind a shared office address
// do not lock out the others; and LoginAddressAttempts per address across all
// usernames, so nobody can try one common password against every account.
const (
	LoginAttempts        = 10
	LoginAddressAttempts = 30
	LoginWindow          = 5 * time.Minute
)

// Module serves the sign-in page and the language switch.
type Module struct {
	people *people.Service
}

// New returns the auth module.
func New(p *people.Service) *Module { return &Module{people: p} }

// Name is the module's short name.
func (m *Module) Name() string { return "auth" }

// Models lists the tables of the module.
func (m *Module) Models() []any { return []any{&web.StoredValue{}} }

// Migrations lists the module's SQL steps.
func (m *Module) Migrations() []db.Migration { return nil }

// Routes registers sign-in, sign-out and the language switch, and teaches the
// web layer how to load the signed-in person.
func (m *Module) Routes(s *web.Server) {
	s.LoadViewer = m.loadViewer
	s.App.Get("/login", m.handleLoginForm)
	// Both count failed attempts within LoginWindow; the counts live in the
	// database, shared by replicas.
	s.App.Post("/login",
		s.Limit(web.Limit{Name: "login-ip", Max: LoginAddressAttempts, Window: LoginWindow, FailedOnly: true, Key: web.ByIP}),
		s.Limit(web.Limit{Name: "login", Max: LoginAttempts, Window: LoginWindow, FailedOnly: true, Key: func(c *fiber.Ctx) string {
			return web.ClientIP(c) + ":" + strings.ToLower(strings.TrimSpace(c.FormValue("username")))
		}}),
		m.handleLogin)
	s.App.Post("/logout", m.handleLogout)
	s.App.Get("/lang/:code", m.handleLanguageSwitch)
}

// Jobs registers nothing: the suite prunes expired sessions with the web
// server's other upkeep.
func (m *Module) Jobs(schedule.Registrar) error { return nil }

// Demo adds nothing: the demo accounts are the people module's.
func (m *Module) Demo(context.Context, demo.Options) error { return nil }

// loadViewer turns a session's person id into a Viewer, or nil when the person
// is gone or deactivated (their session then ends).
func (m *Module) loadViewer(ctx context.Context, id uint) (*web.Viewer, error) {
	p, err := m.people.Person(ctx, id)
	if errors.Is(err, people.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, nil
	}
	return &web.Viewer{
		Actor:    actor.Actor{ID: p.ID, Name: p.Name, Roles: p.RoleNames()},
		Username: p.Username, Email: p.Email, Lang: p.Lang,
		MustChoosePassword: p.PasswordTemporary,
	}, nil
}
