package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePointsShow shows the study-points settings HR may change.
func (m *Module) handlePointsShow(c *fiber.Ctx) error {
	r, err := m.svc.Rules(c.UserContext())
	if err != nil {
		return err
	}
	return m.renderPoints(c, pointsFormOf(r), nil)
}

// handlePointsSave saves them; a problem comes back by its field with what
// was typed.
func (m *Module) handlePointsSave(c *fiber.Ctx) error {
	f := pointsForm{FirstPeriodStart: c.FormValue("first_period_start"), PeriodYears: c.FormValue("period_years"),
		Graduate: c.FormValue("graduate"), Secondary: c.FormValue("secondary"),
		MinYearlyShare: c.FormValue("min_yearly_share"), ByThirdYearShare: c.FormValue("by_third_year_share"),
		InternalCapShare: c.FormValue("internal_cap_share"), AmberDays: c.FormValue("amber_days")}
	r, errs := f.rules()
	if errs.Any() {
		return m.renderPoints(c, f, errs)
	}
	if err := m.svc.SaveRules(c.UserContext(), web.ActorOf(c), r); err != nil {
		return err
	}
	web.Success(c, "training.points.saved")
	return c.Redirect("/training/admin/points", fiber.StatusSeeOther)
}

func (m *Module) renderPoints(c *fiber.Ctx, f pointsForm, errs web.Errors) error {
	return web.RenderForm(c, "training/admin_points", web.Page{Title: "training.points.title", Form: f, Errors: errs,
		Data: fiber.Map{"Defaults": pointsFormOf(DefaultPointsRules())}})
}
