package booking

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleAdminList lists the resources of one kind the person manages, in
// service or not, filtered by ?kind= and ?status= (active, inactive).
func (m *Module) handleAdminList(c *fiber.Ctx) error {
	a := web.ActorOf(c)
	kinds := ManagedKinds(a)
	if len(kinds) == 0 {
		return fiber.ErrForbidden
	}
	kind := c.Query("kind", kinds[0])
	if !slices.Contains(kinds, kind) {
		kind = kinds[0]
	}
	status := c.Query("status")
	if status != "active" && status != "inactive" {
		status = ""
	}
	rs, err := m.svc.AdminResources(c.UserContext(), a, kind, status)
	if err != nil {
		return err
	}
	kindOpts := make([]web.Option, len(kinds))
	for i, k := range kinds {
		kindOpts[i] = web.Option{Value: k, Label: web.T(c, "booking.admin.kind."+k)}
	}
	statusOpts := []web.Option{
		{Value: "active", Label: web.T(c, "booking.admin.status_active")},
		{Value: "inactive", Label: web.T(c, "booking.admin.status_inactive")},
	}
	return web.Render(c, "booking/admin_list", web.Page{
		Title: "booking.admin.title",
		Form:  fiber.Map{"Kind": kind, "Status": status},
		Data:  fiber.Map{"Kind": kind, "Resources": rs, "KindOptions": kindOpts, "StatusOptions": statusOpts},
	})
}
