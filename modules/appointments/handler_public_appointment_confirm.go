package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePublicAppointmentConfirmAsk shows the confirmation button of a
// pending appointment (the mailed link); nothing changes on a GET.
func (m *Module) handlePublicAppointmentConfirmAsk(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	page := &askPage{pubBase: pubBase{office: &v.Office}, Appt: pa, Token: web.FormToken(c, formManage)}
	status := fiber.StatusOK
	if !pa.Pending && v.Status != StatusBooked {
		page.Error, status = errKeys[ErrNotActive], fiber.StatusConflict
	}
	return web.RenderPublic(c, "appointments/public_confirm", web.Page{Title: "appt.confirm.title", Data: page, Status: status})
}

// handlePublicAppointmentConfirm confirms a pending appointment while its hold lasts.
func (m *Module) handlePublicAppointmentConfirm(c *fiber.Ctx) error {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return err
	}
	page := &askPage{pubBase: pubBase{office: &v.Office}, Appt: pa, Token: web.FormToken(c, formManage)}
	if terr := web.CheckFormToken(c, formManage, 0, formMaxAge); terr != nil {
		page.Error = formTokenKey(terr)
		return web.RenderPublic(c, "appointments/public_confirm", web.Page{Title: "appt.confirm.title", Data: page, Status: fiber.StatusUnprocessableEntity})
	}
	if _, err := m.svc.Confirm(c.UserContext(), web.ActorOf(c), Ref{Token: trimToken(c.Params("token"))}); err != nil {
		if page.Error = errKey(err); page.Error == "" {
			return err
		}
		return web.RenderPublic(c, "appointments/public_confirm", web.Page{Title: "appt.confirm.title", Data: page, Status: statusOf(err)})
	}
	return c.Redirect(pa.Link+"?confirmed=1", fiber.StatusSeeOther)
}
