package leave

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// requestForm is the request form as typed, so it comes back unchanged.
type requestForm struct {
	TypeID, Start, End string
	StartHalf, EndHalf bool
	Comment            string
	PastOK             bool // "send it anyway" under the past-start warning
}

func parseRequestForm(c *fiber.Ctx) requestForm {
	return requestForm{
		TypeID: c.FormValue("type_id"), Start: c.FormValue("start"), End: c.FormValue("end"),
		StartHalf: c.FormValue("start_half") == "on", EndHalf: c.FormValue("end_half") == "on",
		Comment: c.FormValue("comment"), PastOK: c.FormValue("past_ok") == "on",
	}
}

// input converts the typed form; each unreadable field gets its message.
func (f requestForm) input() (RequestInput, web.Errors) {
	errs := web.Errors{}
	in := RequestInput{StartHalf: f.StartHalf, EndHalf: f.EndHalf, Comment: f.Comment, PastConfirmed: f.PastOK}
	in.TypeID = web.ParseID(f.TypeID, "type_id", errs)
	in.Start = calendar.ParseDateField(f.Start, "start", errs)
	in.End = in.Start // a one-day request may leave the last day empty
	if f.End != "" {
		in.End = calendar.ParseDateField(f.End, "end", errs)
	}
	return in, errs
}

// fieldOf names the form field a service error belongs to, with its message.
var fieldOf = map[error]web.FieldMessage{
	ErrOverlap:             {"start", "leave.error.overlap"},
	ErrInsufficientBalance: {"", "leave.error.balance"},
	ErrNoWorkdays:          {"start", "leave.error.no_workdays"},
	ErrReversed:            {"end", "leave.error.reversed"},
	ErrOutsideWindow:       {"start", "leave.error.window"},
	ErrUnknownType:         {"type_id", "validation.choice"},
	ErrHalfDays:            {"start_half", "leave.error.half_days"},
	ErrTooLong:             {"end", "leave.error.too_long"},
	ErrPastStart:           {"start", "leave.error.past_start"},
}

// formErrors turns a service error into form messages, or reports that it is not one.
func formErrors(err error) (web.Errors, bool) {
	return web.FieldErrors(err, fieldOf)
}

// halfDays writes half days as days for templates ("2,5").
func halfDays(h int) float64 { return float64(h) / 2 }
