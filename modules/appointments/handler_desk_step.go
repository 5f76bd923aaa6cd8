package appointments

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleDeskStep takes one step of an appointment on the day (arrive, call,
// serve, no-show, undo) and returns to the view it came from with a message
// that offers to undo it. A step its state does not allow answers 409 and
// changes nothing (the service decides).
func (m *Module) handleDeskStep(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	var appt *Appointment
	step := c.Params("step")
	switch step {
	case "arrive":
		appt, err = s.Arrive(ctx, a, id)
	case "call":
		desk, ok := web.ID(c.FormValue("desk"))
		if !ok {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "desk")
		}
		appt, err = s.Call(ctx, a, id, desk)
	case "serve":
		appt, err = s.Serve(ctx, a, id)
	case "no-show":
		appt, err = s.NoShow(ctx, a, id)
	case "undo":
		appt, err = s.Undo(ctx, a, id)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	back := deskBack(c)
	label := appt.Code
	if appt.Ticket > 0 {
		label = web.T(c, "appointments.desk.ticket_n", "N", appt.Ticket)
	}
	if step == "undo" {
		web.Success(c, "appointments.desk.done.undo", "Who", label, "Status", web.T(c, "appointments.desk.status."+appt.Status))
	} else {
		web.SuccessUndo(c, "/desk/a/"+web.FormatID(appt.ID)+"/undo?next="+urlQuery(back),
			"appointments.desk.done."+step, "Who", label)
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

// handleDeskWalkIn takes a walk-in: a free desk now, or a ticket for the
// waiting list.
func (m *Module) handleDeskWalkIn(c *fiber.Ctx) error {
	s, a, ctx := m.svc, web.ActorOf(c), c.UserContext()
	back := deskBack(c)
	office, ok1 := web.ID(c.FormValue("office"))
	typ, ok2 := web.ID(c.FormValue("type"))
	if !ok1 || !ok2 {
		web.AddFlash(c, "error", web.T(c, "appointments.desk.walkin.choose_type"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	appt, err := s.WalkIn(ctx, a, office, typ, c.FormValue("name"))
	switch {
	case errors.Is(err, ErrName):
		web.AddFlash(c, "error", web.T(c, "appointments.desk.walkin.bad_name"))
		return c.Redirect(back, fiber.StatusSeeOther)
	case errors.Is(err, ErrUnknownType), errors.Is(err, ErrUnknownOffice):
		web.AddFlash(c, "error", web.T(c, "appointments.desk.walkin.choose_type"))
		return c.Redirect(back, fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	if appt.DeskID != nil {
		v, err := s.Describe(ctx, appt)
		if err != nil {
			return err
		}
		web.Success(c, "appointments.desk.walkin.booked", "Code", appt.Code, "Desk", v.Desk.Name, "Time", deskClock(appt.StartAt, s.tz))
	} else {
		web.Success(c, "appointments.desk.walkin.waiting", "N", appt.Ticket)
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
