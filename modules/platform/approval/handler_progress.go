package approval

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// progressText says in the page's language where a request of several steps
// stands: "Step 1 was approved by Kiss Márton on 2 Dec 2026, 09:14; now
// waiting for step 2 of 2: Sipos Attila." Empty when p is nil.
func progressText(c *fiber.Ctx, p *Progress) string {
	if p == nil {
		return ""
	}
	waiting := []string{p.Approver}
	if p.Deputy != "" {
		waiting = append(waiting, web.T(c, "approval.progress_deputy", "Name", p.Deputy))
	}
	if p.Escalated != "" {
		waiting = append(waiting, web.T(c, "approval.progress_manager", "Name", p.Escalated))
	}
	date := ""
	if p.PrevAt != nil {
		date = i18n.FormatDateTime(web.LangOf(c), *p.PrevAt, web.ServerOf(c).Cfg.TZ)
	}
	return web.T(c, "approval.progress", "Prev", p.PrevSeq, "Name", p.PrevBy, "Date", date,
		"Seq", p.Seq, "Steps", p.Steps, "Waiting", strings.Join(waiting, ", "))
}
