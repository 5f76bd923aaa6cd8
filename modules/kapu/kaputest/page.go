package kaputest

import (
	"html"
	"regexp"
)

// FieldError is the message a form page shows next to the named field
// (partials/field and partials/select), "" when none.
func FieldError(body, field string) string {
	re := regexp.MustCompile(`id="f-` + regexp.QuoteMeta(field) + `-error"><svg[^>]*>.*?</svg><span>([^<]*)</span>`)
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}
