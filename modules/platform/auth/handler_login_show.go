package auth

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// loginForm keeps the typed username when the form comes back.
type loginForm struct {
	Username string
	Next     string
}

// handleLoginForm shows the sign-in page (and demo logins in demo mode).
func (m *Module) handleLoginForm(c *fiber.Ctx) error {
	if web.ViewerOf(c) != nil {
		return c.Redirect(web.SafeNext(c.Query("next"), "/"), fiber.StatusSeeOther)
	}
	return m.renderLogin(c, loginForm{Next: c.Query("next")}, nil, fiber.StatusOK)
}

// handleLogin checks the password and starts a new session.
func (m *Module) handleLogin(c *fiber.Ctx) error {
	form := loginForm{Username: c.FormValue("username"), Next: c.FormValue("next")}
	p, err := m.people.Authenticate(c.UserContext(), form.Username, c.FormValue("password"))
	if errors.Is(err, people.ErrBadCredentials) {
		errs := web.Errors{}
		errs.Add("", "login.failed")
		return m.renderLogin(c, form, errs, fiber.StatusUnauthorized)
	}
	if err != nil {
		return err
	}
	if err := web.SignIn(c, p.ID); err != nil {
		return err
	}
	return c.Redirect(web.SafeNext(form.Next, "/"), fiber.StatusSeeOther)
}

func (m *Module) renderLogin(c *fiber.Ctx, form loginForm, errs web.Errors, status int) error {
	return web.RenderForm(c, "auth/login", web.Page{
		Title: "login.title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"DemoLogins": people.DemoAccounts},
	})
}
