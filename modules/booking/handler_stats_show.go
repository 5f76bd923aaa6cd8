package booking

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/chart"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// statsTables are the tables the page exports one by one as CSV.
var statsTables = []string{"resources", "heat", "km_month", "km_dept", "rejections"}

// heatLevels is how many shades the heat map has above empty.
const heatLevels = 5

// handleStatsShow shows the bookings statistics of a week or month with
// charts and tables; ?format=csv&table=… sends one table, ?format=xlsx all.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	kind := c.Query("period", PeriodMonth)
	if kind != PeriodWeek {
		kind = PeriodMonth
	}
	today := calendar.Today(m.svc.tz)
	day, errs := today, web.Errors{}
	if s := c.Query("day"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil || d.Year < 2000 || d.Year > 2100 {
			errs.Add("day", "booking.stats.error.day")
		} else {
			day = d
		}
	}
	p := PeriodOf(kind, day)
	st, err := m.svc.Stats(c.UserContext(), p)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	name := fmt.Sprintf("bookings-%s-%s", kind, p.From)
	switch c.Query("format") {
	case "csv":
		t := c.Query("table", "resources")
		for _, sh := range statsSheets(c, st) {
			if sh.id == t {
				return web.SendCSV(c, name+"-"+t+".csv", sh.Head, sh.Rows)
			}
		}
		return fiber.ErrNotFound
	case "xlsx":
		var sheets []web.Sheet
		for _, sh := range statsSheets(c, st) {
			sheets = append(sheets, sh.Sheet)
		}
		return web.SendXLSX(c, name+".xlsx", sheets...)
	}

	q := url.Values{"period": {kind}, "day": {p.From.String()}}
	link := func(extra url.Values) template.URL {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return template.URL("/bookings/stats?" + v.Encode())
	}
	csv := map[string]template.URL{}
	for _, t := range statsTables {
		csv[t] = link(url.Values{"format": {"csv"}, "table": {t}})
	}
	charts, wide := statsCharts(c, st, lang)
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return web.Render(c, "booking/stats", web.Page{
		Title:  "booking.stats.title",
		Status: status,
		Errors: errs,
		Form:   fiber.Map{"Period": kind, "Day": c.Query("day", day.String())},
		Data: fiber.Map{
			"Heading":       statsHeading(c, p),
			"PeriodOptions": []web.Option{{Value: PeriodWeek, Label: web.T(c, "booking.stats.period.week")}, {Value: PeriodMonth, Label: web.T(c, "booking.stats.period.month")}},
			"Prev":          link(url.Values{"day": {p.Prev().From.String()}}),
			"Next":          link(url.Values{"day": {p.Next().From.String()}}),
			"Groups":        statsGroups(c, st, lang),
			"Heat":          statsHeat(c, st, lang),
			"Charts":        charts,
			"WideChart":     wide,
			"KmByDept":      st.KmByDept,
			"Reasons":       st.Reasons,
			"Rejected":      st.Rejected,
			"CSV":           csv,
			"XLSX":          link(url.Values{"format": {"xlsx"}}),
		},
	})
}

// statsHeading names the period: "Week of 16 November 2026" or "November 2026".
func statsHeading(c *fiber.Ctx, p Period) string {
	lang := web.LangOf(c)
	if p.Kind == PeriodWeek {
		return web.T(c, "booking.stats.heading_week", "From", i18n.FormatDate(lang, p.From.Year, p.From.Month, p.From.Day),
			"To", i18n.FormatDate(lang, p.Last().Year, p.Last().Month, p.Last().Day))
	}
	return web.T(c, "booking.stats.heading_month", "Year", p.From.Year, "Month", web.T(c, "month."+strconv.Itoa(int(p.From.Month))))
}

// statsLine is one resource's row as the page shows it.
type statsLine struct {
	Name                    string
	Bookable, Booked        string
	Utilisation, NoShowRate string // "" when not applicable
	Bookings, NoShows, Km   int
	Rejected, Expired       int
	CheckIn                 bool
}

// statsGroup is the table of one kind of resource.
type statsGroup struct {
	Kind  string
	Lines []statsLine
	Total statsLine
}

