package appointments

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

// handleStatsShow shows the appointment statistics of a week, month, year or
// range with charts and tables; ?format=csv&table=… sends one table,
// ?format=xlsx all of them. Page and exports show the same tables.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	pick := stats.Picker{Path: "/desk/stats", Kinds: statsKinds, Default: stats.Month, Today: calendar.Today(m.svc.tz), Submit: "appointments.stats.show"}
	ch := pick.Parse(c)
	st, err := m.svc.Stats(c.UserContext(), web.ActorOf(c), ch.Period)
	if err != nil {
		return err
	}
	t := apptTablesOf(c, st)
	name := "appointments-" + ch.Period.Name()
	if sent, err := stats.Export(c, name, t.exports); sent {
		return err
	}
	csv, xlsx := ch.ExportLinks(t.exports)
	lang := web.LangOf(c)
	var lead string
	if h, ok := st.Lead.P(50); ok {
		lead = web.T(c, "appointments.stats.lead_median", "Days", i18n.FormatFigure(lang, float64(h)/24), "Count", st.Lead.N())
	}
	charts, wide := apptCharts(c, st)
	return web.Render(c, "appointments/stats", web.Page{
		Title:  "appointments.stats.title",
		Status: ch.Status(),
		Errors: ch.Errors,
		Data: fiber.Map{
			"Heading":     web.T(c, "appointments.stats.heading", "Period", ch.Label),
			"Period":      ch,
			"Types":       t.types,
			"Offices":     t.offices,
			"Desks":       t.desks,
			"Lead":        t.lead,
			"LeadMedian":  lead,
			"Ratings":     t.ratings,
			"Emails":      st.Emails,
			"IPs":         st.IPs,
			"Charts":      charts,
			"WideChart":   wide,
			"Empty":       st.Total.Bookings+st.Total.Expired == 0,
			"CSV":         csv,
			"XLSX":        xlsx,
			"AbuseActive": AbuseActive,
			"AbusePerDay": AbusePerDay,
		},
	})
}

// apptTables are the page's tables, built once for the page and the exports.
type apptTables struct {
	types, offices, desks, lead, ratings stats.Table
	exports                              []stats.Table
}

// pctCell is a rate, or a dash where it does not apply (a zero in exports).
func pctCell(v float64, ok bool) stats.Cell {
	if !ok {
		return stats.Cell{Value: 0.0, Show: "–"}
	}
	return stats.Of(v)
}

// pCell is a percentile of a histogram in its unit, or a dash.
func pCell(d stats.Dist, p float64) stats.Cell {
	v, ok := d.P(p)
	if !ok {
		return stats.Cell{Value: nil}
	}
	return stats.Of(v)
}

