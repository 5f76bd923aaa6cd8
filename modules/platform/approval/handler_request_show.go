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
		Data: fiber.Map{"D": d, "CanDecide": canDecide, "Progress": progressText(c, d.Progress)},
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
