package booking

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// Edit scopes of an occurrence of a series.
const (
	scopeOne       = "one"
	scopeFollowing = "following"
)

// editForm is the change form as typed: a room's or a car's fields, and for
// an occurrence of a series whether the change goes to the later ones too.
type editForm struct {
	Day, From, To, Title, Attendees                                        string
	Equipment                                                              map[string]string
	StartDay, StartTime, EndDay, EndTime, Destination, Purpose, Passengers string
	Scope                                                                  string
}

func parseEditForm(c *fiber.Ctx) editForm {
	b := parseBookingForm(c)
	return editForm{
		Day: b.Day, From: b.From, To: b.To, Title: b.Title, Attendees: b.Attendees, Equipment: b.Equipment,
		StartDay: c.FormValue("start_day"), StartTime: c.FormValue("start_time"), EndDay: c.FormValue("end_day"),
		EndTime: c.FormValue("end_time"), Destination: c.FormValue("destination"), Purpose: c.FormValue("purpose"),
		Passengers: c.FormValue("passengers"), Scope: c.FormValue("scope"),
	}
}

// input reads the form for booking b of resource r.
func (f editForm) input(r *Resource, m *Module) (ChangeInput, web.Errors) {
	if r.Kind == KindCar {
		in, errs := carForm{Car: itoa(r.ID), StartDay: f.StartDay, StartTime: f.StartTime, EndDay: f.EndDay, EndTime: f.EndTime,
			Destination: f.Destination, Purpose: f.Purpose, Passengers: f.Passengers}.input(m.svc.tz)
		return ChangeInput{Start: in.Start, End: in.End, Destination: in.Destination, Purpose: in.Purpose, Passengers: in.Passengers}, errs
	}
	in, errs := bookingForm{Resource: itoa(r.ID), Day: f.Day, From: f.From, To: f.To, Title: f.Title, Attendees: f.Attendees,
		Equipment: f.Equipment}.input(m.svc.tz)
	return ChangeInput{Start: in.Start, End: in.End, Title: in.Title, Attendees: in.Attendees, Equipment: in.Equipment,
		Following: f.Scope == scopeFollowing}, errs
}

// handleBookingEdit shows the change form of one of my bookings (or one my
// unit manages), filled with the booking; ?day=&from=&to= (the "just taken"
// suggestions) override its times.
func (m *Module) handleBookingEdit(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	b, r, eq, err := m.svc.Editable(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	if r.Kind != KindRoom && r.Kind != KindCar {
		return fiber.ErrNotFound
	}
	if !b.Active() {
		web.AddFlash(c, "error", web.T(c, "booking.series.error_not_changeable"))
		return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
	}
	tz := m.svc.tz
	f := editForm{
		Day: dateIn(b.StartAt, tz).String(), From: clock(b.StartAt, tz), To: clock(b.EndAt, tz), Title: b.Title,
		Attendees: strconv.Itoa(b.Attendees), Equipment: map[string]string{},
		StartDay: dateIn(b.StartAt, tz).String(), StartTime: clock(b.StartAt, tz), EndDay: dateIn(b.EndAt, tz).String(),
		EndTime: clock(b.EndAt, tz), Destination: b.Destination, Purpose: b.Purpose, Passengers: strconv.Itoa(b.Passengers),
		Scope: scopeOne,
	}
	if r.Kind == KindRoom {
		f.To = endClock(b.StartAt, b.EndAt, tz)
	}
	for _, e := range eq {
		f.Equipment[eqPrefix+itoa(e.ResourceID)] = strconv.Itoa(e.Quantity)
	}
	if d := c.Query("day"); d != "" {
		f.Day, f.From, f.To = d, c.Query("from"), c.Query("to")
	}
	return m.renderBookingEdit(c, b, r, f, nil, nil, fiber.StatusOK)
}

// handleBookingUpdate changes the booking, or shows the form again with what went wrong.
func (m *Module) handleBookingUpdate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	b, r, _, err := m.svc.Editable(ctx, a, id)
	if err != nil {
		return err
	}
	f := parseEditForm(c)
	in, errs := f.input(r, m)
	if len(errs) > 0 {
		return m.renderBookingEdit(c, b, r, f, errs, nil, fiber.StatusUnprocessableEntity)
	}
	res, err := m.svc.Change(ctx, a, id, in)
	var item *ItemError
	switch {
	case errors.Is(err, ErrNotChangeable):
		web.AddFlash(c, "error", web.T(c, "booking.series.error_not_changeable"))
		return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
	case errors.Is(err, ErrTaken) && !errors.As(err, &item):
		free, ferr := m.svc.NextFree(ctx, r.ID, in.Start, in.End.Sub(in.Start), suggestions)
		if ferr != nil {
			return ferr
		}
		errs := web.Errors{}
		errs.Add("from", "booking.error.taken")
		links := m.freeLinks(BookingInput{ResourceID: r.ID, Start: in.Start, End: in.End}, free)
		for i := range links {
			links[i].URL = fmt.Sprintf("/bookings/%d/edit?day=%s&from=%s&to=%s", id, dateIn(links[i].Start, m.svc.tz), links[i].From, links[i].To)
		}
		return m.renderBookingEdit(c, b, r, f, errs, links, fiber.StatusUnprocessableEntity)
	case errors.Is(err, ErrCarTimeChange):
		errs := web.Errors{}
		errs.Add("start_time", "booking.series.error_car_time")
		return m.renderBookingEdit(c, b, r, f, errs, nil, fiber.StatusUnprocessableEntity)
	}
	messages := formErrors
	if r.Kind == KindCar { // the car's own fields and words
		messages = carFormErrors
	}
	if errs, ok := messages(c, err); ok {
		return m.renderBookingEdit(c, b, r, f, errs, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if len(res.Moved) > 0 || len(res.Skipped) > 0 {
		web.Success(c, "booking.series.changed_following", "Count", len(res.Moved)+1)
	} else {
		web.Success(c, "booking.series.changed")
	}
	if len(res.Skipped) > 0 {
		web.AddFlash(c, "error", web.T(c, "booking.series.not_moved", "Dates", skippedText(c, res.Skipped)))
	}
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}

func (m *Module) renderBookingEdit(c *fiber.Ctx, b *Booking, r *Resource, f editForm, errs web.Errors, free []FreeSlot, status int) error {
	data := fiber.Map{"ID": b.ID, "Resource": r.Name, "Car": r.Kind == KindCar, "Series": b.SeriesID != nil, "Free": free}
	if r.Kind == KindCar {
		data["Resource"] = r.Name + " (" + r.Plate + ")"
	} else {
		equipment, err := m.svc.Resources(c.UserContext(), KindEquipment)
		if err != nil {
			return err
		}
		data["Equipment"] = equipmentFields(bookingForm{Equipment: f.Equipment}, equipment, errs)
	}
	if strings.TrimSpace(f.Scope) == "" {
		f.Scope = scopeOne
	}
	return web.RenderForm(c, "booking/booking_edit", web.Page{Title: "booking.series.edit_title", Form: f, Errors: errs, Status: status, Data: data})
}
