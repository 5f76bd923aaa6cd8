package leave

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleBalanceList is HR's overview: everyone's figures for a year, filtered and paged.
func (m *Module) handleBalanceList(c *fiber.Ctx) error {
	f, err := m.hrOverviewFilter(c)
	if err != nil {
		return err
	}
	f.Page = web.PageParam(c.Query("page"))
	rows, total, err := m.svc.Overview(c.UserContext(), f)
	if err != nil {
		return err
	}
	depts, err := m.svc.people.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	lines := make([]overviewLine, len(rows))
	for i, r := range rows {
		lines[i] = overviewLine{OverviewRow: r, F: figuresView(r.Figures)}
	}
	export := url.Values{"year": {strconv.Itoa(f.Year)}, "dept": {c.Query("dept")}, "q": {f.Q}}.Encode()
	return web.Render(c, "leave/balance_list", web.Page{
		Title: "leave.hr.overview.title",
		Form:  fiber.Map{"Year": f.Year, "Dept": c.Query("dept"), "Q": f.Q},
		Data: fiber.Map{
			"Rows": lines, "Pager": web.NewPager(f.Page, total, OverviewPerPage), "Year": f.Year,
			"DepartmentOptions": depts, "YearOptions": m.hrYearOptions(),
			"CSV": template.URL("/leave/admin/export.csv?" + export), "XLSX": template.URL("/leave/admin/export.xlsx?" + export),
		},
	})
}

// overviewLine is an overview row with its figures in days for the template.
type overviewLine struct {
	OverviewRow
	F FiguresView
}

// handleBalanceExportCSV sends every matching row (not just one page) as CSV for Excel.
func (m *Module) handleBalanceExportCSV(c *fiber.Ctx) error {
	head, rows, year, err := m.hrOverviewTable(c)
	if err != nil {
		return err
	}
	return web.SendCSV(c, fmt.Sprintf("leave-%d.csv", year), head, rows)
}

// handleBalanceExportXLSX sends the same rows as the CSV as an Excel workbook with numeric cells.
func (m *Module) handleBalanceExportXLSX(c *fiber.Ctx) error {
	head, rows, year, err := m.hrOverviewTable(c)
	if err != nil {
		return err
	}
	sheet := web.T(c, "leave.hr.export.sheet", "Year", year)
	return web.SendXLSX(c, fmt.Sprintf("leave-%d.xlsx", year), web.Sheet{Name: sheet, Head: head, Rows: rows, Widths: []float64{30, 30, 12, 12, 12, 12, 12, 12, 12}})
}

// hrOverviewTable is the export's header and rows: names as text, days as numbers.
func (m *Module) hrOverviewTable(c *fiber.Ctx) ([]string, [][]any, int, error) {
	f, err := m.hrOverviewFilter(c)
	if err != nil {
		return nil, nil, 0, err
	}
	f.All = true
	rows, _, err := m.svc.Overview(c.UserContext(), f)
	if err != nil {
		return nil, nil, 0, err
	}
	head := []string{}
	for _, k := range []string{"person", "department", "allocated", "carried", "taken", "future", "pending", "expired", "remaining"} {
		head = append(head, web.T(c, "leave.hr.col."+k))
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = []any{r.Name, r.Department, halfDays(r.Allocated), halfDays(r.Carried), halfDays(r.Taken),
			halfDays(r.Future), halfDays(r.Pending), halfDays(r.Expired), halfDays(r.Remaining)}
	}
	return head, out, f.Year, nil
}

// hrOverviewFilter reads ?year=&dept=&q=; a department id that is not a number is a 404.
func (m *Module) hrOverviewFilter(c *fiber.Ctx) (OverviewFilter, error) {
	f := OverviewFilter{Year: m.hrYear(c.Query("year")), Q: strings.TrimSpace(c.Query("q"))}
	dept, err := hrDeptParam(c.Query("dept"))
	f.DepartmentID = dept
	return f, err
}

// ---- helpers the HR screens share ----

// hrDeptParam reads an optional department id; anything but a positive number is a 404.
func hrDeptParam(s string) (uint, error) {
	if s == "" {
		return 0, nil
	}
	id, ok := web.ID(s)
	if !ok {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// hrYear reads a year, defaulting to this year; HR looks back ten years at most.
func (m *Module) hrYear(s string) int {
	today := m.svc.Today()
	if y, err := strconv.Atoi(s); err == nil && y >= today.Year-10 && y <= today.Year+1 {
		return y
	}
	return today.Year
}

// hrYearOptions lists the years the filters offer, newest first.
func (m *Module) hrYearOptions() []web.Option {
	today := m.svc.Today()
	var out []web.Option
	for y := today.Year + 1; y >= today.Year-10; y-- {
		out = append(out, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	return out
}

// hrPersonOptions lists active people, with their department beside namesakes' names.
func (m *Module) hrPersonOptions(c *fiber.Ctx) ([]web.Option, error) {
	ppl, err := m.svc.PersonChoices(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make([]web.Option, len(ppl))
	for i, p := range ppl {
		label := p.Name
		if p.Department != "" {
			label += " (" + p.Department + ")"
		}
		out[i] = web.Option{Value: web.FormatID(p.ID), Label: label}
	}
	return out, nil
}

// hrErrors turns a service error into form messages: the field errors of HR's
// inputs, or the request errors form.go knows.
func hrErrors(err error) (web.Errors, bool) {
	var fe FieldErrors
	if errors.As(err, &fe) {
		errs := web.Errors{}
		for field, key := range fe {
			errs.Add(field, key)
		}
		return errs, true
	}
	return formErrors(err)
}

// hrParseDays reads a number of days as people type it ("20", "20.5", "20,5",
// "-1,5"), in half days; anything finer than half a day is refused.
func hrParseDays(s string) (int, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	s = strings.TrimPrefix(s, "+")
	f, err := strconv.ParseFloat(s, 64)
	if s == "" || err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 10000 {
		return 0, false
	}
	h := f * 2
	if h != math.Trunc(h) {
		return 0, false
	}
	return int(h), true
}

// hrNum writes days in the language's number format, with a decimal only for half days.
func hrNum(lang string) func(float64) string {
	return func(v float64) string { return i18n.FormatFigure(lang, v) }
}
