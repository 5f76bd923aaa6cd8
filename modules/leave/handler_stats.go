package leave

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/chart"
	"kapu/modules/platform/web"
)

// handleStatsShow shows a year's leave per month, per type and per department
// as charts and tables; ?format=csv sends the department table instead.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	year := m.hrYear(c.Query("year"))
	dept, err := hrDeptParam(c.Query("dept"))
	if err != nil {
		return err
	}
	st, err := m.svc.Stats(c.UserContext(), StatsFilter{Year: year, DepartmentID: dept})
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	if c.Query("format") == "csv" {
		head, rows := statsTable(c, st)
		return web.SendCSV(c, fmt.Sprintf("leave-stats-%d.csv", year), head, rows)
	}
	depts, err := m.svc.people.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]statsRow, len(st.Departments))
	for i, d := range st.Departments {
		rows[i] = statsRowOf(d, c)
	}
	export := url.Values{"year": {strconv.Itoa(year)}, "dept": {c.Query("dept")}, "format": {"csv"}}.Encode()
	return web.Render(c, "leave/stats", web.Page{
		Title: "leave.hr.stats.title",
		Form:  fiber.Map{"Year": year, "Dept": c.Query("dept")},
		Data: fiber.Map{
			"Year": year, "Charts": statsCharts(c, st, lang), "Rows": rows, "Total": statsRowOf(st.Total, c),
			"HasLeave": st.Total.Leave > 0, "DepartmentOptions": depts, "YearOptions": m.hrYearOptions(), "CSV": template.URL("/leave/admin/stats?" + export),
		},
	})
}

// statsRow is a department's line of the table, in days.
type statsRow struct {
	Name                                                                  string
	Depth, People                                                         int
	Allocated, Carried, Taken, Future, Pending, Expired, Remaining, Leave float64
}

func statsRowOf(d DeptStats, c *fiber.Ctx) statsRow {
	name := d.Name
	if name == "" {
		name = web.T(c, "leave.hr.no_department")
	}
	return statsRow{Name: name, Depth: d.Depth, People: d.People,
		Allocated: halfDays(d.Allocated), Carried: halfDays(d.Carried), Taken: halfDays(d.Taken), Future: halfDays(d.Future),
		Pending: halfDays(d.Pending), Expired: halfDays(d.Expired), Remaining: halfDays(d.Remaining), Leave: halfDays(d.Leave)}
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
			labels[i] = statsRowOf(d, c).Name
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

// statsTable is the department table with leave per type and per month, for the CSV.
func statsTable(c *fiber.Ctx, st *Stats) ([]string, [][]any) {
	lang := web.LangOf(c)
	head := []string{}
	for _, k := range []string{"department", "people", "allocated", "carried", "taken", "future", "pending", "expired", "remaining"} {
		head = append(head, web.T(c, "leave.hr.col."+k))
	}
	for _, t := range st.Types {
		head = append(head, t.Name(lang))
	}
	for mo := 1; mo <= 12; mo++ {
		head = append(head, web.T(c, "leave.hr.month_short."+strconv.Itoa(mo)))
	}
	line := func(d DeptStats, name string) []any {
		r := []any{name, d.People, halfDays(d.Allocated), halfDays(d.Carried), halfDays(d.Taken), halfDays(d.Future),
			halfDays(d.Pending), halfDays(d.Expired), halfDays(d.Remaining)}
		for _, h := range d.ByType {
			r = append(r, halfDays(h))
		}
		for _, h := range d.ByMonth {
			r = append(r, halfDays(h))
		}
		return r
	}
	var rows [][]any
	for _, d := range st.Departments {
		rows = append(rows, line(d, statsRowOf(d, c).Name))
	}
	rows = append(rows, line(st.Total, web.T(c, "leave.hr.stats.total")))
	return head, rows
}
