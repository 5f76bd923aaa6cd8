package helpdesk

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleAssetImportForm explains the columns and offers the upload.
func (m *Module) handleAssetImportForm(c *fiber.Ctx) error {
	return m.renderAssetImport(c, nil, nil, fiber.StatusOK)
}

// handleAssetImport checks the uploaded CSV whole and imports it only when
// every row is right; otherwise the page lists each problem by line.
func (m *Module) handleAssetImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		errs := web.Errors{}
		errs.Add("file", "helpdesk.asset.import.no_file")
		return m.renderAssetImport(c, nil, errs, fiber.StatusUnprocessableEntity)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := m.svc.ImportAssets(c.UserContext(), web.ActorOf(c), f)
	if errors.Is(err, ErrAssetImportRejected) {
		return m.renderAssetImport(c, &rep, nil, fiber.StatusUnprocessableEntity)
	}
	if errors.Is(err, ErrAssetTagTaken) {
		errs := web.Errors{}
		errs.Add("file", "helpdesk.asset.err.tag_taken")
		return m.renderAssetImport(c, nil, errs, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.asset.import.done", "Created", rep.Created, "Updated", rep.Updated)
	return c.Redirect("/helpdesk/assets", fiber.StatusSeeOther)
}

func (m *Module) renderAssetImport(c *fiber.Ctx, rep *AssetImportReport, errs web.Errors, status int) error {
	return web.RenderForm(c, "helpdesk/asset_import", web.Page{
		Title: "helpdesk.asset.import.title", Errors: errs, Status: status,
		Data: fiber.Map{"Report": rep, "Columns": AssetColumns},
	})
}
