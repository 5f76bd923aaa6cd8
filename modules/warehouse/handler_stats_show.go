package warehouse

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/chart"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/stats"
	"kapu/modules/platform/web"
)

// handleStatsShow shows the store's statistics of a week, month, year or
// range; ?format=csv&table=… sends one table, ?format=xlsx all of them, the
// same tables as the page.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	pick := stats.Picker{Path: "/warehouse/stats", Kinds: statsKinds, Default: stats.Year, Today: calendar.Today(m.svc.tz()), Submit: "warehouse.stats.show"}
	ch := pick.Parse(c)
	st, err := m.svc.Stats(c.UserContext(), web.ActorOf(c), ch.Period)
	if err != nil {
		return err
	}
	t := whStatsTablesOf(c, st)
	if sent, err := stats.Export(c, "warehouse-"+ch.Period.Name(), t.exports); sent {
		return err
	}
	csv, xlsx := ch.ExportLinks(t.exports)
	charts, wide := whStatsCharts(c, st)
	return web.Render(c, "warehouse/stats", web.Page{
		Title:  "warehouse.stats.title",
		Status: ch.Status(),
		Errors: ch.Errors,
		Data: fiber.Map{
			"Heading":    web.T(c, "warehouse.stats.heading", "Period", ch.Label),
			"Period":     ch,
			"Tables":     t,
			"Charts":     charts,
			"WideCharts": wide,
			"Empty":      st.Total.Rows == 0 && st.Flow.Requests == 0,
			"CSV":        csv,
			"XLSX":       xlsx,
		},
	})
}

// whStatsTables are the page's tables, built once for the page and the exports.
type whStatsTables struct {
	Depts, Cats, Items, Months, Requests, Outages stats.Table
	exports                                       []stats.Table
}

// noFigure is a cell of a figure that does not apply.
var noFigure = stats.Cell{Value: nil, Show: "–"}

// daysCell is a percentile of d (hours) in days.
func daysCell(d stats.Dist, p float64) stats.Cell {
	v, ok := d.P(p)
	if !ok {
		return noFigure
	}
	return stats.Of(float64(v) / 24)
}

// rateCell is a rate that may be of nothing.
func rateCell(part, whole int) stats.Cell {
	v, ok := Rate(part, whole)
	if !ok {
		return noFigure
	}
	return stats.Of(v)
}

