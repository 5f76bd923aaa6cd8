package approval

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/web"
)

// handleLinkDecide records the decision when the person presses the button.
// The form is signed for its own link, so a form cannot be replayed against another link.
func (m *Module) handleLinkDecide(c *fiber.Ctx) error {
	token := c.Params("token")
	comment := c.FormValue("comment")
	v, err := m.engine.Link(c.UserContext(), token)
	if err != nil {
		return err
	}
	form, values := fiber.Map{"Comment": comment}, map[string]string{}
	for _, l := range v.Lowerings {
		for _, f := range []string{l.QtyField, l.ReasonField} {
			if s, ok := posted(c, f); ok {
				form[f], values[f] = s, s
			}
		}
	}
	if !linktoken.CheckFormSig(m.secret, "approval-link", token, c.FormValue("sig")) {
		errs := web.Errors{}
		errs.Add("", "approval.link_form_mismatch")
		return m.renderLink(c, token, v, form, errs, 0, false)
	}
	v, err = m.engine.DecideByLink(c.UserContext(), token, comment, web.ClientIP(c), values)
	var fe *FieldErrors
	switch {
	case errors.As(err, &fe):
		return m.renderLink(c, token, v, form, fe.Errors, fiber.StatusUnprocessableEntity, false)
	case errors.Is(err, ErrReasonRequired), errors.Is(err, ErrCommentTooLong):
		errs := web.Errors{}
		errs.Add("comment", reasonKey(err))
		return m.renderLink(c, token, v, form, errs, 0, false)
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
		return m.renderLink(c, token, v, form, nil, 0, false)
	}
	if ref, ok := AsRefusal(err); ok && v != nil {
		errs := web.Errors{}
		errs.Add("", ref.Key, ref.Args...)
		return m.renderLink(c, token, v, form, errs, 0, false)
	}
	if err != nil {
		return err
	}
	return m.renderLink(c, token, v, fiber.Map{"Comment": ""}, nil, 0, true)
}

// posted is the form's value of field name, and whether the form sent it at
// all: a Lowerer keeps what a part may have when its field was not sent.
func posted(c *fiber.Ctx, name string) (string, bool) {
	if args := c.Request().PostArgs(); args.Has(name) {
		return string(args.Peek(name)), true
	}
	if mf, err := c.MultipartForm(); err == nil && len(mf.Value[name]) > 0 {
		return mf.Value[name][0], true
	}
	return "", false
}
