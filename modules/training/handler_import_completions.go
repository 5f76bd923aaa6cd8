package training

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleImportForm explains the columns and offers the upload.
func (m *Module) handleImportForm(c *fiber.Ctx) error {
	return m.renderImport(c, nil, nil, fiber.StatusOK)
}

// handleImportCompletions checks the uploaded CSV whole and imports it only
// when every row is right; otherwise the page lists each problem by row.
func (m *Module) handleImportCompletions(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		errs := web.Errors{}
		errs.Add("file", "training.records.import.no_file")
		return m.renderImport(c, nil, errs, fiber.StatusUnprocessableEntity)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := m.svc.ImportCompletions(c.UserContext(), web.ActorOf(c), f, c.FormValue("create_unknown") != "")
	if errors.Is(err, ErrCompletionImportRejected) {
		return m.renderImport(c, &rep, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "training.records.import.done", "Count", rep.Completions, "Trainings", rep.Trainings)
	return c.Redirect("/training/admin/import", fiber.StatusSeeOther)
}

// handleImportSample is a small file in the import's shape, with the heads
// in the viewer's language.
func (m *Module) handleImportSample(c *fiber.Ctx) error {
	head := make([]string, len(CompletionColumns))
	for i, col := range CompletionColumns {
		head[i] = web.T(c, "training.records.import.head."+col)
	}
	rows := [][]any{
		{"employee", "TUZ-01", "2024-03-05", "2", "", "TV-2024/118", "2025-03-05"},
		{"papp.eszter@example.hu", web.T(c, "training.records.import.sample_title"), "2023-10-12", "6", "4", "", ""},
	}
	return web.SendCSV(c, "training-import-sample.csv", head, rows)
}

func (m *Module) renderImport(c *fiber.Ctx, rep *CompletionImportReport, errs web.Errors, status int) error {
	return web.RenderForm(c, "training/import", web.Page{
		Title: "training.records.import.title", Errors: errs, Status: status,
		Data: fiber.Map{"Report": rep, "Columns": CompletionColumns},
		Form: fiber.Map{"CreateUnknown": c.FormValue("create_unknown") != ""},
	})
}
