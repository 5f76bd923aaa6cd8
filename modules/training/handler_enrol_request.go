package training

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// enrolFields puts the request's refusals by their fields.
var enrolFields = map[error]web.FieldMessage{
	ErrReasonRequired:       {"reason", "training.enrol.err.reason_required"},
	ErrReasonText:           {"reason", "training.enrol.err.reason_text"},
	ErrSessionNotOfTraining: {"session", "training.enrol.err.session"},
	ErrSessionStarted:       {"session", "training.enrol.err.session_started"},
	ErrAlreadyEnrolled:      {"", "training.enrol.err.already"},
	ErrNoApprover:           {"", "training.enrol.err.no_approver"},
	ErrNoApproval:           {"", "training.enrol.err.no_approver"},
}

// requestForm is the request form as typed.
type requestForm struct {
	Session, Reason string
}

// handleEnrolRequestForm shows the request form of a training, the session
// from ?session= chosen: the cost, and "in your plan — no approval needed"
// when so.
func (m *Module) handleEnrolRequestForm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	session, _ := web.ID(c.Query("session"))
	o, err := m.svc.OfferFor(c.UserContext(), web.ActorOf(c), id, session)
	if errors.Is(err, ErrSessionNotOfTraining) || errors.Is(err, ErrSessionStarted) {
		session = 0 // a stale link: the form without a session chosen
		o, err = m.svc.OfferFor(c.UserContext(), web.ActorOf(c), id, 0)
	}
	if err != nil {
		return err
	}
	f := requestForm{}
	if session != 0 {
		f.Session = strconv.FormatUint(uint64(session), 10)
	} else if len(o.Sessions) > 0 {
		f.Session = web.FormatID(o.Sessions[0].ID)
	}
	return m.renderRequestForm(c, o, f, web.Errors{})
}

// handleEnrolRequestCreate files the request (or books it straight away)
// and opens the enrolment's page; problems come back by their fields.
func (m *Module) handleEnrolRequestCreate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	a := web.ActorOf(c)
	f := requestForm{Session: c.FormValue("session"), Reason: c.FormValue("reason")}
	errs := web.Errors{}
	in := EnrolInput{TrainingID: id, Reason: f.Reason}
	if f.Session != "" && f.Session != "0" {
		in.SessionID = web.ParseID(f.Session, "session", errs)
	}
	var e *Enrolment
	if !errs.Any() {
		e, err = m.svc.RequestTraining(c.UserContext(), a, in)
		if err == nil {
			web.Success(c, "training.enrol.flash."+e.Status)
			return c.Redirect(enrolmentPath(e.ID), fiber.StatusSeeOther)
		}
		if !errs.AddFieldErrors(err, enrolFields) {
			return err
		}
	}
	o, oerr := m.svc.OfferFor(c.UserContext(), a, id, 0)
	if oerr != nil {
		return oerr
	}
	return m.renderRequestForm(c, o, f, errs)
}

func (m *Module) renderRequestForm(c *fiber.Ctx, o *Offer, f requestForm, errs web.Errors) error {
	return web.RenderForm(c, "training/enrol_request", web.Page{Title: "training.enrol.request.title",
		Data: fiber.Map{"O": o}, Form: f, Errors: errs})
}