func statsGroups(c *fiber.Ctx, st *Stats, lang string) []statsGroup {
	hours := func(v float64) string { return num1(lang, v) }
	pct := func(v float64, ok bool) string {
		if !ok {
			return ""
		}
		return num1(lang, v) + " %"
	}
	line := func(r ResourceStats) statsLine {
		u, uok := r.Utilisation()
		n, nok := r.NoShowRate()
		return statsLine{Name: r.Resource.Name + plateOf(r.Resource), Bookable: hours(r.BookableHours), Booked: hours(r.BookedHours),
			Utilisation: pct(u, uok), NoShowRate: pct(n, nok), Bookings: r.Bookings, NoShows: r.NoShows, Km: r.Km,
			Rejected: r.Rejected, Expired: r.Expired, CheckIn: r.Resource.CheckIn}
	}
	var out []statsGroup
	for i, rs := range [][]ResourceStats{st.Rooms, st.Cars, st.Equipment} {
		g := statsGroup{Kind: kinds[i]}
		var tot ResourceStats
		checkInBookings := 0 // the no-show rate of the total is over the rooms that ask for a check-in
		for _, r := range rs {
			if r.Resource.CheckIn {
				checkInBookings += r.Bookings
			}
			g.Lines = append(g.Lines, line(r))
			tot.BookableHours += r.BookableHours
			tot.BookedHours += r.BookedHours
			tot.Bookings += r.Bookings
			tot.NoShows += r.NoShows
			tot.Km += r.Km
			tot.Rejected += r.Rejected
			tot.Expired += r.Expired
			tot.Resource.CheckIn = tot.Resource.CheckIn || r.Resource.CheckIn
		}
		g.Total = line(tot)
		g.Total.Name = web.T(c, "booking.stats.total")
		g.Total.NoShowRate = ""
		if checkInBookings > 0 {
			g.Total.NoShowRate = pct(100*float64(tot.NoShows)/float64(checkInBookings), true)
		}
		out = append(out, g)
	}
	return out
}

// num1 writes a figure with one decimal, or none when it is whole.
func num1(lang string, v float64) string {
	r := math.Round(v*10) / 10
	if r == math.Trunc(r) {
		return i18n.FormatNumber(lang, r, 0)
	}
	return i18n.FormatNumber(lang, r, 1)
}

func plateOf(r Resource) string {
	if r.Plate == "" {
		return ""
	}
	return " (" + r.Plate + ")"
}

// heatView is one kind's heat map as the page shows it: only the hours that
// have bookings or fall in an office day, so the table stays narrow.
type heatView struct {
	Kind  string
	Hours []int
	Rows  []heatRow
	Empty bool
}

type heatRow struct {
	Day   string
	Cells []heatCell
}

type heatCell struct {
	Text  string // booked hours, "" for none
	Level int    // 0 (none) … heatLevels, for the shade
	Label string // for screen readers: day, hour and value
}

func statsHeat(c *fiber.Ctx, st *Stats, lang string) []heatView {
	var out []heatView
	for _, h := range st.Heat {
		lo, hi := officeFrom/60, officeTo/60-1
		for wd := range h.Cells {
			for hr, v := range h.Cells[wd] {
				if v > 0 {
					lo, hi = min(lo, hr), max(hi, hr)
				}
			}
		}
		v := heatView{Kind: h.Kind, Empty: h.Max == 0}
		for hr := lo; hr <= hi; hr++ {
			v.Hours = append(v.Hours, hr)
		}
		for wd := range h.Cells {
			day := web.T(c, "weekday."+weekdayKeys[wd])
			row := heatRow{Day: day}
			for _, hr := range v.Hours {
				val := h.Cells[wd][hr]
				cell := heatCell{}
				if val > 0 {
					cell.Text = num1(lang, val)
					cell.Level = max(1, int(math.Ceil(val/h.Max*heatLevels)))
				}
				cell.Label = fmt.Sprintf("%s %02d:00: %s", day, hr, num1(lang, val))
				row.Cells = append(row.Cells, cell)
			}
			v.Rows = append(v.Rows, row)
		}
		out = append(out, v)
	}
	return out
}

// statsCharts draws utilisation per kind and km per department (side by
// side), and km per month by car (wide, below them).
func statsCharts(c *fiber.Ctx, st *Stats, lang string) (out []template.HTML, wide template.HTML) {
	num := func(v float64) string { return num1(lang, v) }
	for i, rs := range [][]ResourceStats{st.Rooms, st.Cars, st.Equipment} {
		if len(rs) == 0 {
			continue
		}
		labels := make([]string, len(rs))
		vals := make([]float64, len(rs))
		for j, r := range rs {
			labels[j] = r.Resource.Name + plateOf(r.Resource)
			vals[j], _ = r.Utilisation()
		}
		o := chart.Options{Horizontal: true, Width: 520, ValueLabel: "%", Format: num,
			CategoryLabel: web.T(c, "booking.stats.kind."+kinds[i])}
		out = append(out, chart.Bars(web.T(c, "booking.stats.chart.utilisation."+kinds[i]), labels,
			[]chart.Series{{Name: web.T(c, "booking.stats.col.utilisation"), Values: vals}}, o))
	}
	if len(st.KmByMonth) > 0 && len(st.Cars) > 0 {
		months := make([]string, len(st.KmByMonth))
		for i, m := range st.KmByMonth {
			months[i] = web.T(c, "booking.stats.month_short."+strconv.Itoa(int(m.Month.Month))) + " " + strconv.Itoa(m.Month.Year%100)
		}
		var series []chart.Series
		for ci, car := range st.Cars {
			s := chart.Series{Name: car.Resource.Name + plateOf(car.Resource), Values: make([]float64, len(st.KmByMonth))}
			for i, m := range st.KmByMonth {
				s.Values[i] = float64(m.ByCar[ci])
			}
			series = append(series, s)
		}
		o := chart.Options{Stacked: true, Width: 960, Height: 300, ValueLabel: "km", Format: num,
			CategoryLabel: web.T(c, "booking.stats.col.month"), TotalLabel: web.T(c, "booking.stats.total")}
		wide = chart.Bars(web.T(c, "booking.stats.chart.km_month"), months, series, o)
	}
	if len(st.KmByDept) > 0 {
		labels := make([]string, len(st.KmByDept))
		vals := make([]float64, len(st.KmByDept))
		for i, d := range st.KmByDept {
			labels[i], vals[i] = deptName(c, d), float64(d.Km)
		}
		o := chart.Options{Horizontal: true, Width: 520, ValueLabel: "km", Format: num, CategoryLabel: web.T(c, "booking.stats.col.department")}
		out = append(out, chart.Bars(web.T(c, "booking.stats.chart.km_dept"), labels, []chart.Series{{Name: "km", Values: vals}}, o))
	}
	return out, wide
}

