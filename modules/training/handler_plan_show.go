package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/history"
	"kapu/modules/platform/web"
)

// handlePlanShow is a plan's page (the plan kind's Summary.Path): the
// person, year, status, trainings and their cost, and the timeline, for
// the person, their manager and HR.
func (m *Module) handlePlanShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	v, err := m.svc.PlanByID(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	entries, err := history.Of(m.svc.db.R.WithContext(c.UserContext()), PlanEntity, v.ID)
	if err != nil {
		return err
	}
	return web.Render(c, "training/plan", web.Page{Title: "training.enrol.plan.title",
		Data: fiber.Map{"V": v, "History": entries}})
}
