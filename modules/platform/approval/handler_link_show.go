package approval

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/web"
)

// handleLinkShow shows what an email link is about. It never changes anything:
// mail scanners fetch links (and HEAD them), and a page must not decide for a person.
func (m *Module) handleLinkShow(c *fiber.Ctx) error {
	token := c.Params("token")
	v, err := m.engine.Link(c.UserContext(), token)
	if err != nil {
		return err
	}
	return m.renderLink(c, token, v, fiber.Map{"Comment": ""}, nil, 0, false)
}

// renderLink shows link token's page as v sees it, with the form as typed
// (each part to lower starting at what it may have) and errs by their fields;
// status, when not 0, is the page's, otherwise it follows from v and errs.
func (m *Module) renderLink(c *fiber.Ctx, token string, v *LinkView, form fiber.Map, errs web.Errors, status int, justDecided bool) error {
	if v.Person != nil && v.Person.Lang != "" {
		web.SetLang(c, v.Person.Lang)
	}
	for _, l := range v.Lowerings {
		if _, typed := form[l.QtyField]; !typed {
			form[l.QtyField] = l.Value
		}
	}
	switch {
	case status != 0:
	case v.State == LinkUnknown:
		status = fiber.StatusNotFound
	case errs[""].Key != "" && c.Method() == fiber.MethodPost && c.FormValue("sig") == m.sign(token):
		status = fiber.StatusConflict // a kind refused the decision (see Refusal)
	case errs[""].Key != "":
		status = fiber.StatusBadRequest
	case len(errs) > 0:
		status = fiber.StatusUnprocessableEntity
	case v.State != LinkValid && !justDecided && c.Method() == fiber.MethodPost:
		status = fiber.StatusConflict
	default:
		status = fiber.StatusOK
	}
	return web.Render(c, "approval/link", web.Page{
		Title: "approval.link_title_" + v.State, Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"V": v, "Token": token, "Sig": m.sign(token), "JustDecided": justDecided, "Progress": progressText(c, v.Progress)},
	})
}

// sign binds a link form to its own token.
func (m *Module) sign(token string) string {
	return linktoken.FormSig(m.secret, "approval-link", token)
}
