package leave

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleRequestCancelConfirm asks before withdrawing a request or cancelling
// (or asking to cancel) approved leave, saying which of these it will be.
// It changes nothing.
func (m *Module) handleRequestCancelConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	a := web.ActorOf(c)
	r, row, _, err := m.svc.RequestPage(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	back := "/leave/requests/" + web.FormatID(r.ID)
	how, err := m.svc.CancelWay(c.UserContext(), a, r)
	if errors.Is(err, ErrNotCancellable) || errors.Is(err, ErrForbidden) {
		web.AddFlash(c, "error", web.T(c, "leave.error.not_cancellable"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	// Only the days phrase takes a plural (a Count on a message without
	// plural forms would not translate).
	days := web.T(c, "leave.cancel_confirm.days", "Count", strconv.FormatFloat(r.Days(), 'f', -1, 64),
		"Days", i18n.FormatFigure(lang, r.Days()))
	args := []any{"Type", row.TypeName(lang), "Dates", m.svc.dateRange(lang, r), "Name", row.Person, "Days", days}
	// The words follow Cancel's rules (CancelWay): cancelling someone else's
	// leave at once is HR's, one's own without a manager to ask reads the same.
	kind := how
	if how == CancelAtOnce {
		kind = "hr"
	}
	details := []string{web.T(c, "leave.cancel_confirm."+kind+"_effect", args...)}
	if how != CancelAsk {
		details = append(details, web.T(c, "leave.undo.offer", "Minutes", int(UndoWindow.Minutes())))
	}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "leave.cancel_confirm.title",
		Question: web.T(c, "leave.cancel_confirm."+kind+"_question", args...),
		Details:  details,
		Action:   back + "/cancel",
		Button:   web.T(c, "leave.cancel_confirm."+kind+"_button"),
		Back:     back,
	})
}

// handleRequestCancel cancels a pending request, or asks to cancel approved
// leave; a cancellation done at once offers to submit the dates again.
func (m *Module) handleRequestCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	back := web.NextOr(c, "/leave/requests/"+web.FormatID(id))
	r, err := m.svc.Cancel(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable):
		web.AddFlash(c, "error", web.T(c, "leave.error.not_cancellable"))
	case err != nil:
		return err
	case r.Status == StatusCancelRequested:
		web.Success(c, "leave.cancel_asked")
	default:
		web.SuccessAction(c, "/leave/requests/"+web.FormatID(id)+"/resubmit", "leave.undo.button", "leave.cancelled_undo", "Minutes", int(UndoWindow.Minutes()))
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

// handleRequestResubmit is the undo of a cancellation: the same dates go in
// again as a new request (see Service.Resubmit), whose page it then shows.
func (m *Module) handleRequestResubmit(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	back := "/leave/requests/" + web.FormatID(id)
	req, err := m.svc.Resubmit(c.UserContext(), web.ActorOf(c), id)
	if fe, ok := formErrors(err); ok {
		for _, msg := range fe {
			web.AddFlash(c, "error", web.T(c, "leave.undo.refused", "Reason", web.T(c, msg.Key, msg.Args...)))
		}
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	switch {
	case errors.Is(err, ErrUndoExpired):
		web.AddFlash(c, "error", web.T(c, "leave.undo.expired", "Minutes", int(UndoWindow.Minutes())))
		return c.Redirect(back, fiber.StatusSeeOther)
	case errors.Is(err, ErrNotRestorable):
		web.AddFlash(c, "error", web.T(c, "leave.undo.not_possible"))
		return c.Redirect(back, fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	if req.Status == StatusApproved {
		web.Success(c, "leave.undo.done_approved")
	} else {
		web.Success(c, "leave.undo.done")
	}
	return c.Redirect("/leave/requests/"+web.FormatID(req.ID), fiber.StatusSeeOther)
}
