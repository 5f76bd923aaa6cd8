package warehouse

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// moveKinds are the movements the item's page posts, each with its form.
var moveKinds = []string{KindReceipt, KindIssue, KindReturn, KindWriteOff}

// moveForm is the four movement forms as typed; only the posted one is
// filled when the page comes back with its errors.
type moveForm struct {
	Kind                        string // the form that was posted
	Qty, Supplier, Note, Reason string
	Department                  string
	Request                     string // a return's request number (optional)
}

// moveFields place the service's refusals on the posted form's fields
// (named <kind>_<field>, so four forms on one page keep their own messages).
func moveFields(kind string) map[error]string {
	q := kind + "_qty"
	t := map[error]string{
		ErrQuantity: q, ErrFraction: q, ErrTooMuch: q, ErrShort: q, ErrNotReserved: q,
		ErrInactive: q, ErrDepartment: kind + "_department", ErrReason: kind + "_reason",
		ErrSupplier: kind + "_supplier", ErrDeliveryNote: kind + "_note",
	}
	switch kind {
	case KindReceipt:
		t[ErrText] = kind + "_supplier"
	default:
		t[ErrText] = kind + "_reason"
	}
	if kind == KindReturn {
		t[ErrReturnLine], t[ErrReturnDepartment], t[ErrReturnCap] = kind+"_request", kind+"_department", q
	}
	return t
}

// handleItemShow is an item's page: its facts, the movement forms and its ledger.
func (m *Module) handleItemShow(c *fiber.Ctx) error {
	it, err := m.itemOf(c)
	if err != nil {
		return err
	}
	return m.renderItem(c, it, moveForm{}, nil, fiber.StatusOK)
}

// handleItemMove posts one movement from the item's page (receipt, issue,
// return, write-off) and comes back to it: with a flash naming what moved,
// or with the form as typed and each refusal by its field.
func (m *Module) handleItemMove(c *fiber.Ctx) error {
	kind := c.Params("kind")
	if !contains(moveKinds, kind) {
		return fiber.ErrNotFound
	}
	it, err := m.itemOf(c)
	if err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(c.FormValue(kind + "_" + k)) }
	f := moveForm{Kind: kind, Qty: v("qty"), Supplier: v("supplier"), Note: v("note"), Reason: c.FormValue(kind + "_reason"),
		Department: v("department"), Request: v("request")}
	errs := web.Errors{}
	q, qerr := ParseQty(f.Qty, it.UnitInfo())
	if qerr != nil {
		errs.Add(kind+"_qty", messages[qerr])
	}
	var dept, request uint
	if kind == KindReturn && f.Request != "" {
		f.Request = strings.TrimPrefix(f.Request, "#")
		if id, ok := web.ID(f.Request); ok {
			request = id
		} else {
			errs.Add(kind+"_request", "warehouse.err.return_request")
		}
	}
	if kind == KindIssue || kind == KindReturn {
		if id := web.ParseOptionalID(f.Department, kind+"_department", errs); id != nil {
			dept = *id
		} else if !errs.Has(kind+"_department") && request == 0 && !errs.Has(kind+"_request") {
			// a return on a request is booked to the request's department
			errs.Add(kind+"_department", "warehouse.err.department")
		}
	}
	if errs.Any() {
		return m.renderItem(c, it, f, errs, fiber.StatusUnprocessableEntity)
	}
	a, ctx := web.ActorOf(c), c.UserContext()
	switch kind {
	case KindReceipt:
		_, err = m.svc.Receive(ctx, a, Receipt{ItemID: it.ID, Quantity: q, Supplier: f.Supplier, DeliveryNote: f.Note})
	case KindIssue:
		_, err = m.svc.Issue(ctx, a, Issue{ItemID: it.ID, Quantity: q, DepartmentID: dept})
	case KindReturn:
		in := Return{ItemID: it.ID, Quantity: q, DepartmentID: dept, Reason: f.Reason}
		if request != 0 {
			_, err = m.svc.ReturnOnRequest(ctx, a, request, in)
		} else {
			_, err = m.svc.Return(ctx, a, in)
		}
	case KindWriteOff:
		_, err = m.svc.WriteOff(ctx, a, WriteOff{ItemID: it.ID, Quantity: q, Reason: f.Reason})
	}
	if fe, ok := m.fieldErrors(c, err, moveFields(kind)); ok {
		// The stock shown beside the form is the stock that refused it.
		if fresh, ferr := m.svc.Item(ctx, a, it.ID); ferr == nil {
			it = fresh
		}
		return m.renderItem(c, it, f, fe, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	web.Success(c, "warehouse.stock.done."+kind, "Qty", q.Format(lang), "Unit", web.T(c, "warehouse.unit."+it.Unit), "Code", it.Code)
	return c.Redirect("/warehouse/stock/"+web.FormatID(it.ID), fiber.StatusSeeOther)
}

func (m *Module) renderItem(c *fiber.Ctx, it *Item, f moveForm, errs web.Errors, status int) error {
	a, ctx := web.ActorOf(c), c.UserContext()
	page := web.PageParam(c.Query("page"))
	lines, total, err := m.svc.Ledger(ctx, a, it.ID, page)
	if err != nil {
		return err
	}
	var depts []web.Option
	if m.deps.People != nil {
		if depts, err = m.deps.People.DepartmentOptions(ctx); err != nil {
			return err
		}
	}
	p := web.Page{Title: "warehouse.stock.item", Form: f, Errors: errs, Status: status,
		Data: fiber.Map{"Item": it, "Lines": lines, "Pager": web.NewPager(page, total, MovementsPerPage),
			"DepartmentOptions": depts, "Low": it.Active && it.ReorderLevel > 0 && it.Available() <= it.ReorderLevel}}
	if errs.Any() {
		return web.RenderForm(c, "warehouse/item_show", p)
	}
	return web.Render(c, "warehouse/item_show", p)
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
