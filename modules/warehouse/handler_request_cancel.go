package warehouse

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRequestCancelConfirm asks before the requester cancels: what is
// cancelled (the lines not handed over) and that reservations are
// released. It changes nothing.
func (m *Module) handleRequestCancelConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	v, err := m.svc.ViewRequest(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	back := requestPath(v.ID)
	if !v.CanCancel {
		web.AddFlash(c, "error", web.T(c, "warehouse.err.not_cancellable"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	details := []string{web.T(c, "warehouse.req.cancel_effect")}
	if v.Status == RequestPending {
		details = append(details, web.T(c, "warehouse.req.cancel_pending"))
	}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "warehouse.req.cancel_title",
		Question: web.T(c, "warehouse.req.cancel_question", "Number", web.FormatID(v.ID)),
		Details:  details,
		Action:   back + "/cancel",
		Button:   web.T(c, "warehouse.req.cancel_button"),
		Back:     back,
	})
}

// handleRequestCancel cancels the request's open lines and releases their
// reservations; a request with nothing left to cancel says so.
func (m *Module) handleRequestCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	back := web.NextOr(c, requestPath(id))
	_, err = m.svc.CancelRequest(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable), errors.Is(err, ErrRequestNotOwn):
		key, _ := Message(m.svc.cat, web.LangOf(c), err)
		web.AddFlash(c, "error", web.T(c, key))
	case err != nil:
		return err
	default:
		web.Success(c, "warehouse.req.cancelled", "Number", web.FormatID(id))
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
