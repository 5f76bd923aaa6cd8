// Package stats is the kit of the statistics pages: a table value that the
// page shows (views/partials/stats_table.html) and that the CSV and XLSX
// exports write from the very same rows, and a period picker (week, month,
// year, range; views/partials/period.html).
package stats

import (
	"math"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// Kinds of column, for the page's formatting and alignment.
const (
	Text    = "text"
	Number  = "number"  // int or float64, in the page's number format, right-aligned
	Percent = "percent" // a float64 with " %" on the page, a plain number in exports
	Date    = "date"    // a calendar.Date
)

// Table is one table of figures. Labels and titles are already translated:
// many heads are data (a leave type, a car, an hour).
type Table struct {
	Key   string // names the table in an export link (?table=…)
	Title string // the caption on the page, the sheet's name in XLSX
	Class string // extra classes of the page's table element
	Cols  []Col
	Rows  []Row
	Total *Row // shown in the footer, exported as the last row
}

// Col is a column: what its head says and how its cells are written.
type Col struct {
	Label  string  // the page's head, and the export's unless Export says otherwise
	Export string  // the export's head, when shorter than the page's
	Kind   string  // Text when empty
	Strong bool    // the figure that matters most, in bold on the page
	Hidden bool    // exported only: the page leaves it out to stay narrow
	Blank  bool    // the page leaves a zero empty (heat maps)
	Width  float64 // XLSX column width; 0 keeps Excel's
}

// Row is one line; the first cell the page shows is its row header.
type Row struct {
	Cells []Cell
	Depth int // indentation of the row header, for a tree of departments
}

// Cell is one figure. Decimals are rounded to one place when made, so the
// page and the export show the same number.
type Cell struct {
	Value any    // string, int, float64 or calendar.Date; nil where the figure does not apply
	Show  string // what the page shows instead of the value, e.g. "–" or "(no reason given)"
	Muted bool   // Show is a remark, not data
	Class string // extra class of the page's cell (a heat map's shade)
	Title string // tooltip on the page
}

// Of makes a cell of a value; float64 values are rounded to one decimal.
func Of(v any) Cell {
	if f, ok := v.(float64); ok {
		v = math.Round(f*10) / 10
	}
	return Cell{Value: v}
}

// Cells makes a row's cells of plain values.
func Cells(vs ...any) []Cell {
	out := make([]Cell, len(vs))
	for i, v := range vs {
		out[i] = Of(v)
	}
	return out
}

// Line is a row of plain values.
func Line(vs ...any) Row { return Row{Cells: Cells(vs...)} }

// Head is the export's header row.
func (t Table) Head() []string {
	out := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		out[i] = c.Label
		if c.Export != "" {
			out[i] = c.Export
		}
	}
	return out
}

// Values are the export's rows, the total last: numbers stay numbers and
// dates stay dates (calendar.Date), so web.SendCSV writes them in the viewer's
// dialect and web.SendXLSX as numeric and date cells; a figure that does not
// apply is empty.
func (t Table) Values() [][]any {
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], *t.Total)
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		line := make([]any, len(r.Cells))
		for j, c := range r.Cells {
			switch v := c.Value.(type) {
			case nil:
				line[j] = ""
			default:
				line[j] = v
			}
		}
		out[i] = line
	}
	return out
}

// Sheet is the table as an XLSX worksheet.
func (t Table) Sheet() web.Sheet {
	var widths []float64
	for _, c := range t.Cols {
		widths = append(widths, c.Width)
	}
	for len(widths) > 0 && widths[len(widths)-1] == 0 {
		widths = widths[:len(widths)-1]
	}
	return web.Sheet{Name: t.Title, Head: t.Head(), Rows: t.Values(), Widths: widths}
}

// Stack puts tables of the same columns one under the other, without their
// totals: one export for what the page shows as several tables.
func Stack(key, title string, ts ...Table) Table {
	out := Table{Key: key, Title: title}
	for i, t := range ts {
		if i == 0 {
			out.Cols = t.Cols
		}
		out.Rows = append(out.Rows, t.Rows...)
	}
	return out
}

// Find is the table named key.
func Find(ts []Table, key string) (Table, bool) {
	for _, t := range ts {
		if t.Key == key {
			return t, true
		}
	}
	return Table{}, false
}

// SendCSV sends one table through the one export path.
func SendCSV(c *fiber.Ctx, filename string, t Table) error {
	return web.SendCSV(c, filename, t.Head(), t.Values())
}

// SendXLSX sends tables as the sheets of one workbook.
func SendXLSX(c *fiber.Ctx, filename string, ts ...Table) error {
	sheets := make([]web.Sheet, len(ts))
	for i, t := range ts {
		sheets[i] = t.Sheet()
	}
	return web.SendXLSX(c, filename, sheets...)
}

// Export answers a statistics page's own export links from the tables the
// page shows: ?format=csv sends the table ?table= names (the first when none
// is named) as name-<key>.csv, ?format=xlsx every table as a sheet of
// name.xlsx, and a table that is not there is a 404. sent is false for the
// page itself.
func Export(c *fiber.Ctx, name string, ts []Table) (sent bool, err error) {
	switch c.Query("format") {
	case "csv":
		key := c.Query("table")
		if key == "" && len(ts) > 0 {
			key = ts[0].Key
		}
		if t, ok := Find(ts, key); ok {
			return true, SendCSV(c, name+"-"+key+".csv", t)
		}
		return true, fiber.ErrNotFound
	case "xlsx":
		return true, SendXLSX(c, name+".xlsx", ts...)
	}
	return false, nil
}

// Shown is one cell as the page partial writes it, with its column's hints.
type Shown struct {
	Cell
	Header, Strong, Num, Percent, Date bool
	Fixed                              bool // Show (or a blank) replaces the value
	Depth                              int  // the row header's indentation
}

// Visible are the columns the page shows.
func (t Table) Visible() []Col {
	var out []Col
	for _, c := range t.Cols {
		if !c.Hidden {
			out = append(out, c)
		}
	}
	return out
}

// Page is a row's cells the page shows, the first of them its header.
func (t Table) Page(r Row) []Shown {
	var out []Shown
	for i, c := range r.Cells {
		if i >= len(t.Cols) || t.Cols[i].Hidden {
			continue
		}
		col := t.Cols[i]
		s := Shown{Cell: c, Header: len(out) == 0, Strong: col.Strong, Num: col.Kind == Number || col.Kind == Percent,
			Percent: col.Kind == Percent, Date: col.Kind == Date}
		switch {
		case c.Show != "":
			s.Fixed = true
		case c.Value == nil:
			s.Fixed, s.Show = true, "–"
		case col.Blank && isZero(c.Value):
			s.Fixed = true
		}
		if s.Header {
			s.Depth = r.Depth
		}
		out = append(out, s)
	}
	return out
}

// Num says whether a column is right-aligned, for the partial's head.
func (c Col) Num() bool { return c.Kind == Number || c.Kind == Percent }

func isZero(v any) bool {
	switch x := v.(type) {
	case int:
		return x == 0
	case float64:
		return x == 0
	}
	return false
}
