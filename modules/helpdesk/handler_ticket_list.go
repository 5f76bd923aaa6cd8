package helpdesk

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// mineRow is one line of "my tickets".
type mineRow struct {
	ID                   uint
	Number, Title, Queue string
	State, StateClass    string
	Changed              any
}

// ticketBadgeClass is the badge colour of a state: open work, waiting, done.
func ticketBadgeClass(state string) string {
	switch state {
	case StateNew:
		return "badge-info"
	case StateWaitingReporter:
		return "badge-warning"
	case StateResolved:
		return "badge-success"
	case StateClosed:
		return "badge-muted"
	}
	return "badge-info"
}

// open reports whether a ticket still needs someone's work.
func stillOpen(state string) bool { return state != StateResolved && state != StateClosed }

// myTicketRows are a page of the viewer's tickets as rows, the queue named
// in their language, and how many there are in all.
func (m *Module) myTicketRows(c *fiber.Ctx, q MineQuery) ([]mineRow, int64, error) {
	ctx, a := c.UserContext(), web.ActorOf(c)
	ts, total, err := m.svc.Mine(ctx, a, q)
	if err != nil {
		return nil, 0, err
	}
	qs, err := m.svc.Queues(ctx)
	if err != nil {
		return nil, 0, err
	}
	names := map[uint]string{}
	for _, q := range qs {
		names[q.ID] = q.Name(web.LangOf(c))
	}
	rows := make([]mineRow, len(ts))
	for i, t := range ts {
		rows[i] = mineRow{ID: t.ID, Number: t.Number, Title: t.Title, Queue: names[t.QueueID],
			State: t.State, StateClass: ticketBadgeClass(t.State), Changed: t.UpdatedAt}
	}
	return rows, total, nil
}

// handleTicketList is "my tickets", with the button to report a fault.
func (m *Module) handleTicketList(c *fiber.Ctx) error {
	page := web.PageParam(c.Query("page"))
	rows, total, err := m.myTicketRows(c, MineQuery{Page: page})
	if err != nil {
		return err
	}
	return web.Render(c, "helpdesk/mine", web.Page{Title: "helpdesk.mine.title",
		Data: fiber.Map{"Rows": rows, "Pager": web.NewPager(page, total, MinePerPage)}})
}

// openTicketsCard is the start page's list of my tickets still open; nil
// when I have none, so the start page stays short.
func (m *Module) openTicketsCard(c *fiber.Ctx) (*web.Card, error) {
	if web.ViewerOf(c) == nil {
		return nil, nil
	}
	rows, _, err := m.myTicketRows(c, MineQuery{Open: true, Page: 1})
	if err != nil {
		return nil, err
	}
	card := &web.Card{Order: 30, Title: web.T(c, "helpdesk.card.title"), Link: "/helpdesk", LinkText: web.T(c, "helpdesk.card.all")}
	for _, r := range rows {
		card.Items = append(card.Items, web.CardItem{When: r.Number, Text: r.Title, Detail: r.Queue,
			Link: "/helpdesk/tickets/" + web.FormatID(r.ID), Badge: web.T(c, "helpdesk.state."+r.State), BadgeClass: r.StateClass})
		if len(card.Items) == 5 {
			break
		}
	}
	if len(card.Items) == 0 {
		return nil, nil
	}
	return card, nil
}
