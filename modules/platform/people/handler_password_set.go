package people

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePasswordLinkShow shows the set-password form of a mailed link, or
// why the link no longer works. It never changes anything: mail scanners
// fetch every link in a mail.
func (m *Module) handlePasswordLinkShow(c *fiber.Ctx) error {
	v, err := m.svc.PasswordLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return m.renderPasswordLink(c, v, nil, false)
}

// handlePasswordLinkSet sets the password when the person sends the form.
// The form carries the session's CSRF token like every other form.
func (m *Module) handlePasswordLinkSet(c *fiber.Ctx) error {
	v, err := m.svc.SetPasswordByLink(c.UserContext(), c.Params("token"),
		c.FormValue("password"), c.FormValue("confirm"), web.ClientIP(c))
	if errors.Is(err, ErrLinkNotValid) {
		return m.renderPasswordLink(c, v, nil, false)
	}
	if errs, ok := formErrors(err); ok {
		return m.renderPasswordLink(c, v, errs, false)
	}
	if err != nil {
		return err
	}
	return m.renderPasswordLink(c, v, nil, true)
}

// renderPasswordLink shows the link's page in the language of the person it
// was mailed to: the form, the "done" page, or what happened to the link.
func (m *Module) renderPasswordLink(c *fiber.Ctx, v *PasswordLinkView, errs web.Errors, done bool) error {
	if v.Person != nil && v.Person.Lang != "" {
		web.SetLang(c, v.Person.Lang)
	}
	status := 0 // RenderForm: 422 with errors
	switch {
	case errs.Any(), done:
	case v.State == LinkUnknown:
		status = fiber.StatusNotFound
	case v.State != LinkValid:
		status = fiber.StatusGone
	}
	title := "people.password_link.title_" + v.State
	if done {
		title = "people.password_link.title_done"
	}
	return web.RenderForm(c, "people/password_set", web.Page{
		Title: title, Errors: errs, Status: status,
		Data: fiber.Map{"V": v, "Done": done, "Token": c.Params("token"), "Hours": int(PasswordLinkTTL.Hours())},
	})
}
