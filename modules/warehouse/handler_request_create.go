package warehouse

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/collate"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/web"
)

// The request form's rows: this many empty catalogue and free-text rows at
// first, this many more per "more lines", and never more than a request's
// lines in all (so a crafted count cannot make a huge page).
const (
	formItemRows = 5
	formFreeRows = 2
	formMoreRows = 5
)

// requestForm is the request form as typed, kept whole when it comes back.
type requestForm struct {
	DepartmentID, Purpose, NeededBy string
	Items, Free                     []formLine
}

// formLine is one row: a catalogue item or (Free) a thing not stocked. N is
// its number on the form, from 1, catalogue rows first.
type formLine struct {
	N                            int
	Item, Qty, Text, Unit, Price string
	Free                         bool
}

// blank reports whether the row was left empty (it is then not a line).
func (l formLine) blank() bool {
	return strings.TrimSpace(l.Item+l.Qty+l.Text+l.Price) == ""
}

// rowCount reads a count of rows the form carried, within 1..maxLines.
func rowCount(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return def
	}
	return min(n, maxLines)
}

// newRequestForm is an empty form with its rows numbered, for department.
func newRequestForm(items, free int, department string) requestForm {
	f := requestForm{DepartmentID: department}
	for i := range items {
		f.Items = append(f.Items, formLine{N: i + 1})
	}
	for i := range free {
		f.Free = append(f.Free, formLine{N: items + i + 1, Free: true, Unit: "db"})
	}
	return f
}

// parseRequestForm reads the posted form: its rows as many as it says it had.
func parseRequestForm(c *fiber.Ctx) requestForm {
	items, free := rowCount(c.FormValue("rows"), formItemRows), rowCount(c.FormValue("free_rows"), formFreeRows)
	if items+free > maxLines {
		free = max(maxLines-items, 0)
	}
	f := newRequestForm(items, free, c.FormValue("department_id"))
	f.Purpose, f.NeededBy = c.FormValue("purpose"), c.FormValue("needed_by")
	for i := range f.Items {
		l := &f.Items[i]
		l.Item, l.Qty = c.FormValue(lineField(l.N, "item")), c.FormValue(lineField(l.N, "qty"))
	}
	for i := range f.Free {
		l := &f.Free[i]
		l.Text, l.Qty, l.Price = c.FormValue(lineField(l.N, "text")), c.FormValue(lineField(l.N, "qty")), c.FormValue(lineField(l.N, "price"))
		l.Unit = c.FormValue(lineField(l.N, "unit"))
	}
	return f
}