// apptTablesOf builds every table of the page in the request's language.
func apptTablesOf(c *fiber.Ctx, st *Stats) apptTables {
	lang := web.LangOf(c)
	col := func(key, kind string, width float64) stats.Col {
		return stats.Col{Label: web.T(c, "appointments.stats.col."+key), Kind: kind, Width: width}
	}
	var t apptTables

	// One row per case type (office): bookings, outcomes, times, satisfaction.
	groupCols := func(first string) []stats.Col {
		cols := []stats.Col{col(first, stats.Text, 36), col("bookings", stats.Number, 10), col("walk_ins", stats.Number, 10),
			col("served", stats.Number, 10), col("no_shows", stats.Number, 10), col("no_show_rate", stats.Percent, 12),
			col("cancelled", stats.Number, 10), col("cancel_rate", stats.Percent, 12), col("expired", stats.Number, 10),
			col("wait_median", stats.Number, 12), col("wait_p90", stats.Number, 12),
			col("service_median", stats.Number, 12), col("service_p90", stats.Number, 12),
			col("rating", stats.Number, 10), col("rated", stats.Number, 10)}
		cols[1].Strong = true
		cols[2].Hidden, cols[8].Hidden, cols[14].Hidden = true, true, true
		return cols
	}
	line := func(name string, g GroupStats) stats.Row {
		avg := stats.Cell{Value: nil}
		if v, ok := g.Ratings.Average(); ok {
			avg = stats.Of(v)
		}
		return stats.Row{Cells: []stats.Cell{stats.Of(name), stats.Of(g.Bookings), stats.Of(g.WalkIns), stats.Of(g.Served),
			stats.Of(g.NoShows), pctCell(g.NoShowRate()), stats.Of(g.Cancelled), pctCell(g.CancelRate()), stats.Of(g.Expired),
			pCell(g.Wait, 50), pCell(g.Wait, 90), pCell(g.Service, 50), pCell(g.Service, 90), avg, stats.Of(g.Ratings.Count())}}
	}
	total := line(web.T(c, "appointments.stats.total"), st.Total)
	t.types = stats.Table{Key: "types", Title: web.T(c, "appointments.stats.sheet.types"), Cols: groupCols("case_type"), Total: &total}
	for i, ty := range st.Types {
		t.types.Rows = append(t.types.Rows, line(ty.Name(lang), st.ByType[i]))
	}
	total2 := total
	t.offices = stats.Table{Key: "offices", Title: web.T(c, "appointments.stats.sheet.offices"), Cols: groupCols("office"), Total: &total2}
	for i, o := range st.Offices {
		t.offices.Rows = append(t.offices.Rows, line(o.Name, st.ByOffice[i]))
	}

	// Desks: open and booked hours.
	t.desks = stats.Table{Key: "desks", Title: web.T(c, "appointments.stats.sheet.desks"), Cols: []stats.Col{
		col("desk", stats.Text, 30), col("office", stats.Text, 30), col("open_hours", stats.Number, 12),
		col("booked_hours", stats.Number, 12), col("utilisation", stats.Percent, 12)}}
	t.desks.Cols[4].Strong = true
	// The total's utilisation counts the desks that were open: a desk
	// without hours would raise it with bookings no hour holds.
	var open, booked, bookedOpen int
	for _, d := range st.Desks {
		u, ok := d.Utilisation()
		t.desks.Rows = append(t.desks.Rows, stats.Row{Cells: []stats.Cell{stats.Of(d.Desk.Name), stats.Of(d.Office),
			stats.Of(float64(d.OpenMinutes) / 60), stats.Of(float64(d.BookedMinutes) / 60), pctCell(u, ok)}})
		open, booked = open+d.OpenMinutes, booked+d.BookedMinutes
		if d.OpenMinutes > 0 {
			bookedOpen += d.BookedMinutes
		}
	}
	dt := DeskUse{OpenMinutes: open, BookedMinutes: bookedOpen}
	u, ok := dt.Utilisation()
	deskTotal := stats.Row{Cells: []stats.Cell{stats.Of(web.T(c, "appointments.stats.total")), stats.Of(""),
		stats.Of(float64(open) / 60), stats.Of(float64(booked) / 60), pctCell(u, ok)}}
	t.desks.Total = &deskTotal

	// Lead time buckets.
	t.lead = stats.Table{Key: "lead", Title: web.T(c, "appointments.stats.sheet.lead"), Cols: []stats.Col{
		col("lead", stats.Text, 24), col("count", stats.Number, 10), col("share", stats.Percent, 10)}}
	n := st.Lead.N()
	for i, c2 := range st.LeadDays {
		share := 0.0
		if n > 0 {
			share = 100 * float64(c2) / float64(n)
		}
		t.lead.Rows = append(t.lead.Rows, stats.Line(leadLabel(c, i), c2, share))
	}

	// Satisfaction: the distribution of scores per case type, then per office.
	rcols := []stats.Col{col("name", stats.Text, 36), col("kind", stats.Text, 14)}
	for _, s := range Ratings {
		rcols = append(rcols, stats.Col{Label: strconv.Itoa(s), Kind: stats.Number, Width: 8})
	}
	rcols = append(rcols, col("rated", stats.Number, 10), col("rating", stats.Number, 10))
	rcols[len(rcols)-1].Strong = true
	t.ratings = stats.Table{Key: "ratings", Title: web.T(c, "appointments.stats.sheet.ratings"), Cols: rcols}
	rline := func(kind, name string, g GroupStats) stats.Row {
		r := stats.Line(name, kind)
		for _, s := range Ratings {
			r.Cells = append(r.Cells, stats.Of(g.Ratings[s]))
		}
		avg := stats.Cell{Value: nil}
		if v, ok := g.Ratings.Average(); ok {
			avg = stats.Of(v)
		}
		return stats.Row{Cells: append(r.Cells, stats.Of(g.Ratings.Count()), avg)}
	}
	for i, ty := range st.Types {
		if st.ByType[i].Ratings.Count() > 0 {
			t.ratings.Rows = append(t.ratings.Rows, rline(web.T(c, "appointments.stats.col.case_type"), ty.Name(lang), st.ByType[i]))
		}
	}
	for i, o := range st.Offices {
		if st.ByOffice[i].Ratings.Count() > 0 {
			t.ratings.Rows = append(t.ratings.Rows, rline(web.T(c, "appointments.stats.col.office"), o.Name, st.ByOffice[i]))
		}
	}
	rt := rline("", web.T(c, "appointments.stats.total"), st.Total)
	t.ratings.Total = &rt

	// Bookings per day (month), per office: export only, the chart draws it.
	days := stats.Table{Key: "days", Title: web.T(c, "appointments.stats.sheet.days"), Cols: []stats.Col{col("day", stats.Date, 12)}}
	if st.Monthly {
		days.Cols[0] = col("month", stats.Text, 12)
	}
	for _, o := range st.Offices {
		days.Cols = append(days.Cols, stats.Col{Label: o.Name, Kind: stats.Number, Width: 18})
	}
	days.Cols = append(days.Cols, col("bookings", stats.Number, 10))
	for _, d := range st.Days {
		var row stats.Row
		if st.Monthly {
			row = stats.Line(d.Day.String()[:7])
		} else {
			row = stats.Line(d.Day)
		}
		sum := 0
		for _, o := range st.Offices {
			row.Cells = append(row.Cells, stats.Of(d.ByOffice[o.ID]))
			sum += d.ByOffice[o.ID]
		}
		row.Cells = append(row.Cells, stats.Of(sum))
		days.Rows = append(days.Rows, row)
	}

	// Suspected abuse, as the page lists it.
	suspects := func(key, first string, ss []Suspect) stats.Table {
		tb := stats.Table{Key: key, Title: web.T(c, "appointments.stats.sheet."+key), Cols: []stats.Col{
			col(first, stats.Text, 36), col("period_bookings", stats.Number, 12), col("max_day", stats.Number, 12),
			col("active", stats.Number, 12), col("others_"+key, stats.Number, 12)}}
		for _, s := range ss {
			tb.Rows = append(tb.Rows, stats.Line(s.Key, s.Period, s.MaxDay, s.Active, s.Others))
		}
		return tb
	}

	t.exports = []stats.Table{t.types, t.offices, days, t.lead, t.desks, t.ratings,
		suspects("emails", "email", st.Emails), suspects("ips", "ip", st.IPs)}
	return t
}

