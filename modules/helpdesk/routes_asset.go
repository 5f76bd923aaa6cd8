package helpdesk

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// assetRoles may open the inventory pages: the staff of either queue and
// admins (the service checks the same, isAssetStaff).
var assetRoles = []string{actor.IT, actor.Facilities, actor.Admin}

// assetRoutes are the inventory's pages: the list and its import/export,
// an asset's page with its fault history and maintenance plans, the
// renewal report and the QR labels. The fixed paths come before /:id.
func (m *Module) assetRoutes(s *web.Server) {
	g := s.App.Group("/helpdesk/assets", web.Require(assetRoles...))
	g.Get("/", m.handleAssetList)
	g.Get("/new", m.handleAssetNew)
	g.Post("/new", m.handleAssetCreate)
	g.Get("/import", m.handleAssetImportForm)
	g.Post("/import", m.handleAssetImport)
	g.Get("/export", m.handleAssetExport)
	g.Get("/renewal", m.handleRenewalShow)
	g.Get("/labels", m.handleLabelList)
	g.Get("/labels.css", m.handleLabelCSS)
	g.Get("/:id", m.handleAssetShow)
	g.Get("/:id/edit", m.handleAssetEdit)
	g.Post("/:id/edit", m.handleAssetUpdate)
	g.Get("/:id/label", m.handleLabelShow)
	g.Post("/:id/plans", m.handlePlanCreate)
	g.Post("/:id/plans/:plan", m.handlePlanUpdate)
	g.Get("/:id/plans/:plan/delete", m.handlePlanDeleteConfirm)
	g.Post("/:id/plans/:plan/delete", m.handlePlanDelete)
	s.AddNav(web.NavItem{Key: "helpdesk.assets.nav", Path: "/helpdesk/assets", Icon: "warehouse", Section: web.SectionAdmin, Order: 40, Roles: assetRoles},
		web.NavItem{Key: "helpdesk.renewal.nav", Path: "/helpdesk/assets/renewal", Icon: "file", Section: web.SectionAdmin, Order: 41, Roles: assetRoles})
}
