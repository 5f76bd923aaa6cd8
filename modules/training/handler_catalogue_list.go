package training

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleCatalogueList shows the years' catalogues and the form that starts one.
func (m *Module) handleCatalogueList(c *fiber.Ctx) error {
	return m.renderCatalogueList(c, startForm{}, nil)
}

// handleCatalogueStart starts a year, copied from another or empty.
func (m *Module) handleCatalogueStart(c *fiber.Ctx) error {
	f := startForm{Year: c.FormValue("year"), CopyFrom: c.FormValue("copy_from")}
	errs := web.Errors{}
	year := web.ParseInt(web.Required(f.Year, "year", errs), "year", 2000, 2100, errs)
	from := web.ParseInt(f.CopyFrom, "copy_from", 0, 2100, errs)
	if errs.Any() {
		return m.renderCatalogueList(c, f, errs)
	}
	err := m.svc.StartYear(c.UserContext(), web.ActorOf(c), year, from)
	if fe, ok := web.FieldErrors(err, startFields); ok {
		return m.renderCatalogueList(c, f, fe)
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.admin.years.started", "Year", year)
	return c.Redirect(adminYearPath(year), fiber.StatusSeeOther)
}

func (m *Module) renderCatalogueList(c *fiber.Ctx, f startForm, errs web.Errors) error {
	rows, err := m.svc.Catalogues(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	var startable, copyable []web.Option
	for _, y := range m.svc.StartableYears() {
		if !slices.ContainsFunc(rows, func(r CatalogueRow) bool { return r.Year == y }) {
			startable = append(startable, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
		}
	}
	for _, r := range rows {
		copyable = append(copyable, web.Option{Value: strconv.Itoa(r.Year), Label: web.T(c, "training.admin.years.copy_of", "Year", r.Year)})
	}
	copyable = append(copyable, web.Option{Value: "0", Label: web.T(c, "training.admin.years.copy_none")})
	if f.Year == "" && len(startable) > 0 {
		f.Year = startable[0].Value
	}
	if f.CopyFrom == "" {
		f.CopyFrom = copyable[0].Value // the newest year, or empty
	}
	return web.RenderForm(c, "training/admin_years", web.Page{Title: "training.admin.years.title", Form: f, Errors: errs,
		Data: fiber.Map{"Rows": rows, "Startable": startable, "Copyable": copyable}})
}

// handleCataloguePublishConfirm asks before a year is published.
func (m *Module) handleCataloguePublishConfirm(c *fiber.Ctx) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	if _, err := m.svc.Catalogue(c.UserContext(), web.ActorOf(c), year); err != nil {
		return err
	}
	return web.RenderConfirm(c, web.Confirm{Title: "training.admin.publish.title",
		Question: web.T(c, "training.admin.publish.question", "Year", year),
		Details:  []string{web.T(c, "training.admin.publish.detail")},
		Action:   adminYearPath(year) + "/publish", Button: web.T(c, "training.admin.publish.button"), Back: adminYearPath(year)})
}

// handleCataloguePublish publishes a draft year.
func (m *Module) handleCataloguePublish(c *fiber.Ctx) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	if err := m.svc.PublishYear(c.UserContext(), web.ActorOf(c), year); flashRefusal(c, err) {
		return c.Redirect(web.NextOr(c, adminYearPath(year)), fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	web.Success(c, "training.admin.publish.done", "Year", year)
	return c.Redirect(web.NextOr(c, adminYearPath(year)), fiber.StatusSeeOther)
}
