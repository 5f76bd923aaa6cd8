package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// Pager describes one page of a long list for the pager partial.
type Pager struct {
	Page, Pages, Prev, Next int
	Total                   int64
	HasPrev, HasNext        bool
}

// NewPager computes the pager for page (1-based) of total rows, per rows a page.
func NewPager(page int, total int64, per int) Pager {
	pages := int((total + int64(per) - 1) / int64(per))
	if pages < 1 {
		pages = 1
	}
	if page < 1 {
		page = 1
	}
	return Pager{
		Page: page, Pages: pages, Total: total,
		Prev: page - 1, Next: page + 1,
		HasPrev: page > 1, HasNext: page < pages,
	}
}

// PageParam reads the ?page= parameter; anything unusable means page 1.
func PageParam(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 1
	}
	return n
}

// IDParam reads the :id route parameter; anything but a positive number is a
// page that does not exist.
func IDParam(c *fiber.Ctx) (uint, error) {
	n, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil || n == 0 {
		return 0, fiber.ErrNotFound
	}
	return uint(n), nil
}

// Option is one entry of a select or checkbox list in a form; Depth indents tree entries.
type Option struct {
	Value string
	Label string
	Depth int
}

// FieldMessage is {form field, message key} for a service error; the field is
// "" for a message about the whole form.
type FieldMessage [2]string

// FieldErrors looks a service error up in a module's table; ok is false
// when the error is not about the form.
func FieldErrors(err error, table map[error]FieldMessage) (Errors, bool) {
	for e, m := range table {
		if errors.Is(err, e) {
			errs := Errors{}
			errs.Add(m[0], m[1])
			return errs, true
		}
	}
	return nil, false
}
