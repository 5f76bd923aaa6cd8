package warehouse

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleItemImportForm explains the columns and offers the upload.
func (m *Module) handleItemImportForm(c *fiber.Ctx) error {
	return m.renderItemImport(c, nil, nil, fiber.StatusOK)
}

// handleItemImport checks the uploaded CSV whole and imports it only when
// every row is right; otherwise the page lists each problem by row.
func (m *Module) handleItemImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		errs := web.Errors{}
		errs.Add("file", "warehouse.stock.import.no_file")
		return m.renderItemImport(c, nil, errs, fiber.StatusUnprocessableEntity)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := m.svc.ImportItems(c.UserContext(), web.ActorOf(c), f, web.LangOf(c))
	if errors.Is(err, ErrImportRejected) {
		return m.renderItemImport(c, &rep, nil, fiber.StatusUnprocessableEntity)
	}
	if errors.Is(err, ErrCodeTaken) {
		errs := web.Errors{}
		errs.Add("file", "warehouse.err.code_taken")
		return m.renderItemImport(c, nil, errs, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	web.Success(c, "warehouse.stock.import.done", "Created", rep.Created, "Updated", rep.Updated, "Balances", rep.Balances)
	return c.Redirect("/warehouse/stock", fiber.StatusSeeOther)
}

func (m *Module) renderItemImport(c *fiber.Ctx, rep *ImportReport, errs web.Errors, status int) error {
	return web.RenderForm(c, "warehouse/import", web.Page{
		Title: "warehouse.stock.import.title", Errors: errs, Status: status,
		Data: fiber.Map{"Report": rep, "Columns": ItemColumns},
	})
}
