package warehouse

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleLowStockShow lists the items at or below their reorder level with
// what to order. Nothing is on order until procurement keeps it (next slice).
func (m *Module) handleLowStockShow(c *fiber.Ctx) error {
	list, err := m.svc.LowStock(c.UserContext(), web.ActorOf(c), nil)
	if err != nil {
		return err
	}
	return web.Render(c, "warehouse/low_stock", web.Page{Title: "warehouse.stock.low_title", Data: fiber.Map{"Items": list}})
}
