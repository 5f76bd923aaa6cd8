package booking

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleBookingCancelConfirm asks before cancelling a booking: what, when,
// what goes with it and who is emailed. It changes nothing.
func (m *Module) handleBookingCancelConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	cn, err := m.svc.Cancellation(c.UserContext(), web.ActorOf(c), id, false)
	if errors.Is(err, ErrNotCancellable) {
		web.AddFlash(c, "error", web.T(c, "booking.error.not_cancellable"))
		return c.Redirect(web.NextOr(c, "/bookings/mine"), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	b, r := &cn.Booking, &cn.Resource
	details := m.cancelDetails(c, cn)
	if b.Status == StatusConfirmed {
		details = append(details, web.T(c, "booking.undo.offer", "Minutes", int(UndoWindow.Minutes())))
	}
	return web.RenderConfirm(c, web.Confirm{
		Title:    "booking.cancel_confirm.title",
		Question: web.T(c, "booking.cancel_confirm.question", "Resource", r.Name, "When", m.when(c, b)),
		Details:  details,
		Action:   "/bookings/" + web.FormatID(b.ID) + "/cancel",
		Button:   web.T(c, "booking.cancel_confirm.button"),
		Back:     "/bookings/mine",
	})
}

// when is a booking's time as the confirmation and the undo tell it.
func (m *Module) when(c *fiber.Ctx, b *Booking) string {
	tz := m.svc.tz
	return i18n.FormatTimeRangeIn(web.LangOf(c), b.StartAt, b.EndAt, tz, calendar.Today(tz).Year)
}

// cancelDetails are the lines that say what a cancellation does besides
// freeing the slot: the equipment going with it, the units told, a
// withdrawn approval request.
func (m *Module) cancelDetails(c *fiber.Ctx, cn *Cancellation) []string {
	var out []string
	if cn.Booking.Title != "" {
		out = append(out, web.T(c, "booking.cancel_confirm.titled", "Title", cn.Booking.Title))
	}
	if len(cn.Equipment) > 0 {
		out = append(out, web.T(c, "booking.cancel_confirm.equipment", "Items", cn.EquipmentText()))
	}
	if len(cn.Units) > 0 {
		names := make([]string, len(cn.Units))
		for i, u := range cn.Units {
			names[i] = web.T(c, "booking.admin.unit."+u)
		}
		out = append(out, web.T(c, "booking.cancel_confirm.units", "Units", strings.Join(names, ", ")))
	}
	if cn.Booking.Status == StatusHold {
		out = append(out, web.T(c, "booking.cancel_confirm.withdraw"))
	}
	if cn.Booking.PersonID != web.ViewerOf(c).ID {
		out = append(out, web.T(c, "booking.cancel_confirm.not_yours"))
	}
	return out
}

// handleBookingCancel cancels one of my bookings (or one my unit manages);
// a confirmed one's success message offers to undo it for UndoWindow.
func (m *Module) handleBookingCancel(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	next := web.NextOr(c, "/bookings/mine")
	b, err := m.svc.Cancel(c.UserContext(), web.ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotCancellable):
		web.AddFlash(c, "error", web.T(c, "booking.error.not_cancellable"))
	case err != nil:
		return err
	case wasConfirmed(b):
		web.SuccessUndo(c, "/bookings/"+web.FormatID(b.ID)+"/restore", "booking.cancelled_undo", "Minutes", int(UndoWindow.Minutes()))
	default:
		web.Success(c, "booking.cancelled")
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// wasConfirmed reports whether the booking Cancel returned had been
// confirmed, so it may be restored: a held request keeps its hold_until and
// was withdrawn from its approvers; it is asked for again instead.
func wasConfirmed(b *Booking) bool { return b.Status == StatusCancelled && b.HoldUntil == nil }

// handleBookingRestore undoes my cancellation while the slot is still free.
func (m *Module) handleBookingRestore(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	next := web.NextOr(c, "/bookings/mine")
	b, err := m.svc.Restore(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		if key, args, ok := undoRefusal(err); ok {
			web.AddFlash(c, "error", web.T(c, key, args...))
			return c.Redirect(next, fiber.StatusSeeOther)
		}
		return err
	}
	web.Success(c, "booking.undo.done", "When", m.when(c, b))
	return c.Redirect(next, fiber.StatusSeeOther)
}

// undoRefusal is the message for an undo the service refused, or false for
// an error that is not a refusal (it goes to the error page).
func undoRefusal(err error) (string, []any, bool) {
	var item *ItemError
	switch {
	case errors.As(err, &item):
		return "booking.undo.item_taken", []any{"Item", item.Name}, true
	case isTaken(err):
		return "booking.undo.taken", nil, true
	case errors.Is(err, ErrUndoExpired):
		return "booking.undo.expired", []any{"Minutes", int(UndoWindow.Minutes())}, true
	case errors.Is(err, ErrNotRestorable), errors.Is(err, ErrUnknownResource), errors.Is(err, ErrNotSeries):
		return "booking.undo.not_possible", nil, true
	}
	return "", nil, false
}
