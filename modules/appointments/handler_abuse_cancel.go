package appointments

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// abuseFormOf reads the address and the reason from the form or the query
// (the confirmation page carries them in its action's query).
func abuseFormOf(c *fiber.Ctx) abuseForm {
	return abuseForm{Email: c.FormValue("email"), Reason: c.FormValue("reason")}
}

// handleAbuseCancelConfirm asks before cancelling every active future
// appointment of an address: how many, who is mailed, with which reason.
// A missing reason shows the abuse page again. It changes nothing.
func (m *Module) handleAbuseCancelConfirm(c *fiber.Ctx) error {
	f := abuseFormOf(c)
	errs := web.Errors{}
	web.Required(f.Email, "email", errs)
	web.Required(f.Reason, "reason", errs)
	if len([]rune(f.Reason)) > maxReason {
		errs.Add("reason", "appointments.abuse.error.reason_long")
	}
	if errs.Any() {
		return m.renderAbuse(c, f, errs)
	}
	rows, err := m.svc.UpcomingByEmail(c.UserContext(), web.ActorOf(c), f.Email)
	if err != nil {
		return err
	}
	email := normEmail(f.Email)
	if len(rows) == 0 {
		web.AddFlash(c, "info", web.T(c, "appointments.abuse.none_left", "Email", email))
		return c.Redirect(abusePath(email), fiber.StatusSeeOther)
	}
	q := url.Values{"email": {email}, "reason": {f.Reason}}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "appointments.abuse.confirm_title",
		Question: web.T(c, "appointments.abuse.confirm_question", "Count", len(rows), "Email", email),
		Details: []string{
			web.T(c, "appointments.abuse.confirm_mailed"),
			web.T(c, "appointments.abuse.confirm_reason", "Reason", f.Reason),
			web.T(c, "appointments.abuse.confirm_freed"),
		},
		Action: "/desk/abuse/cancel?" + q.Encode(),
		Button: web.T(c, "appointments.abuse.confirm_button", "Count", len(rows)),
		Back:   abusePath(email),
	})
}

// handleAbuseCancel cancels every active future appointment of an address
// and returns to its abuse page (now empty) with the count.
func (m *Module) handleAbuseCancel(c *fiber.Ctx) error {
	f := abuseFormOf(c)
	n, err := m.svc.CancelAllByEmail(c.UserContext(), web.ActorOf(c), f.Email, f.Reason)
	if errs, ok := web.FieldErrors(err, abuseFieldErrors); ok {
		return m.renderAbuse(c, f, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "appointments.abuse.done", "Count", n, "Email", normEmail(f.Email))
	return c.Redirect(web.NextOr(c, abusePath(normEmail(f.Email))), fiber.StatusSeeOther)
}
