package web

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/errs"
)

// The standard messages of the form kit. A form re-rendered with errors gets
// MsgSummary above it (partials/form_errors) unless it has its own message
// for the whole form.
const (
	MsgSummary  = "validation.summary"
	MsgRequired = "validation.required"
	MsgChoice   = "validation.choice"
	MsgDate     = "validation.date"
	MsgTime     = "validation.time"
	MsgNumber   = "validation.number"
	MsgRange    = "validation.range"    // Min, Max
	MsgAtLeast  = "validation.at_least" // Min
	MsgQuantity = "validation.quantity" // Min, Max
)

// Has reports whether field has a message.
func (e Errors) Has(field string) bool {
	_, ok := e[field]
	return ok
}

// Any reports whether the form has any message.
func (e Errors) Any() bool { return len(e) > 0 }

// AddOnce records the message for field unless the field has one already, so
// the first problem found is the one shown.
func (e Errors) AddOnce(field, key string, args ...any) {
	if !e.Has(field) {
		e.Add(field, key, args...)
	}
}

// RenderForm renders a form page. With errors it adds the summary (unless
// the page has its own message for the whole form) and answers 422, or the
// status the page already carries.
func RenderForm(c *fiber.Ctx, name string, p Page) error {
	if p.Errors.Any() {
		p.Errors.AddOnce("", MsgSummary)
		if p.Status == 0 {
			p.Status = fiber.StatusUnprocessableEntity
		}
	}
	return Render(c, name, p)
}

// FormatID writes a record's id for a URL, a form value or a reference.
func FormatID(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// ID reads a record's id; ok is false for anything but a positive number.
func ID(s string) (id uint, ok bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return 0, false
	}
	return uint(n), true
}

// IDParam reads the :id route parameter (or the named one); anything but a
// positive number is a page that does not exist.
func IDParam(c *fiber.Ctx, name ...string) (uint, error) {
	key := "id"
	if len(name) > 0 {
		key = name[0]
	}
	id, ok := ID(c.Params(key))
	if !ok {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// ParseID reads a required choice of a record (a select's value); anything
// but a positive number is a tampered form.
func ParseID(s, field string, errs Errors) uint {
	id, ok := ID(s)
	if !ok {
		errs.Add(field, MsgChoice)
	}
	return id
}

// ParseOptionalID is ParseID for a choice that may be left empty (nil).
func ParseOptionalID(s, field string, errs Errors) *uint {
	if s == "" {
		return nil
	}
	id, ok := ID(s)
	if !ok {
		errs.Add(field, MsgChoice)
		return nil
	}
	return &id
}

// Required returns s trimmed, with MsgRequired when nothing is left.
func Required(s, field string, errs Errors) string {
	s = strings.TrimSpace(s)
	if s == "" {
		errs.Add(field, MsgRequired)
	}
	return s
}

// ParseInt reads a whole number from min to max (math.MaxInt: no upper
// bound). An empty field is 0 and no error (a number left out); make it
// Required first when it may not be.
func ParseInt(s, field string, min, max int, errs Errors) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		errs.Add(field, MsgNumber)
	case (n < min || n > max) && max == math.MaxInt:
		errs.Add(field, MsgAtLeast, "Min", min)
	case n < min || n > max:
		errs.Add(field, MsgRange, "Min", min, "Max", max)
	}
	return n
}

// ParseQuantity reads an amount as people type it, with a decimal comma or
// point ("32,5"), from min to max. An empty field is 0 and no error.
func ParseQuantity(s, field string, min, max float64, errs Errors) float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < min || f > max {
		errs.Add(field, MsgQuantity, "Min", min, "Max", max)
		return 0
	}
	return f
}

// ParseTime reads a wall time "HH:MM" from 00:00 to 23:59 as minutes after midnight.
func ParseTime(s, field string, errs Errors) int { return parseClock(s, field, false, errs) }

// ParseEndTime is ParseTime for the end of a span, which may also be 24:00.
func ParseEndTime(s, field string, errs Errors) int { return parseClock(s, field, true, errs) }

func parseClock(s, field string, end bool, errs Errors) int {
	s = strings.TrimSpace(s)
	if end && s == "24:00" {
		return 24 * 60
	}
	if len(s) == 5 && s[2] == ':' {
		h, err1 := strconv.Atoi(s[:2])
		m, err2 := strconv.Atoi(s[3:])
		if err1 == nil && err2 == nil && h >= 0 && h <= 23 && m >= 0 && m <= 59 {
			return h*60 + m
		}
	}
	errs.Add(field, MsgTime)
	return 0
}

// FieldMessage is {form field, message key} for a service error; the field is
// "" for a message about the whole form.
type FieldMessage [2]string

// FieldErrors looks a service error up in a module's table (its rules, so it
// keeps its own), with args for the messages; ok is false when the error is
// not about the form. Every problem of an errors.Join goes on its field.
func FieldErrors(err error, table map[error]FieldMessage, args ...any) (Errors, bool) {
	errs := Errors{}
	if !errs.AddFieldErrors(err, table, args...) {
		return nil, false
	}
	return errs, true
}

// AddFieldErrors is FieldErrors into a form's errors found so far: each
// problem of err goes on its field unless the field has a message already,
// a *FieldError on the field it names, any other as the table says. It
// reports whether any was placed.
func (e Errors) AddFieldErrors(err error, table map[error]FieldMessage, args ...any) bool {
	found := false
	for _, one := range joinedErrors(err) {
		var fe *FieldError
		if errors.As(one, &fe) {
			e.AddOnce(fe.Field, fe.Key, fe.Args...)
			found = true
			continue
		}
		for k, m := range table {
			if errors.Is(one, k) {
				e.AddOnce(m[0], m[1], args...)
				found = true
				break
			}
		}
	}
	return found
}

// joinedErrors are the errors an errors.Join holds, also under wrapping
// (fmt.Errorf("book: %w", joined)), in their order; else err alone.
func joinedErrors(err error) []error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			return j.Unwrap()
		}
	}
	return []error{err}
}

// FieldError is a service's refusal of one form field, for checks whose
// message names the field's own limits (a length, a range of minutes): a
// table would need an error for each field. A service joins them
// (errors.Join) so the form shows every problem at once, and the form kit
// places each on its field without a table entry. It is an errs.Invalid, a
// 422 where no form shows it.
type FieldError struct {
	Field, Key string
	Args       []any
}

// NewFieldError refuses field with the message key and its args.
func NewFieldError(field, key string, args ...any) error {
	return &FieldError{Field: field, Key: key, Args: args}
}

func (e *FieldError) Error() string { return "invalid " + e.Field + ": " + e.Key }

// Is makes a FieldError an errs.Invalid.
func (e *FieldError) Is(target error) bool { return target == errs.Invalid }

// ValidText is free text of at most max characters: valid UTF-8, line breaks
// and tabs allowed, no other control characters (a NUL would make PostgreSQL
// refuse the row, and the others have no place in a name or a note). The
// services check what they store with it, whichever path it came by.
func ValidText(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}
