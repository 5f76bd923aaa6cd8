package booking

import (
	"errors"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// resourceForm is the resource admin form as typed, so it comes back unchanged.
type resourceForm struct {
	Kind, Name, Location, Seats, Features, OpenFrom, OpenTo, Buffer string
	NeedsApproval, CheckIn, Active                                  bool
	Unit, Quantity, Tag, Plate, CarModel, Fuel, Odometer            string
}

func parseResourceForm(c *fiber.Ctx, kind string) resourceForm {
	return resourceForm{
		Kind: kind, Name: c.FormValue("name"), Location: c.FormValue("location"), Seats: c.FormValue("seats"),
		Features: c.FormValue("features"), OpenFrom: c.FormValue("open_from"), OpenTo: c.FormValue("open_to"),
		Buffer: c.FormValue("buffer"), NeedsApproval: c.FormValue("needs_approval") != "",
		CheckIn: c.FormValue("check_in") != "", Active: c.FormValue("active") != "",
		Unit: c.FormValue("unit"), Quantity: c.FormValue("quantity"), Tag: c.FormValue("tag"),
		Plate: c.FormValue("plate"), CarModel: c.FormValue("car_model"), Fuel: c.FormValue("fuel"),
		Odometer: c.FormValue("odometer"),
	}
}

// formOf fills the form from a stored resource.
func formOf(r *Resource) resourceForm {
	f := resourceForm{
		Kind: r.Kind, Name: r.Name, Location: r.Location, Seats: strconv.Itoa(r.Seats), Features: r.Features,
		OpenFrom: minutes(r.OpenFrom), OpenTo: minutes(r.openTo()), Buffer: strconv.Itoa(r.BufferMinutes),
		NeedsApproval: r.NeedsApproval, CheckIn: r.CheckIn, Active: r.Active, Unit: r.Unit,
		Quantity: strconv.Itoa(r.Quantity), Tag: r.Tag, Plate: r.Plate, CarModel: r.CarModel, Fuel: r.Fuel,
		Odometer: strconv.Itoa(r.Odometer),
	}
	if f.OpenTo == "24:00" && r.OpenFrom == 0 && r.Kind == KindRoom {
		f.OpenFrom = "00:00"
	}
	return f
}

// newResourceForm is an empty form with the usual defaults of the kind.
func newResourceForm(kind string) resourceForm {
	f := resourceForm{Kind: kind, Active: true, Seats: "", Quantity: "1", Buffer: "0", OpenFrom: "08:00", OpenTo: "18:00", Odometer: "0"}
	if kind == KindEquipment {
		f.Unit = UnitFacilities
	}
	return f
}

// input reads the typed numbers and times; each unreadable one gets its message.
func (f resourceForm) input() (ResourceInput, web.Errors) {
	errs := web.Errors{}
	in := ResourceInput{
		Name: f.Name, Location: f.Location, Features: f.Features, NeedsApproval: f.NeedsApproval, CheckIn: f.CheckIn,
		Active: f.Active, Unit: f.Unit, Tag: f.Tag, Plate: f.Plate, CarModel: f.CarModel, Fuel: f.Fuel,
	}
	// The service checks the ranges, with messages that name the kind's limits.
	num := func(field, v string) int { return web.ParseInt(v, field, math.MinInt, math.MaxInt, errs) }
	switch f.Kind {
	case KindRoom:
		in.Seats = num("seats", f.Seats)
		in.BufferMinutes = num("buffer", f.Buffer)
		in.OpenFrom = web.ParseTime(f.OpenFrom, "open_from", errs)
		in.OpenTo = web.ParseEndTime(f.OpenTo, "open_to", errs)
	case KindEquipment:
		in.Quantity = num("quantity", f.Quantity)
	case KindCar:
		in.Seats = num("seats", f.Seats)
		in.Odometer = num("odometer", f.Odometer)
	}
	return in, errs
}

// resourceFormErrors turns the service's refusals into messages next to the
// fields; ok is false for errors that are not about the form.
func (m *Module) resourceFormErrors(c *fiber.Ctx, err error) (web.Errors, bool) {
	var fields ResourceErrors
	var qty *QuantityError
	switch {
	case errors.As(err, &fields):
		errs := web.Errors{}
		for _, f := range fields {
			errs.AddOnce(f.Field, f.Key, f.Args...)
		}
		return errs, true
	case errors.As(err, &qty):
		errs := web.Errors{}
		errs.Add("quantity", "booking.admin.error.quantity_booked", "Used", qty.Used,
			"When", i18n.FormatDateTime(web.LangOf(c), qty.At, m.svc.tz))
		return errs, true
	}
	return nil, false
}
