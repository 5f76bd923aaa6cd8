package training

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleComplianceShow is the compliance view of the department in ?dept=
// (all the viewer sees when empty), or its export with ?format=csv|xlsx:
// the same rows as the page.
func (m *Module) handleComplianceShow(c *fiber.Ctx) error {
	var dept uint
	if s := c.Query("dept"); s != "" {
		errs := web.Errors{}
		if dept = web.ParseID(s, "dept", errs); errs.Any() {
			return fiber.ErrNotFound
		}
	}
	v, err := m.svc.Compliance(c.UserContext(), web.ActorOf(c), dept)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	switch c.Query("format") {
	case "csv":
		head, rows := ComplianceExport(v, lang, func(k string, args ...any) string { return web.T(c, k, args...) })
		return web.SendCSV(c, "training-compliance.csv", head, rows)
	case "xlsx":
		head, rows := ComplianceExport(v, lang, func(k string, args ...any) string { return web.T(c, k, args...) })
		return web.SendXLSX(c, "training-compliance.xlsx", web.Sheet{Name: web.T(c, "training.compliance.sheet"), Head: head, Rows: rows,
			Widths: []float64{28, 24, 10, 40, 40, 10, 10, 10}})
	case "":
	default:
		return fiber.ErrNotFound
	}
	opts := make([]web.Option, len(v.Departments))
	for i, d := range v.Departments {
		opts[i] = web.Option{Value: web.FormatID(d.ID), Label: d.Name, Depth: d.Depth}
	}
	query := ""
	if dept != 0 {
		query = "&dept=" + web.FormatID(dept)
	}
	return web.Render(c, "training/compliance", web.Page{Title: "training.compliance.title",
		Data: fiber.Map{"View": v, "Departments": opts, "Dept": c.Query("dept"), "Query": query}})
}
