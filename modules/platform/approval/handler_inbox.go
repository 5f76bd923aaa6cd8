package approval

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleInbox lists what waits for the person's decision and their own requests.
func (m *Module) handleInbox(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	items, err := m.engine.Inbox(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	mine, err := m.engine.Mine(c.UserContext(), v.ID, 20)
	if err != nil {
		return err
	}
	return web.Render(c, "approval/inbox", web.Page{
		Title: "approval.inbox_title",
		Form:  fiber.Map{"Digest": m.engine.Digest(c.UserContext(), v.ID)},
		Data:  fiber.Map{"Items": items, "Mine": mine},
	})
}

// handleInboxBulkApprove approves every ticked request; those that cannot be
// approved any more (decided meanwhile) are reported, the rest go through.
func (m *Module) handleInboxBulkApprove(c *fiber.Ctx) error {
	var done, failed int
	for _, raw := range c.Request().PostArgs().PeekMulti("request") {
		id, ok := web.ID(string(raw))
		if !ok {
			failed++
			continue
		}
		if _, err := m.engine.Decide(c.UserContext(), web.ActorOf(c), Decision{RequestID: id, Approve: true}); err != nil {
			failed++
			continue
		}
		done++
	}
	switch {
	case done == 0 && failed == 0:
		web.AddFlash(c, "info", web.T(c, "approval.bulk_none"))
	case failed > 0:
		web.AddFlash(c, "error", web.T(c, "approval.bulk_partial", "Done", done, "Failed", failed))
	default:
		web.Success(c, "approval.bulk_done", "Count", done)
	}
	return c.Redirect("/approvals", fiber.StatusSeeOther)
}

// handleInboxPrefs stores whether the person wants one email per request or a daily digest.
func (m *Module) handleInboxPrefs(c *fiber.Ctx) error {
	if err := m.engine.SetDigest(c.UserContext(), web.ViewerOf(c).ID, c.FormValue("digest") == "on"); err != nil {
		return err
	}
	web.Success(c, "approval.prefs_saved")
	return c.Redirect("/approvals", fiber.StatusSeeOther)
}
