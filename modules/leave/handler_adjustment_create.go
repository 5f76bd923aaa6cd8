package leave

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleAdjustmentCreate books extra (or fewer) days for one person, with a reason.
func (m *Module) handleAdjustmentCreate(c *fiber.Ctx) error {
	form := entitlementPage{
		Ent: entitlementForm{Year: strconv.Itoa(m.svc.Today().Year), ProRata: true},
		Adj: adjustmentForm{PersonID: c.FormValue("adj_person_id"), Year: c.FormValue("adj_year"),
			Days: c.FormValue("adj_days"), Reason: c.FormValue("adj_reason")},
	}
	errs := web.Errors{}
	personID := web.ParseID(form.Adj.PersonID, "adj_person_id", errs)
	year, err := strconv.Atoi(strings.TrimSpace(form.Adj.Year))
	if err != nil {
		errs.Add("adj_year", "leave.hr.error.year")
	}
	halves, ok := hrParseDays(form.Adj.Days)
	if !ok {
		errs.Add("adj_days", "leave.hr.adjust.error.days")
	}
	if !errs.Any() {
		err = m.svc.AdjustPerson(c.UserContext(), web.ActorOf(c), personID, year, halves, form.Adj.Reason)
		if fe, ok := hrErrors(err); ok {
			for field, msg := range fe {
				if field != "" {
					errs["adj_"+field] = msg
				}
			}
		} else if err != nil {
			return err
		}
	}
	if errs.Any() {
		return m.renderEntitlements(c, form, errs, nil, "adj", fiber.StatusUnprocessableEntity)
	}
	name := ""
	if p, err := m.svc.people.Person(c.UserContext(), personID); err == nil {
		name = p.Name
	}
	web.Success(c, "leave.hr.adjust.done", "Name", name, "Days", web.Num(c, halfDays(halves)), "Year", year)
	return c.Redirect("/leave/admin/entitlements", fiber.StatusSeeOther)
}
