package training

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/chart"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/stats"
	"kapu/modules/platform/web"
)

// handleStatsShow shows the training figures of a month, year or range,
// for everyone or one department; ?format=csv&table=… sends one table,
// ?format=xlsx all of them: the same tables as the page.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	pick := stats.Picker{Path: "/training/stats", Kinds: statsKinds, Default: stats.Year, Keep: []string{"dept"},
		Today: m.svc.today(), Submit: "training.stats.show"}
	ch := pick.Parse(c)
	var dept uint
	if v := c.Query("dept"); v != "" {
		id, ok := web.ID(v)
		if !ok {
			return fiber.ErrNotFound
		}
		dept = id
	}
	st, err := m.svc.Stats(c.UserContext(), web.ActorOf(c), StatsFilter{Period: ch.Period, DepartmentID: dept})
	if err != nil {
		return err
	}
	t := statsTablesOf(c, st)
	name := "training-" + ch.Period.Name()
	if dept != 0 {
		name += "-dept-" + strconv.FormatUint(uint64(dept), 10)
	}
	if sent, err := stats.Export(c, name, t.exports); sent {
		return err
	}
	depts, err := m.deps.People.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	ch.Filters = []stats.Filter{{Name: "dept", Label: "training.stats.department", Value: c.Query("dept"), Options: depts,
		Empty: "training.stats.all_departments"}}
	csv, xlsx := ch.ExportLinks(t.exports)
	charts, wide := statsCharts(c, st)
	return web.Render(c, "training/stats", web.Page{
		Title:  "training.stats.title",
		Status: ch.Status(),
		Errors: ch.Errors,
		Data: fiber.Map{
			"Heading":      web.T(c, "training.stats.heading", "Period", ch.Label),
			"Period":       ch,
			"Tables":       t,
			"Stats":        st,
			"Charts":       charts,
			"WideCharts":   wide,
			"AllPeople":    dept != 0 || len(st.People) <= statsTop,
			"ExpiringDays": ExpiringDays,
			"CSV":          csv,
			"XLSX":         xlsx,
		},
	})
}

// statsTables are the page's tables, built once for the page and the exports.
type statsTables struct {
	People, Depts, Years, Trainings, Compliance, NoShows, Ratings, Providers, Expiring stats.Table
	exports                                                                            []stats.Table
}

// statsNoFigure is a cell of a figure that does not apply.
var statsNoFigure = stats.Cell{Value: nil, Show: "–"}

// statsRateCell is a share in per cent, or no figure when it is of nothing.
func statsRateCell(v float64, ok bool) stats.Cell {
	if !ok {
		return statsNoFigure
	}
	return stats.Of(v)
}

// statsAverageCell is the average score of s, or no figure without ratings.
func statsAverageCell(s stats.Scores) stats.Cell {
	avg, ok := s.Average()
	return statsRateCell(avg, ok)
}

