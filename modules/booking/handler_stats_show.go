package booking

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/chart"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/stats"
	"kapu/modules/platform/web"
)

// heatLevels is how many shades the heat map has above empty.
const heatLevels = 5

// handleStatsShow shows the bookings statistics of a week, month, year or
// range of days with charts and tables; ?format=csv&table=… sends one table,
// ?format=xlsx all of them. Page and exports show the same tables.
func (m *Module) handleStatsShow(c *fiber.Ctx) error {
	pick := stats.Picker{Path: "/bookings/stats", Kinds: statsKinds, Default: stats.Month, Today: calendar.Today(m.svc.tz), Submit: "booking.stats.show"}
	ch := pick.Parse(c)
	st, err := m.svc.Stats(c.UserContext(), ch.Period)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	t := statsTablesOf(c, st)
	name := "bookings-" + ch.Period.Name()
	if sent, err := stats.Export(c, name, t.exports); sent {
		return err
	}
	csv, xlsx := ch.ExportLinks(t.exports)
	charts, wide := statsCharts(c, st, lang)
	return web.Render(c, "booking/stats", web.Page{
		Title:  "booking.stats.title",
		Status: ch.Status(),
		Errors: ch.Errors,
		Data: fiber.Map{
			"Heading":   web.T(c, "booking.stats.heading", "Period", ch.Label),
			"Period":    ch,
			"Groups":    t.groups,
			"Heat":      t.heat,
			"Charts":    charts,
			"WideChart": wide,
			"KmByDept":  t.kmDept,
			"Reasons":   t.rejections,
			"Rejected":  st.Rejected,
			"CSV":       csv,
			"XLSX":      xlsx,
		},
	})
}

// statsTables are the page's tables, built once for the page and the exports.
type statsTables struct {
	groups     []statsGroup // a table per kind of resource
	heat       []statsGroup // a heat map per kind of resource
	kmDept     stats.Table
	rejections stats.Table
	exports    []stats.Table // as the CSV links name them, and the workbook's sheets in order
}

// statsGroup is one kind's table on the page.
type statsGroup struct {
	Kind  string
	Table stats.Table
	Empty bool
}

// num1 writes a figure with one decimal, or none when it is whole.
func num1(lang string, v float64) string { return i18n.FormatFigure(lang, v) }