// handleRequestNew shows an empty request form, the requester's own
// department as the cost centre.
func (m *Module) handleRequestNew(c *fiber.Ctx) error {
	dept, err := m.svc.HomeDepartment(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	f := newRequestForm(formItemRows, formFreeRows, "")
	if dept != 0 {
		f.DepartmentID = web.FormatID(dept)
	}
	return m.renderRequestForm(c, f, web.Errors{})
}

// handleRequestCreate submits the request and opens its page. "More lines"
// (a submit button, so it works without JavaScript) shows the form again
// with more empty rows and submits nothing; every problem goes next to its
// field, on its line, and the form comes back whole.
func (m *Module) handleRequestCreate(c *fiber.Ctx) error {
	f := parseRequestForm(c)
	switch c.FormValue("more") {
	case "items":
		f = moreRows(f, formMoreRows, 0)
		return m.renderRequestForm(c, f, web.Errors{})
	case "free":
		f = moreRows(f, 0, formFreeRows)
		return m.renderRequestForm(c, f, web.Errors{})
	}
	errs := web.Errors{}
	in := RequestInput{Purpose: f.Purpose}
	if f.DepartmentID != "" {
		in.DepartmentID = web.ParseID(f.DepartmentID, "department_id", errs)
	}
	in.NeededBy = calendar.ParseOptionalDateField(f.NeededBy, "needed_by", errs)
	// rowOf maps the service's line number (its place in in.Lines) back to
	// the form's row, since blank rows are left out.
	var rowOf []int
	for _, l := range append(append([]formLine{}, f.Items...), f.Free...) {
		if l.blank() {
			continue
		}
		li := LineInput{Quantity: l.Qty}
		if l.Free {
			li.Text, li.Unit = l.Text, l.Unit
			if p := strings.TrimSpace(l.Price); p != "" {
				n, err := strconv.ParseInt(strings.ReplaceAll(p, " ", ""), 10, 64)
				if err != nil || n < 0 || n > maxUnitPrice {
					errs.AddOnce(lineField(l.N, "price"), "warehouse.err.price")
				}
				li.Price = n
			}
		} else {
			id, ok := web.ID(l.Item)
			switch {
			case l.Item == "":
				errs.AddOnce(lineField(l.N, "item"), "warehouse.form.err.item")
			case !ok:
				errs.AddOnce(lineField(l.N, "item"), web.MsgChoice)
			}
			if !ok {
				continue // not a line the service could check
			}
			li.ItemID = id
		}
		in.Lines = append(in.Lines, li)
		rowOf = append(rowOf, l.N)
	}
	row := func(n int) int {
		if n >= 1 && n <= len(rowOf) {
			return rowOf[n-1]
		}
		return n
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	if errs.Any() {
		// Every problem at once: the service's own checks of the rest
		// (nothing is written while the form has errors of its own).
		if _, _, err := m.svc.checkRequest(ctx, a, in); err != nil {
			placeRequestErrors(m.svc.cat, web.LangOf(c), errs, err, row, false)
		}
		return m.renderRequestForm(c, f, errs)
	}
	r, err := m.svc.SubmitRequest(ctx, a, in)
	if placeRequestErrors(m.svc.cat, web.LangOf(c), errs, err, row, false) {
		return m.renderRequestForm(c, f, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "warehouse.form.done", "Number", web.FormatID(r.ID))
	return c.Redirect(requestPath(r.ID), fiber.StatusSeeOther)
}

// moreRows is f with more empty rows, within a request's lines.
func moreRows(f requestForm, items, free int) requestForm {
	total := len(f.Items) + len(f.Free)
	items = min(items, maxLines-total)
	free = min(free, maxLines-total-items)
	g := newRequestForm(len(f.Items)+max(items, 0), len(f.Free)+max(free, 0), f.DepartmentID)
	g.Purpose, g.NeededBy = f.Purpose, f.NeededBy
	for i := range f.Items {
		g.Items[i].Item, g.Items[i].Qty = f.Items[i].Item, f.Items[i].Qty
	}
	for i := range f.Free {
		l := f.Free[i]
		l.N = g.Free[i].N
		g.Free[i] = l
	}
	return g
}

// itemGroup is one category of the item select.
type itemGroup struct {
	Label   string
	Options []web.Option
}

// renderRequestForm shows the form with the catalogue as it stands now:
// each item with its unit and what is available on the shelf.
func (m *Module) renderRequestForm(c *fiber.Ctx, f requestForm, errs web.Errors) error {
	ctx, lang := c.UserContext(), web.LangOf(c)
	items, err := m.svc.OrderableItems(ctx)
	if err != nil {
		return err
	}
	coll := db.NewNameCollator()
	groups := make([]itemGroup, 0, len(Categories))
	for _, cat := range Categories {
		var opts []web.Option
		var in []*Item
		for i := range items {
			if items[i].Category == cat {
				in = append(in, &items[i])
			}
		}
		sortItems(in, lang, coll)
		for _, it := range in {
			label := web.T(c, "warehouse.form.item_option", "Name", it.Name(lang), "Code", it.Code,
				"Unit", web.T(c, "warehouse.unit."+it.Unit), "Available", max(it.Available(), 0).Format(lang))
			opts = append(opts, web.Option{Value: web.FormatID(it.ID), Label: label})
		}
		if len(opts) > 0 {
			groups = append(groups, itemGroup{Label: web.T(c, "warehouse.category."+cat), Options: opts})
		}
	}
	depts, err := m.svc.deps.People.DepartmentOptions(ctx)
	if err != nil {
		return err
	}
	units := make([]web.Option, len(Units))
	for i, u := range Units {
		units[i] = web.Option{Value: u.Code, Label: web.T(c, "warehouse.unit."+u.Code)}
	}
	page := web.Page{Title: "warehouse.form.title", Form: f, Errors: errs,
		Data: fiber.Map{"Groups": groups, "Departments": depts, "Units": units,
			"Rows": len(f.Items), "FreeRows": len(f.Free), "CanMore": len(f.Items)+len(f.Free) < maxLines}}
	if errs.Any() {
		return web.RenderForm(c, "warehouse/request_form", page)
	}
	return web.Render(c, "warehouse/request_form", page)
}

// sortItems orders a category's items by name in lang, Hungarian order.
func sortItems(items []*Item, lang string, coll *collate.Collator) {
	slices.SortStableFunc(items, func(a, b *Item) int { return coll.CompareString(a.Name(lang), b.Name(lang)) })
}
