package approval

import (
	"crypto/hmac"
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleLinkDecide records the decision when the person presses the button.
// The form is signed for its own link, so a form cannot be replayed against another link.
func (m *Module) handleLinkDecide(c *fiber.Ctx) error {
	token := c.Params("token")
	comment := c.FormValue("comment")
	if !hmac.Equal([]byte(c.FormValue("sig")), []byte(m.sign(token))) {
		v, err := m.engine.Link(c.UserContext(), token)
		if err != nil {
			return err
		}
		errs := web.Errors{}
		errs.Add("", "approval.link_form_mismatch")
		return m.renderLink(c, token, v, fiber.Map{"Comment": comment}, errs, false)
	}
	v, err := m.engine.DecideByLink(c.UserContext(), token, comment, web.ClientIP(c))
	switch {
	case errors.Is(err, ErrReasonRequired), errors.Is(err, ErrCommentTooLong):
		errs := web.Errors{}
		errs.Add("comment", reasonKey(err))
		return m.renderLink(c, token, v, fiber.Map{"Comment": comment}, errs, false)
	case errors.Is(err, ErrLinkNotValid), errors.Is(err, ErrDecided):
		if v == nil {
			v, err = m.engine.Link(c.UserContext(), token)
			if err != nil {
				return err
			}
		}
		if v.State == LinkValid { // lost a race with another decision
			v.State = LinkDecided
		}
		return m.renderLink(c, token, v, fiber.Map{"Comment": comment}, nil, false)
	}
	if ref, ok := AsRefusal(err); ok && v != nil {
		errs := web.Errors{}
		errs.Add("", ref.Key, ref.Args...)
		return m.renderLink(c, token, v, fiber.Map{"Comment": comment}, errs, false)
	}
	if err != nil {
		return err
	}
	return m.renderLink(c, token, v, fiber.Map{"Comment": ""}, nil, true)
}
