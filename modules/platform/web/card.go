package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"
)

// A Card is one module's part of the signed-in person's start page ("my
// day"): a short list of what concerns them now, in their language, with a
// link to the module's own page. Every service fills the same shape, so the
// start page needs no template of theirs.
type Card struct {
	Order    int    // place on the page, smallest first
	Title    string // translated
	Note     string // one line under the title, e.g. a balance; may be ""
	Link     string // the module's page for all of it
	LinkText string // translated
	Empty    string // translated text for no items; a card without items or Empty is left out
	Items    []CardItem
}

// CardItem is one line of a card.
type CardItem struct {
	When       string // already formatted: "10:00–11:00", "2026. 12. 21. – 12. 23."
	Text       string
	Detail     string // a second, quieter line; may be ""
	Link       string // may be ""
	Badge      string // translated status; may be ""
	BadgeClass string // badge-success, badge-warning, badge-muted …
}

// CardFunc makes a module's card for the request's viewer, or nil when the
// module has nothing for them (a role it does not serve).
type CardFunc func(c *fiber.Ctx) (*Card, error)

// AddCard adds a module's card to the start page; call it from Routes.
func (s *Server) AddCard(f CardFunc) { s.cards = append(s.cards, f) }

// Cards makes every module's card for this request, in their order.
func Cards(c *fiber.Ctx) ([]Card, error) {
	var out []Card
	for _, f := range ServerOf(c).cards {
		card, err := f(c)
		if err != nil {
			return nil, err
		}
		if card != nil && (len(card.Items) > 0 || card.Empty != "") {
			out = append(out, *card)
		}
	}
	slices.SortStableFunc(out, func(a, b Card) int { return a.Order - b.Order })
	return out, nil
}