func plateOf(r Resource) string {
	if r.Plate == "" {
		return ""
	}
	return " (" + r.Plate + ")"
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

// statsTablesOf builds every table of the page from the figures, with
// labels in the request's language and decimals rounded to one place.
func statsTablesOf(c *fiber.Ctx, st *Stats) statsTables {
	lang := web.LangOf(c)
	col := func(key string, kind string, width float64) stats.Col {
		return stats.Col{Label: web.T(c, "booking.stats.col."+key), Kind: kind, Width: width}
	}
	var t statsTables
	colKeys := []string{"kind", "resource", "bookable", "booked", "utilisation", "bookings", "no_shows", "no_show_rate", "rejected", "expired", "km"}

	// One table per kind; the page shows each kind's own columns, the
	// export all of them, one kind under the other.
	var resources []stats.Table
	cols := []stats.Col{
		col("kind", stats.Text, 14), col("resource", stats.Text, 36), col("bookable", stats.Number, 12), col("booked", stats.Number, 12),
		col("utilisation", stats.Percent, 12), col("bookings", stats.Number, 10), col("no_shows", stats.Number, 10),
		col("no_show_rate", stats.Percent, 12), col("rejected", stats.Number, 10), col("expired", stats.Number, 10), col("km", stats.Number, 10),
	}
	cols[0].Hidden, cols[4].Strong = true, true
	// The columns a kind's own table leaves out (the export keeps them all).
	notShown := map[string][]string{KindRoom: {"rejected", "expired", "km"}, KindCar: {"no_shows", "no_show_rate"},
		KindEquipment: {"no_shows", "no_show_rate", "rejected", "expired", "km"}}
	for i, rs := range [][]ResourceStats{st.Rooms, st.Cars, st.Equipment} {
		kind := kinds[i]
		kindCols := append([]stats.Col(nil), cols...)
		for j := range kindCols {
			if slices.Contains(notShown[kind], colKeys[j]) {
				kindCols[j].Hidden = true
			}
		}
		kindName := web.T(c, "booking.stats.kind."+kind)
		line := func(name string, r ResourceStats, rate float64, hasRate bool) stats.Row {
			// Without bookable hours or a check-in the page shows a dash; the export a zero.
			util, noShows, noShowRate := stats.Of(0.0), stats.Of(r.NoShows), stats.Cell{}
			if u, ok := r.Utilisation(); ok {
				util = stats.Of(u)
			} else {
				util.Show = "–"
			}
			if !r.Resource.CheckIn {
				noShows.Show = "–"
			}
			if hasRate {
				noShowRate = stats.Of(rate)
			}
			return stats.Row{Cells: []stats.Cell{stats.Of(kindName), stats.Of(name), stats.Of(r.BookableHours), stats.Of(r.BookedHours),
				util, stats.Of(r.Bookings), noShows, noShowRate, stats.Of(r.Rejected), stats.Of(r.Expired), stats.Of(r.Km)}}
		}
		tb := stats.Table{Key: "resources", Title: web.T(c, "booking.stats.group."+kind), Cols: kindCols}
		for _, r := range rs {
			rate, ok := r.NoShowRate()
			tb.Rows = append(tb.Rows, line(r.Resource.Name+plateOf(r.Resource), r, rate, ok))
		}
		tot, rate, ok := TotalOf(rs)
		total := line(web.T(c, "booking.stats.total"), tot, rate, ok)
		tb.Total = &total
		t.groups = append(t.groups, statsGroup{Kind: kind, Table: tb, Empty: len(rs) == 0})
		resources = append(resources, tb)
	}

	// Heat maps: the page shows only the hours with bookings or inside an
	// office day, so the table stays narrow; the export has all 24.
	var heats []stats.Table
	for _, h := range st.Heat {
		lo, hi := officeFrom/60, officeTo/60-1
		for wd := range h.Cells {
			for hr, v := range h.Cells[wd] {
				if v > 0 {
					lo, hi = min(lo, hr), max(hi, hr)
				}
			}
		}
		tb := stats.Table{Key: "heat", Class: "booking-heat",
			Title: web.T(c, "booking.stats.heat_title") + ": " + web.T(c, "booking.stats.group."+h.Kind),
			Cols:  []stats.Col{{Label: web.T(c, "booking.stats.col.kind"), Hidden: true, Width: 14}, col("weekday", stats.Text, 14)}}
		for hr := range 24 {
			tb.Cols = append(tb.Cols, stats.Col{Label: fmt.Sprintf("%02d", hr), Kind: stats.Number, Blank: true, Hidden: hr < lo || hr > hi})
		}
		kindName := web.T(c, "booking.stats.kind."+h.Kind)
		for wd := range h.Cells {
			day := web.T(c, "weekday."+weekdayKeys[wd])
			row := stats.Line(kindName, day)
			for hr, v := range h.Cells[wd] {
				cell := stats.Of(v)
				level := 0
				if v > 0 {
					level = max(1, int(math.Ceil(v/h.Max*heatLevels)))
				}
				cell.Class = "heat-" + strconv.Itoa(level)
				cell.Title = fmt.Sprintf("%s %02d:00: %s", day, hr, num1(lang, v))
				row.Cells = append(row.Cells, cell)
			}
			tb.Rows = append(tb.Rows, row)
		}
		t.heat = append(t.heat, statsGroup{Kind: h.Kind, Table: tb, Empty: h.Max == 0})
		heats = append(heats, tb)
	}

	kmMonth := stats.Table{Key: "km_month", Title: web.T(c, "booking.stats.sheet.km_month"), Cols: []stats.Col{col("month", stats.Text, 12)}}
	for _, car := range st.Cars {
		kmMonth.Cols = append(kmMonth.Cols, stats.Col{Label: car.Resource.Name + plateOf(car.Resource), Kind: stats.Number, Width: 18})
	}
	kmMonth.Cols = append(kmMonth.Cols, stats.Col{Label: web.T(c, "booking.stats.total"), Kind: stats.Number})
	for _, m := range st.KmByMonth {
		row := stats.Line(fmt.Sprintf("%04d-%02d", m.Month.Year, int(m.Month.Month)))
		for _, v := range m.ByCar {
			row.Cells = append(row.Cells, stats.Of(v))
		}
		row.Cells = append(row.Cells, stats.Of(m.Total))
		kmMonth.Rows = append(kmMonth.Rows, row)
	}

	t.kmDept = stats.Table{Key: "km_dept", Title: web.T(c, "booking.stats.sheet.km_dept"),
		Cols: []stats.Col{col("department", stats.Text, 36), col("trips", stats.Number, 10), col("km", stats.Number, 10)}}
	for _, d := range st.KmByDept {
		t.kmDept.Rows = append(t.kmDept.Rows, stats.Line(deptName(c, d), d.Trips, d.Km))
	}

	t.rejections = stats.Table{Key: "rejections", Title: web.T(c, "booking.stats.sheet.rejections"),
		Cols: []stats.Col{col("reason", stats.Text, 60), col("count", stats.Number, 10)}}
	for _, r := range st.Reasons {
		row := stats.Line(r.Reason, r.Count)
		if r.Reason == "" {
			row.Cells[0].Show, row.Cells[0].Muted = web.T(c, "booking.stats.no_reason"), true
		}
		t.rejections.Rows = append(t.rejections.Rows, row)
	}

	t.exports = []stats.Table{
		stats.Stack("resources", web.T(c, "booking.stats.sheet.resources"), resources...),
		stats.Stack("heat", web.T(c, "booking.stats.sheet.heat"), heats...),
		kmMonth, t.kmDept, t.rejections,
	}
	return t
}
