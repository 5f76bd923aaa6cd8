package people

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handlePersonList shows people with search, department, role and status filters.
func (m *Module) handlePersonList(c *fiber.Ctx) error {
	f := PeopleFilter{
		Q:      c.Query("q"),
		Role:   c.Query("role"),
		Status: c.Query("status"),
		Page:   web.PageParam(c.Query("page")),
	}
	f.DepartmentID, _ = web.ID(c.Query("department"))
	rows, total, err := m.svc.ListPeople(c.UserContext(), web.ActorOf(c), f)
	if err != nil {
		return err
	}
	depts, err := m.svc.DepartmentOptions(c.UserContext())
	if err != nil {
		return err
	}
	return web.Render(c, "people/person_list", web.Page{
		Title: "people.title",
		Form:  fiber.Map{"Q": f.Q, "Department": c.Query("department"), "Role": f.Role, "Status": f.Status},
		Data: fiber.Map{
			"People":            rows,
			"Pager":             web.NewPager(f.Page, total, PerPage),
			"DepartmentOptions": depts,
			"RoleOptions":       roleOptions(c),
			"StatusOptions": []web.Option{
				{Value: "active", Label: web.T(c, "people.status_active")},
				{Value: "inactive", Label: web.T(c, "people.status_inactive")},
				{Value: "all", Label: web.T(c, "people.status_all")},
			},
		},
	})
}

// DepartmentOptions lists departments in tree order for select fields; every
// module's department filter uses it.
func (s *Service) DepartmentOptions(ctx context.Context) ([]web.Option, error) {
	tree, err := s.DepartmentTree(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.Option, len(tree))
	for i, n := range tree {
		out[i] = web.Option{Value: web.FormatID(n.ID), Label: n.Name, Depth: n.Depth}
	}
	return out, nil
}

// personOptions lists active people for manager and deputy fields.
func (m *Module) personOptions(c *fiber.Ctx) ([]web.Option, error) {
	people, err := m.svc.ActivePeople(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make([]web.Option, len(people))
	for i, p := range people {
		out[i] = web.Option{Value: web.FormatID(p.ID), Label: p.Label}
	}
	return out, nil
}
