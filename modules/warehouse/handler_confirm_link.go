package warehouse

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/web"
)

// handleConfirmShow is the ready mail's link: the request's lines and, once
// something was handed over, the "received" button. It changes nothing:
// mail scanners open every link they find.
func (m *Module) handleConfirmShow(c *fiber.Ctx) error {
	token := c.Params("token")
	v, err := m.svc.ConfirmLinkView(c.UserContext(), token)
	if err != nil {
		return err
	}
	return m.renderConfirm(c, token, v, c.Query("done") == "1" && v.State == ConfirmDone, 0)
}

// handleConfirmSave confirms receipt when the requester presses the
// button; the form carries its link's signature instead of a CSRF token.
// A second press finds it confirmed (a page that says so, not an error).
func (m *Module) handleConfirmSave(c *fiber.Ctx) error {
	token := c.Params("token")
	if !m.svc.ConfirmCheck(token, c.FormValue("sig")) {
		v, err := m.svc.ConfirmLinkView(c.UserContext(), token)
		if err != nil {
			return err
		}
		return m.renderConfirm(c, token, v, false, fiber.StatusBadRequest)
	}
	v, err := m.svc.ConfirmByLink(c.UserContext(), token, web.ClientIP(c))
	switch {
	case err == nil:
		return c.Redirect(confirmPath+token+"?done=1", fiber.StatusSeeOther)
	case v != nil && errors.Is(err, ErrConfirmLink):
		return m.renderConfirm(c, token, v, false, 0)
	}
	return err
}

// renderConfirm shows v in the requester's language: an unknown link is
// 404, a bad signature 400; an already confirmed link is an ordinary page.
func (m *Module) renderConfirm(c *fiber.Ctx, token string, v *ConfirmView, done bool, status int) error {
	if v.Lang != "" {
		web.SetLang(c, v.Lang)
	}
	data := fiber.Map{"V": v, "Token": token, "Sig": m.svc.ConfirmSig(token), "Done": done, "BadSig": status == fiber.StatusBadRequest}
	if v.Request != nil {
		var in []LineInput
		for _, l := range v.Request.Lines {
			if l.ItemID != nil {
				in = append(in, LineInput{ItemID: *l.ItemID})
			}
		}
		items, err := m.svc.itemsOf(c.UserContext(), in)
		if err != nil {
			return err
		}
		data["Lines"] = m.linesView(c, &RequestView{RequestDetail: *v.Request, Items: items})
		data["Number"] = web.FormatID(v.Request.ID)
	}
	p := web.Page{Title: "warehouse.confirm.title", Status: status, Data: data}
	if v.State == linktoken.Unknown {
		p.Status = fiber.StatusNotFound
	}
	return web.Render(c, "warehouse/confirm", p)
}

// handleConfirmButton is the requester's "received" on the request page.
// Someone else's request is a 404.
func (m *Module) handleConfirmButton(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	switch err := m.svc.ConfirmRequest(c.UserContext(), web.ActorOf(c), id); {
	case err == nil:
		web.Success(c, "warehouse.confirm.done_button")
	case errors.Is(err, ErrNothingToConfirm):
		web.AddFlash(c, "error", web.T(c, messages[ErrNothingToConfirm]))
	default:
		return err
	}
	return c.Redirect(requestPath(id), fiber.StatusSeeOther)
}
