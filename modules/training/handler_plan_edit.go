package training

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// planMessages are the flash messages of the plan's refusals.
var planMessages = map[error]string{
	ErrPlanLocked:       "training.enrol.err.plan_locked",
	ErrPlanEmpty:        "training.enrol.err.plan_empty",
	ErrPlanTraining:     "training.enrol.err.plan_training",
	ErrPlanYear:         "training.enrol.err.plan_year",
	ErrPlanTooManyItems: "training.enrol.err.plan_too_many",
	ErrNoApprover:       "training.enrol.err.no_approver",
	ErrNoApproval:       "training.enrol.err.no_approver",
}

// planYear reads the :year of a plan's path; a year that is not a number is a 404.
func planYear(c *fiber.Ctx) (int, error) {
	y, err := strconv.Atoi(c.Params("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, fiber.ErrNotFound
	}
	return y, nil
}

// requestsPath is my requests' page of year.
func requestsPath(year int) string { return fmt.Sprintf("/training/requests?year=%d", year) }

// planRefusal flashes a refusal of the plan the table knows, or returns err.
func planRefusal(c *fiber.Ctx, err error) error {
	for e, key := range planMessages {
		if errors.Is(err, e) {
			web.AddFlash(c, "error", web.T(c, key))
			return nil
		}
	}
	return err
}

// handlePlanItems adds (add=ID) or removes (remove=ID) one training of my
// plan for the year.
func (m *Module) handlePlanItems(c *fiber.Ctx) error {
	year, err := planYear(c)
	if err != nil {
		return err
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	back := requestsPath(year)
	plan, err := m.svc.PlanOf(ctx, a, a.ID, year)
	if err != nil {
		return err
	}
	var ids []uint
	for _, t := range plan.Trainings {
		ids = append(ids, t.ID)
	}
	add, addOK := web.ID(c.FormValue("add"))
	remove, removeOK := web.ID(c.FormValue("remove"))
	switch {
	case addOK:
		ids = append(ids, add)
	case removeOK:
		kept := ids[:0]
		for _, id := range ids {
			if id != remove {
				kept = append(kept, id)
			}
		}
		ids = kept
	default:
		web.AddFlash(c, "error", web.T(c, "training.enrol.err.plan_choose"))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if _, err := m.svc.SetPlanItems(ctx, a, year, ids); err != nil {
		if err := planRefusal(c, err); err != nil {
			return err
		}
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	web.Success(c, "training.enrol.flash.plan_saved")
	return c.Redirect(back, fiber.StatusSeeOther)
}

// handlePlanSubmit sends my plan of the year to my manager.
func (m *Module) handlePlanSubmit(c *fiber.Ctx) error {
	year, err := planYear(c)
	if err != nil {
		return err
	}
	back := requestsPath(year)
	if _, err := m.svc.SubmitPlan(c.UserContext(), web.ActorOf(c), year); err != nil {
		if err := planRefusal(c, err); err != nil {
			return err
		}
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	web.Success(c, "training.enrol.flash.plan_submitted")
	return c.Redirect(back, fiber.StatusSeeOther)
}