// statsTablesOf builds every table in the request's language.
func statsTablesOf(c *fiber.Ctx, st *Stats) statsTables {
	lang := web.LangOf(c)
	col := func(key, kind string, width float64) stats.Col {
		return stats.Col{Label: web.T(c, "training.stats.col."+key), Kind: kind, Width: width}
	}
	table := func(key string, cols ...stats.Col) stats.Table {
		return stats.Table{Key: key, Title: web.T(c, "training.stats.sheet."+key), Cols: cols}
	}
	deptName := func(id uint, name string) string {
		if id == 0 || name == "" {
			return web.T(c, "training.stats.no_department")
		}
		return name
	}
	title := func(t *Training) string {
		if s := t.Title(lang); s != "" {
			return s
		}
		return web.T(c, "training.stats.unknown_training")
	}
	provider := func(p string) string {
		if p == "" {
			return web.T(c, "training.stats.no_provider")
		}
		return p
	}
	effort := func(e Effort) []stats.Cell {
		return []stats.Cell{stats.Of(e.Completions), stats.Of(e.Hours()), stats.Of(e.Points), stats.Of(e.CostFt)}
	}
	effortCols := func() []stats.Col {
		cols := []stats.Col{col("completions", stats.Number, 12), col("hours", stats.Number, 10),
			col("points", stats.Number, 10), col("cost", stats.Number, 14)}
		cols[1].Strong = true
		return cols
	}
	total := web.T(c, "training.stats.total")
	var t statsTables

	t.People = table("people", append([]stats.Col{col("person", stats.Text, 30), col("department", stats.Text, 30)}, effortCols()...)...)
	for _, p := range st.People {
		t.People.Rows = append(t.People.Rows, stats.Row{Cells: append([]stats.Cell{stats.Of(p.Name), stats.Of(deptName(p.DepartmentID, p.Department))}, effort(p.Effort)...)})
	}
	tr := stats.Row{Cells: append([]stats.Cell{stats.Of(total), stats.Of(web.T(c, "training.stats.people_count", "Count", st.Trained))}, effort(st.Total)...)}
	t.People.Total = &tr

	t.Depts = table("departments", append([]stats.Col{col("department", stats.Text, 32), col("staff", stats.Number, 10),
		col("trained", stats.Number, 10)}, append(effortCols(), col("hours_per_head", stats.Number, 12))...)...)
	staff := 0
	perHead := func(minutes, people int) stats.Cell {
		if people == 0 {
			return statsNoFigure
		}
		return stats.Of(float64(minutes) / 60 / float64(people))
	}
	for _, d := range st.Depts {
		staff += d.Staff
		cells := append([]stats.Cell{stats.Of(deptName(d.DepartmentID, d.Name)), stats.Of(d.Staff), stats.Of(d.Trained)}, effort(d.Effort)...)
		t.Depts.Rows = append(t.Depts.Rows, stats.Row{Cells: append(cells, perHead(d.Minutes, d.Staff))})
	}
	dr := stats.Row{Cells: append(append([]stats.Cell{stats.Of(total), stats.Of(staff), stats.Of(st.Trained)}, effort(st.Total)...), perHead(st.Total.Minutes, staff))}
	t.Depts.Total = &dr

	t.Years = table("years", append([]stats.Col{col("year", stats.Text, 10), col("trained", stats.Number, 10)}, effortCols()...)...)
	for _, y := range st.Years {
		t.Years.Rows = append(t.Years.Rows, stats.Row{Cells: append([]stats.Cell{stats.Of(strconv.Itoa(y.Year)), stats.Of(y.Trained)}, effort(y.Effort)...)})
	}

	t.Trainings = table("trainings", col("code", stats.Text, 16), col("training", stats.Text, 40), col("year", stats.Text, 8),
		col("provider", stats.Text, 24), col("completions", stats.Number, 12), col("hours", stats.Number, 10),
		col("points", stats.Number, 10), col("cost", stats.Number, 14))
	t.Trainings.Cols[4].Strong = true
	t.Trainings.Cols[2].Hidden, t.Trainings.Cols[3].Hidden = true, true
	for _, u := range st.Trainings {
		tt := u.Training
		t.Trainings.Rows = append(t.Trainings.Rows, stats.Line(tt.Code, title(tt), strconv.Itoa(tt.Year), provider(tt.Provider),
			u.Completions, u.Hours(), u.Points, u.CostFt))
	}

	// Compliance: a row per month, a column per mandatory code and one of them all.
	cols := []stats.Col{col("month", stats.Text, 12)}
	for _, md := range st.Mandatory {
		cols = append(cols, stats.Col{Label: title(md.Training), Export: md.Code, Kind: stats.Percent, Width: 14})
	}
	cols = append(cols, col("all_mandatory", stats.Percent, 14))
	cols[len(cols)-1].Strong = true
	t.Compliance = table("compliance", cols...)
	for _, cm := range st.Compliance {
		label := cm.Month.String()[:7]
		if cm.Now {
			label = web.T(c, "training.stats.so_far", "Month", label)
		}
		cells := []stats.Cell{stats.Of(label)}
		for _, cv := range cm.Codes {
			cells = append(cells, statsShareCell(cv, cm.Future))
		}
		t.Compliance.Rows = append(t.Compliance.Rows, stats.Row{Cells: append(cells, statsShareCell(cm.All, cm.Future))})
	}

	t.NoShows = table("no_shows", col("code", stats.Text, 16), col("training", stats.Text, 40), col("outcomes", stats.Number, 12),
		col("no_shows", stats.Number, 12), col("no_show_rate", stats.Percent, 12))
	t.NoShows.Cols[4].Strong = true
	for _, n := range st.NoShows {
		t.NoShows.Rows = append(t.NoShows.Rows, stats.Row{Cells: []stats.Cell{stats.Of(n.Training.Code), stats.Of(title(n.Training)),
			stats.Of(n.Outcomes), stats.Of(n.NoShows), statsRateCell(n.Rate())}})
	}
	nr := stats.Row{Cells: []stats.Cell{stats.Of(total), stats.Of(""), stats.Of(st.NoShow.Outcomes), stats.Of(st.NoShow.NoShows), statsRateCell(st.NoShow.Rate())}}
	t.NoShows.Total = &nr

	t.Ratings = table("feedback", col("code", stats.Text, 16), col("training", stats.Text, 40), col("provider", stats.Text, 24),
		col("ratings", stats.Number, 10), col("average", stats.Number, 10))
	t.Ratings.Cols[4].Strong = true
	var all stats.Scores
	for _, r := range st.Ratings {
		all.Add(r.Scores)
		t.Ratings.Rows = append(t.Ratings.Rows, stats.Row{Cells: []stats.Cell{stats.Of(r.Training.Code), stats.Of(title(r.Training)),
			stats.Of(provider(r.Provider)), stats.Of(r.Scores.Count()), statsAverageCell(r.Scores)}})
	}
	rr := stats.Row{Cells: []stats.Cell{stats.Of(total), stats.Of(""), stats.Of(""), stats.Of(all.Count()), statsAverageCell(all)}}
	t.Ratings.Total = &rr

	t.Providers = table("providers", col("provider", stats.Text, 32), col("ratings", stats.Number, 10), col("average", stats.Number, 10))
	t.Providers.Cols[2].Strong = true
	for _, r := range st.Providers {
		t.Providers.Rows = append(t.Providers.Rows, stats.Row{Cells: []stats.Cell{stats.Of(provider(r.Provider)), stats.Of(r.Scores.Count()), statsAverageCell(r.Scores)}})
	}

	t.Expiring = table("expiring", col("valid_until", stats.Date, 12), col("days_left", stats.Number, 10), col("person", stats.Text, 30),
		col("department", stats.Text, 30), col("training", stats.Text, 40), col("certificate", stats.Text, 20))
	t.Expiring.Cols[3].Hidden = true
	for _, e := range st.Expiring {
		t.Expiring.Rows = append(t.Expiring.Rows, stats.Line(e.ValidUntil, e.DaysLeft, e.Person, e.Department, title(e.Training), e.CertificateNo))
	}
	t.exports = []stats.Table{t.People, t.Depts, t.Years, t.Trainings, t.Compliance, t.NoShows, t.Ratings, t.Providers, t.Expiring}
	return t
}

