package booking

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleAdminDeleteConfirm asks before deleting a resource, saying that only
// one never booked can go. It changes nothing.
func (m *Module) handleAdminDeleteConfirm(c *fiber.Ctx) error {
	r, err := m.adminResource(c)
	if err != nil {
		return err
	}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "booking.admin.delete_confirm.title",
		Question: web.T(c, "booking.admin.delete_confirm.question", "Name", r.Name),
		Details:  []string{web.T(c, "booking.admin.delete_help")},
		Action:   "/bookings/admin/" + itoa(r.ID) + "/delete",
		Button:   web.T(c, "booking.admin.delete_confirm.button"),
		Back:     "/bookings/admin/" + itoa(r.ID),
	})
}

// handleAdminDelete deletes a resource that was never booked; a booked one
// gets the form again saying to put it in service instead.
func (m *Module) handleAdminDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	a := web.ActorOf(c)
	r, err := m.svc.DeleteResource(c.UserContext(), a, id)
	if errors.Is(err, ErrHasBookings) {
		if r, err = m.svc.AdminResource(c.UserContext(), a, id); err != nil {
			return err
		}
		errs := web.Errors{}
		errs.Add("", "booking.admin.error.has_bookings")
		return m.renderAdminForm(c, r, formOf(r), errs, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	web.Success(c, "booking.admin.deleted", "Name", r.Name)
	return c.Redirect("/bookings/admin?kind="+r.Kind, fiber.StatusSeeOther)
}
