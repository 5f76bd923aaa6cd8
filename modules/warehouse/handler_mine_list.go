package warehouse

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// mineRow is one line of "my requests".
type mineRow struct {
	ID                  uint
	Status, StatusClass string
	Summary             string
	Lines               int
	Created             any
}

// requestBadgeClass is the badge colour of a request's status.
func requestBadgeClass(status string) string {
	switch status {
	case RequestPending:
		return "badge-warning"
	case RequestApproved, RequestDone:
		return "badge-success"
	case RequestRejected:
		return "badge-danger"
	}
	return "badge-muted"
}

// lineBadgeClass is the badge colour of a line's state: waiting for
// someone, on its way, done, refused.
func lineBadgeClass(state string) string {
	switch state {
	case LineRequested, LineToProcure, LineOrdered:
		return "badge-warning"
	case LineApproved, LinePartly, LineReserved, LineReady:
		return "badge-info"
	case LineHandedOver, LineReceived:
		return "badge-success"
	case LineRejected:
		return "badge-danger"
	}
	return "badge-muted"
}

// lineLabel is what a line is called for a reader in lang: the item's name,
// or the free text.
func lineLabel(l *RequestLine, items map[uint]*Item, lang string) string {
	if l.Free() {
		return l.Text
	}
	if it := items[*l.ItemID]; it != nil {
		return it.Name(lang)
	}
	return "#" + web.FormatID(*l.ItemID)
}

// mineRows are a page of the viewer's requests as rows, each with its lines
// in one line of text ("Toner HP 85A: 2 pcs; A4 paper: 5 reams").
func (m *Module) mineRows(c *fiber.Ctx, q MineQuery) ([]mineRow, int64, error) {
	list, err := m.svc.MyRequests(c.UserContext(), web.ActorOf(c), q)
	if err != nil {
		return nil, 0, err
	}
	lang := web.LangOf(c)
	rows := make([]mineRow, len(list.Requests))
	for i := range list.Requests {
		r := &list.Requests[i]
		var parts []string
		for j := range r.Lines {
			l := &r.Lines[j]
			if j == 3 {
				parts = append(parts, web.T(c, "warehouse.mine.more_lines", "Count", len(r.Lines)-3))
				break
			}
			parts = append(parts, web.T(c, "warehouse.mine.line", "Name", lineLabel(l, list.Items, lang),
				"Quantity", m.svc.qtyIn(lang, l.Requested, l.Unit)))
		}
		rows[i] = mineRow{ID: r.ID, Status: r.Status, StatusClass: requestBadgeClass(r.Status),
			Summary: strings.Join(parts, "; "), Lines: len(r.Lines), Created: r.CreatedAt}
	}
	return rows, list.Total, nil
}

// handleMineList is "my requests", newest first, with the button to ask
// for supplies.
func (m *Module) handleMineList(c *fiber.Ctx) error {
	page := web.PageParam(c.Query("page"))
	rows, total, err := m.mineRows(c, MineQuery{Page: page})
	if err != nil {
		return err
	}
	return web.Render(c, "warehouse/mine", web.Page{Title: "warehouse.mine.title",
		Data: fiber.Map{"Rows": rows, "Pager": web.NewPager(page, total, MinePerPage)}})
}

// openRequestsCard is the start page's list of my requests still on their
// way; nil when there are none, so the start page stays short.
func (m *Module) openRequestsCard(c *fiber.Ctx) (*web.Card, error) {
	if web.ViewerOf(c) == nil {
		return nil, nil
	}
	rows, _, err := m.mineRows(c, MineQuery{Open: true, Page: 1})
	if err != nil {
		return nil, err
	}
	card := &web.Card{Order: 40, Title: web.T(c, "warehouse.mine.card_title"), Link: "/warehouse", LinkText: web.T(c, "warehouse.mine.card_all")}
	for _, r := range rows {
		card.Items = append(card.Items, web.CardItem{When: web.T(c, "warehouse.req.number", "Number", web.FormatID(r.ID)), Text: r.Summary,
			Link: requestPath(r.ID), Badge: web.T(c, "warehouse.request.status."+r.Status), BadgeClass: r.StatusClass})
		if len(card.Items) == 5 {
			break
		}
	}
	if len(card.Items) == 0 {
		return nil, nil
	}
	return card, nil
}
