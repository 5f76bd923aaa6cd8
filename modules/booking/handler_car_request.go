package booking

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleCarNew shows the car request form, filled from the query (the
// "already booked" suggestions link back here).
func (m *Module) handleCarNew(c *fiber.Ctx) error {
	form := carForm{Car: c.Query("car"), StartDay: c.Query("start_day"), StartTime: c.Query("start_time"),
		EndDay: c.Query("end_day"), EndTime: c.Query("end_time")}
	if form.StartDay == "" {
		form.StartDay = calendar.Today(m.svc.tz).AddDays(1).String()
	}
	if form.StartTime == "" {
		form.StartTime = "08:00"
	}
	if form.EndTime == "" {
		form.EndTime = "16:00"
	}
	return m.renderCarForm(c, form, nil, nil, fiber.StatusOK)
}

// handleCarCreate holds the car and sends the request for approval, or shows
// the form again with what went wrong.
func (m *Module) handleCarCreate(c *fiber.Ctx) error {
	form := carForm{
		Car: c.FormValue("car"), StartDay: c.FormValue("start_day"), StartTime: c.FormValue("start_time"),
		EndDay: c.FormValue("end_day"), EndTime: c.FormValue("end_time"), Destination: c.FormValue("destination"),
		Purpose: c.FormValue("purpose"), Passengers: c.FormValue("passengers"),
	}
	in, errs := form.input(m.svc.tz)
	problems, err := m.svc.CheckCarRequest(c.UserContext(), in)
	if err != nil {
		return err
	}
	carProblems(c, problems, errs) // every field's message at once
	if len(errs) > 0 {
		return m.renderCarForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	b, err := m.svc.RequestCarApproval(c.UserContext(), web.ActorOf(c), in)
	if errors.Is(err, ErrTaken) {
		free, ferr := m.svc.NextFree(c.UserContext(), in.ResourceID, in.Start, in.End.Sub(in.Start), suggestions)
		if ferr != nil {
			return ferr
		}
		errs := web.Errors{}
		errs.Add("start_time", "booking.error.taken")
		return m.renderCarForm(c, form, errs, m.carFreeLinks(in, free), fiber.StatusUnprocessableEntity)
	}
	if errs, ok := carFormErrors(c, err); ok {
		return m.renderCarForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "booking.car_requested", "Until", i18n.FormatDateTime(web.LangOf(c), *b.HoldUntil, m.svc.tz))
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}

// carFreeLinks turns NextFree's start times into car form links of the same length.
func (m *Module) carFreeLinks(in BookingInput, free []time.Time) []FreeSlot {
	d := in.End.Sub(in.Start)
	out := make([]FreeSlot, 0, len(free))
	for _, t := range free {
		end := t.Add(d)
		s := FreeSlot{Start: t, From: clock(t, m.svc.tz), To: clock(end, m.svc.tz)}
		s.URL = "/bookings/cars/new?car=" + web.FormatID(in.ResourceID) +
			"&start_day=" + dateIn(t, m.svc.tz).String() + "&start_time=" + s.From +
			"&end_day=" + dateIn(end, m.svc.tz).String() + "&end_time=" + s.To
		out = append(out, s)
	}
	return out
}

func (m *Module) renderCarForm(c *fiber.Ctx, form carForm, errs web.Errors, free []FreeSlot, status int) error {
	cars, err := m.svc.Resources(c.UserContext(), KindCar)
	if err != nil {
		return err
	}
	if form.Car == "" && len(cars) > 0 {
		form.Car = web.FormatID(cars[0].ID)
	}
	opts := make([]web.Option, len(cars))
	for i, r := range cars {
		opts[i] = web.Option{Value: web.FormatID(r.ID),
			Label: web.T(c, "booking.car_option", "Name", r.Name, "Plate", r.Plate, "Seats", r.Seats)}
	}
	// Fleet sees the trip logs of the cars from here.
	var fleet []Resource
	if v := web.ViewerOf(c); v != nil && v.Has(actor.Fleet) {
		fleet = cars
	}
	return web.RenderForm(c, "booking/car_form", web.Page{
		Title: "booking.car_new_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Cars": opts, "Free": free, "Fleet": fleet},
	})
}
