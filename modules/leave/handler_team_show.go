package leave

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleTeamShow is the team calendar: who of a department is away in a month.
func (m *Module) handleTeamShow(c *fiber.Ctx) error {
	today := m.svc.Today()
	year, month := today.Year, today.Month
	if t, err := time.Parse("2006-01", c.Query("month")); err == nil && t.Year() >= today.Year-10 && t.Year() <= today.Year+2 {
		year, month = t.Year(), t.Month()
	}
	var dept uint
	if s := c.Query("dept"); s != "" {
		id, ok := web.ID(s)
		if !ok {
			return fiber.ErrNotFound
		}
		dept = id
	}
	v, err := m.svc.TeamMonth(c.UserContext(), web.ActorOf(c), dept, year, month)
	if err != nil {
		return err
	}
	return web.Render(c, "leave/team", web.Page{
		Title: "leave.team.title",
		Form:  fiber.Map{"Dept": v.DeptID},
		Data:  fiber.Map{"Team": v, "Depts": deptOptions(v.Depts)},
	})
}

// deptOptions indents the departments under the shallowest one the viewer may choose.
func deptOptions(depts []TeamDept) []web.Option {
	top := 0
	for i, d := range depts {
		if i == 0 || d.Depth < top {
			top = d.Depth
		}
	}
	out := make([]web.Option, len(depts))
	for i, d := range depts {
		out[i] = web.Option{Value: web.FormatID(d.ID), Label: d.Name, Depth: d.Depth - top}
	}
	return out
}
