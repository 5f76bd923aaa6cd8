package helpdesk

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

// handleStatsShow shows the helpdesk's statistics of a week, month, year or
// range for the queues the viewer works (admins: both); ?format=csv&table=…
// sends one table, ?format=xlsx all of them, the same tables as the page.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	pick := stats.Picker{Path: "/helpdesk/stats", Kinds: statsKinds, Default: stats.Year, Today: calendar.Today(m.svc.tz), Submit: "helpdesk.stats.show"}
	ch := pick.Parse(c)
	st, err := m.svc.Stats(c.UserContext(), web.ActorOf(c), ch.Period)
	if err != nil {
		return err
	}
	t := statsTablesOf(c, st)
	if sent, err := stats.Export(c, "helpdesk-"+ch.Period.Name(), t.exports); sent {
		return err
	}
	csv, xlsx := ch.ExportLinks(t.exports)
	charts, wide := statsCharts(c, st)
	return web.Render(c, "helpdesk/stats", web.Page{
		Title:  "helpdesk.stats.title",
		Status: ch.Status(),
		Errors: ch.Errors,
		Data: fiber.Map{
			"Heading":    web.T(c, "helpdesk.stats.heading", "Period", ch.Label),
			"Period":     ch,
			"Tables":     t,
			"Charts":     charts,
			"WideCharts": wide,
			"Empty":      st.Total.Tickets == 0,
			"CSV":        csv,
			"XLSX":       xlsx,
		},
	})
}

// statsTables are the page's tables, built once for the page and the exports.
type statsTables struct {
	Queues, Categories, Departments, Buildings, Days, Backlog, Assets, Models, Ratings stats.Table
	exports                                                                            []stats.Table
}

// minutesCell is a percentile of d in minutes, or in hours when hours is
// set; empty when there is nothing to measure.
func minutesCell(d stats.Dist, p float64, hours bool) stats.Cell {
	v, ok := d.P(p)
	if !ok {
		return stats.Cell{Value: nil, Show: "–"}
	}
	if hours {
		return stats.Of(float64(v) / 60)
	}
	return stats.Of(v)
}

// optCell is a figure that may not apply (a rate of nothing).
func optCell(v float64, ok bool) stats.Cell {
	if !ok {
		return stats.Cell{Value: nil, Show: "–"}
	}
	return stats.Of(v)
}

