package warehouse

import (
	"kapu/modules/platform/web"
)

// stockRoles may open the storekeeper's pages; the service checks the same
// (isStaff), item by item. Administrators are not among them: stock is
// money, and the person who moves it answers for the shelf.
var stockRoles = []string{StaffRole}

// stockRoutes are the storekeeper's pages: the stock list with its
// import/export, an item's page with its ledger and movement forms, the
// stock-take and the low-stock list. The fixed paths come before /:id.
func (m *Module) stockRoutes(s *web.Server) {
	g := s.App.Group("/warehouse/stock", web.Require(stockRoles...))
	g.Get("/", m.handleStockList)
	g.Get("/export", m.handleStockExport)
	g.Get("/new", m.handleItemNew)
	g.Post("/new", m.handleItemCreate)
	g.Get("/import", m.handleItemImportForm)
	g.Post("/import", m.handleItemImport)
	g.Get("/low", m.handleLowStockShow)
	g.Get("/count", m.handleCountShelves)
	g.Get("/count/sheet", m.handleCountSheet)
	g.Post("/count/review", m.handleCountReview)
	g.Post("/count/post", m.handleCountPost)
	g.Get("/:id", m.handleItemShow)
	g.Get("/:id/edit", m.handleItemEdit)
	g.Post("/:id/edit", m.handleItemUpdate)
	g.Post("/:id/:kind", m.handleItemMove)
	s.AddNav(web.NavItem{Key: "warehouse.page.stock_nav", Path: "/warehouse/stock", Icon: "warehouse", Section: web.SectionAdmin, Order: 45, Roles: stockRoles},
		web.NavItem{Key: "warehouse.page.count_nav", Path: "/warehouse/stock/count", Icon: "file", Section: web.SectionAdmin, Order: 46, Roles: stockRoles})
}
