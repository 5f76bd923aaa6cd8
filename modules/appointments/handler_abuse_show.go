package appointments

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// abuseForm is what the front desk typed on the abuse page.
type abuseForm struct {
	Email, Reason string
}

// abuseFieldErrors place the abuse tools' errors on their fields.
var abuseFieldErrors = map[error]web.FieldMessage{
	ErrNoEmail:       {"email", "appointments.abuse.error.email"},
	ErrReason:        {"reason", "appointments.abuse.error.reason"},
	ErrReasonTooLong: {"reason", "appointments.abuse.error.reason_long"},
}

// abusePath is the abuse page of an address.
func abusePath(email string) string {
	if email == "" {
		return "/desk/abuse"
	}
	return "/desk/abuse?" + url.Values{"email": {email}}.Encode()
}

// handleAbuseShow lists an address's active future appointments (the
// statistics link here) with the form that cancels them all. It changes nothing.
func (m *Module) handleAbuseShow(c *fiber.Ctx) error {
	return m.renderAbuse(c, abuseForm{Email: c.Query("email")}, nil)
}

// renderAbuse shows the abuse page with the form as typed and its errors.
func (m *Module) renderAbuse(c *fiber.Ctx, f abuseForm, errs web.Errors) error {
	var rows []Upcoming
	if normEmail(f.Email) != "" {
		var err error
		if rows, err = m.svc.UpcomingByEmail(c.UserContext(), web.ActorOf(c), f.Email); err != nil {
			return err
		}
	}
	return web.RenderForm(c, "appointments/abuse", web.Page{
		Title:  "appointments.abuse.title",
		Form:   f,
		Errors: errs,
		Data: fiber.Map{
			"Email":    normEmail(f.Email),
			"Rows":     rows,
			"Searched": normEmail(f.Email) != "",
		},
	})
}
