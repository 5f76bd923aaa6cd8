package approval

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

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
	web.Success(c, "approval.decided_"+statusKey(req.Status, d.Approve), "Title", m.engine.Title(c.UserContext(), req, web.LangOf(c)))
	return c.Redirect("/approvals", fiber.StatusSeeOther)
}
