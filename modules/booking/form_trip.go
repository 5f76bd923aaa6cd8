package booking

import (
	"math"
	"strings"

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
