package approval

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRequestShow shows a request with its steps, history and, for its
// current decider, the approve and reject forms.
func (m *Module) handleRequestShow(c *fiber.Ctx) error {
	return m.renderRequest(c, fiber.Map{"Comment": ""}, nil, fiber.StatusOK)
}

// handleRequestDecide records an approval or rejection made in the app.
func (m *Module) handleRequestDecide(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	comment := c.FormValue("comment")
	d := Decision{RequestID: id, Approve: c.FormValue("decision") == ActionApprove, Comment: comment}
	if c.FormValue("decision") != ActionApprove && c.FormValue("decision") != ActionReject {
		return fiber.ErrBadRequest
	}
	req, err := m.engine.Decide(c.UserContext(), web.ActorOf(c), d)
	switch {
	case errors.Is(err, ErrReasonRequired), errors.Is(err, ErrCommentTooLong):
		errs := web.Errors{}
		errs.Add("comment", reasonKey(err))
		return m.renderRequest(c, fiber.Map{"Comment": comment}, errs, fiber.StatusUnprocessableEntity)
	case errors.Is(err, ErrDecided):
		web.AddFlash(c, "info", web.T(c, "approval.already_decided"))
		return c.Redirect(c.Path(), fiber.StatusSeeOther)
	}
	if ref, ok := AsRefusal(err); ok {
		// The kind refused: nothing was decided, and the page says why.
		errs := web.Errors{}
		errs.Add("", ref.Key, ref.Args...)
		return m.renderRequest(c, fiber.Map{"Comment": comment}, errs, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	web.Success(c, "approval.decided_"+statusKey(req.Status, d.Approve), "Title", req.Title)
	return c.Redirect("/approvals", fiber.StatusSeeOther)
}

func (m *Module) renderRequest(c *fiber.Ctx, form fiber.Map, errs web.Errors, status int) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	d, err := m.engine.Detail(c.UserContext(), web.ActorOf(c), id, web.LangOf(c))
	if err != nil {
		return err
	}
	canDecide := d.Current != nil && d.Current.CanDecide(web.ViewerOf(c).ID)
	return web.Render(c, "approval/request", web.Page{
		Title: "approval.request_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"D": d, "CanDecide": canDecide},
	})
}

// reasonKey names the message for a comment the engine refused.
func reasonKey(err error) string {
	if errors.Is(err, ErrCommentTooLong) {
		return "validation.too_long"
	}
	return "approval.reason_required"
}

// statusKey says what a decision did: approved the last step, passed the request
// on to the next step, or rejected it.
func statusKey(status string, approve bool) string {
	switch {
	case !approve:
		return "rejected"
	case status == StatusApproved:
		return "approved"
	}
	return "forwarded"
}
