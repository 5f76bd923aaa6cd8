package people

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// departmentForm is the department form as typed.
type departmentForm struct {
	Name, ParentID, HeadID, StaffingNote string
}

// handleDepartmentNew shows an empty department form.
func (m *Module) handleDepartmentNew(c *fiber.Ctx) error {
	return m.renderDepartmentForm(c, nil, departmentForm{ParentID: c.Query("parent")}, nil)
}

// handleDepartmentCreate adds a department.
func (m *Module) handleDepartmentCreate(c *fiber.Ctx) error { return m.saveDepartment(c, nil) }

// handleDepartmentEdit shows a department's form filled in.
func (m *Module) handleDepartmentEdit(c *fiber.Ctx) error {
	d, err := m.departmentParam(c)
	if err != nil {
		return err
	}
	return m.renderDepartmentForm(c, d, departmentForm{Name: d.Name, ParentID: idString(d.ParentID), HeadID: idString(d.HeadID), StaffingNote: d.StaffingNote}, nil)
}

// handleDepartmentUpdate saves a department's form.
func (m *Module) handleDepartmentUpdate(c *fiber.Ctx) error {
	d, err := m.departmentParam(c)
	if err != nil {
		return err
	}
	return m.saveDepartment(c, d)
}

func (m *Module) saveDepartment(c *fiber.Ctx, d *Department) error {
	form := departmentForm{Name: c.FormValue("name"), ParentID: c.FormValue("parent_id"), HeadID: c.FormValue("head_id"), StaffingNote: c.FormValue("staffing_note")}
	errs := web.Errors{}
	in := DepartmentInput{Name: form.Name, ParentID: web.ParseOptionalID(form.ParentID, "parent_id", errs), HeadID: web.ParseOptionalID(form.HeadID, "head_id", errs), StaffingNote: form.StaffingNote}
	if errs.Any() {
		return m.renderDepartmentForm(c, d, form, errs)
	}
	var id uint
	if d != nil {
		id = d.ID
	}
	saved, err := m.svc.SaveDepartment(c.UserContext(), web.ActorOf(c), id, in)
	if errs, ok := formErrors(err); ok {
		return m.renderDepartmentForm(c, d, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "departments.saved", "Name", saved.Name)
	return c.Redirect("/admin/departments", fiber.StatusSeeOther)
}

func (m *Module) renderDepartmentForm(c *fiber.Ctx, d *Department, form departmentForm, errs web.Errors) error {
	depts, err := m.svc.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	if d != nil { // a department cannot become its own parent
		self := web.FormatID(d.ID)
		kept := depts[:0]
		for _, o := range depts {
			if o.Value != self {
				kept = append(kept, o)
			}
		}
		depts = kept
	}
	people, err := m.personOptions(c)
	if err != nil {
		return err
	}
	title := "departments.new_title"
	if d != nil {
		title = "departments.edit_title"
	}
	return web.RenderForm(c, "people/department_form", web.Page{
		Title: title, Form: form, Errors: errs,
		Data: fiber.Map{"Department": d, "DepartmentOptions": depts, "PersonOptions": people},
	})
}

func (m *Module) departmentParam(c *fiber.Ctx) (*Department, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	d, err := m.svc.Department(c.UserContext(), id)
	return d, err
}
