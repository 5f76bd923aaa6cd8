package leave

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/chart"
	"kapu/modules/platform/stats"
	"kapu/modules/platform/web"
)

// handleStatsShow shows a year's leave per month, per type and per department
// as charts and tables; ?format=csv sends the department table instead,
// ?format=xlsx the same table as a workbook.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	var years []int
	for _, o := range m.hrYearOptions() {
		y, _ := strconv.Atoi(o.Value)
		years = append(years, y)
	}
	pick := stats.Picker{Path: "/leave/admin/stats", Kinds: []string{stats.Year}, Years: years, Keep: []string{"dept"},
		Today: m.svc.Today(), Submit: "leave.hr.filter"}
	ch := pick.Parse(c)
	year := ch.Period.From.Year
	dept, err := hrDeptParam(c.Query("dept"))
	if err != nil {
		return err
	}
	st, err := m.svc.Stats(c.UserContext(), StatsFilter{Year: year, DepartmentID: dept})
	if err != nil {
		return err
	}
	table := statsTable(c, st)
	switch c.Query("format") {
	case "csv":
		return stats.SendCSV(c, fmt.Sprintf("leave-stats-%d.csv", year), table)
	case "xlsx":
		sheet := table // the page's caption is too long for a sheet's 31 characters
		sheet.Title = web.T(c, "leave.hr.stats.sheet", "Year", year)
		return stats.SendXLSX(c, fmt.Sprintf("leave-stats-%d.xlsx", year), sheet)
	}
	depts, err := m.svc.people.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	ch.Filters = []stats.Filter{{Name: "dept", Label: "leave.hr.col.department", Value: c.Query("dept"), Options: depts,
		Empty: "leave.hr.all_departments", Help: "leave.hr.dept_help"}}
	return web.Render(c, "leave/stats", web.Page{
		Title:  "leave.hr.stats.title",
		Status: ch.Status(),
		Errors: ch.Errors,
		Form:   fiber.Map{"Dept": c.Query("dept")},
		Data: fiber.Map{
			"Year": year, "Period": ch, "Charts": statsCharts(c, st, web.LangOf(c)), "Table": table,
			"HasLeave": st.Total.Leave > 0, "CSV": ch.Export(url.Values{"format": {"csv"}}),
			"XLSX": ch.Export(url.Values{"format": {"xlsx"}}),
		},
	})
}

// deptLabel is a department's name in the table and the charts.
func deptLabel(c *fiber.Ctx, d DeptStats) string {
	if d.Name == "" {
		return web.T(c, "leave.hr.no_department")
	}
	return d.Name
}

// statsCharts draws the page's charts; types without a day in the year stay out of the stacks.
func statsCharts(c *fiber.Ctx, st *Stats, lang string) []template.HTML {
	if st.Total.Leave == 0 {
		return nil
	}
	unit := web.T(c, "leave.hr.stats.days_unit")
	base := chart.Options{ValueLabel: unit, Format: hrNum(lang), TotalLabel: web.T(c, "leave.hr.stats.total")}

	var used []int // indexes of the types with leave
	for i, h := range st.ByType {
		if h > 0 {
			used = append(used, i)
		}
	}
	months := make([]string, 12)
	for i := range months {
		months[i] = web.T(c, "leave.hr.month_short."+strconv.Itoa(i+1))
	}
	var perMonth []chart.Series
	for _, ti := range used {
		s := chart.Series{Name: st.Types[ti].Name(lang), Color: st.Types[ti].Color, Values: make([]float64, 12)}
		for mo := range 12 {
			s.Values[mo] = halfDays(st.ByMonth[mo][ti])
		}
		perMonth = append(perMonth, s)
	}
	// The month chart spans the page; the other two share a row.
	o := base
	o.Stacked, o.CategoryLabel, o.Width, o.Height = true, web.T(c, "leave.hr.stats.month"), 960, 300
	out := []template.HTML{chart.Bars(web.T(c, "leave.hr.stats.by_month", "Year", st.Year), months, perMonth, o)}

	var names, colors []string
	var values []float64
	for i, t := range st.Types {
		names, colors, values = append(names, t.Name(lang)), append(colors, t.Color), append(values, halfDays(st.ByType[i]))
	}
	o = base
	o.Horizontal, o.CategoryLabel, o.Width = true, web.T(c, "leave.hr.col.type"), 520
	out = append(out, chart.Bars(web.T(c, "leave.hr.stats.by_type", "Year", st.Year), names, []chart.Series{{Name: unit, Values: values, Colors: colors}}, o))

	if len(st.Departments) > 1 {
		labels := make([]string, len(st.Departments))
		for i, d := range st.Departments {
			labels[i] = deptLabel(c, d)
		}
		var perDept []chart.Series
		for _, ti := range used {
			s := chart.Series{Name: st.Types[ti].Name(lang), Color: st.Types[ti].Color, Values: make([]float64, len(st.Departments))}
			for i, d := range st.Departments {
				s.Values[i] = halfDays(d.ByType[ti])
			}
			perDept = append(perDept, s)
		}
		o = base
		o.Stacked, o.Horizontal, o.CategoryLabel, o.Width = true, true, web.T(c, "leave.hr.col.department"), 520
		out = append(out, chart.Bars(web.T(c, "leave.hr.stats.by_department", "Year", st.Year), labels, perDept, o))
	}
	return out
}

// statsTable is the department table, in days: the page shows the figures,
// the CSV also the expired days and the leave per type and per month.
func statsTable(c *fiber.Ctx, st *Stats) stats.Table {
	lang := web.LangOf(c)
	t := stats.Table{Key: "departments", Title: web.T(c, "leave.hr.stats.remaining_heading", "Year", st.Year)}
	for _, k := range []string{"department", "people", "allocated", "carried", "taken", "future", "pending", "expired", "remaining"} {
		col := stats.Col{Label: web.T(c, "leave.hr.col."+k), Kind: stats.Number}
		switch k {
		case "department":
			col.Kind, col.Width = stats.Text, 30
		case "expired":
			col.Hidden = true
		case "remaining":
			col.Label, col.Export, col.Strong = web.T(c, "leave.hr.stats.remaining"), col.Label, true
		}
		t.Cols = append(t.Cols, col)
	}
	for _, ty := range st.Types {
		t.Cols = append(t.Cols, stats.Col{Label: ty.Name(lang), Kind: stats.Number, Hidden: true})
	}
	for mo := 1; mo <= 12; mo++ {
		t.Cols = append(t.Cols, stats.Col{Label: web.T(c, "leave.hr.month_short."+strconv.Itoa(mo)), Kind: stats.Number, Hidden: true})
	}
	line := func(d DeptStats, name string) stats.Row {
		r := stats.Line(name, d.People, halfDays(d.Allocated), halfDays(d.Carried), halfDays(d.Taken), halfDays(d.Future),
			halfDays(d.Pending), halfDays(d.Expired), halfDays(d.Remaining))
		for _, h := range d.ByType {
			r.Cells = append(r.Cells, stats.Of(halfDays(h)))
		}
		for _, h := range d.ByMonth {
			r.Cells = append(r.Cells, stats.Of(halfDays(h)))
		}
		return r
	}
	for _, d := range st.Departments {
		r := line(d, deptLabel(c, d))
		r.Depth = d.Depth
		t.Rows = append(t.Rows, r)
	}
	total := line(st.Total, web.T(c, "leave.hr.stats.total"))
	t.Total = &total
	return t
}