// whStatsTablesOf builds every table in the request's language.
func whStatsTablesOf(c *fiber.Ctx, st *Stats) whStatsTables {
	lang := web.LangOf(c)
	col := func(key, kind string, width float64) stats.Col {
		return stats.Col{Label: web.T(c, "warehouse.stats.col."+key), Kind: kind, Width: width}
	}
	table := func(key string, cols ...stats.Col) stats.Table {
		return stats.Table{Key: key, Title: web.T(c, "warehouse.stats.sheet."+key), Cols: cols}
	}
	share := func(cost int64) stats.Cell {
		if st.Total.Cost == 0 {
			return noFigure
		}
		return stats.Of(100 * float64(cost) / float64(st.Total.Cost))
	}
	total := web.T(c, "warehouse.stats.total")
	var t whStatsTables

	t.Depts = table("departments", col("department", stats.Text, 32), col("issues", stats.Number, 10),
		col("cost", stats.Number, 14), col("share", stats.Percent, 10))
	t.Depts.Cols[2].Strong = true
	for _, d := range st.Depts {
		name := d.Name
		if d.DepartmentID == 0 {
			name = web.T(c, "warehouse.stats.no_department")
		}
		t.Depts.Rows = append(t.Depts.Rows, stats.Row{Cells: []stats.Cell{stats.Of(name), stats.Of(d.Rows), stats.Of(d.Cost), share(d.Cost)}})
	}
	tr := stats.Row{Cells: []stats.Cell{stats.Of(total), stats.Of(st.Total.Rows), stats.Of(st.Total.Cost), share(st.Total.Cost)}}
	t.Depts.Total = &tr

	t.Cats = table("categories", col("category", stats.Text, 24), col("issues", stats.Number, 10),
		col("cost", stats.Number, 14), col("share", stats.Percent, 10))
	t.Cats.Cols[2].Strong = true
	for _, u := range st.Cats {
		t.Cats.Rows = append(t.Cats.Rows, stats.Row{Cells: []stats.Cell{stats.Of(web.T(c, "warehouse.category."+u.Category)),
			stats.Of(u.Rows), stats.Of(u.Cost), share(u.Cost)}})
	}

	// Every consumed item goes to the export; the page shows the top ones.
	t.Items = table("items", col("code", stats.Text, 16), col("item", stats.Text, 36), col("category", stats.Text, 18),
		col("quantity", stats.Number, 12), col("unit", stats.Text, 10), col("unit_price", stats.Number, 12),
		col("cost", stats.Number, 14))
	t.Items.Cols[6].Strong = true
	t.Items.Cols[2].Hidden, t.Items.Cols[5].Hidden = true, true
	for _, u := range st.Items {
		it := u.Item
		t.Items.Rows = append(t.Items.Rows, stats.Row{Cells: []stats.Cell{stats.Of(it.Code), stats.Of(it.Name(lang)),
			stats.Of(web.T(c, "warehouse.category."+it.Category)), stats.Of(u.Qty.Float()), stats.Of(web.T(c, "warehouse.unit."+it.Unit)),
			stats.Of(it.UnitPrice), stats.Of(u.Cost)}})
	}

	first := col("day", stats.Date, 12)
	if st.Monthly {
		first = col("month", stats.Text, 12)
	}
	t.Months = table("months", first, col("cost", stats.Number, 14), col("stock_value", stats.Number, 16))
	for _, b := range st.Buckets {
		var label any = b.From
		if st.Monthly {
			label = b.From.String()[:7]
			if b.Now {
				label = web.T(c, "warehouse.stats.so_far", "Bucket", label)
			}
		}
		value := stats.Of(b.Value)
		if b.Future {
			value = noFigure
		}
		t.Months.Rows = append(t.Months.Rows, stats.Row{Cells: []stats.Cell{stats.Of(label), stats.Of(b.Cost), value}})
	}

	// Requests: counts, rates and lead times in one row per measure.
	f := st.Flow
	t.Requests = table("requests", col("measure", stats.Text, 36), col("value", stats.Number, 12))
	measure := func(key string, v stats.Cell) {
		t.Requests.Rows = append(t.Requests.Rows, stats.Row{Cells: []stats.Cell{stats.Of(web.T(c, "warehouse.stats.measure."+key)), v}})
	}
	measure("requests", stats.Of(f.Requests))
	measure("pending", stats.Of(f.Pending))
	measure("approved", stats.Of(f.Approved))
	measure("rejected", stats.Of(f.Rejected))
	measure("cancelled", stats.Of(f.Cancelled))
	measure("rejection_rate", rateCell(f.Rejected, f.Approved+f.Rejected))
	measure("partly_rate", rateCell(f.Partly, f.Lines))
	measure("refused_rate", rateCell(f.Refused, f.Lines))
	measure("decision_median", daysCell(st.ToDecision, 50))
	measure("decision_p90", daysCell(st.ToDecision, 90))
	measure("handover_median", daysCell(st.ToHandover, 50))
	measure("handover_p90", daysCell(st.ToHandover, 90))
	measure("lead_median", daysCell(st.LeadTotal, 50))
	measure("lead_p90", daysCell(st.LeadTotal, 90))

	t.Outages = table("outages", col("code", stats.Text, 16), col("item", stats.Text, 36), col("times", stats.Number, 10),
		col("days_out", stats.Number, 12), col("out_now", stats.Text, 10))
	t.Outages.Cols[3].Strong = true
	yes, no := web.T(c, "warehouse.stats.yes"), web.T(c, "warehouse.stats.no")
	for _, o := range st.Outages {
		now := no
		if o.Now {
			now = yes
		}
		t.Outages.Rows = append(t.Outages.Rows, stats.Line(o.Item.Code, o.Item.Name(lang), o.Times, o.Days, now))
	}
	t.exports = []stats.Table{t.Depts, t.Cats, t.Items, t.Months, t.Requests, t.Outages}
	return t
}