// statsShareCell is a coverage's share, none for a month to come or a training
// that covered nobody.
func statsShareCell(cv Coverage, future bool) stats.Cell {
	if future {
		return statsNoFigure
	}
	return statsRateCell(cv.Share())
}

// TopPeople is the page's table of the people with the most hours.
func (t statsTables) TopPeople() stats.Table {
	top := t.People
	top.Rows = top.Rows[:min(len(top.Rows), statsTop)]
	return top
}

// TopTrainings is the page's table of the most completed trainings.
func (t statsTables) TopTrainings() stats.Table {
	top := t.Trainings
	top.Rows = top.Rows[:min(len(top.Rows), statsTop)]
	return top
}

// statsCharts draws compliance per month (wide: a series per mandatory
// code), and the hours per department and the most completed trainings.
func statsCharts(c *fiber.Ctx, st *Stats) (out []template.HTML, wide []template.HTML) {
	lang := web.LangOf(c)
	num := func(v float64) string { return i18n.FormatFigure(lang, v) }
	title := func(t *Training) string {
		if s := t.Title(lang); s != "" {
			return s
		}
		return t.Code
	}
	if len(st.Mandatory) > 0 && len(st.Compliance) > 0 {
		labels := make([]string, len(st.Compliance))
		series := make([]chart.Series, len(st.Mandatory))
		for i, md := range st.Mandatory {
			series[i] = chart.Series{Name: title(md.Training), Values: make([]float64, len(st.Compliance))}
		}
		for mi, cm := range st.Compliance {
			labels[mi] = web.T(c, "month."+strconv.Itoa(int(cm.Month.Month))) + " " + strconv.Itoa(cm.Month.Year)
			if cm.Now {
				labels[mi] = web.T(c, "training.stats.so_far", "Month", labels[mi])
			}
			for i, cv := range cm.Codes {
				if v, ok := cv.Share(); ok && !cm.Future {
					series[i].Values[mi] = v
				}
			}
		}
		wide = append(wide, chart.Bars(web.T(c, "training.stats.chart.compliance"), labels, series,
			chart.Options{Width: 960, Height: 300, ValueLabel: "%", Format: num, CategoryLabel: web.T(c, "training.stats.col.month"),
				Description: web.T(c, "training.stats.chart.compliance_help")}))
	}
	if st.Total.Completions == 0 {
		return out, wide
	}
	hours := web.T(c, "training.stats.col.hours")
	var names []string
	var vals []float64
	for _, d := range st.Depts {
		if d.Completions == 0 {
			continue
		}
		name := d.Name
		if d.DepartmentID == 0 || name == "" {
			name = web.T(c, "training.stats.no_department")
		}
		names, vals = append(names, name), append(vals, d.Hours())
	}
	if len(names) > 0 {
		out = append(out, chart.Bars(web.T(c, "training.stats.chart.departments"), names, []chart.Series{{Name: hours, Values: vals}},
			chart.Options{Horizontal: true, Width: 520, ValueLabel: hours, Format: num, CategoryLabel: web.T(c, "training.stats.col.department")}))
	}
	names, vals = nil, nil
	for _, u := range st.Trainings[:min(len(st.Trainings), 10)] {
		names, vals = append(names, title(u.Training)), append(vals, float64(u.Completions))
	}
	out = append(out, chart.Bars(web.T(c, "training.stats.chart.trainings"), names,
		[]chart.Series{{Name: web.T(c, "training.stats.col.completions"), Values: vals}},
		chart.Options{Horizontal: true, Width: 520, ValueLabel: web.T(c, "training.stats.col.completions"), Format: num,
			CategoryLabel: web.T(c, "training.stats.col.training")}))
	return out, wide
}
