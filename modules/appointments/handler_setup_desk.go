package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSetupDeskNew shows an empty desk form for the office in the path.
func (m *Module) handleSetupDeskNew(c *fiber.Ctx) error {
	o, _, err := m.setupOffice(c)
	if err != nil {
		return err
	}
	return m.renderDeskForm(c, o, nil, newDeskForm(), nil, fiber.StatusOK)
}

// handleSetupDeskCreate adds a desk with its week and case types.
func (m *Module) handleSetupDeskCreate(c *fiber.Ctx) error {
	o, _, err := m.setupOffice(c)
	if err != nil {
		return err
	}
	return m.saveDesk(c, o, nil)
}

// handleSetupDeskEdit shows a desk's form, its exceptions and the form to add one.
func (m *Module) handleSetupDeskEdit(c *fiber.Ctx) error {
	d, o, ex, err := m.setupDesk(c)
	if err != nil {
		return err
	}
	return m.renderDeskPage(c, o, d, ex, deskFormOf(d), newExceptionForm(), nil, fiber.StatusOK)
}

// handleSetupDeskUpdate saves a desk's name, state, week and case types at once.
func (m *Module) handleSetupDeskUpdate(c *fiber.Ctx) error {
	d, o, _, err := m.setupDesk(c)
	if err != nil {
		return err
	}
	return m.saveDesk(c, o, d)
}

func (m *Module) saveDesk(c *fiber.Ctx, o *Office, d *DeskRow) error {
	form := parseDeskForm(c)
	in, errs := form.input()
	if errs.Any() {
		return m.renderDeskForm(c, o, d, form, errs, fiber.StatusUnprocessableEntity)
	}
	var id uint
	if d != nil {
		id = d.ID
	}
	saved, err := m.svc.SaveDesk(c.UserContext(), web.ActorOf(c), o.ID, id, in)
	if errs, ok := web.FieldErrors(err, nil); ok {
		return m.renderDeskForm(c, o, d, form, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	key := "appointments.setup.desk.saved"
	if d == nil {
		key = "appointments.setup.desk.created"
	}
	web.Success(c, key, "Name", saved.Name)
	return c.Redirect("/desk/setup/offices/"+web.FormatID(o.ID), fiber.StatusSeeOther)
}

// setupDesk is the desk of the :id in the path, with its office and exceptions.
func (m *Module) setupDesk(c *fiber.Ctx) (*DeskRow, *Office, []DeskException, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, nil, nil, err
	}
	return m.svc.SetupDesk(c.UserContext(), web.ActorOf(c), id)
}

// renderDeskForm shows the desk form again; a stored desk's page keeps its exceptions.
func (m *Module) renderDeskForm(c *fiber.Ctx, o *Office, d *DeskRow, form deskForm, errs web.Errors, status int) error {
	var ex []DeskException
	if d != nil {
		var err error
		if _, _, ex, err = m.svc.SetupDesk(c.UserContext(), web.ActorOf(c), d.ID); err != nil {
			return err
		}
	}
	return m.renderDeskPage(c, o, d, ex, form, newExceptionForm(), errs, status)
}

// renderDeskPage shows a new desk's form (d nil), or a stored desk's form
// with its exceptions and the form to add one (exf, its fields prefixed ex_).
func (m *Module) renderDeskPage(c *fiber.Ctx, o *Office, d *DeskRow, ex []DeskException, form deskForm, exf exceptionForm, errs web.Errors, status int) error {
	types, err := m.svc.SetupCaseTypes(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	opts := make([]web.Option, len(types))
	for i, t := range types {
		label := t.Name(lang)
		if !t.Active {
			label += " (" + web.T(c, "appointments.setup.inactive") + ")"
		}
		opts[i] = web.Option{Value: web.FormatID(t.ID), Label: label}
	}
	kinds := []web.Option{
		{Value: ExceptionClosed, Label: web.T(c, "appointments.setup.exception.kind_closed")},
		{Value: ExceptionHours, Label: web.T(c, "appointments.setup.exception.kind_hours")},
	}
	title := "appointments.setup.desk.new"
	if d != nil {
		title = "appointments.setup.desk.edit"
	}
	return web.RenderForm(c, "appointments/setup_desk", web.Page{
		Title: title, Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Office": o, "Desk": d, "Exceptions": ex, "TypeOptions": opts, "Exception": exf, "KindOptions": kinds},
	})
}
