package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleCatalogueShow lists a year's trainings, with filters.
func (m *Module) handleCatalogueShow(c *fiber.Ctx) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	a := web.ActorOf(c)
	cat, err := m.svc.Catalogue(c.UserContext(), a, year)
	if err != nil {
		return err
	}
	f := TrainingFilter{Kind: c.Query("kind"), Mandatory: c.Query("mandatory"), Text: c.Query("q")}
	rows, err := m.svc.YearTrainings(c.UserContext(), a, year, f)
	if err != nil {
		return err
	}
	mandatory := []web.Option{{Value: "yes", Label: web.T(c, "training.admin.year.mandatory_yes")},
		{Value: "no", Label: web.T(c, "training.admin.year.mandatory_no")}}
	return web.Render(c, "training/admin_year", web.Page{Title: "training.admin.year.title", Form: f,
		Data: fiber.Map{"Catalogue": cat, "Rows": rows, "Filtered": f != (TrainingFilter{}),
			"KindOptions": adminOptions(c, "training.kind.", Kinds), "MandatoryOptions": mandatory,
			"Past": m.svc.isPast(year)}})
}
