package helpdesk

import (
	"html/template"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// assetFilterOf reads the list's filters (?queue, type, state, department,
// q); unknown values filter nothing.
func assetFilterOf(c *fiber.Ctx) AssetFilter {
	f := AssetFilter{Type: c.Query("type"), Text: c.Query("q")}
	if q := c.Query("queue"); staffRole(q) != "" {
		f.QueueKey = q
	}
	if st := c.Query("state"); slices.Contains(AssetStates, st) {
		f.State = st
	}
	f.DepartmentID, _ = web.ID(c.Query("department"))
	return f
}

// handleAssetList is the inventory with its filters, a page at a time.
func (m *Module) handleAssetList(c *fiber.Ctx) error {
	a, ctx := web.ActorOf(c), c.UserContext()
	f := assetFilterOf(c)
	page := web.PageParam(c.Query("page"))
	list, total, err := m.svc.AssetPage(ctx, a, f, page)
	if err != nil {
		return err
	}
	opts, err := m.assetFilterOptions(c)
	if err != nil {
		return err
	}
	opts["Assets"] = list
	opts["Pager"] = web.NewPager(page, total, AssetsPerPage)
	// The labels of what the filters show; the query is the request's own, re-encoded.
	q := c.Queries()
	delete(q, "page")
	vals := url.Values{}
	for k, v := range q {
		vals.Set(k, v)
	}
	opts["LabelsURL"] = template.URL("/helpdesk/assets/labels?" + vals.Encode())
	return web.Render(c, "helpdesk/asset_list", web.Page{
		Title: "helpdesk.assets.title",
		Form:  fiber.Map{"Queue": f.QueueKey, "Type": f.Type, "State": f.State, "Department": c.Query("department"), "Q": f.Text},
		Data:  opts,
	})
}

// assetFilterOptions are the choices of the filters the asset pages share.
func (m *Module) assetFilterOptions(c *fiber.Ctx) (fiber.Map, error) {
	ctx := c.UserContext()
	types, err := m.svc.AssetTypes(ctx, web.ActorOf(c))
	if err != nil {
		return nil, err
	}
	typeOpts := make([]web.Option, len(types))
	for i, t := range types {
		typeOpts[i] = web.Option{Value: t, Label: t}
	}
	var depts []web.Option
	if m.svc.people != nil {
		if depts, err = m.svc.people.DepartmentOptions(ctx); err != nil {
			return nil, err
		}
	}
	return fiber.Map{"QueueOptions": queueOptions(c), "TypeOptions": typeOpts, "StateOptions": assetStateOptions(c),
		"DepartmentOptions": depts}, nil
}

func queueOptions(c *fiber.Ctx) []web.Option {
	return []web.Option{{Value: QueueIT, Label: web.T(c, "helpdesk.queue.it")}, {Value: QueueMaintenance, Label: web.T(c, "helpdesk.queue.maintenance")}}
}

func assetStateOptions(c *fiber.Ctx) []web.Option {
	return keyedOptions(c, "helpdesk.asset.state.", AssetStates)
}

// handleAssetExport downloads the whole inventory in the import's columns:
// ?format=xlsx a workbook, otherwise CSV in the viewer's Excel dialect,
// which the import reads back unchanged.
func (m *Module) handleAssetExport(c *fiber.Ctx) error {
	head, rows, err := m.svc.ExportAssets(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	if c.Query("format") == "xlsx" {
		heads := make([]string, len(head))
		for i, h := range head {
			heads[i] = web.T(c, "helpdesk.asset.col."+h)
		}
		return web.SendXLSX(c, "kapu-assets.xlsx", web.Sheet{Name: web.T(c, "helpdesk.assets.title"), Head: heads, Rows: rows})
	}
	return web.SendCSV(c, "kapu-assets.csv", head, rows)
}
