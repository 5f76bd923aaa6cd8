package warehouse

import (
	"errors"
	"strconv"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// lineField is a request form's field name of line n ("line_3_qty").
func lineField(n int, part string) string { return "line_" + strconv.Itoa(n) + "_" + part }

// lineErrorPart is the field of a line a service error belongs to; the
// decision form says "reason" where the request form says "text".
func lineErrorPart(err error, decide bool) string {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrInactive), errors.Is(err, ErrDuplicateItem):
		return "item"
	case errors.Is(err, ErrUnit):
		return "unit"
	case errors.Is(err, ErrPrice):
		return "price"
	case errors.Is(err, ErrLessReason):
		return "reason"
	case errors.Is(err, ErrText), errors.Is(err, ErrLineText):
		if decide {
			return "reason"
		}
		return "text"
	}
	return "qty"
}

// requestFieldOf is the form field of a problem of the whole request.
var requestFieldOf = map[error]string{
	ErrPurpose: "purpose", ErrText: "purpose", ErrDepartment: "department_id", ErrNeededBy: "needed_by",
	ErrNoLines: "", ErrTooManyLines: "", ErrApprover: "", ErrNothingApproved: "",
	approval.ErrReasonRequired: "comment", approval.ErrCommentTooLong: "comment",
}

// placeRequestErrors puts each problem of err next to its field in errs: a
// LineError on its line (row maps the service's line number to the form's
// row), the others by requestFieldOf. It reports false, placing nothing,
// when some problem is not about the form (the caller returns err). The
// messages are in lang, with c's words for units.
func placeRequestErrors(c *i18n.Catalog, lang string, errs web.Errors, err error, row func(int) int, decide bool) bool {
	if err == nil {
		return false
	}
	type placed struct {
		field, key string
		args       []any
	}
	var out []placed
	for _, one := range joined(err) {
		key, args := Message(c, lang, one)
		if decide && errors.Is(one, ErrQuantity) {
			key = "warehouse.err.decide_quantity" // an approver may type 0
		} else if errors.Is(one, approval.ErrReasonRequired) {
			key = "approval.reason_required"
		} else if errors.Is(one, approval.ErrCommentTooLong) {
			key = "validation.too_long"
		}
		if key == "" {
			return false
		}
		var le *LineError
		if errors.As(one, &le) {
			out = append(out, placed{lineField(row(le.Line), lineErrorPart(le.Err, decide)), key, args})
			continue
		}
		field, ok := "", false
		for e, f := range requestFieldOf {
			if errors.Is(one, e) {
				field, ok = f, true
				break
			}
		}
		if !ok {
			return false
		}
		out = append(out, placed{field, key, args})
	}
	for _, p := range out {
		errs.AddOnce(p.field, p.key, p.args...)
	}
	return len(out) > 0
}

// joined are the problems an errors.Join holds, or err alone.
func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
