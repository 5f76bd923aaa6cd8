package booking

import (
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// tripForm is the trip log form as typed, so it comes back unchanged.
type tripForm struct {
	OdometerStart, OdometerEnd, Fuel, Remarks string
}

// input reads the form; fuel is typed in litres with a comma or a dot and
// kept as decilitres.
func (f tripForm) input() (TripInput, web.Errors) {
	errs := web.Errors{}
	in := TripInput{Remarks: strings.TrimSpace(f.Remarks)}
	in.OdometerStart = web.ParseInt(web.Required(f.OdometerStart, "odometer_start", errs), "odometer_start", 0, math.MaxInt, errs)
	in.OdometerEnd = web.ParseInt(web.Required(f.OdometerEnd, "odometer_end", errs), "odometer_end", 0, math.MaxInt, errs)
	in.FuelDecilitres = int(web.ParseQuantity(f.Fuel, "fuel", 0, 10000, errs)*10 + 0.5)
	return in, errs
}

// tripErrors names the form field a trip error belongs to.
var tripErrors = map[error]web.FieldMessage{
	ErrOdometerBelowCar: {"odometer_start", "booking.error.odometer_below"},
	ErrOdometerReversed: {"odometer_end", "booking.error.odometer_reversed"},
}

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
	if errs, ok := web.FieldErrors(err, tripErrors, "Km", sub.Resource.Odometer); ok {
		return m.renderTripForm(c, sub, form, errs, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "booking.trip_saved", "Km", t.Km)
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}

func (m *Module) renderTripForm(c *fiber.Ctx, sub *TripSubject, form tripForm, errs web.Errors, status int) error {
	return web.RenderForm(c, "booking/trip_form", web.Page{
		Title: "booking.trip_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Booking": sub.Booking, "Car": sub.Resource},
	})
}
