package warehouse

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// itemForm is the item form as typed, so it comes back unchanged.
type itemForm struct {
	Code, NameHU, NameEN, Category, Unit, Location string
	ReorderLevel, UnitPrice                        string
	Active                                         bool
}

func parseItemForm(c *fiber.Ctx) itemForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return itemForm{Code: v("code"), NameHU: v("name_hu"), NameEN: v("name_en"), Category: v("category"), Unit: v("unit"),
		Location: v("location"), ReorderLevel: v("reorder_level"), UnitPrice: v("unit_price"), Active: c.FormValue("active") == "1"}
}

// itemFormOf fills the form from a stored item.
func itemFormOf(it *Item, lang string) itemForm {
	f := itemForm{Code: it.Code, NameHU: it.NameHU, NameEN: it.NameEN, Category: it.Category, Unit: it.Unit,
		Location: it.Location, UnitPrice: strconv.FormatInt(it.UnitPrice, 10), Active: it.Active}
	if it.ReorderLevel != 0 {
		f.ReorderLevel = it.ReorderLevel.String()
		if lang == "hu" {
			f.ReorderLevel = strings.ReplaceAll(f.ReorderLevel, ".", ",")
		}
	}
	return f
}

// itemFields places the service's refusals next to the item form's fields.
var itemFields = map[error]string{
	ErrCode: "code", ErrCodeTaken: "code", ErrName: "name_hu", ErrText: "name_hu", ErrCategory: "category",
	ErrUnit: "unit", ErrUnitFixed: "unit", ErrQuantity: "reorder_level", ErrFraction: "reorder_level",
	ErrTooMuch: "reorder_level", ErrPrice: "unit_price",
}

// itemInput reads the typed numbers; the service checks the rest.
func itemInput(f itemForm) (ItemInput, web.Errors) {
	errs := web.Errors{}
	in := ItemInput{Code: f.Code, NameHU: f.NameHU, NameEN: f.NameEN, Category: f.Category, Unit: f.Unit,
		Location: f.Location, Active: f.Active}
	if f.ReorderLevel != "" && strings.Trim(f.ReorderLevel, "0.,") != "" {
		// Checked in the item's unit by the service; read here as a measure.
		q, err := ParseQty(f.ReorderLevel, Unit{})
		if err != nil {
			errs.Add("reorder_level", messages[err])
		}
		in.ReorderLevel = q
	}
	if p := strings.ReplaceAll(strings.ReplaceAll(f.UnitPrice, " ", ""), "\u00a0", ""); p != "" {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || n > maxUnitPrice {
			errs.Add("unit_price", "warehouse.err.price")
		}
		in.UnitPrice = n
	}
	return in, errs
}

// handleItemNew shows an empty item form.
func (m *Module) handleItemNew(c *fiber.Ctx) error {
	return m.renderItemForm(c, nil, itemForm{Active: true, Unit: "db", Category: "office"}, nil, fiber.StatusOK)
}

// handleItemCreate adds the item, or shows the form again with what went wrong.
func (m *Module) handleItemCreate(c *fiber.Ctx) error { return m.saveItem(c, nil) }

// handleItemEdit shows a stored item's form.
func (m *Module) handleItemEdit(c *fiber.Ctx) error {
	it, err := m.itemOf(c)
	if err != nil {
		return err
	}
	return m.renderItemForm(c, it, itemFormOf(it, web.LangOf(c)), nil, fiber.StatusOK)
}

// handleItemUpdate saves a stored item.
func (m *Module) handleItemUpdate(c *fiber.Ctx) error {
	it, err := m.itemOf(c)
	if err != nil {
		return err
	}
	return m.saveItem(c, it)
}

// saveItem reads the form and saves it as a new (stored nil) or stored item.
func (m *Module) saveItem(c *fiber.Ctx, stored *Item) error {
	f := parseItemForm(c)
	in, errs := itemInput(f)
	if errs.Any() {
		return m.renderItemForm(c, stored, f, errs, fiber.StatusUnprocessableEntity)
	}
	var saved *Item
	var err error
	if stored == nil {
		saved, err = m.svc.CreateItem(c.UserContext(), web.ActorOf(c), in)
	} else {
		saved, err = m.svc.UpdateItem(c.UserContext(), web.ActorOf(c), stored.ID, in)
	}
	if fe, ok := m.fieldErrors(c, err, itemFields); ok {
		return m.renderItemForm(c, stored, f, fe, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "warehouse.stock.saved", "Code", saved.Code)
	return c.Redirect("/warehouse/stock/"+web.FormatID(saved.ID), fiber.StatusSeeOther)
}

// itemOf is the item of the :id in the path (404 for a malformed or unknown id).
func (m *Module) itemOf(c *fiber.Ctx) (*Item, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	return m.svc.Item(c.UserContext(), web.ActorOf(c), id)
}

func (m *Module) renderItemForm(c *fiber.Ctx, it *Item, f itemForm, errs web.Errors, status int) error {
	title := "warehouse.stock.new"
	if it != nil {
		title = "warehouse.stock.edit"
	}
	return web.RenderForm(c, "warehouse/item_form", web.Page{Title: title, Form: f, Errors: errs, Status: status,
		Data: fiber.Map{"Item": it, "CategoryOptions": categoryOptions(c), "UnitOptions": unitOptions(c)}})
}

// fieldErrors places every problem of err on its field (table), with the
// sentence Message gives it ("only 3 rizsma left"); ok is false when none of
// them is about the form.
func (m *Module) fieldErrors(c *fiber.Ctx, err error, table map[error]string) (web.Errors, bool) {
	if err == nil {
		return nil, false
	}
	out := web.Errors{}
	for _, one := range splitErrors(err) {
		for e, field := range table {
			if errorIs(one, e) {
				key, args := Message(m.deps.Catalog, web.LangOf(c), one)
				if key != "" {
					out.AddOnce(field, key, args...)
				}
				break
			}
		}
	}
	return out, out.Any()
}
