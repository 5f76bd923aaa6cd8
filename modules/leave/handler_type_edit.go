package leave

import (
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// typeForm is the leave type form as typed, so it comes back unchanged after an error.
type typeForm struct {
	Code, NameHU, NameEN, Color, MaxConsecutive, SortOrder                 string
	CountsAgainst, NeedsApproval, HalfDays, Private, AllowNegative, Active bool
}

func typeFormOf(t *Type) typeForm {
	return typeForm{
		Code: t.Code, NameHU: t.NameHU, NameEN: t.NameEN, Color: t.Color,
		MaxConsecutive: strconv.Itoa(t.MaxConsecutive), SortOrder: strconv.Itoa(t.SortOrder),
		CountsAgainst: t.CountsAgainst, NeedsApproval: t.NeedsApproval, HalfDays: t.HalfDays,
		Private: t.Private, AllowNegative: t.AllowNegative, Active: t.Active,
	}
}

func parseTypeForm(c *fiber.Ctx) typeForm {
	on := func(name string) bool { return c.FormValue(name) == "on" }
	return typeForm{
		Code: c.FormValue("code"), NameHU: c.FormValue("name_hu"), NameEN: c.FormValue("name_en"),
		Color: c.FormValue("color"), MaxConsecutive: c.FormValue("max_consecutive"), SortOrder: c.FormValue("sort_order"),
		CountsAgainst: on("counts_against"), NeedsApproval: on("needs_approval"), HalfDays: on("half_days"),
		Private: on("private"), AllowNegative: on("allow_negative"), Active: on("active"),
	}
}

// input converts the numbers; the service checks everything else.
func (f typeForm) input() (TypeInput, web.Errors) {
	errs := web.Errors{}
	// The service checks the ranges, with messages that name them.
	whole := func(field, s string) int { return web.ParseInt(s, field, math.MinInt, math.MaxInt, errs) }
	in := TypeInput{
		Code: f.Code, NameHU: f.NameHU, NameEN: f.NameEN, Color: f.Color,
		CountsAgainst: f.CountsAgainst, NeedsApproval: f.NeedsApproval, HalfDays: f.HalfDays,
		Private: f.Private, AllowNegative: f.AllowNegative, Active: f.Active,
		MaxConsecutive: whole("max_consecutive", f.MaxConsecutive), SortOrder: whole("sort_order", f.SortOrder),
	}
	return in, errs
}

// handleTypeNew shows an empty type form, placed after the existing types.
func (m *Module) handleTypeNew(c *fiber.Ctx) error {
	types, err := m.svc.Types(c.UserContext(), false)
	if err != nil {
		return err
	}
	next := 1
	for _, t := range types {
		next = max(next, t.SortOrder+1)
	}
	form := typeForm{Color: "#0891b2", Active: true, NeedsApproval: true, MaxConsecutive: "0", SortOrder: strconv.Itoa(next)}
	return m.renderTypeForm(c, nil, form, nil)
}

// handleTypeCreate saves a new type.
func (m *Module) handleTypeCreate(c *fiber.Ctx) error { return m.saveType(c, nil) }

// handleTypeEdit shows a type's form.
func (m *Module) handleTypeEdit(c *fiber.Ctx) error {
	t, err := m.typeParam(c)
	if err != nil {
		return err
	}
	return m.renderTypeForm(c, t, typeFormOf(t), nil)
}

// handleTypeUpdate saves changes to a type (deactivating it is an unticked box).
func (m *Module) handleTypeUpdate(c *fiber.Ctx) error {
	t, err := m.typeParam(c)
	if err != nil {
		return err
	}
	return m.saveType(c, t)
}

func (m *Module) saveType(c *fiber.Ctx, t *Type) error {
	form := parseTypeForm(c)
	in, errs := form.input()
	if errs.Any() {
		return m.renderTypeForm(c, t, form, errs)
	}
	var id uint
	if t != nil {
		id = t.ID
	}
	saved, err := m.svc.SaveType(c.UserContext(), web.ActorOf(c), id, in)
	if errs, ok := hrErrors(err); ok {
		return m.renderTypeForm(c, t, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "leave.hr.types.saved", "Name", saved.Name(web.LangOf(c)))
	return c.Redirect("/leave/admin/types", fiber.StatusSeeOther)
}

// renderTypeForm shows the form for a new type (t nil) or an existing one; errors make it a 422.
func (m *Module) renderTypeForm(c *fiber.Ctx, t *Type, form typeForm, errs web.Errors) error {
	title := "leave.hr.types.new_title"
	if t != nil {
		title = "leave.hr.types.edit_title"
	}
	return web.RenderForm(c, "leave/type_form", web.Page{Title: title, Form: form, Errors: errs, Data: fiber.Map{"Type": t}})
}

// typeParam loads the type named in the path; a bad or unknown id is a 404.
func (m *Module) typeParam(c *fiber.Ctx) (*Type, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	t, err := m.svc.TypeByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	return t, nil
}
