package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// askPage is a question before an action on the personal page (cancel,
// confirm): the appointment, the button's form, or why it cannot be done.
type askPage struct {
	pubBase
	Appt  *pubAppt
	Token string
	Error string // a translation key
}

// handlePublicAppointmentCancelAsk asks before cancelling; nothing changes on a GET.
func (m *Module) handlePublicAppointmentCancelAsk(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	page := &askPage{pubBase: pubBase{office: &v.Office}, Appt: pa, Token: web.FormToken(c, formManage)}
	status := fiber.StatusOK
	if err := m.svc.changeable(v.Appointment, false); err != nil {
		page.Error, status = errKey(err), statusOf(err)
	}
	return web.RenderPublic(c, "appointments/public_cancel", web.Page{Title: "appt.cancel.title", Data: page, Status: status})
}

// handlePublicAppointmentCancel cancels through the link and goes back to
// the personal page; a refusal shows the question again with why.
func (m *Module) handlePublicAppointmentCancel(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	page := &askPage{pubBase: pubBase{office: &v.Office}, Appt: pa, Token: web.FormToken(c, formManage)}
	if terr := web.CheckFormToken(c, formManage, 0, formMaxAge); terr != nil {
		page.Error = formTokenKey(terr)
		return web.RenderPublic(c, "appointments/public_cancel", web.Page{Title: "appt.cancel.title", Data: page, Status: fiber.StatusUnprocessableEntity})
	}
	if _, err := m.svc.Cancel(c.UserContext(), web.ActorOf(c), Ref{Token: trimToken(c.Params("token"))}, ""); err != nil {
		if page.Error = errKey(err); page.Error == "" {
			return err
		}
		return web.RenderPublic(c, "appointments/public_cancel", web.Page{Title: "appt.cancel.title", Data: page, Status: statusOf(err)})
	}
	return c.Redirect(pa.Link+"?cancelled=1", fiber.StatusSeeOther)
}
