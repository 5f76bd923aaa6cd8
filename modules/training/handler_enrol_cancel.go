package training

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleEnrolCancelConfirm asks before an enrolment is given up: the seat
// goes to the first waiting, a pending request is withdrawn. It changes nothing.
func (m *Module) handleEnrolCancelConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	v, err := m.svc.EnrolmentOf(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	back := enrolmentPath(v.ID)
	if !v.CanCancel {
		web.AddFlash(c, "error", web.T(c, "training.enrol.err.not_cancellable"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	details := []string{}
	switch v.Status {
	case EnrolEnrolled:
		details = append(details, web.T(c, "training.enrol.cancel.seat"))
	case EnrolPending:
		details = append(details, web.T(c, "training.enrol.cancel.pending"))
	}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "training.enrol.cancel.title",
		Question: web.T(c, "training.enrol.cancel.question", "Training", v.Title(web.LangOf(c))),
		Details:  details,
		Action:   back + "/cancel",
		Button:   web.T(c, "training.enrol.cancel.button"),
		Back:     back,
	})
}

// handleEnrolCancel gives the enrolment up; one that can no longer be
// cancelled says so.
func (m *Module) handleEnrolCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	back := web.NextOr(c, enrolmentPath(id))
	err = m.svc.CancelEnrolment(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable):
		web.AddFlash(c, "error", web.T(c, "training.enrol.err.not_cancellable"))
	case errors.Is(err, ErrEnrolNotYours):
		web.AddFlash(c, "error", web.T(c, "training.enrol.err.not_yours"))
	case err != nil:
		return err
	default:
		web.Success(c, "training.enrol.flash.cancelled")
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
