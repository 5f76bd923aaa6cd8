package approval

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

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
