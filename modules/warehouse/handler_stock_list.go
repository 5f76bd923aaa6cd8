package warehouse

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// stockFilterOf reads the list's filters (?category, shelf, low, q);
// unknown values filter nothing.
func stockFilterOf(c *fiber.Ctx) ItemFilter {
	f := ItemFilter{Location: c.Query("shelf"), Text: c.Query("q"), LowOnly: c.Query("low") == "1"}
	if cat := c.Query("category"); slices.Contains(Categories, cat) {
		f.Category = cat
	}
	return f
}

// handleStockList is the stock: every item with its balance, filtered, a page at a time.
func (m *Module) handleStockList(c *fiber.Ctx) error {
	a, ctx := web.ActorOf(c), c.UserContext()
	f := stockFilterOf(c)
	page := web.PageParam(c.Query("page"))
	list, total, err := m.svc.ItemPage(ctx, a, f, page)
	if err != nil {
		return err
	}
	shelves, err := m.svc.Locations(ctx, a)
	if err != nil {
		return err
	}
	shelfOpts := make([]web.Option, len(shelves))
	for i, s := range shelves {
		shelfOpts[i] = web.Option{Value: s, Label: s}
	}
	drift, err := m.svc.db.GetSetting(ctx, driftSetting)
	if err != nil {
		return err
	}
	low := ""
	if f.LowOnly {
		low = "1"
	}
	return web.Render(c, "warehouse/stock_list", web.Page{
		Title: "warehouse.page.stock",
		Form:  fiber.Map{"Category": f.Category, "Shelf": f.Location, "Low": low, "Q": f.Text},
		Data: fiber.Map{"Items": list, "Pager": web.NewPager(page, total, ItemsPerPage), "Drift": drift,
			"CategoryOptions": categoryOptions(c), "ShelfOptions": shelfOpts,
			"LowOptions": []web.Option{{Value: "1", Label: web.T(c, "warehouse.stock.low_only")}},
			"Filtered":   f != ItemFilter{}},
	})
}

// categoryOptions are the categories in the viewer's language.
func categoryOptions(c *fiber.Ctx) []web.Option {
	out := make([]web.Option, len(Categories))
	for i, k := range Categories {
		out[i] = web.Option{Value: k, Label: web.T(c, "warehouse.category."+k)}
	}
	return out
}

// unitOptions are the units in the viewer's language.
func unitOptions(c *fiber.Ctx) []web.Option {
	out := make([]web.Option, len(Units))
	for i, u := range Units {
		out[i] = web.Option{Value: u.Code, Label: web.T(c, "warehouse.unit."+u.Code)}
	}
	return out
}

// handleStockExport downloads the catalogue in the import's columns:
// ?format=xlsx a workbook, otherwise CSV in the viewer's Excel dialect,
// which the import reads back unchanged.
func (m *Module) handleStockExport(c *fiber.Ctx) error {
	head, rows, err := m.svc.ExportItems(c.UserContext(), web.ActorOf(c), web.LangOf(c))
	if err != nil {
		return err
	}
	if c.Query("format") == "xlsx" {
		return web.SendXLSX(c, "kapu-stock.xlsx", web.Sheet{Name: web.T(c, "warehouse.page.stock"), Head: head, Rows: rows})
	}
	return web.SendCSV(c, "kapu-stock.csv", head, rows)
}
