package people

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handlePersonImportForm explains the CSV columns and offers the upload.
func (m *Module) handlePersonImportForm(c *fiber.Ctx) error {
	return m.renderImport(c, nil, nil, fiber.StatusOK)
}

// handlePersonImport checks an uploaded CSV whole and imports it only if every row is right.
func (m *Module) handlePersonImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		errs := web.Errors{}
		errs.Add("file", "import.error.no_file")
		return m.renderImport(c, nil, errs, fiber.StatusUnprocessableEntity)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := m.svc.ImportFile(c.UserContext(), web.ActorOf(c), f, importHeads(web.ServerOf(c).Catalog))
	if errors.Is(err, ErrImportRejected) {
		return m.renderImport(c, &rep, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "import.done", "Created", rep.Created, "Updated", rep.Updated)
	if rep.Links > 0 {
		web.Success(c, "people.password_link.import_sent", "Count", rep.Links, "Hours", int(PasswordLinkTTL.Hours()))
	}
	return c.Redirect("/admin/people", fiber.StatusSeeOther)
}

func (m *Module) renderImport(c *fiber.Ctx, rep *ImportReport, errs web.Errors, status int) error {
	return web.RenderForm(c, "people/person_import", web.Page{
		Title: "import.title", Errors: errs, Status: status,
		Data: fiber.Map{"Report": rep, "Columns": ImportColumns},
	})
}

// handlePersonExport downloads everyone as CSV in the import's format, through
// the one export path (formula-safe cells, Excel's separator and BOM), with
// the heads and yes/no in the viewer's language; the import reads both back.
func (m *Module) handlePersonExport(c *fiber.Ctx) error {
	rows, err := m.svc.ExportRows(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	head := make([]string, len(ImportColumns))
	for i, col := range ImportColumns {
		head[i] = web.T(c, "import.head."+col)
	}
	yes, no := web.T(c, "import.yes"), web.T(c, "import.no")
	for _, r := range rows {
		if active, ok := r[len(r)-1].(bool); ok {
			r[len(r)-1] = no
			if active {
				r[len(r)-1] = yes
			}
		}
	}
	return web.SendCSV(c, "kapu-people.csv", head, rows)
}

// importHeads are the export's heads in every language, for the import.
func importHeads(cat *i18n.Catalog) ImportHeads {
	out := ImportHeads{}
	for _, lang := range i18n.Langs {
		for _, col := range ImportColumns {
			out[strings.ToLower(cat.T(lang, "import.head."+col))] = col
		}
	}
	return out
}

// handlePersonSample downloads a small example file for the import.
func (m *Module) handlePersonSample(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="kapu-people-sample.csv"`)
	return c.SendString(strings.Join(ImportColumns, ",") + "\n" +
		"kiss.anna,Kiss Anna,kiss.anna@example.org,,clerk,,,employee,yes\n" +
		"nagy.peter,Nagy Péter,nagy.peter@example.org,,head of group,,kiss.anna,employee manager,yes\n")
}
