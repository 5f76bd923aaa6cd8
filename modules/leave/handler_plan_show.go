package leave

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// planForm is the plan form as typed, so it comes back unchanged after an error.
type planForm struct {
	Start, End, TypeID string
}

// input converts the typed form; each unreadable field gets its message.
func (f planForm) input() (start, end calendar.Date, typeID uint, errs web.Errors) {
	errs = web.Errors{}
	start = calendar.ParseDateField(f.Start, "start", errs)
	end = start // a single planned day may leave the last day empty
	if f.End != "" {
		end = calendar.ParseDateField(f.End, "end", errs)
	}
	typeID = web.ParseID(f.TypeID, "type_id", errs)
	return start, end, typeID, errs
}

// planYear reads ?year=, limited to the years a plan may touch.
func (m *Module) planYear(s string) int {
	this := m.svc.Today().Year
	if y, err := strconv.Atoi(s); err == nil && y >= this-1 && y <= this+1 {
		return y
	}
	return this
}

// handlePlanShow is the year plan: twelve months with leave and planned days, and the blocks.
func (m *Module) handlePlanShow(c *fiber.Ctx) error {
	return m.renderPlan(c, m.planYear(c.Query("year")), planForm{}, nil)
}

// handlePlanAdd plans the working days of a range; a bad range shows the form again.
func (m *Module) handlePlanAdd(c *fiber.Ctx) error {
	form := planForm{Start: c.FormValue("start"), End: c.FormValue("end"), TypeID: c.FormValue("type_id")}
	start, end, typeID, errs := form.input()
	if len(errs) == 0 {
		n, err := m.svc.PlanAdd(c.UserContext(), web.ActorOf(c), web.ViewerOf(c).ID, start, end, typeID)
		if err == nil {
			web.Success(c, "leave.plan.added", "Count", n)
			return c.Redirect("/leave/plan?year="+strconv.Itoa(start.Year), fiber.StatusSeeOther)
		}
		if errors.Is(err, ErrNothingToPlan) {
			errs.Add("start", "leave.plan.error.nothing")
		} else if fe, ok := formErrors(err); ok {
			errs = fe
		} else {
			return err
		}
	}
	return m.renderPlan(c, m.planYear(c.FormValue("year")), form, errs)
}

// handlePlanRemove deletes the plan days of one block; the form's dates come from the page.
func (m *Module) handlePlanRemove(c *fiber.Ctx) error {
	start, err1 := calendar.ParseDate(c.FormValue("start"))
	end, err2 := calendar.ParseDate(c.FormValue("end"))
	if err1 != nil || err2 != nil {
		return fiber.ErrBadRequest
	}
	err := m.svc.PlanRemove(c.UserContext(), web.ActorOf(c), web.ViewerOf(c).ID, start, end)
	if errors.Is(err, ErrReversed) {
		return fiber.ErrBadRequest
	}
	if err != nil {
		return err
	}
	web.Success(c, "leave.plan.removed")
	year := start.Year
	if c.FormValue("year") != "" {
		year = m.planYear(c.FormValue("year"))
	}
	return c.Redirect("/leave/plan?year="+strconv.Itoa(year), fiber.StatusSeeOther)
}

func (m *Module) renderPlan(c *fiber.Ctx, year int, form planForm, errs web.Errors) error {
	ctx := c.UserContext()
	plan, err := m.svc.PlanYear(ctx, web.ViewerOf(c).ID, year)
	if err != nil {
		return err
	}
	if form.TypeID == "" && len(plan.Types) > 0 {
		form.TypeID = web.FormatID(plan.Types[0].ID)
	}
	this := m.svc.Today().Year
	data := fiber.Map{
		"Plan": plan, "Year": year, "Types": typeOptions(plan.Types, web.LangOf(c)),
		"Weekdays": []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
	}
	if year > this-1 {
		data["PrevYear"] = year - 1
	}
	if year < this+1 {
		data["NextYear"] = year + 1
	}
	return web.RenderForm(c, "leave/plan", web.Page{Title: "leave.plan.title", Form: form, Errors: errs, Data: data})
}
