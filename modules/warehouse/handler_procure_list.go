package warehouse

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// procureGroup is the lines waiting for one item (or one free-text line).
type procureGroup struct {
	Name, Code, Unit string
	ItemID           uint
	Free             bool
	Total            string
	Lines            []procureLine
}

// procureLine is one waiting line of the list.
type procureLine struct {
	ID, RequestID                 uint
	Number, State                 string
	Approved, Reserved, ToProcure string
	Supplier                      string        // the open order's
	Expected                      calendar.Date // zero: not given
}

// handleProcureList is the list to procure, grouped by item in order of
// the oldest approval waiting for it; free-text lines stand apart.
func (m *Module) handleProcureList(c *fiber.Ctx) error {
	return m.showProcure(c, fiber.Map{}, web.Errors{})
}

func (m *Module) showProcure(c *fiber.Ctx, form fiber.Map, errs web.Errors) error {
	rows, err := m.svc.ProcureList(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	items, err := m.svc.itemsByID(c, rows)
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	var groups []*procureGroup
	byItem := map[uint]*procureGroup{}
	totals := map[*procureGroup]Qty{}
	for i := range rows {
		l := &rows[i]
		pl := procureLine{ID: l.ID, RequestID: l.RequestID, Number: web.FormatID(l.RequestID), State: l.State,
			Approved: l.Approved.Format(lang), Reserved: l.Reserved.Format(lang), ToProcure: l.ToProcure().Format(lang)}
		if o := l.Order; o != nil {
			pl.Supplier, pl.Expected = o.Supplier, o.ExpectedOn
		}
		g := byItem[derefID(l.ItemID)]
		if g == nil || l.Free() {
			g = &procureGroup{Free: l.Free(), Unit: web.T(c, "warehouse.unit."+l.Unit), ItemID: derefID(l.ItemID), Name: l.Text}
			if it := items[derefID(l.ItemID)]; it != nil {
				g.Name, g.Code = it.Name(lang), it.Code
			}
			if !l.Free() {
				byItem[*l.ItemID] = g
			}
			groups = append(groups, g)
		}
		g.Lines = append(g.Lines, pl)
		totals[g] += l.ToProcure()
	}
	for _, g := range groups {
		g.Total = totals[g].Format(lang)
	}
	page := web.Page{Title: "warehouse.procure.title", Form: form, Errors: errs, Data: fiber.Map{"Groups": groups}}
	if errs.Any() {
		return web.RenderForm(c, "warehouse/procure", page)
	}
	return web.Render(c, "warehouse/procure", page)
}

// itemsByID reads the catalogue items of rows.
func (s *Service) itemsByID(c *fiber.Ctx, rows []WaitingLine) (map[uint]*Item, error) {
	var in []LineInput
	for i := range rows {
		if id := derefID(rows[i].ItemID); id != 0 {
			in = append(in, LineInput{ItemID: id})
		}
	}
	return s.itemsOf(c.UserContext(), in)
}

// handleProcureOrder records "order placed" for a line; a bad supplier or
// day shows the list again with the message by the line's field.
func (m *Module) handleProcureOrder(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	n := strconv.FormatUint(uint64(id), 10)
	sf, ef := "supplier_"+n, "expected_"+n
	form := fiber.Map{sf: c.FormValue("supplier"), ef: c.FormValue("expected")}
	errs := web.Errors{}
	var day calendar.Date
	if v := c.FormValue("expected"); v != "" {
		day = calendar.ParseDateField(v, ef, errs)
	}
	if errs.Any() {
		return m.showProcure(c, form, errs)
	}
	_, err = m.svc.PlaceOrder(c.UserContext(), web.ActorOf(c), id, OrderInput{Supplier: c.FormValue("supplier"), Expected: day})
	switch {
	case err == nil:
		web.Success(c, "warehouse.procure.ordered")
	case errors.Is(err, ErrText), errors.Is(err, ErrSupplier), errors.Is(err, ErrExpected):
		for _, e := range splitErrors(err) {
			key, _ := Message(m.deps.Catalog, web.LangOf(c), e)
			field := sf
			if errors.Is(e, ErrExpected) {
				field = ef
			}
			errs.Add(field, key)
		}
		return m.showProcure(c, form, errs)
	case errors.Is(err, ErrLineState):
		web.AddFlash(c, "error", web.T(c, messages[ErrLineState]))
	default:
		return err
	}
	return c.Redirect("/warehouse/stock/procure", fiber.StatusSeeOther)
}

// handleProcureReceived is a free-text line's goods arriving.
func (m *Module) handleProcureReceived(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	switch err := m.svc.ReceiveFree(c.UserContext(), web.ActorOf(c), id); {
	case err == nil:
		web.Success(c, "warehouse.procure.received")
	case errors.Is(err, ErrLineState):
		web.AddFlash(c, "error", web.T(c, messages[ErrLineState]))
	default:
		return err
	}
	return c.Redirect("/warehouse/stock/procure", fiber.StatusSeeOther)
}
