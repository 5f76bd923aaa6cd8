package web

import "strings"

// Column is one column of a list table, the header partials/list_head draws:
// the translation key of its label and its classes from the list kit in
// kapu.css (num, actions, select, minor). Every body cell of the column
// repeats the translated label as data-label, which the phone layout shows
// beside the value.
type Column struct {
	Key   string
	Class string
}

// Quiet reports whether the header is read only by screen readers: an actions
// or a select column says what it is by its buttons and boxes.
func (c Column) Quiet() bool {
	for _, class := range strings.Fields(c.Class) {
		if class == "actions" || class == "select" {
			return true
		}
	}
	return false
}

// cols is the template function behind partials/list_head: each spec is a
// translation key, optionally followed by the column's classes, so a list's
// columns read as one line in its template:
//
//	cols "booking.when" "booking.resource minor" "leave.days num" "form.actions actions"
func cols(specs ...string) []Column {
	out := make([]Column, 0, len(specs))
	for _, spec := range specs {
		key, class, _ := strings.Cut(strings.TrimSpace(spec), " ")
		out = append(out, Column{Key: key, Class: strings.Join(strings.Fields(class), " ")})
	}
	return out
}
