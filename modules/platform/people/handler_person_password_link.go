package people

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePersonPasswordLink mails a person a set-password link, for HR and
// administrators: they help someone in without ever knowing the password.
func (m *Module) handlePersonPasswordLink(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	back := "/admin/people/" + c.Params("id")
	p, err := m.svc.SendPasswordLink(c.UserContext(), web.ActorOf(c), id)
	var fe *FieldError
	switch {
	case errors.As(err, &fe):
		web.AddFlash(c, "error", web.T(c, fe.Key))
		return c.Redirect(back, fiber.StatusSeeOther)
	case errors.Is(err, ErrNoMail):
		web.AddFlash(c, "error", web.T(c, "people.password_link.no_mail"))
		return c.Redirect(back, fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	web.Success(c, "people.password_link.sent", "Email", p.Email, "Hours", int(PasswordLinkTTL.Hours()))
	return c.Redirect(back, fiber.StatusSeeOther)
}
