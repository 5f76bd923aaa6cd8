package warehouse

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// The stock-take screens: choose a shelf, count its sheet (or print it and
// count on paper), review the differences, post them in one step. Nothing
// is stored in between: every step carries the sheet's expected stock in
// hidden fields, and PostCount refuses an item that moved since.

// handleCountShelves lists the shelves that have something to count.
func (m *Module) handleCountShelves(c *fiber.Ctx) error {
	shelves, err := m.svc.Shelves(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	return web.Render(c, "warehouse/count_shelves", web.Page{Title: "warehouse.stock.count_title", Data: fiber.Map{"Shelves": shelves}})
}

// countLine is a sheet's line with what was typed for it.
type countLine struct {
	CountLine
	Typed string // the count as typed ("" = not counted)
}

// countForm is a stock-take as posted: the shelf, the reason, each line's
// expected stock and count.
type countForm struct {
	Shelf, Reason string
	Lines         []countLine
}

// handleCountSheet shows a shelf's count sheet: a form with an input per
// item, or with ?print=1 the sheet to count on paper.
func (m *Module) handleCountSheet(c *fiber.Ctx) error {
	sheet, err := m.svc.CountSheet(c.UserContext(), web.ActorOf(c), c.Query("shelf"))
	if err != nil {
		return err
	}
	f := countForm{Shelf: sheet.Location, Reason: web.T(c, "warehouse.stock.count_reason_default", "Date", web.Date(c, sheet.MadeAt))}
	for _, l := range sheet.Lines {
		f.Lines = append(f.Lines, countLine{CountLine: l})
	}
	return m.renderCountSheet(c, sheet, f, nil, c.Query("print") == "1")
}

func (m *Module) renderCountSheet(c *fiber.Ctx, sheet *CountSheet, f countForm, errs web.Errors, print bool) error {
	return web.RenderForm(c, "warehouse/count_sheet", web.Page{Title: "warehouse.stock.count_sheet", Form: f, Errors: errs,
		Data: fiber.Map{"Sheet": sheet, "Print": print}})
}

// parseCountForm reads a posted stock-take against the shelf's sheet now:
// the lines are the sheet's items the form names, each with the expected
// stock the form carried (so a move since is still caught by PostCount).
// Counts typed wrong come back as errors on their count_<id> fields.
func (m *Module) parseCountForm(c *fiber.Ctx) (*CountSheet, countForm, []Count, web.Errors, error) {
	sheet, err := m.svc.CountSheet(c.UserContext(), web.ActorOf(c), c.FormValue("shelf"))
	if err != nil {
		return nil, countForm{}, nil, nil, err
	}
	f := countForm{Shelf: sheet.Location, Reason: c.FormValue("reason")}
	errs := web.Errors{}
	if strings.TrimSpace(f.Reason) == "" {
		errs.Add("reason", "warehouse.err.reason")
	} else if !web.ValidText(f.Reason, maxReason) {
		errs.Add("reason", "warehouse.err.text")
	}
	posted := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("item") {
		posted[string(v)] = true
	}
	var counts []Count
	for _, l := range sheet.Lines {
		id := web.FormatID(l.ItemID)
		if !posted[id] {
			continue
		}
		line := countLine{CountLine: l, Typed: strings.TrimSpace(c.FormValue("count_" + id))}
		if exp, err := parseCount(c.FormValue("expected_"+id), Unit{}); err == nil {
			line.Expected = exp
		} else {
			return nil, countForm{}, nil, nil, fiber.ErrBadRequest // not something our form sends
		}
		f.Lines = append(f.Lines, line)
		if line.Typed == "" {
			continue
		}
		u, _ := UnitOf(l.Unit)
		q, err := parseCount(line.Typed, u)
		if err != nil {
			errs.Add("count_"+id, messages[err])
			continue
		}
		counts = append(counts, Count{ItemID: l.ItemID, Expected: line.Expected, Counted: q})
	}
	return sheet, f, counts, errs, nil
}

// parseCount reads a counted quantity: ParseQty's rules, and zero allowed
// (an empty shelf is a count).
func parseCount(s string, u Unit) (Qty, error) {
	if q, err := parseDecimal(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 7); err == nil && q == 0 {
		return 0, nil
	}
	return ParseQty(s, u)
}

// handleCountReview shows the differences the counts would post.
func (m *Module) handleCountReview(c *fiber.Ctx) error {
	sheet, f, counts, errs, err := m.parseCountForm(c)
	if err != nil {
		return err
	}
	if errs.Any() {
		return m.renderCountSheet(c, sheet, f, errs, false)
	}
	diffs, err := m.svc.Differences(c.UserContext(), web.ActorOf(c), counts)
	if err != nil {
		return err
	}
	return m.renderCountReview(c, sheet, f, diffs, len(counts), nil, fiber.StatusOK)
}

// handleCountPost posts the differences as adjustments, all or none.
func (m *Module) handleCountPost(c *fiber.Ctx) error {
	sheet, f, counts, errs, err := m.parseCountForm(c)
	if err != nil {
		return err
	}
	if errs.Any() {
		return m.renderCountSheet(c, sheet, f, errs, false)
	}
	a, ctx := web.ActorOf(c), c.UserContext()
	res, err := m.svc.PostCount(ctx, a, f.Reason, counts)
	var ce *CountError
	if errors.As(err, &ce) {
		diffs, derr := m.svc.Differences(ctx, a, counts)
		if derr != nil {
			return derr
		}
		problems := map[uint]string{}
		for _, p := range ce.Problems {
			key, args := Message(m.deps.Catalog, web.LangOf(c), splitErrors(p.Err)[0])
			if key == "" {
				key = "warehouse.stocktake.err.rejected"
			}
			problems[p.ItemID] = web.T(c, key, args...)
		}
		return m.renderCountReview(c, sheet, f, diffs, len(counts), problems, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	web.Success(c, "warehouse.stock.count_posted", "Posted", len(res.Posted), "Same", res.Same)
	return c.Redirect("/warehouse/stock/count", fiber.StatusSeeOther)
}

func (m *Module) renderCountReview(c *fiber.Ctx, sheet *CountSheet, f countForm, diffs []Difference, counted int, problems map[uint]string, status int) error {
	names := map[uint]string{}
	for _, l := range sheet.Lines {
		names[l.ItemID] = l.Name(web.LangOf(c))
	}
	var value int64
	for _, d := range diffs {
		value += d.Value
	}
	return web.Render(c, "warehouse/count_review", web.Page{Title: "warehouse.stock.count_review", Form: f, Status: status,
		Data: fiber.Map{"Diffs": diffs, "Names": names, "Counted": counted, "Value": value, "Problems": problems}})
}
