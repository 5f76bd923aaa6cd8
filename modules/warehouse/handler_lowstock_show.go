package warehouse

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleLowStockShow lists the items at or below their reorder level with
// what to order; what open orders bring counts as available (OnOrderNow).
func (m *Module) handleLowStockShow(c *fiber.Ctx) error {
	ordered, err := m.svc.OnOrderNow(c.UserContext())
	if err != nil {
		return err
	}
	list, err := m.svc.LowStock(c.UserContext(), web.ActorOf(c), ordered)
	if err != nil {
		return err
	}
	return web.Render(c, "warehouse/low_stock", web.Page{Title: "warehouse.stock.low_title", Data: fiber.Map{"Items": list}})
}
