package leave

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/history"
	"kapu/modules/platform/web"
)

// handleRequestShow shows one request to its person, their manager or HR.
func (m *Module) handleRequestShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	r, err := m.svc.Request(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	rows, err := m.svc.requestRows(m.svc.db.R.WithContext(c.UserContext()).Where("leave_requests.id = ?", r.ID))
	if err != nil || len(rows) == 0 {
		return fiber.ErrNotFound
	}
	row := rows[0]
	row.CanCancel = row.CanCancel && (row.PersonID == web.ViewerOf(c).ID || web.ViewerOf(c).Has("hr"))
	entries, err := history.Of(m.svc.db.R.WithContext(c.UserContext()), HistoryEntity, r.ID)
	if err != nil {
		return err
	}
	return web.Render(c, "leave/request_show", web.Page{
		Title: "leave.request_title", Form: fiber.Map{},
		Data: fiber.Map{"R": row, "Dates": m.svc.dateRange(web.LangOf(c), r), "Days": r.Days(), "History": entries},
	})
}
