package appointments

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// DisplayPage is the waiting room's screen: the calls of the last minutes,
// newest first, in both languages' words the screen's viewers read.
type DisplayPage struct {
	Lang   string
	Office string
	Calls  []DisplayCall
	Title  string
	Ticket string
	Code   string
	Desk   string
	Empty  string
}

// handleDisplayShow is the waiting room's screen of an office: public (the
// screen is not signed in), the signed link its permission, a wrong one a
// 404. It reloads itself every 10 seconds and shows no names. It changes
// nothing and renders its own tiny layout, without the intranet's nav.
func (m *Module) handleDisplayShow(c *fiber.Ctx) error {
	s, ctx := m.svc, c.UserContext()
	id, ok := web.ID(c.Params("office"))
	if !ok || !s.DisplaySigOK(id, c.Params("sig")) {
		return fiber.ErrNotFound
	}
	o, err := s.Office(ctx, id)
	if err != nil {
		return fiber.ErrNotFound
	}
	calls, err := s.Display(ctx, id, 8) // what fits a 720-line screen in letters read across the room
	if err != nil {
		return err
	}
	if l := c.Query("lang"); l == "hu" || l == "en" {
		web.SetLang(c, l) // a screen set up for English-speaking visitors
	}
	lang := web.LangOf(c)
	p := DisplayPage{Lang: lang, Office: o.Name, Calls: calls,
		Title: web.T(c, "appointments.display.title"), Ticket: web.T(c, "appointments.display.ticket"),
		Code: web.T(c, "appointments.display.code"), Desk: web.T(c, "appointments.display.desk"),
		Empty: web.T(c, "appointments.display.empty")}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex")
	return c.Render("appointments/display", p)
}
