package warehouse

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// card is the store's part of the start page: for the storekeeper how many
// items are low; for the storekeeper and administrators the nightly
// check's warning when a cached stock drifted from its ledger, since a
// drift is a bug or a hand-made change someone must look at.
func (m *Module) card(c *fiber.Ctx) (*web.Card, error) {
	a := web.ActorOf(c)
	staff := isStaff(a)
	if !staff && !a.Has(actor.Admin) {
		return nil, nil
	}
	ctx := c.UserContext()
	card := &web.Card{Order: 40, Title: web.T(c, "warehouse.page.title")}
	drift, err := m.svc.db.GetSetting(ctx, driftSetting)
	if err != nil {
		return nil, err
	}
	if drift != "" {
		card.Items = append(card.Items, web.CardItem{Text: web.T(c, "warehouse.stock.drift", "Codes", drift),
			Badge: web.T(c, "warehouse.page.card_drift"), BadgeClass: "badge-warning"})
	}
	if staff {
		ordered, err := m.svc.OnOrderNow(ctx)
		if err != nil {
			return nil, err
		}
		low, err := m.svc.LowStock(ctx, a, ordered)
		if err != nil {
			return nil, err
		}
		if len(low) > 0 {
			card.Items = append(card.Items, web.CardItem{Text: web.T(c, "warehouse.page.low_text", "Count", len(low)), Link: "/warehouse/stock/low"})
		}
		card.Link, card.LinkText = "/warehouse/stock", web.T(c, "warehouse.page.stock")
	}
	return card, nil
}