// statsTablesOf builds every table in the request's language.
func statsTablesOf(c *fiber.Ctx, st *Stats) statsTables {
	lang := web.LangOf(c)
	col := func(key, kind string, width float64) stats.Col {
		return stats.Col{Label: web.T(c, "helpdesk.stats.col."+key), Kind: kind, Width: width}
	}
	total := web.T(c, "helpdesk.stats.total")
	var t statsTables
	qname := map[uint]string{}
	for _, q := range st.Queues {
		qname[q.Queue.ID] = q.Queue.Name(lang)
	}

	// One row per queue: tickets, SLA, times, work, satisfaction.
	t.Queues = stats.Table{Key: "queues", Title: web.T(c, "helpdesk.stats.sheet.queues"), Cols: []stats.Col{
		col("queue", stats.Text, 24), col("tickets", stats.Number, 10), col("resolved", stats.Number, 10),
		col("sla_met", stats.Percent, 12), col("response_median", stats.Number, 14), col("response_p90", stats.Number, 14),
		col("resolve_median", stats.Number, 14), col("resolve_p90", stats.Number, 14), col("work_hours", stats.Number, 12),
		col("rating", stats.Number, 10), col("rated", stats.Number, 10)}}
	t.Queues.Cols[1].Strong, t.Queues.Cols[3].Strong = true, true
	t.Queues.Cols[10].Hidden = true
	line := func(name string, q QueueStats) stats.Row {
		avg, ok := q.Ratings.Average()
		return stats.Row{Cells: []stats.Cell{stats.Of(name), stats.Of(q.Tickets), stats.Of(q.Resolved), optCell(q.Compliance()),
			minutesCell(q.Response, 50, false), minutesCell(q.Response, 90, false),
			minutesCell(q.Resolve, 50, true), minutesCell(q.Resolve, 90, true),
			stats.Of(float64(q.WorkMins) / 60), optCell(avg, ok), stats.Of(q.Ratings.Count())}}
	}
	for _, q := range st.Queues {
		t.Queues.Rows = append(t.Queues.Rows, line(q.Queue.Name(lang), q))
	}
	if len(st.Queues) > 1 {
		tr := line(total, st.Total)
		t.Queues.Total = &tr
	}

	share := func(n int) float64 {
		if st.Total.Tickets == 0 {
			return 0
		}
		return 100 * float64(n) / float64(st.Total.Tickets)
	}
	counted := func(key, first string, rows []Count, name func(Count) string) stats.Table {
		tb := stats.Table{Key: key, Title: web.T(c, "helpdesk.stats.sheet."+key), Cols: []stats.Col{
			col(first, stats.Text, 36), col("tickets", stats.Number, 10), col("share", stats.Percent, 10)}}
		if key == "categories" {
			tb.Cols = append([]stats.Col{col("queue", stats.Text, 18)}, tb.Cols...)
		}
		for _, r := range rows {
			row := stats.Line(name(r), r.N, share(r.N))
			if key == "categories" {
				row = stats.Line(qname[r.QueueID], name(r), r.N, share(r.N))
			}
			tb.Rows = append(tb.Rows, row)
		}
		return tb
	}
	t.Categories = counted("categories", "category", st.Categories, func(r Count) string { return pick(lang, r.Name, r.NameEN) })
	t.Departments = counted("departments", "department", st.Departments, func(r Count) string {
		if r.ID == 0 {
			return web.T(c, "helpdesk.stats.no_department")
		}
		return r.Name
	})
	t.Buildings = counted("buildings", "building", st.Buildings, func(r Count) string {
		if r.Name == "" {
			return web.T(c, "helpdesk.stats.no_building")
		}
		return r.Name
	})

	// Tickets per month (or day) and the backlog at each month's end, per queue.
	perQueue := func(key, first, kind string, pts []Point, label func(Point) any) stats.Table {
		tb := stats.Table{Key: key, Title: web.T(c, "helpdesk.stats.sheet."+key), Cols: []stats.Col{col(first, kind, 14)}}
		for _, q := range st.Queues {
			tb.Cols = append(tb.Cols, stats.Col{Label: q.Queue.Name(lang), Kind: stats.Number, Width: 14})
		}
		tb.Cols = append(tb.Cols, col("all", stats.Number, 10))
		for _, p := range pts {
			row := stats.Line(label(p))
			sum := 0
			for _, q := range st.Queues {
				row.Cells = append(row.Cells, stats.Of(p.ByQueue[q.Queue.ID]))
				sum += p.ByQueue[q.Queue.ID]
			}
			tb.Rows = append(tb.Rows, stats.Row{Cells: append(row.Cells, stats.Of(sum))})
		}
		return tb
	}
	if st.Monthly {
		t.Days = perQueue("days", "month", stats.Text, st.Days, func(p Point) any { return p.Day.String()[:7] })
	} else {
		t.Days = perQueue("days", "day", stats.Date, st.Days, func(p Point) any { return p.Day })
	}
	t.Backlog = perQueue("backlog", "backlog_day", stats.Date, st.Backlog, func(p Point) any { return p.Day })

	t.Assets = stats.Table{Key: "assets", Title: web.T(c, "helpdesk.stats.sheet.assets"), Cols: []stats.Col{
		col("tag", stats.Text, 16), col("type", stats.Text, 20), col("model", stats.Text, 28), col("purchased", stats.Date, 12),
		col("faults", stats.Number, 10)}}
	t.Assets.Cols[4].Strong = true
	for _, a := range st.Assets {
		bought := stats.Of(a.PurchasedOn)
		if a.PurchasedOn.IsZero() {
			bought = stats.Cell{Value: nil, Show: "–"}
		}
		t.Assets.Rows = append(t.Assets.Rows, stats.Row{Cells: []stats.Cell{stats.Of(a.Tag), stats.Of(a.Type), stats.Of(a.Model), bought, stats.Of(a.N)}})
	}
	t.Models = stats.Table{Key: "models", Title: web.T(c, "helpdesk.stats.sheet.models"), Cols: []stats.Col{
		col("model", stats.Text, 28), col("type", stats.Text, 20), col("assets", stats.Number, 10),
		col("faults", stats.Number, 10), col("per_asset", stats.Number, 12)}}
	t.Models.Cols[3].Strong = true
	for _, m := range st.Models {
		t.Models.Rows = append(t.Models.Rows, stats.Row{Cells: []stats.Cell{stats.Of(m.Model), stats.Of(m.Type),
			stats.Of(m.Assets), stats.Of(m.N), optCell(m.PerAsset())}})
	}

	// Satisfaction: the distribution of scores per queue.
	rcols := []stats.Col{col("queue", stats.Text, 24)}
	for s := 1; s <= 5; s++ {
		rcols = append(rcols, stats.Col{Label: strconv.Itoa(s), Kind: stats.Number, Width: 8})
	}
	rcols = append(rcols, col("rated", stats.Number, 10), col("rating", stats.Number, 10))
	rcols[len(rcols)-1].Strong = true
	t.Ratings = stats.Table{Key: "ratings", Title: web.T(c, "helpdesk.stats.sheet.ratings"), Cols: rcols}
	rline := func(name string, q QueueStats) stats.Row {
		r := stats.Line(name)
		for s := 1; s <= 5; s++ {
			r.Cells = append(r.Cells, stats.Of(q.Ratings[s]))
		}
		avg, ok := q.Ratings.Average()
		return stats.Row{Cells: append(r.Cells, stats.Of(q.Ratings.Count()), optCell(avg, ok))}
	}
	for _, q := range st.Queues {
		t.Ratings.Rows = append(t.Ratings.Rows, rline(q.Queue.Name(lang), q))
	}
	if len(st.Queues) > 1 {
		rt := rline(total, st.Total)
		t.Ratings.Total = &rt
	}
	t.exports = []stats.Table{t.Queues, t.Categories, t.Departments, t.Buildings, t.Days, t.Backlog, t.Assets, t.Models, t.Ratings}
	return t
}

