package notify

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// htmlCSP lets a stored email render with its inline styles and nothing else:
// no scripts, no remote images that would tell a sender the mail was opened.
const htmlCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

// statusOption is one choice of the status filter.
type statusOption struct {
	Value, Label string
	Count        int64
}

// handleOutboxList shows the outbox with a status filter and a search.
func (m *Module) handleOutboxList(c *fiber.Ctx) error {
	f := Filter{Status: c.Query("status"), Q: c.Query("q"), Page: web.PageParam(c.Query("page"))}
	if _, err := m.out.composeUpTo(c.UserContext(), composeBatch); err != nil {
		return err
	}
	rows, total, err := m.out.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	counts, err := m.out.Counts(c.UserContext())
	if err != nil {
		return err
	}
	opts := make([]statusOption, 0, len(Statuses))
	for _, s := range Statuses {
		opts = append(opts, statusOption{Value: s, Label: "notify.status." + s, Count: counts[s]})
	}
	return web.Render(c, "notify/outbox_list", web.Page{
		Title: "notify.title",
		Form:  fiber.Map{"Status": f.Status, "Q": f.Q},
		Data: fiber.Map{
			"Mails":      rows,
			"Statuses":   opts,
			"Configured": m.out.Configured(),
			"Pager":      web.NewPager(f.Page, total, PerPage),
		},
	})
}

// afterChange turns the result of retry or cancel into a flash and a redirect
// back to the message.
func (m *Module) afterChange(c *fiber.Ctx, id uint, err error, okKey string) error {
	back := "/admin/outbox/" + web.FormatID(id)
	switch {
	case err == nil:
		web.Success(c, okKey)
	case errors.Is(err, ErrAlreadySent):
		web.AddFlash(c, "error", web.T(c, "notify.sent_final"))
	case errors.Is(err, ErrNotAllowed):
		web.AddFlash(c, "error", web.T(c, "notify.not_allowed"))
	default:
		return err
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

func (m *Module) mailParam(c *fiber.Ctx) (*Mail, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	if _, err := m.out.composeUpTo(c.UserContext(), composeBatch); err != nil {
		return nil, err
	}
	return m.out.Get(c.UserContext(), id)
}
