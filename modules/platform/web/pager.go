package web

import "strconv"

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

// Option is one entry of a select or checkbox list in a form; Depth indents tree entries.
type Option struct {
	Value string
	Label string
	Depth int
}
