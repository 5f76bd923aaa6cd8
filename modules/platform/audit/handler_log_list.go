package audit

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleLogList shows the audit log with filters by person, action, entity and dates.
func (m *Module) handleLogList(c *fiber.Ctx) error {
	tz := web.ServerOf(c).Cfg.TZ
	f := Filter{
		Actor:    c.Query("actor"),
		Action:   c.Query("action"),
		Entity:   c.Query("entity"),
		EntityID: c.Query("id"),
		Page:     web.PageParam(c.Query("page")),
	}
	errs := web.Errors{}
	if s := c.Query("from"); s != "" {
		if t, err := time.ParseInLocation(time.DateOnly, s, tz); err == nil {
			f.From = t
		} else {
			errs.Add("from", "validation.date")
		}
	}
	if s := c.Query("to"); s != "" {
		if t, err := time.ParseInLocation(time.DateOnly, s, tz); err == nil {
			f.To = t.AddDate(0, 0, 1) // the whole "to" day
		} else {
			errs.Add("to", "validation.date")
		}
	}
	entries, total, err := List(c.UserContext(), m.db, f)
	if err != nil {
		return err
	}
	entities, err := Entities(c.UserContext(), m.db)
	if err != nil {
		return err
	}
	lines, err := m.lines(c.UserContext(), web.ServerOf(c).Catalog, web.LangOf(c), entries)
	if err != nil {
		return err
	}
	return web.Render(c, "audit/log_list", web.Page{
		Title:  "audit.title",
		Errors: errs,
		Form:   fiber.Map{"Actor": f.Actor, "Action": f.Action, "Entity": f.Entity, "ID": f.EntityID, "From": c.Query("from"), "To": c.Query("to")},
		Data: fiber.Map{
			"Entries":  lines,
			"Entities": entities,
			"Pager":    web.NewPager(f.Page, total, PerPage),
		},
	})
}
