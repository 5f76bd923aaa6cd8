package training

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRequestsList shows my requests and enrolments of a year (status,
// place on the waiting list) and my plan for it, with add, remove and submit.
func (m *Module) handleRequestsList(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), web.ActorOf(c)
	year := m.svc.today().Year
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= year-10 && y <= year+1 {
		year = y
	}
	rows, err := m.svc.EnrolmentsOf(ctx, a, a.ID, year)
	if err != nil {
		return err
	}
	plan, err := m.svc.PlanOf(ctx, a, a.ID, year)
	if err != nil {
		return err
	}
	var choices []Training
	if plan.Editable {
		all, err := m.svc.PlanChoices(ctx, a, year)
		if err != nil {
			return err
		}
		for _, t := range all {
			if !plan.Has(t.ID) {
				choices = append(choices, t)
			}
		}
	}
	return web.Render(c, "training/requests", web.Page{Title: "training.enrol.requests.title",
		Data: fiber.Map{"Rows": rows, "Plan": plan, "Choices": choices, "Year": year,
			"Years": []int{year - 1, year, year + 1}, "ThisYear": m.svc.today().Year}})
}
