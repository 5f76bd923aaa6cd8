package helpdesk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// queueLine is a queue row with its time left written for the viewer.
type queueLine struct {
	QueueRow
	Left string
}

// handleQueueShow is a queue's tickets for its staff, narrowed by the
// filters in the query string (a GET form, so every link keeps them).
func (m *Module) handleQueueShow(c *fiber.Ctx) error {
	f := QueueFilter{State: c.Query("state"), Assignee: c.Query("assignee"), Building: c.Query("building"),
		SLA: c.Query("sla"), Sort: c.Query("sort"), Page: web.PageParam(c.Query("page"))}
	if id, ok := web.ID(c.Query("category")); ok {
		f.CategoryID = id
	}
	a := web.ActorOf(c)
	p, err := m.svc.QueueTickets(c.UserContext(), a, c.Params("key"), f)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	lines := make([]queueLine, len(p.Rows))
	for i, r := range p.Rows {
		lines[i] = queueLine{QueueRow: r}
		switch {
		case r.Paused:
			lines[i].Left = web.T(c, "helpdesk.queue.paused")
		case r.Running && r.Left < 0:
			lines[i].Left = web.T(c, "helpdesk.queue.overdue", "Time", spanText(c, -r.Left))
		case r.Running:
			lines[i].Left = web.T(c, "helpdesk.queue.left", "Time", spanText(c, r.Left))
		}
	}
	f = p.Filter
	form := fiber.Map{"State": f.State, "Category": "", "Assignee": f.Assignee, "Building": f.Building, "SLA": f.SLA, "Sort": f.Sort}
	if f.CategoryID != 0 {
		form["Category"] = web.FormatID(f.CategoryID)
	}
	return web.Render(c, "helpdesk/queue", web.Page{
		Title: "helpdesk.queue.title",
		Form:  form,
		Data: fiber.Map{
			"Queue": p.Queue, "Name": p.Queue.Name(lang), "Rows": lines,
			"Pager": web.NewPager(f.Page, p.Total, QueuePerPage), "More": p.More, "Cap": CountCap,
			"States": stateOptions(c), "Categories": categoryOptions(p.Categories, lang),
			"Assignees": assigneeOptions(c, p.Staff), "Buildings": p.Buildings,
			"SLAs": []web.Option{{Value: "", Label: web.T(c, "helpdesk.queue.sla_any")},
				{Value: SLAOk, Label: web.T(c, "helpdesk.queue.sla_ok")},
				{Value: SLAWarning, Label: web.T(c, "helpdesk.queue.sla_warning")},
				{Value: SLABreached, Label: web.T(c, "helpdesk.queue.sla_breached")}},
			"Sorts": []web.Option{{Value: SortDue, Label: web.T(c, "helpdesk.queue.sort_due")},
				{Value: SortNewest, Label: web.T(c, "helpdesk.queue.sort_newest")},
				{Value: SortPriority, Label: web.T(c, "helpdesk.queue.sort_priority")}},
			"Staff":  p.Staff,
			"CanSet": maySet(a, &p.Queue),
		},
	})
}

// spanText writes business time as "3 óra 20 perc" / "3 h 20 min".
func spanText(c *fiber.Ctx, d time.Duration) string {
	mins := int(d / time.Minute)
	if mins < 60 {
		return web.T(c, "helpdesk.queue.minutes", "M", mins)
	}
	return web.T(c, "helpdesk.queue.hours", "H", mins/60, "M", mins%60)
}

// stateOptions are the state filter's choices: open (the default), all, each state.
func stateOptions(c *fiber.Ctx) []web.Option {
	out := []web.Option{{Value: FilterOpen, Label: web.T(c, "helpdesk.queue.state_open")},
		{Value: FilterAll, Label: web.T(c, "helpdesk.queue.state_all")}}
	for _, s := range States {
		out = append(out, web.Option{Value: s, Label: web.T(c, "helpdesk.state."+s)})
	}
	return out
}

// categoryOptions are the queue's categories, the inactive ones marked.
func categoryOptions(cs []Category, lang string) []web.Option {
	out := make([]web.Option, len(cs))
	for i, ct := range cs {
		out[i] = web.Option{Value: web.FormatID(ct.ID), Label: ct.Name(lang)}
	}
	return out
}

// assigneeOptions are the assignee filter's choices: anyone, me, nobody, each colleague.
func assigneeOptions(c *fiber.Ctx, staff []Staffer) []web.Option {
	out := []web.Option{{Value: "", Label: web.T(c, "helpdesk.queue.assignee_any")},
		{Value: AssigneeMe, Label: web.T(c, "helpdesk.queue.assignee_me")},
		{Value: AssigneeNobody, Label: web.T(c, "helpdesk.queue.assignee_nobody")}}
	for _, p := range staff {
		out = append(out, web.Option{Value: web.FormatID(p.ID), Label: p.Name})
	}
	return out
}
