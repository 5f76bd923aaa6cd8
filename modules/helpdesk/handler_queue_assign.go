package helpdesk

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleQueueAssign gives the ticked tickets to the viewer ("to me") or to
// the colleague chosen, and goes back to the queue as it was filtered. The
// flash says how many were assigned and names each one left as it was.
func (m *Module) handleQueueAssign(c *fiber.Ctx) error {
	key := c.Params("key")
	back := web.NextOr(c, "/helpdesk/queue/"+key)
	a := web.ActorOf(c)
	var ids []uint
	for _, v := range c.Request().PostArgs().PeekMulti("ids") {
		if id, ok := web.ID(string(v)); ok {
			ids = append(ids, id)
		}
	}
	person := a.ID
	if c.FormValue("to") != AssigneeMe {
		id, ok := web.ID(c.FormValue("person"))
		if !ok {
			web.AddFlash(c, "error", web.T(c, "helpdesk.queue.pick_person"))
			return c.Redirect(back, fiber.StatusSeeOther)
		}
		person = id
	}
	if len(ids) == 0 {
		web.AddFlash(c, "error", web.T(c, "helpdesk.queue.none_selected"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	res, err := m.svc.BulkAssign(c.UserContext(), a, key, ids, person)
	if errors.Is(err, ErrAssignee) {
		web.AddFlash(c, "error", web.T(c, "helpdesk.err.assignee"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	if res.Assigned > 0 {
		web.Success(c, "helpdesk.queue.assigned", "Count", res.Assigned)
	}
	for _, f := range res.Failed {
		why := web.T(c, "helpdesk.queue.assign_failed_other")
		if k, args := Message(f.Err); k != "" {
			why = web.T(c, k, args...)
		}
		number := f.Number
		if number == "" {
			number = "#" + web.FormatID(f.ID)
		}
		web.AddFlash(c, "error", web.T(c, "helpdesk.queue.assign_failed", "Number", number, "Why", why))
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
