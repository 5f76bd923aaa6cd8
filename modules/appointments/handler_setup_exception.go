package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// exceptionWhen is the exception's days for a sentence: "12–14 Jan" / "jan. 12–14.".
func (m *Module) exceptionWhen(c *fiber.Ctx, e *DeskException) string {
	tz := m.svc.tz
	return i18n.FormatDateRangeIn(web.LangOf(c), e.From.Start(tz), e.To.Start(tz), calendar.Today(tz).Year)
}

func newExceptionForm() exceptionForm { return exceptionForm{Kind: ExceptionClosed} }

// handleSetupExceptionCreate adds a closed day (or days with other hours)
// to the desk in the path; errors come back on the desk's page beside the
// exception's fields, the desk form as stored.
func (m *Module) handleSetupExceptionCreate(c *fiber.Ctx) error {
	d, o, ex, err := m.setupDesk(c)
	if err != nil {
		return err
	}
	form := parseExceptionForm(c)
	in, errs := form.input()
	if !errs.Any() {
		var saved *DeskException
		var affected int
		saved, affected, err = m.svc.AddException(c.UserContext(), web.ActorOf(c), d.ID, in)
		if fe, ok := web.FieldErrors(err, nil); ok {
			for field, msg := range fe {
				if field != "" {
					field = "ex_" + field
				}
				errs[field] = msg
			}
		} else if err != nil {
			return err
		} else {
			when := m.exceptionWhen(c, saved)
			if affected > 0 {
				web.AddFlash(c, "info", web.T(c, "appointments.setup.exception.affected", "Count", affected))
			}
			web.Success(c, "appointments.setup.exception.added", "Name", d.Name, "When", when)
			return c.Redirect("/desk/setup/desks/"+web.FormatID(d.ID)+"#exceptions", fiber.StatusSeeOther)
		}
	}
	return m.renderDeskPage(c, o, d, ex, deskFormOf(d), form, errs, fiber.StatusUnprocessableEntity)
}

// handleSetupExceptionDeleteConfirm asks before deleting an exception. It changes nothing.
func (m *Module) handleSetupExceptionDeleteConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	e, d, err := m.svc.Exception(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	when := m.exceptionWhen(c, e)
	return web.RenderConfirm(c, web.Confirm{
		Title:    "appointments.setup.exception.delete_title",
		Question: web.T(c, "appointments.setup.exception.delete_question", "Name", d.Name, "When", when),
		Details:  []string{web.T(c, "appointments.setup.exception.delete_help")},
		Action:   "/desk/setup/exceptions/" + web.FormatID(e.ID) + "/delete",
		Button:   web.T(c, "appointments.setup.exception.delete"),
		Back:     "/desk/setup/desks/" + web.FormatID(d.ID) + "#exceptions",
	})
}

// handleSetupExceptionDelete deletes the exception and returns to its desk.
func (m *Module) handleSetupExceptionDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	e, err := m.svc.DeleteException(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	web.Success(c, "appointments.setup.exception.deleted")
	return c.Redirect(web.NextOr(c, "/desk/setup/desks/"+web.FormatID(e.DeskID)+"#exceptions"), fiber.StatusSeeOther)
}
