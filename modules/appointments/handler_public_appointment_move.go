package appointments

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// moveTarget is the appointment being moved through its link, with its
// case type and office; a problem page (done) when it can no longer move.
func (m *Module) moveTarget(c *fiber.Ctx) (*View, *pubAppt, linkBase, bool, error) {
	v, pa, done, err := m.loadAppt(c)
	if done {
		return nil, nil, linkBase{}, true, err
	}
	links := linkBase{Base: pa.Link + "/move", Move: true}
	if err := m.svc.changeable(v.Appointment, false); err != nil {
		return nil, nil, links, true, serviceProblem(c, err, problem{pubBase: pubBase{office: &v.Office},
			Back: pa.Link, BackLabel: "appt.my.back"})
	}
	return v, pa, links, false, nil
}

// handlePublicMoveMonth is the month view for choosing a new time; the old
// one is kept until the new one is won.
func (m *Module) handlePublicMoveMonth(c *fiber.Ctx) error {
	v, pa, links, done, err := m.moveTarget(c)
	if done {
		return err
	}
	first := monthParam(c, dateIn(*v.StartAt, m.svc))
	mv, err := m.buildMonth(c, &v.Type, &v.Office, links, first)
	if err != nil {
		return err
	}
	mv.Appt = pa
	return web.RenderPublic(c, "appointments/public_month", web.Page{Title: "appt.move.title", Data: mv})
}

// handlePublicMoveDay is a day's free times as buttons of the move form.
func (m *Module) handlePublicMoveDay(c *fiber.Ctx) error {
	v, pa, links, done, err := m.moveTarget(c)
	if done {
		return err
	}
	d, err := dateParam(c)
	if err != nil {
		return err
	}
	return m.renderMoveDay(c, v, pa, links, d, "", fiber.StatusOK)
}

func (m *Module) renderMoveDay(c *fiber.Ctx, v *View, pa *pubAppt, links linkBase, d calendar.Date, msg string, status int) error {
	dv, err := m.buildDay(c, &v.Type, &v.Office, links, d, v.StartAt)
	if err != nil {
		return err
	}
	dv.Appt, dv.FormToken, dv.Error, dv.TimeBefore = pa, web.FormToken(c, formManage), msg, pa.When
	return web.RenderPublic(c, "appointments/public_day", web.Page{Title: "appt.move.title", Data: dv, Status: status})
}

// handlePublicAppointmentMove moves the appointment to the chosen time and
// goes back to the personal page; a time taken meanwhile shows the day again.
func (m *Module) handlePublicAppointmentMove(c *fiber.Ctx) error {
	v, pa, links, done, err := m.moveTarget(c)
	if done {
		return err
	}
	d, derr := calendar.ParseDate(c.FormValue("date"))
	if derr != nil {
		return renderProblem(c, fiber.StatusUnprocessableEntity, problem{pubBase: pubBase{office: &v.Office},
			Text: errKeys[ErrNotASlot], Back: links.Base, BackLabel: "appt.pub.back_month"})
	}
	if terr := web.CheckFormToken(c, formManage, 0, formMaxAge); terr != nil {
		return m.renderMoveDay(c, v, pa, links, d, formTokenKey(terr), fiber.StatusUnprocessableEntity)
	}
	start, err := parseHHMM(d, c.FormValue("at"), m.svc.tz)
	if err == nil {
		_, err = m.svc.Move(c.UserContext(), web.ActorOf(c), Ref{Token: trimToken(c.Params("token"))}, start, "")
	}
	switch {
	case err == nil:
		return c.Redirect(pa.Link+"?moved=1", fiber.StatusSeeOther)
	case errors.Is(err, ErrNotActive), errors.Is(err, ErrStarted):
		return serviceProblem(c, err, problem{pubBase: pubBase{office: &v.Office}, Back: pa.Link, BackLabel: "appt.my.back"})
	case errKey(err) != "":
		return m.renderMoveDay(c, v, pa, links, d, errKey(err), statusOf(err))
	}
	return err
}
