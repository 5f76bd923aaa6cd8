package booking

import (
	"errors"
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
	var err error
	if in.OdometerStart, err = strconv.Atoi(strings.TrimSpace(f.OdometerStart)); err != nil || in.OdometerStart < 0 {
		errs.Add("odometer_start", "booking.error.km")
	}
	if in.OdometerEnd, err = strconv.Atoi(strings.TrimSpace(f.OdometerEnd)); err != nil || in.OdometerEnd < 0 {
		errs.Add("odometer_end", "booking.error.km")
	}
	if fuel := strings.ReplaceAll(strings.TrimSpace(f.Fuel), ",", "."); fuel != "" {
		l, err := strconv.ParseFloat(fuel, 64)
		if err != nil || l < 0 || l > 10000 {
			errs.Add("fuel", "booking.error.fuel")
		}
		in.FuelDecilitres = int(l*10 + 0.5)
	}
	return in, errs
}

// tripErrors names the form field a trip error belongs to.
var tripErrors = map[error][2]string{
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
		return tripHTTPError(err)
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
		return tripHTTPError(err)
	}
	form := tripForm{OdometerStart: c.FormValue("odometer_start"), OdometerEnd: c.FormValue("odometer_end"),
		Fuel: c.FormValue("fuel"), Remarks: c.FormValue("remarks")}
	in, errs := form.input()
	if len(errs) > 0 {
		return m.renderTripForm(c, sub, form, errs, fiber.StatusUnprocessableEntity)
	}
	t, err := m.svc.RecordTrip(c.UserContext(), web.ActorOf(c), id, in)
	for e, f := range tripErrors {
		if errors.Is(err, e) {
			errs := web.Errors{}
			errs.Add(f[0], f[1], "Km", sub.Resource.Odometer)
			return m.renderTripForm(c, sub, form, errs, fiber.StatusUnprocessableEntity)
		}
	}
	if err != nil {
		return tripHTTPError(err)
	}
	web.Success(c, "booking.trip_saved", "Km", t.Km)
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}

// tripHTTPError answers a booking that has no trip to log now with 409.
func tripHTTPError(err error) error {
	switch {
	case errors.Is(err, ErrNotACarTrip), errors.Is(err, ErrNotStarted), errors.Is(err, ErrTripLogged):
		return fiber.NewError(fiber.StatusConflict, err.Error())
	}
	return err
}

func (m *Module) renderTripForm(c *fiber.Ctx, sub *TripSubject, form tripForm, errs web.Errors, status int) error {
	if len(errs) > 0 {
		errs.Add("", "validation.summary")
	}
	return web.Render(c, "booking/trip_form", web.Page{
		Title: "booking.trip_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Booking": sub.Booking, "Car": sub.Resource},
	})
}
