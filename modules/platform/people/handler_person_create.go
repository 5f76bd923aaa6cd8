package people

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// handlePersonNew shows an empty person form.
func (m *Module) handlePersonNew(c *fiber.Ctx) error {
	form := personForm{Active: true, Roles: []string{actor.Employee}, DepartmentID: c.Query("department")}
	return m.renderPersonForm(c, nil, form, nil)
}

// handlePersonCreate adds a person and goes back to the list, or shows the form again with messages.
func (m *Module) handlePersonCreate(c *fiber.Ctx) error {
	form := parsePersonForm(c)
	in, errs := form.input()
	if len(errs) > 0 {
		return m.renderPersonForm(c, nil, form, errs)
	}
	p, err := m.svc.CreatePerson(c.UserContext(), web.ActorOf(c), in)
	if errs, ok := formErrors(err); ok {
		return m.renderPersonForm(c, nil, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "people.created", "Name", p.Name)
	if p.Active && m.svc.MailsLinks() {
		web.Success(c, "people.password_link.sent", "Email", p.Email, "Hours", int(PasswordLinkTTL.Hours()))
	}
	return c.Redirect("/admin/people/"+web.FormatID(p.ID), fiber.StatusSeeOther)
}

// renderPersonForm shows the create form (p nil) or the edit form of p.
func (m *Module) renderPersonForm(c *fiber.Ctx, p *Person, form personForm, errs web.Errors) error {
	depts, err := m.svc.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	people, err := m.personOptions(c)
	if err != nil {
		return err
	}
	data := fiber.Map{
		"Person":            p,
		"DepartmentOptions": depts,
		"PersonOptions":     people,
		"RoleOptions":       roleOptions(c),
		"LinkHours":         int(PasswordLinkTTL.Hours()),
	}
	title := "people.new_title"
	if p != nil {
		title = "people.edit_title"
		mgr, err := m.svc.ManagerOf(c.UserContext(), p)
		if err != nil {
			return err
		}
		data["Manager"] = mgr
		data["CanSendLink"], data["NoLinkReason"] = m.svc.MaySendLink(web.ActorOf(c), p)
		data["CanToggleActive"] = m.svc.MayToggleActive(web.ActorOf(c), p)
	}
	return web.RenderForm(c, "people/person_form", web.Page{Title: title, Form: form, Errors: errs, Data: data})
}