// statsCharts draws tickets per month (or day) and the backlog by queue
// (wide), and the categories and satisfaction side by side.
func statsCharts(c *fiber.Ctx, st *Stats) (out []template.HTML, wide []template.HTML) {
	if st.Total.Tickets == 0 {
		return nil, nil
	}
	lang := web.LangOf(c)
	num := func(v float64) string { return i18n.FormatFigure(lang, v) }
	tickets := web.T(c, "helpdesk.stats.col.tickets")
	series := func(pts []Point) []chart.Series {
		var ss []chart.Series
		for _, q := range st.Queues {
			s := chart.Series{Name: q.Queue.Name(lang), Values: make([]float64, len(pts))}
			for i, p := range pts {
				s.Values[i] = float64(p.ByQueue[q.Queue.ID])
			}
			ss = append(ss, s)
		}
		return ss
	}
	dayLabel := func(d calendar.Date, monthly bool) string {
		if monthly {
			return web.T(c, "month."+strconv.Itoa(int(d.Month))) + " " + strconv.Itoa(d.Year)
		}
		return i18n.FormatDate(lang, d.Year, d.Month, d.Day)
	}
	labels := make([]string, len(st.Days))
	for i, p := range st.Days {
		if st.Monthly {
			labels[i] = dayLabel(p.Day, true)
		} else {
			labels[i] = strconv.Itoa(p.Day.Day)
		}
	}
	cat, title := web.T(c, "helpdesk.stats.col.day"), web.T(c, "helpdesk.stats.chart.days")
	if st.Monthly {
		cat, title = web.T(c, "helpdesk.stats.col.month"), web.T(c, "helpdesk.stats.chart.months")
	}
	wide = append(wide, chart.Bars(title, labels, series(st.Days), chart.Options{Stacked: true, Width: 960, Height: 300,
		ValueLabel: tickets, Format: num, CategoryLabel: cat, TotalLabel: web.T(c, "helpdesk.stats.total")}))
	if len(st.Backlog) > 1 {
		bl := make([]string, len(st.Backlog))
		for i, p := range st.Backlog {
			bl[i] = dayLabel(p.Day, false)
		}
		wide = append(wide, chart.Bars(web.T(c, "helpdesk.stats.chart.backlog"), bl, series(st.Backlog), chart.Options{Stacked: true,
			Width: 960, Height: 260, ValueLabel: web.T(c, "helpdesk.stats.col.open"), Format: num,
			CategoryLabel: web.T(c, "helpdesk.stats.col.backlog_day"), TotalLabel: web.T(c, "helpdesk.stats.total")}))
	}
	if n := min(len(st.Categories), 12); n > 0 {
		cl, cv := make([]string, n), make([]float64, n)
		qname := map[uint]string{}
		for _, q := range st.Queues {
			qname[q.Queue.ID] = q.Queue.Name(lang)
		}
		for i, r := range st.Categories[:n] {
			cl[i], cv[i] = pick(lang, r.Name, r.NameEN), float64(r.N)
			if len(st.Queues) > 1 {
				cl[i] = qname[r.QueueID] + ": " + cl[i]
			}
		}
		out = append(out, chart.Bars(web.T(c, "helpdesk.stats.chart.categories"), cl, []chart.Series{{Name: tickets, Values: cv}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: tickets, Format: num, CategoryLabel: web.T(c, "helpdesk.stats.col.category")}))
	}
	if n := min(len(st.Models), 8); n > 0 {
		ml, mv := make([]string, n), make([]float64, n)
		for i, m := range st.Models[:n] {
			ml[i], mv[i] = m.Model, float64(m.N)
		}
		out = append(out, chart.Bars(web.T(c, "helpdesk.stats.chart.models"), ml, []chart.Series{{Name: web.T(c, "helpdesk.stats.col.faults"), Values: mv}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: web.T(c, "helpdesk.stats.col.faults"), Format: num, CategoryLabel: web.T(c, "helpdesk.stats.col.model")}))
	}
	if st.Total.Ratings.Count() > 0 {
		rl, rv := make([]string, 5), make([]float64, 5)
		for s := 1; s <= 5; s++ {
			rl[s-1], rv[s-1] = strconv.Itoa(s), float64(st.Total.Ratings[s])
		}
		out = append(out, chart.Bars(web.T(c, "helpdesk.stats.chart.ratings"), rl, []chart.Series{{Name: web.T(c, "helpdesk.stats.col.rated"), Values: rv}},
			chart.Options{Width: 520, Height: 260, ValueLabel: web.T(c, "helpdesk.stats.col.rated"), Format: num, CategoryLabel: web.T(c, "helpdesk.stats.col.score")}))
	}
	return out, wide
}
