package approval

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// cardItems is how many waiting requests the start page lists.
const cardItems = 5

// waitingCard is the start page's list of what waits for my decision. People
// who never decide anything see no card at all while nothing waits for them.
func (m *Module) waitingCard(c *fiber.Ctx) (*web.Card, error) {
	v := web.ViewerOf(c)
	items, err := m.engine.InboxIn(c.UserContext(), v.ID, web.LangOf(c))
	if err != nil {
		return nil, err
	}
	card := &web.Card{Order: 5, Title: web.T(c, "approval.card.title"), Link: "/approvals",
		LinkText: web.T(c, "approval.card.all")}
	if v.Has(actor.Manager, actor.Fleet, actor.HR) {
		card.Empty = web.T(c, "approval.inbox_empty")
	}
	if len(items) > cardItems {
		card.Note = web.T(c, "approval.card.more", "Count", len(items))
		items = items[:cardItems]
	}
	for _, it := range items {
		sum := it.Summary
		ci := web.CardItem{Text: sum.Title, When: sum.When, Detail: sum.Extent, Link: "/approvals/" + web.FormatID(it.RequestID)}
		if ci.Text == "" {
			ci.Text = it.Title
		}
		if ci.When == "" && it.ActivatedAt != nil {
			ci.When = web.DateTime(c, *it.ActivatedAt)
		}
		card.Items = append(card.Items, ci)
	}
	return card, nil
}
