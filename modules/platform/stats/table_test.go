package stats

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
	"kapu/views"
)

// sample has a hidden column, a column with a shorter export head, a figure
// that does not apply, a date, a tree of rows and a total.
func sample() Table {
	total := Line("Total", 3, 7.25, 1.5, nil)
	t := Table{Key: "sample", Title: "Sample", Cols: []Col{
		{Label: "Name", Width: 30},
		{Label: "People", Kind: Number},
		{Label: "Remaining at year end", Export: "Remaining", Kind: Number, Strong: true, Width: 12},
		{Label: "Expired", Kind: Number, Hidden: true},
		{Label: "Rate", Kind: Percent},
		{Label: "Since", Kind: Date},
	}, Total: &total}
	t.Rows = append(t.Rows, Line("=Finance", 2, 4.04, 1.0, 33.333, date("2026-03-09")))
	r := Line("Tax office", 1, 3.2, 0.5, nil, date("2026-01-05"))
	r.Depth = 1
	t.Rows = append(t.Rows, r)
	t.Total.Cells = append(t.Total.Cells, Of(""))
	return t
}

func TestTableExport(t *testing.T) {
	tb := sample()
	if got, want := tb.Head(), []string{"Name", "People", "Remaining", "Expired", "Rate", "Since"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Head() = %q; want %q", got, want)
	}
	want := [][]any{
		{"=Finance", 2, 4.0, 1.0, 33.3, date("2026-03-09")},
		{"Tax office", 1, 3.2, 0.5, "", date("2026-01-05")},
		{"Total", 3, 7.3, 1.5, "", ""},
	}
	if got := tb.Values(); !reflect.DeepEqual(got, want) {
		t.Errorf("Values() = %v; want %v", got, want)
	}
	if len(tb.Rows) != 2 {
		t.Errorf("Values() changed the rows: %d", len(tb.Rows))
	}
	sh := tb.Sheet()
	if sh.Name != "Sample" || !reflect.DeepEqual(sh.Widths, []float64{30, 0, 12}) || len(sh.Rows) != 3 {
		t.Errorf("Sheet() = %+v", sh)
	}
}

func TestStackAndFind(t *testing.T) {
	a, b := sample(), sample()
	b.Rows = b.Rows[:1]
	s := Stack("all", "All", a, b)
	if s.Total != nil || len(s.Rows) != 3 || len(s.Cols) != len(a.Cols) || s.Key != "all" || s.Title != "All" {
		t.Errorf("Stack() = %+v; want 3 rows, no total", s)
	}
	if got, ok := Find([]Table{a, s}, "all"); !ok || got.Title != "All" {
		t.Errorf("Find(all) = %v, %v", got.Title, ok)
	}
	if _, ok := Find([]Table{a, s}, "nope"); ok {
		t.Errorf("Find(nope) found a table")
	}
}

func TestTablePage(t *testing.T) {
	tb := sample()
	if n := len(tb.Visible()); n != 5 {
		t.Errorf("Visible() = %d columns; want 5", n)
	}
	cells := tb.Page(tb.Rows[1])
	if len(cells) != 5 || !cells[0].Header || cells[1].Header || cells[0].Depth != 1 || cells[1].Depth != 0 {
		t.Errorf("Page() = %+v; want 5 cells, the first the header with the depth", cells)
	}
	if rate := cells[3]; !rate.Fixed || rate.Show != "–" || !rate.Percent {
		t.Errorf("a figure that does not apply = %+v; want a dash", rate)
	}
	if !cells[2].Strong || !cells[2].Num || cells[2].Fixed {
		t.Errorf("the strong column = %+v", cells[2])
	}
	heat := Table{Cols: []Col{{Label: "Day"}, {Label: "08", Kind: Number, Blank: true}}, Rows: []Row{Line("Monday", 0.0)}}
	if c := heat.Page(heat.Rows[0])[1]; !c.Fixed || c.Show != "" {
		t.Errorf("a blank zero = %+v; want nothing shown", c)
	}
}

// The partial renders the same table: visible columns, numbers in the
// page's language, the total in the footer, each value cell labelled with its
// column for the phone layout.
func TestTablePartial(t *testing.T) {
	tpl := template.New("").Funcs(template.FuncMap{"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	}})
	for _, name := range []string{"partials/stats_table", "partials/stats_cells"} {
		b, err := fs.ReadFile(views.FS, name+".html")
		if err != nil {
			t.Fatal(err)
		}
		template.Must(tpl.New(name).Parse(string(b)))
	}
	tb := sample()
	tb.Rows[0].Cells[1].Class, tb.Rows[0].Cells[1].Title = "heat-2", "two"
	tb.Rows[1].Cells[0].Show, tb.Rows[1].Cells[0].Muted = "(none)", true
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "partials/stats_table", map[string]any{"P": &web.Page{Lang: "hu"}, "T": tb}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`<div class="table-wrap">`, `<table class="table table-compact list">`, `<caption class="visually-hidden">Sample</caption>`,
		`<th scope="col" class="num">Remaining at year end</th>`, `<th scope="row">=Finance</th>`,
		`<td class="num heat-2" data-label="People" title="two">2</td>`,
		`<td class="num" data-label="Remaining at year end"><strong>4</strong></td>`, `<td class="num" data-label="Rate">33,3 %</td>`,
		`<td data-label="Since">2026. 03. 09.</td>`, `<th scope="row">&nbsp;&nbsp;–&nbsp;<span class="muted">(none)</span></th>`,
		`<td class="num" data-label="Rate">–</td>`, `<tfoot>`, `<th scope="row">Total</th>`,
		`<td class="num" data-label="Remaining at year end"><strong>7,3</strong></td>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the partial lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "Expired") {
		t.Errorf("the partial shows a hidden column:\n%s", html)
	}
}

func TestExportAnswers(t *testing.T) {
	app := fiber.New()
	app.Get("/s", func(c *fiber.Ctx) error {
		sent, err := Export(c, "x", []Table{sample()})
		if !sent {
			return c.SendString("the page")
		}
		return err
	})
	// The page itself (no format, or one Export does not know), and a
	// table the page does not have.
	for query, want := range map[string]int{"": 200, "?format=html": 200, "?format=csv&table=nope": 404} {
		res, err := app.Test(httptest.NewRequest("GET", "/s"+query, nil))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want || (want == 200) != (string(b) == "the page") {
			t.Errorf("GET /s%s = %d %q; want %d", query, res.StatusCode, b, want)
		}
	}
	ch := Choice{Path: "/s", keep: url.Values{}, single: true}
	ch.Period = PeriodOf(Week, date("2026-03-11"))
	csv, xlsx := ch.ExportLinks([]Table{{Key: "a"}, {Key: "b"}})
	if len(csv) != 2 || csv["b"] != "/s?day=2026-03-09&format=csv&table=b" || xlsx != "/s?day=2026-03-09&format=xlsx" {
		t.Errorf("ExportLinks = %v, %q", csv, xlsx)
	}
}
