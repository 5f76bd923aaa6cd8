package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSetupTypeNew shows an empty case type form with the usual rules,
// placed after the existing types.
func (m *Module) handleSetupTypeNew(c *fiber.Ctx) error {
	types, err := m.svc.SetupCaseTypes(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	next := 10
	for _, t := range types {
		next = max(next, t.Order+10)
	}
	return m.renderTypeForm(c, nil, newCaseTypeForm(min(next, 9999)), nil)
}

// handleSetupTypeCreate adds a case type.
func (m *Module) handleSetupTypeCreate(c *fiber.Ctx) error { return m.saveCaseType(c, nil) }

// handleSetupTypeEdit shows a case type's form.
func (m *Module) handleSetupTypeEdit(c *fiber.Ctx) error {
	t, err := m.setupType(c)
	if err != nil {
		return err
	}
	return m.renderTypeForm(c, t, caseTypeFormOf(t), nil)
}

// handleSetupTypeUpdate saves a case type; an unticked Active hides it
// from new bookings while its appointments stay.
func (m *Module) handleSetupTypeUpdate(c *fiber.Ctx) error {
	t, err := m.setupType(c)
	if err != nil {
		return err
	}
	return m.saveCaseType(c, t)
}

func (m *Module) saveCaseType(c *fiber.Ctx, t *CaseType) error {
	form := parseCaseTypeForm(c)
	in, errs := form.input()
	if errs.Any() {
		return m.renderTypeForm(c, t, form, errs)
	}
	var id uint
	if t != nil {
		id = t.ID
	}
	saved, err := m.svc.SaveCaseType(c.UserContext(), web.ActorOf(c), id, in)
	if errs, ok := web.FieldErrors(err, nil); ok {
		return m.renderTypeForm(c, t, form, errs)
	}
	if err != nil {
		return err
	}
	key := "appointments.setup.type.saved"
	if t == nil {
		key = "appointments.setup.type.created"
	}
	web.Success(c, key, "Name", saved.Name(web.LangOf(c)))
	return c.Redirect("/desk/setup#types", fiber.StatusSeeOther)
}

// setupType is the case type of the :id in the path, active or not.
func (m *Module) setupType(c *fiber.Ctx) (*CaseType, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	return m.svc.SetupCaseType(c.UserContext(), web.ActorOf(c), id)
}

// renderTypeForm shows the form of a new (t nil) or stored case type; errors make it a 422.
func (m *Module) renderTypeForm(c *fiber.Ctx, t *CaseType, form caseTypeForm, errs web.Errors) error {
	title := "appointments.setup.type.new"
	if t != nil {
		title = "appointments.setup.type.edit"
	}
	return web.RenderForm(c, "appointments/setup_type", web.Page{Title: title, Form: form, Errors: errs, Data: fiber.Map{"Type": t}})
}
