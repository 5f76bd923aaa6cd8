package appointments

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// errKeys name the message of each service error in the citizen's language
// (locales/appointments.*.json): pages and forms show these, never the
// error's English text.
var errKeys = map[error]string{
	ErrUnknownType:   "appt.err.unknown_type",
	ErrNotOnline:     "appt.err.not_online",
	ErrUnknownOffice: "appt.err.unknown_office",
	ErrTooSoon:       "appt.err.too_soon",
	ErrTooLate:       "appt.err.too_late",
	ErrNotASlot:      "appt.err.not_a_slot",
	ErrTaken:         "appt.err.taken",
	ErrTooMany:       "appt.err.too_many",
	ErrName:          "appt.err.name",
	ErrEmail:         "appt.err.email",
	ErrPhone:         "appt.err.phone",
	ErrNoteTooLong:   "appt.err.note_too_long",
	ErrNotFound:      "appt.err.not_found",
	ErrForbidden:     "appt.err.forbidden",
	ErrNotActive:     "appt.err.not_active",
	ErrStarted:       "appt.err.started",
	ErrNotServed:     "appt.err.not_served",
	ErrRated:         "appt.err.rated",
	ErrRating:        "appt.err.rating",
	ErrReason:        "appt.err.reason",
	ErrBusy:          "appt.err.busy",
	ErrConsent:       "appt.err.privacy",
}

// errKey is the message key of a service error, "" for one that is not ours.
func errKey(err error) string {
	for e, k := range errKeys {
		if errors.Is(err, e) {
			return k
		}
	}
	return ""
}

// bookFields are the booking form's fields of the errors Validate and Book
// may return; the rest are about the whole form.
var bookFields = map[error]string{
	ErrName:        "name",
	ErrEmail:       "email",
	ErrPhone:       "phone",
	ErrNoteTooLong: "note",
	ErrTooMany:     "email",
	ErrConsent:     "privacy",
}

// bookTable places the booking's refusals (Validate joins several) through
// the form kit: what was typed on its field (bookFields), a problem with the
// chosen time above the form.
var bookTable = func() map[error]web.FieldMessage {
	t := map[error]web.FieldMessage{}
	for e, field := range bookFields {
		t[e] = web.FieldMessage{field, errKeys[e]}
	}
	for _, e := range []error{ErrTooSoon, ErrTooLate, ErrNotASlot, ErrTaken, ErrUnknownOffice, ErrNotOnline, ErrUnknownType, ErrBusy} {
		t[e] = web.FieldMessage{"", errKeys[e]}
	}
	return t
}()

// Form purposes and their ages: a booking form sent back within two
// seconds of being shown was filled in by a script; any form is stale after
// two hours (the page is simply shown again, with what was typed).
const (
	formBook   = "appt.book"
	formManage = "appt.manage"
	bookMinAge = 2 * time.Second
	formMaxAge = 2 * time.Hour
	// powWait is the proof of waiting when the proof of work is on
	// (KAPU_APPT_POW_BITS): a browser without JavaScript sends no nonce, and
	// its booking form is taken once it is this old. A person needs longer
	// to fill the form in; a script that skips the work waits as long per
	// form, which is the point.
	powWait = 20 * time.Second
)

// formTokenKey is the message of each refused form token.
func formTokenKey(err error) string {
	switch {
	case errors.Is(err, web.ErrFormTooFast):
		return "appt.err.form_too_fast"
	case errors.Is(err, web.ErrFormExpired):
		return "appt.err.form_expired"
	case errors.Is(err, web.ErrFormUsed):
		return "appt.err.form_used"
	case errors.Is(err, web.ErrFormWait):
		return "appt.err.form_wait"
	case errors.Is(err, web.ErrFormWork):
		return "appt.err.form_work"
	}
	return "appt.err.form_token"
}

// bookForm is what the citizen typed, shown again after an error.
type bookForm struct {
	Name, Email, Phone, Note string
	Privacy                  bool
}

func readBookForm(c *fiber.Ctx) bookForm {
	return bookForm{
		Name:    limit(c.FormValue("name"), 4*maxName),
		Email:   limit(c.FormValue("email"), 4*maxEmail),
		Phone:   limit(c.FormValue("phone"), 4*maxPhone),
		Note:    limit(c.FormValue("note"), 4*maxNote),
		Privacy: c.FormValue("privacy") == "yes",
	}
}

// limit cuts what comes back far beyond a field's limit, so a huge post is
// not echoed back whole; the service still refuses what is too long.
func limit(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// hhmm writes a local time as the path's "0930".
func hhmm(t time.Time, tz *time.Location) string { return t.In(tz).Format("1504") }

// clockOf writes a local time as "09:30".
func clockOf(t time.Time, tz *time.Location) string { return t.In(tz).Format("15:04") }

// clockRange is "08:50–09:00" that a narrow screen never breaks after the
// dash (a word joiner holds the two times together).
func clockRange(start, end time.Time, tz *time.Location) string {
	return clockOf(start, tz) + "–\u2060" + clockOf(end, tz)
}

// parseHHMM reads the path's "0930" on day d as an instant; ErrNotASlot for
// anything else, and for the hour DST skips.
func parseHHMM(d calendar.Date, s string, tz *time.Location) (time.Time, error) {
	if len(s) != 4 {
		return time.Time{}, ErrNotASlot
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return time.Time{}, ErrNotASlot
	}
	at, err := calendar.At(d, n/100, n%100, tz)
	if err != nil {
		return time.Time{}, ErrNotASlot
	}
	return at, nil
}

// dateParam is the path's :date; a page that does not exist otherwise.
func dateParam(c *fiber.Ctx) (calendar.Date, error) {
	d, err := calendar.ParseDate(c.Params("date"))
	if err != nil {
		return d, fiber.ErrNotFound
	}
	return d, nil
}

// monthParam is ?month=YYYY-MM, or the month of def.
func monthParam(c *fiber.Ctx, def calendar.Date) calendar.Date {
	m := c.Query("month")
	if d, err := calendar.ParseDate(m + "-01"); err == nil && len(m) == 7 {
		return d
	}
	return calendar.NewDate(def.Year, def.Month, 1)
}

func monthString(d calendar.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// statusOf is the HTTP status of a service error on a public page.
func statusOf(err error) int {
	switch errs.KindOf(err) {
	case errs.NotFound:
		return fiber.StatusNotFound
	case errs.Forbidden:
		return fiber.StatusForbidden
	case errs.Conflict:
		return fiber.StatusConflict
	}
	return fiber.StatusUnprocessableEntity
}

// trimToken keeps a path's token printable and short before it is looked up.
func trimToken(s string) string {
	if len(s) > 100 || strings.ContainsAny(s, " /?#") {
		return ""
	}
	return s
}

// dateIn is the local day of an instant.
func dateIn(t time.Time, s *Service) calendar.Date { return calendar.DateOf(t, s.tz) }
