package booking

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleTripNew shows the trip log form, the start filled with the car's odometer.
func (m *Module) handleTripNew(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	sub, err := m.svc.TripSubject(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	form := tripForm{OdometerStart: strconv.Itoa(sub.Resource.Odometer)}
	return m.renderTripForm(c, sub, form, nil, fiber.StatusOK)
}

// handleTripCreate logs the trip, or shows the form again with what went wrong.
func (m *Module) handleTripCreate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	sub, err := m.svc.TripSubject(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	form := tripForm{OdometerStart: c.FormValue("odometer_start"), OdometerEnd: c.FormValue("odometer_end"),
		Fuel: c.FormValue("fuel"), Remarks: c.FormValue("remarks")}
	in, errs := form.input()
	if len(errs) > 0 {
		return m.renderTripForm(c, sub, form, errs, fiber.StatusUnprocessableEntity)
	}
	t, err := m.svc.RecordTrip(c.UserContext(), web.ActorOf(c), id, in)
	if errs, ok := web.FieldErrors(err, tripErrors, "Km", web.Num(c, sub.Resource.Odometer)); ok {
		return m.renderTripForm(c, sub, form, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "booking.trip_saved", "Km", web.Num(c, t.Km))
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}

func (m *Module) renderTripForm(c *fiber.Ctx, sub *TripSubject, form tripForm, errs web.Errors, status int) error {
	return web.RenderForm(c, "booking/trip_form", web.Page{
		Title: "booking.trip_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Booking": sub.Booking, "Car": sub.Resource},
	})
}