// leadLabel names lead time bucket i (see LeadBuckets).
func leadLabel(c *fiber.Ctx, i int) string {
	switch {
	case i == 0:
		return web.T(c, "appointments.stats.lead.same_day")
	case i == len(LeadBuckets):
		return web.T(c, "appointments.stats.lead.more", "Days", LeadBuckets[i-1]-1)
	case LeadBuckets[i]-LeadBuckets[i-1] == 1:
		return web.T(c, "appointments.stats.lead.days", "Count", LeadBuckets[i-1])
	}
	return web.T(c, "appointments.stats.lead.range", "From", LeadBuckets[i-1], "To", LeadBuckets[i]-1)
}

// apptCharts draws bookings per case type, the lead time and desk
// utilisation side by side, and bookings per day by office (wide, below).
func apptCharts(c *fiber.Ctx, st *Stats) (out []template.HTML, wide template.HTML) {
	lang := web.LangOf(c)
	num := func(v float64) string { return i18n.FormatFigure(lang, v) }
	bookings := web.T(c, "appointments.stats.col.bookings")
	if len(st.Days) > 0 && st.Total.Bookings > 0 {
		labels := make([]string, len(st.Days))
		for i, d := range st.Days {
			if st.Monthly {
				labels[i] = web.T(c, "month."+strconv.Itoa(int(d.Day.Month))) + " " + strconv.Itoa(d.Day.Year)
			} else {
				labels[i] = strconv.Itoa(d.Day.Day)
			}
		}
		var series []chart.Series
		for _, o := range st.Offices {
			s := chart.Series{Name: o.Name, Values: make([]float64, len(st.Days))}
			for i, d := range st.Days {
				s.Values[i] = float64(d.ByOffice[o.ID])
			}
			series = append(series, s)
		}
		cat := web.T(c, "appointments.stats.col.day")
		title := web.T(c, "appointments.stats.chart.days")
		if st.Monthly {
			cat, title = web.T(c, "appointments.stats.col.month"), web.T(c, "appointments.stats.chart.months")
		}
		wide = chart.Bars(title, labels, series, chart.Options{Stacked: true, Width: 960, Height: 300, ValueLabel: bookings,
			Format: num, CategoryLabel: cat, TotalLabel: web.T(c, "appointments.stats.total")})
	}
	if st.Total.Bookings > 0 {
		labels := make([]string, len(st.Types))
		vals := make([]float64, len(st.Types))
		for i, t := range st.Types {
			labels[i], vals[i] = t.Name(lang), float64(st.ByType[i].Bookings)
		}
		out = append(out, chart.Bars(web.T(c, "appointments.stats.chart.types"), labels,
			[]chart.Series{{Name: bookings, Values: vals}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: bookings, Format: num, CategoryLabel: web.T(c, "appointments.stats.col.case_type")}))
	}
	if st.Lead.N() > 0 {
		labels := make([]string, len(st.LeadDays))
		vals := make([]float64, len(st.LeadDays))
		for i, n := range st.LeadDays {
			labels[i], vals[i] = leadLabel(c, i), float64(n)
		}
		out = append(out, chart.Bars(web.T(c, "appointments.stats.chart.lead"), labels,
			[]chart.Series{{Name: bookings, Values: vals}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: bookings, Format: num, CategoryLabel: web.T(c, "appointments.stats.col.lead")}))
	}
	if len(st.Desks) > 0 {
		labels := make([]string, len(st.Desks))
		vals := make([]float64, len(st.Desks))
		for i, d := range st.Desks {
			labels[i] = d.Office + ", " + d.Desk.Name
			vals[i], _ = d.Utilisation()
		}
		out = append(out, chart.Bars(web.T(c, "appointments.stats.chart.desks"), labels,
			[]chart.Series{{Name: web.T(c, "appointments.stats.col.utilisation"), Values: vals}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: "%", Format: num, CategoryLabel: web.T(c, "appointments.stats.col.desk")}))
	}
	if st.Total.Ratings.Count() > 0 {
		var labels []string
		var vals []float64
		for i, t := range st.Types {
			if v, ok := st.ByType[i].Ratings.Average(); ok {
				labels, vals = append(labels, t.Name(lang)), append(vals, v)
			}
		}
		out = append(out, chart.Bars(web.T(c, "appointments.stats.chart.ratings"), labels,
			[]chart.Series{{Name: web.T(c, "appointments.stats.col.rating"), Values: vals}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: web.T(c, "appointments.stats.col.rating"), Format: num,
				CategoryLabel: web.T(c, "appointments.stats.col.case_type")}))
	}
	return out, wide
}