func deptName(c *fiber.Ctx, d DeptKm) string {
	if d.Name == "" {
		return web.T(c, "booking.stats.no_department")
	}
	return d.Name
}

// statsSheet is one exported table with the id the CSV link names it by.
type statsSheet struct {
	id string
	web.Sheet
}

// statsSheets are the page's tables as plain numbers, for CSV and XLSX.
func statsSheets(c *fiber.Ctx, st *Stats) []statsSheet {
	col := func(keys ...string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = web.T(c, "booking.stats.col."+k)
		}
		return out
	}
	round := func(v float64) float64 { return math.Round(v*10) / 10 }

	res := statsSheet{id: "resources", Sheet: web.Sheet{Name: web.T(c, "booking.stats.sheet.resources"),
		Head:   col("kind", "resource", "bookable", "booked", "utilisation", "bookings", "no_shows", "no_show_rate", "rejected", "expired", "km"),
		Widths: []float64{14, 36, 12, 12, 12, 10, 10, 12, 10, 10, 10}}}
	for i, rs := range [][]ResourceStats{st.Rooms, st.Cars, st.Equipment} {
		for _, r := range rs {
			u, _ := r.Utilisation()
			var rate any = ""
			if n, ok := r.NoShowRate(); ok {
				rate = round(n)
			}
			res.Rows = append(res.Rows, []any{web.T(c, "booking.stats.kind."+kinds[i]), r.Resource.Name + plateOf(r.Resource),
				round(r.BookableHours), round(r.BookedHours), round(u), r.Bookings, r.NoShows, rate, r.Rejected, r.Expired, r.Km})
		}
	}

	heat := statsSheet{id: "heat", Sheet: web.Sheet{Name: web.T(c, "booking.stats.sheet.heat"),
		Head: col("kind", "weekday"), Widths: []float64{14, 14}}}
	for hr := range 24 {
		heat.Head = append(heat.Head, fmt.Sprintf("%02d", hr))
	}
	for _, h := range st.Heat {
		for wd := range h.Cells {
			row := []any{web.T(c, "booking.stats.kind."+h.Kind), web.T(c, "weekday."+weekdayKeys[wd])}
			for _, v := range h.Cells[wd] {
				row = append(row, round(v))
			}
			heat.Rows = append(heat.Rows, row)
		}
	}

	km := statsSheet{id: "km_month", Sheet: web.Sheet{Name: web.T(c, "booking.stats.sheet.km_month"), Head: col("month"), Widths: []float64{12}}}
	for _, car := range st.Cars {
		km.Head = append(km.Head, car.Resource.Name+plateOf(car.Resource))
		km.Widths = append(km.Widths, 18)
	}
	km.Head = append(km.Head, web.T(c, "booking.stats.total"))
	for _, m := range st.KmByMonth {
		row := []any{fmt.Sprintf("%04d-%02d", m.Month.Year, int(m.Month.Month))}
		for _, v := range m.ByCar {
			row = append(row, v)
		}
		km.Rows = append(km.Rows, append(row, m.Total))
	}

	dept := statsSheet{id: "km_dept", Sheet: web.Sheet{Name: web.T(c, "booking.stats.sheet.km_dept"),
		Head: col("department", "trips", "km"), Widths: []float64{36, 10, 10}}}
	for _, d := range st.KmByDept {
		dept.Rows = append(dept.Rows, []any{deptName(c, d), d.Trips, d.Km})
	}

	rej := statsSheet{id: "rejections", Sheet: web.Sheet{Name: web.T(c, "booking.stats.sheet.rejections"),
		Head: col("reason", "count"), Widths: []float64{60, 10}}}
	for _, r := range st.Reasons {
		rej.Rows = append(rej.Rows, []any{r.Reason, r.Count})
	}
	return []statsSheet{res, heat, km, dept, rej}
}
