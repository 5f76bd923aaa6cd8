package helpdesk

import (
	"math"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// RenewalPerPage is one page of the renewal report.
const RenewalPerPage = 50

// handleRenewalShow is the renewal report: the assets ranked by their
// score, each component shown, filtered by queue, type and department;
// ?format=csv or xlsx downloads the whole ranking.
func (m *Module) handleRenewalShow(c *fiber.Ctx) error {
	af := assetFilterOf(c)
	f := RenewalFilter{QueueKey: af.QueueKey, Type: af.Type, DepartmentID: af.DepartmentID}
	rows, err := m.svc.Renewal(c.UserContext(), web.ActorOf(c), f)
	if err != nil {
		return err
	}
	switch c.Query("format") {
	case "csv", "xlsx":
		return m.sendRenewal(c, rows)
	}
	page := web.PageParam(c.Query("page"))
	from := min((page-1)*RenewalPerPage, len(rows))
	to := min(from+RenewalPerPage, len(rows))
	opts, err := m.assetFilterOptions(c)
	if err != nil {
		return err
	}
	opts["Rows"], opts["Pager"] = rows[from:to], web.NewPager(page, int64(len(rows)), RenewalPerPage)
	opts["Weights"] = fiber.Map{"Faults": RenewalFaultPoints, "FaultsFull": RenewalFaultsFull, "Downtime": RenewalDowntimePoints,
		"DowntimeFull": RenewalDowntimeFull, "Cost": RenewalCostPoints, "Age": RenewalAgePoints, "Warranty": RenewalWarrantyPoints}
	return web.Render(c, "helpdesk/renewal", web.Page{
		Title: "helpdesk.renewal.title",
		Form:  fiber.Map{"Queue": f.QueueKey, "Type": f.Type, "Department": c.Query("department")},
		Data:  opts,
	})
}

// round1 is x to one decimal, for the exports' figures.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// sendRenewal downloads the ranking with every component and its points.
func (m *Module) sendRenewal(c *fiber.Ctx, rows []RenewalRow) error {
	keys := []string{"rank", "tag", "type", "model", "queue", "faults", "downtime", "repair_cost", "price", "cost_share",
		"age_months", "life_months", "life_share", "warranty_ended", "fault_points", "downtime_points", "cost_points",
		"age_points", "warranty_points", "score"}
	head := make([]string, len(keys))
	for i, k := range keys {
		head[i] = web.T(c, "helpdesk.renewal.col."+k)
	}
	share := func(x, pct float64) any {
		if x < 0 {
			return nil
		}
		return pct
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		var age any
		if r.AgeMonths >= 0 {
			age = r.AgeMonths
		}
		ended := web.T(c, "helpdesk.renewal.no")
		if r.WarrantyEnded {
			ended = web.T(c, "helpdesk.renewal.yes")
		}
		out[i] = []any{r.Rank, r.Asset.Tag, r.Asset.Type, r.Asset.Model, web.T(c, "helpdesk.queue."+r.Asset.QueueKey), r.Faults,
			round1(r.DowntimeHours), r.RepairCost, r.Asset.Price, share(r.CostShare, r.CostPct()), age, r.Asset.LifeMonths, share(r.LifeShare, r.LifePct()),
			ended, round1(r.FaultPoints), round1(r.DowntimePoints), round1(r.CostPoints), round1(r.AgePoints),
			round1(r.WarrantyPoints), round1(r.Score)}
	}
	if c.Query("format") == "xlsx" {
		return web.SendXLSX(c, "kapu-renewal.xlsx", web.Sheet{Name: web.T(c, "helpdesk.renewal.title"), Head: head, Rows: out})
	}
	return web.SendCSV(c, "kapu-renewal.csv", head, out)
}
