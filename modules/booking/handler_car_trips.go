package booking

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleCarTrips shows fleet one car's logged trips.
func (m *Module) handleCarTrips(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	car, trips, err := m.svc.Trips(c.UserContext(), id)
	if err != nil {
		return err
	}
	return web.Render(c, "booking/car_trips", web.Page{Title: "booking.trips_title", Data: fiber.Map{"Car": car, "Trips": trips}})
}
