package calendar

import (
	"strings"

	"kapu/modules/platform/web"
)

// ParseDateField reads a required date field of a form (YYYY-MM-DD), with
// web.MsgDate when it is not one. It lives here, not in web, because calendar
// serves a page of its own and so imports web.
func ParseDateField(s, field string, errs web.Errors) Date {
	d, err := ParseDate(strings.TrimSpace(s))
	if err != nil {
		errs.Add(field, web.MsgDate)
	}
	return d
}

// ParseOptionalDateField is ParseDateField for a date that may be left
// empty: the zero Date.
func ParseOptionalDateField(s, field string, errs web.Errors) Date {
	if strings.TrimSpace(s) == "" {
		return Date{}
	}
	return ParseDateField(s, field, errs)
}
