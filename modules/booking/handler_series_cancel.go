package booking

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleSeriesCancelConfirm asks before cancelling an occurrence and the rest
// of its series, listing the dates. It changes nothing.
func (m *Module) handleSeriesCancelConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	cn, err := m.svc.Cancellation(c.UserContext(), web.ActorOf(c), id, true)
	if errors.Is(err, ErrNotCancellable) || errors.Is(err, ErrNotSeries) {
		web.AddFlash(c, "error", web.T(c, "booking.error.not_cancellable"))
		return c.Redirect(web.NextOr(c, "/bookings/mine"), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	b := &cn.Booking
	details := []string{web.T(c, "booking.series.cancel_confirm.dates", "Dates", m.dates(c, cn.Following))}
	details = append(details, m.cancelDetails(c, cn)...)
	details = append(details, web.T(c, "booking.undo.offer", "Minutes", int(UndoWindow.Minutes())))
	return web.RenderConfirm(c, web.Confirm{
		Title: "booking.series.cancel_confirm.title",
		Question: web.T(c, "booking.series.cancel_confirm.question", "Count", len(cn.Following), "Resource", cn.Resource.Name,
			"From", clock(b.StartAt, m.svc.tz), "To", clock(b.EndAt, m.svc.tz)),
		Details: details,
		Action:  "/bookings/" + web.FormatID(b.ID) + "/cancel-following",
		Button:  web.T(c, "booking.series.cancel_confirm.button", "Count", len(cn.Following)),
		Back:    "/bookings/mine",
	})
}

// dates writes a series' days in the viewer's language.
func (m *Module) dates(c *fiber.Ctx, days []SeriesDay) string {
	lang := web.LangOf(c)
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = i18n.FormatDate(lang, d.Day.Year, d.Day.Month, d.Day.Day)
	}
	return strings.Join(out, ", ")
}

// handleSeriesCancelFollowing cancels an occurrence and the rest of its
// series; the message offers to undo it for UndoWindow.
func (m *Module) handleSeriesCancelFollowing(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	next := web.NextOr(c, "/bookings/mine")
	days, err := m.svc.CancelFollowing(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable) || errors.Is(err, ErrNotSeries):
		web.AddFlash(c, "error", web.T(c, "booking.error.not_cancellable"))
	case err != nil:
		return err
	default:
		web.SuccessUndo(c, "/bookings/"+web.FormatID(id)+"/restore-following", "booking.series.cancelled_following_undo",
			"Count", len(days), "Minutes", int(UndoWindow.Minutes()))
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// handleSeriesRestoreFollowing undoes my "cancel this and all following":
// the dates still free come back, the message names those taken meanwhile.
func (m *Module) handleSeriesRestoreFollowing(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	next := web.NextOr(c, "/bookings/mine")
	restored, taken, err := m.svc.RestoreFollowing(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		if key, args, ok := undoRefusal(err); ok {
			web.AddFlash(c, "error", web.T(c, key, args...))
			return c.Redirect(next, fiber.StatusSeeOther)
		}
		return err
	}
	if len(restored) > 0 {
		web.Success(c, "booking.series.undo_done", "Count", len(restored))
	}
	if len(taken) > 0 {
		web.AddFlash(c, "error", web.T(c, "booking.series.undo_taken", "Count", len(taken), "Dates", m.dates(c, taken)))
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