// TopItems is the page's table of the most consumed items.
func (t whStatsTables) TopItems() stats.Table {
	top := t.Items
	top.Rows = top.Rows[:min(len(top.Rows), statsTop)]
	return top
}

// whStatsCharts draws the cost per month with the stock value (wide), and
// the cost per department, category and top item. The month now running is
// labelled "so far": its cost is of the days gone, its value today's.
func whStatsCharts(c *fiber.Ctx, st *Stats) (out []template.HTML, wide []template.HTML) {
	if st.Total.Rows == 0 && len(st.Buckets) == 0 {
		return nil, nil
	}
	lang := web.LangOf(c)
	num := func(v float64) string { return i18n.FormatFigure(lang, v) }
	ft := web.T(c, "warehouse.stats.forints")
	labels := make([]string, len(st.Buckets))
	cost := chart.Series{Name: web.T(c, "warehouse.stats.col.cost"), Values: make([]float64, len(st.Buckets))}
	value := chart.Series{Name: web.T(c, "warehouse.stats.col.stock_value"), Values: make([]float64, len(st.Buckets))}
	for i, b := range st.Buckets {
		if st.Monthly {
			labels[i] = web.T(c, "month."+strconv.Itoa(int(b.From.Month))) + " " + strconv.Itoa(b.From.Year)
			if b.Now {
				labels[i] = web.T(c, "warehouse.stats.so_far", "Bucket", labels[i])
			}
		} else {
			labels[i] = strconv.Itoa(b.From.Day)
		}
		cost.Values[i], value.Values[i] = float64(b.Cost), float64(b.Value)
	}
	cat := web.T(c, "warehouse.stats.col.day")
	if st.Monthly {
		cat = web.T(c, "warehouse.stats.col.month")
	}
	wide = append(wide,
		chart.Bars(web.T(c, "warehouse.stats.chart.cost"), labels, []chart.Series{cost},
			chart.Options{Width: 960, Height: 280, ValueLabel: ft, Format: num, CategoryLabel: cat}),
		chart.Bars(web.T(c, "warehouse.stats.chart.value"), labels, []chart.Series{value},
			chart.Options{Width: 960, Height: 260, ValueLabel: ft, Format: num, CategoryLabel: cat}))
	bars := func(title, catKey string, names []string, vals []float64) {
		if len(names) == 0 {
			return
		}
		out = append(out, chart.Bars(web.T(c, "warehouse.stats.chart."+title), names,
			[]chart.Series{{Name: web.T(c, "warehouse.stats.col.cost"), Values: vals}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: ft, Format: num, CategoryLabel: web.T(c, "warehouse.stats.col."+catKey)}))
	}
	var names []string
	var vals []float64
	for _, d := range st.Depts[:min(len(st.Depts), 12)] {
		name := d.Name
		if d.DepartmentID == 0 {
			name = web.T(c, "warehouse.stats.no_department")
		}
		names, vals = append(names, name), append(vals, float64(d.Cost))
	}
	bars("departments", "department", names, vals)
	names, vals = nil, nil
	for _, u := range st.Cats {
		names, vals = append(names, web.T(c, "warehouse.category."+u.Category)), append(vals, float64(u.Cost))
	}
	bars("categories", "category", names, vals)
	names, vals = nil, nil
	for _, u := range st.Items[:min(len(st.Items), 10)] {
		names, vals = append(names, u.Item.Name(lang)), append(vals, float64(u.Cost))
	}
	bars("items", "item", names, vals)
	return out, wide
}
