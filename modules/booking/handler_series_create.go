package booking

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// createSeries answers the room booking form when it repeats: first a
// preview of every date, then, on confirm, the free dates booked. The confirm
// posts the same values again and everything is checked again.
func (m *Module) createSeries(c *fiber.Ctx, form bookingForm) error {
	if c.FormValue("back") != "" {
		return m.renderBookingForm(c, form, nil, nil, fiber.StatusOK)
	}
	in, errs := form.input(m.svc.tz)
	sin, serrs := form.seriesInput(in)
	for k, v := range serrs {
		errs[k] = v
	}
	if len(errs) > 0 {
		return m.renderBookingForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	if c.FormValue("confirm") == "" {
		days, err := m.svc.PreviewSeries(ctx, a, sin)
		if errs, ok := seriesFormErrors(c, err); ok {
			return m.renderBookingForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
		}
		if err != nil {
			return err
		}
		return m.renderSeriesPreview(c, form, days, nil, fiber.StatusOK)
	}
	_, days, err := m.svc.BookSeries(ctx, a, sin)
	if errors.Is(err, ErrNothingFree) {
		errs := web.Errors{}
		errs.Add("", "booking.series.nothing_free")
		return m.renderSeriesPreview(c, form, days, errs, fiber.StatusUnprocessableEntity)
	}
	if errs, ok := seriesFormErrors(c, err); ok {
		return m.renderBookingForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	booked := 0
	for _, d := range days {
		if d.Free() {
			booked++
		}
	}
	web.Success(c, "booking.series.booked", "Count", booked)
	if booked < len(days) {
		web.AddFlash(c, "error", web.T(c, "booking.series.skipped", "Dates", skippedText(c, days)))
	}
	return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
}

// renderSeriesPreview shows each date of the series, free or why not, with
// the buttons that book the free ones or go back to the form.
func (m *Module) renderSeriesPreview(c *fiber.Ctx, form bookingForm, days []SeriesDay, errs web.Errors, status int) error {
	list, free := previewDays(c, days, m.svc.tz)
	rooms, err := m.svc.Resources(c.UserContext(), KindRoom)
	if err != nil {
		return err
	}
	room := ""
	if r := chosenRoom(rooms, form.Resource); r != nil {
		room = r.Name
	}
	return web.RenderForm(c, "booking/series_preview", web.Page{
		Title: "booking.series.preview_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Days": list, "Free": free, "Total": len(list), "Room": room, "Hidden": form.hidden()},
	})
}
