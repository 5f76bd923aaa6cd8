package appointments

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleSetupOfficeNew shows an empty office form.
func (m *Module) handleSetupOfficeNew(c *fiber.Ctx) error {
	return m.renderOfficeForm(c, nil, nil, officeForm{Active: true}, nil, fiber.StatusOK)
}

// handleSetupOfficeCreate adds the office and goes on to its page, where its desks are added.
func (m *Module) handleSetupOfficeCreate(c *fiber.Ctx) error { return m.saveOffice(c, nil, nil) }

// handleSetupOfficeEdit shows an office's form with its desks.
func (m *Module) handleSetupOfficeEdit(c *fiber.Ctx) error {
	o, desks, err := m.setupOffice(c)
	if err != nil {
		return err
	}
	return m.renderOfficeForm(c, o, desks, officeFormOf(o), nil, fiber.StatusOK)
}

// handleSetupOfficeUpdate saves an office; an unticked Active takes it off
// the public pages while its appointments stay.
func (m *Module) handleSetupOfficeUpdate(c *fiber.Ctx) error {
	o, desks, err := m.setupOffice(c)
	if err != nil {
		return err
	}
	return m.saveOffice(c, o, desks)
}

func (m *Module) saveOffice(c *fiber.Ctx, o *Office, desks []DeskRow) error {
	form := parseOfficeForm(c)
	var id uint
	if o != nil {
		id = o.ID
	}
	saved, err := m.svc.SaveOffice(c.UserContext(), web.ActorOf(c), id, form.input())
	if errs, ok := web.FieldErrors(err, nil); ok {
		return m.renderOfficeForm(c, o, desks, form, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if o == nil {
		web.Success(c, "appointments.setup.office.created", "Name", saved.Name)
		return c.Redirect("/desk/setup/offices/"+web.FormatID(saved.ID), fiber.StatusSeeOther)
	}
	web.Success(c, "appointments.setup.office.saved", "Name", saved.Name)
	return c.Redirect("/desk/setup", fiber.StatusSeeOther)
}

// handleSetupOfficeDeleteConfirm asks before deleting an office and its desks. It changes nothing.
func (m *Module) handleSetupOfficeDeleteConfirm(c *fiber.Ctx) error {
	o, _, err := m.setupOffice(c)
	if err != nil {
		return err
	}
	path := "/desk/setup/offices/" + web.FormatID(o.ID)
	return web.RenderConfirm(c, web.Confirm{
		Title:    "appointments.setup.office.delete_title",
		Question: web.T(c, "appointments.setup.office.delete_question", "Name", o.Name),
		Details:  []string{web.T(c, "appointments.setup.office.delete_help")},
		Action:   path + "/delete",
		Button:   web.T(c, "appointments.setup.office.delete"),
		Back:     path,
	})
}

// handleSetupOfficeDelete deletes an office that never had an appointment;
// one that had gets its form again, saying to deactivate it instead.
func (m *Module) handleSetupOfficeDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	o, err := m.svc.DeleteOffice(c.UserContext(), web.ActorOf(c), id)
	if errors.Is(err, ErrHasAppointments) {
		o, desks, err := m.setupOffice(c)
		if err != nil {
			return err
		}
		errs := web.Errors{}
		errs.Add("", "appointments.setup.office.has_appointments")
		return m.renderOfficeForm(c, o, desks, officeFormOf(o), errs, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	web.Success(c, "appointments.setup.office.deleted", "Name", o.Name)
	return c.Redirect("/desk/setup", fiber.StatusSeeOther)
}

// setupOffice is the office of the :id in the path, with its desks.
func (m *Module) setupOffice(c *fiber.Ctx) (*Office, []DeskRow, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, nil, err
	}
	return m.svc.SetupOffice(c.UserContext(), web.ActorOf(c), id)
}

// renderOfficeForm shows the form of a new (o nil) or stored office, the
// stored one with its desks and their weeks.
func (m *Module) renderOfficeForm(c *fiber.Ctx, o *Office, desks []DeskRow, form officeForm, errs web.Errors, status int) error {
	data := fiber.Map{"Office": o, "Desks": desks}
	if o != nil {
		used, err := m.svc.OfficeHasAppointments(c.UserContext(), o.ID)
		if err != nil {
			return err
		}
		data["Deletable"] = !used
		weeks := make(map[uint][]string, len(desks))
		for _, d := range desks {
			weeks[d.ID] = d.WeekText(func(wd time.Weekday) string { return web.T(c, setupWeekdayKey(wd)+"_short") })
		}
		data["Weeks"] = weeks
	}
	title := "appointments.setup.office.new"
	if o != nil {
		title = "appointments.setup.office.edit"
	}
	return web.RenderForm(c, "appointments/setup_office", web.Page{Title: title, Form: form, Errors: errs, Status: status, Data: data})
}
