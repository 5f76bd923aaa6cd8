package booking

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// seriesInput reads the repeat part of the room booking form on top of the
// booking in already read; each unreadable field gets its message.
func (f bookingForm) seriesInput(in BookingInput) (SeriesInput, web.Errors) {
	errs := web.Errors{}
	out := SeriesInput{BookingInput: in, From: f.From, To: f.To, Rule: f.Repeat}
	out.First, _ = calendar.ParseDate(f.Day)
	switch f.Repeat {
	case RepeatDaily, RepeatWeekly, RepeatMonthly:
	default:
		errs.Add("repeat", "validation.choice")
	}
	out.Until = calendar.ParseOptionalDateField(f.Until, "until", errs)
	if n := strings.TrimSpace(f.Count); n != "" {
		c, err := strconv.Atoi(n)
		switch {
		case err != nil || c < 1:
			errs.Add("count", "booking.series.error_count")
		case c > MaxOccurrences:
			errs.Add("count", "booking.series.error_too_many", "Max", MaxOccurrences)
		}
		out.Count = c
	}
	if len(errs) == 0 && out.Until.IsZero() && out.Count == 0 {
		errs.Add("count", "booking.series.error_end")
	}
	return out, errs
}

// seriesFormErrors turns the series' own errors into form messages, then
// whatever a single booking could answer.
func seriesFormErrors(c *fiber.Ctx, err error) (web.Errors, bool) {
	errs := web.Errors{}
	switch {
	case errors.Is(err, ErrBadRepeat):
		errs.Add("repeat", "validation.choice")
	case errors.Is(err, ErrRepeatEnd):
		errs.Add("count", "booking.series.error_end")
	case errors.Is(err, ErrUntilBeforeStart):
		errs.Add("until", "booking.series.error_until")
	case errors.Is(err, ErrTooManyOccurrences):
		errs.Add("count", "booking.series.error_too_many", "Max", MaxOccurrences)
	case errors.Is(err, ErrTaken): // the room is being booked right now (ErrBusy)
		errs.Add("from", "booking.error.taken")
	default:
		return formErrors(c, err)
	}
	return errs, true
}

// repeatOptions are the choices of the form's repeat select; empty is a single booking.
func repeatOptions(c *fiber.Ctx) []web.Option {
	out := []web.Option{{Value: "", Label: web.T(c, "booking.series.repeat_none")}}
	for _, r := range []string{RepeatDaily, RepeatWeekly, RepeatMonthly} {
		out = append(out, web.Option{Value: r, Label: web.T(c, "booking.series.repeat_"+r)})
	}
	return out
}

// hiddenField is one value the preview posts back unchanged.
type hiddenField struct{ Name, Value string }

// hidden lists the form's values for the preview's confirm and back buttons.
func (f bookingForm) hidden() []hiddenField {
	out := []hiddenField{{"resource", f.Resource}, {"day", f.Day}, {"from", f.From}, {"to", f.To}, {"title", f.Title},
		{"attendees", f.Attendees}, {"repeat", f.Repeat}, {"until", f.Until}, {"count", f.Count}}
	if f.Private {
		out = append(out, hiddenField{"private", "on"})
	}
	names := make([]string, 0, len(f.Equipment))
	for name := range f.Equipment {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, hiddenField{name, f.Equipment[name]})
	}
	return out
}

// PreviewDay is one line of the series preview.
type PreviewDay struct {
	Day    calendar.Date
	From   string
	To     string
	Free   bool
	Reason string // translated
}

// previewDays writes the dates for the preview page in the page's language.
func previewDays(c *fiber.Ctx, days []SeriesDay, tz *time.Location) ([]PreviewDay, int) {
	out := make([]PreviewDay, len(days))
	free := 0
	for i, d := range days {
		p := PreviewDay{Day: d.Day, Free: d.Free()}
		if !d.Start.IsZero() {
			p.From, p.To = clock(d.Start, tz), clock(d.End, tz)
		}
		if p.Free {
			free++
			p.Reason = web.T(c, "booking.series.reason.free")
		} else {
			p.Reason = reasonText(c, d)
		}
		out[i] = p
	}
	return out, free
}

// reasonText says why a date of a series is not free; a day off's item is
// the translation key of the holiday (or "weekend").
func reasonText(c *fiber.Ctx, d SeriesDay) string {
	item := d.Item
	if d.Reason == ReasonDayOff {
		item = web.T(c, item)
	}
	return web.T(c, "booking.series.reason."+d.Reason, "Item", item)
}

// skippedText lists the dates that were not booked or moved, for a flash.
func skippedText(c *fiber.Ctx, days []SeriesDay) string {
	var parts []string
	for _, d := range days {
		if d.Free() {
			continue
		}
		parts = append(parts, web.Date(c, d.Day)+" ("+reasonText(c, d)+")")
	}
	return strings.Join(parts, ", ")
}
