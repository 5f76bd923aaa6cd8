package people

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePersonEdit shows a person's form filled in.
func (m *Module) handlePersonEdit(c *fiber.Ctx) error {
	p, err := m.personParam(c)
	if err != nil {
		return err
	}
	return m.renderPersonForm(c, p, personFormFrom(p), nil)
}

// handlePersonUpdate saves a person's form.
func (m *Module) handlePersonUpdate(c *fiber.Ctx) error {
	p, err := m.personParam(c)
	if err != nil {
		return err
	}
	form := parsePersonForm(c)
	in, errs := form.input()
	if len(errs) > 0 {
		return m.renderPersonForm(c, p, form, errs)
	}
	saved, err := m.svc.UpdatePerson(c.UserContext(), web.ActorOf(c), p.ID, in)
	if errs, ok := formErrors(err); ok {
		return m.renderPersonForm(c, p, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "people.saved", "Name", saved.Name)
	return c.Redirect(c.Path(), fiber.StatusSeeOther)
}

// handlePersonActivate deactivates or reactivates a person.
func (m *Module) handlePersonActivate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "1"
	err = m.svc.SetActive(c.UserContext(), web.ActorOf(c), id, active)
	var fe *FieldError
	if errors.As(err, &fe) {
		web.AddFlash(c, "error", web.T(c, fe.Key))
		return c.Redirect("/admin/people/"+c.Params("id"), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	if active {
		web.Success(c, "people.activated")
	} else {
		web.Success(c, "people.deactivated")
	}
	return c.Redirect("/admin/people/"+c.Params("id"), fiber.StatusSeeOther)
}

func (m *Module) personParam(c *fiber.Ctx) (*Person, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	p, err := m.svc.Person(c.UserContext(), id)
	return p, err
}
