package kapu

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/schedule"
	"kapu/modules/platform/web"
)

// service is one of the suite's services as the dashboard and navigation show it.
type service struct {
	Key  string // translation key stem: nav.<Key>, service.<Key>.text
	Path string
	Icon string
	// Roles, when set, are who the service's pages are for; everyone else
	// sees no navigation entry, and a tile leading to Others instead.
	Roles  []string
	Others string
}

// services are the intranet's services, each served by its own module.
var services = []service{
	{Key: "leave", Path: "/leave", Icon: "leave"},
	{Key: "training", Path: "/training", Icon: "training"},
	{Key: "bookings", Path: "/bookings", Icon: "booking"},
	{Key: "helpdesk", Path: "/helpdesk", Icon: "helpdesk"},
	{Key: "warehouse", Path: "/warehouse", Icon: "warehouse"},
	// The front desk runs the day; everyone else may open the citizens' page.
	{Key: "appointments", Path: "/desk", Icon: "appointments", Roles: []string{actor.Frontdesk, actor.Admin}, Others: "/appointments"},
}

// home serves the dashboard: "my day" and the services.
type home struct{}

func newHome() *home { return &home{} }

func (h *home) Name() string                             { return "home" }
func (h *home) Models() []any                            { return nil }
func (h *home) Migrations() []db.Migration               { return nil }
func (h *home) Jobs(schedule.Registrar) error            { return nil }
func (h *home) Demo(context.Context, demo.Options) error { return nil }

// Routes registers the dashboard and the navigation of every service in
// the suite's order.
func (h *home) Routes(s *web.Server) {
	s.AddNav(web.NavItem{Key: "nav.dashboard", Path: "/", Icon: "home"})
	s.App.Get("/", web.RequireLogin, h.handleDashboard)
	for _, svc := range services {
		s.AddNav(web.NavItem{Key: "nav." + svc.Key, Path: svc.Path, Icon: svc.Icon, Section: web.SectionServices, Roles: svc.Roles})
	}
}

// handleDashboard is "my day": each module's card of what concerns the
// person now, then a tile per service.
func (h *home) handleDashboard(c *fiber.Ctx) error {
	cards, err := web.Cards(c)
	if err != nil {
		return err
	}
	tiles := make([]service, len(services))
	v := web.ViewerOf(c)
	for i, svc := range services {
		tiles[i] = svc
		if len(svc.Roles) > 0 && !v.Has(svc.Roles...) {
			tiles[i].Path = svc.Others
		}
	}
	return web.Render(c, "home/dashboard", web.Page{Title: "dashboard.title", Data: fiber.Map{
		"Cards": cards, "Services": tiles, "Today": calendar.Today(web.ServerOf(c).Cfg.TZ)}})
}
