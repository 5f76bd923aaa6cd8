package booking

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleAdminNew shows an empty resource form of ?kind=.
func (m *Module) handleAdminNew(c *fiber.Ctx) error {
	kind := c.Query("kind")
	if !slices.Contains(ManagedKinds(web.ActorOf(c)), kind) {
		return fiber.ErrNotFound
	}
	return m.renderAdminForm(c, nil, newResourceForm(kind), nil, fiber.StatusOK)
}

// handleAdminCreate adds the resource, or shows the form again with what went wrong.
func (m *Module) handleAdminCreate(c *fiber.Ctx) error {
	kind := c.FormValue("kind")
	a := web.ActorOf(c)
	if !slices.Contains(ManagedKinds(a), kind) {
		return fiber.ErrNotFound
	}
	r, err := m.saveResource(c, nil, kind, func(in ResourceInput) (*Resource, error) {
		return m.svc.CreateResource(c.UserContext(), a, kind, in)
	})
	if r == nil {
		return err
	}
	web.Success(c, "booking.admin.created", "Name", r.Name)
	return c.Redirect("/bookings/admin/"+itoa(r.ID), fiber.StatusSeeOther)
}

// handleAdminEdit shows a resource's form.
func (m *Module) handleAdminEdit(c *fiber.Ctx) error {
	r, err := m.adminResource(c)
	if err != nil {
		return err
	}
	return m.renderAdminForm(c, r, formOf(r), nil, fiber.StatusOK)
}

// handleAdminUpdate saves a resource, including putting it in service (not
// active) and back; resources are never deleted, their bookings stay.
func (m *Module) handleAdminUpdate(c *fiber.Ctx) error {
	r, err := m.adminResource(c)
	if err != nil {
		return err
	}
	saved, err := m.saveResource(c, r, r.Kind, func(in ResourceInput) (*Resource, error) {
		return m.svc.UpdateResource(c.UserContext(), web.ActorOf(c), r.ID, in)
	})
	if saved == nil {
		return err
	}
	web.Success(c, "booking.admin.saved", "Name", saved.Name)
	return c.Redirect("/bookings/admin?kind="+saved.Kind, fiber.StatusSeeOther)
}

// adminResource is the resource of the :id in the path, if the actor manages it.
func (m *Module) adminResource(c *fiber.Ctx) (*Resource, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	r, err := m.svc.AdminResource(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// saveResource reads the form of kind and hands it to save. It returns the
// saved resource, or nil and what to answer: the form again (r is the stored
// resource, nil for a new one) with what went wrong, or an error page.
func (m *Module) saveResource(c *fiber.Ctx, r *Resource, kind string, save func(ResourceInput) (*Resource, error)) (*Resource, error) {
	form := parseResourceForm(c, kind)
	in, errs := form.input()
	if len(errs) > 0 {
		return nil, m.renderAdminForm(c, r, form, errs, fiber.StatusUnprocessableEntity)
	}
	saved, err := save(in)
	if errs, ok := m.resourceFormErrors(c, err); ok {
		return nil, m.renderAdminForm(c, r, form, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// renderAdminForm shows the form of a new (r nil) or stored resource.
func (m *Module) renderAdminForm(c *fiber.Ctx, r *Resource, form resourceForm, errs web.Errors, status int) error {
	units := make([]web.Option, 0, 2)
	for _, u := range EquipmentUnits(web.ActorOf(c)) {
		units = append(units, web.Option{Value: u, Label: web.T(c, "booking.admin.unit."+u)})
	}
	return web.RenderForm(c, "booking/admin_form", web.Page{
		Title: "booking.admin.kind_title." + form.Kind, Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Resource": r, "Units": units},
	})
}
