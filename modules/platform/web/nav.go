package web

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Navigation sections; an item without one stands above them (the dashboard).
const (
	SectionServices = "services"
	SectionAdmin    = "admin"
)

// NavItem is one entry of the navigation. Roles lists who sees it (any of
// them); empty means every signed-in person.
type NavItem struct {
	Key     string // translation key of the label
	Path    string
	Icon    string // name of an icon in static/img/icons.svg
	Section string
	// Order places the entry among the others: lower first, equal ones in
	// the order modules added them. The suite lists modules in the order
	// their data depends on, which need not be the order people read.
	Order int
	Roles []string
	// Count, when set, gives the number shown beside the label (e.g. requests
	// waiting for the viewer); zero shows nothing.
	Count  func(ctx context.Context, v *Viewer) int
	Active bool
	Badge  int
}

// AddNav adds entries to the navigation, in the order given among equal Orders.
func (s *Server) AddNav(items ...NavItem) {
	s.nav = append(s.nav, items...)
	slices.SortStableFunc(s.nav, func(a, b NavItem) int { return cmp.Compare(a.Order, b.Order) })
}

func (s *Server) navFor(ctx context.Context, v *Viewer, path string) []NavItem {
	if v == nil {
		return nil
	}
	var out []NavItem
	active := -1 // the item with the longest path that contains this page
	for _, it := range s.nav {
		if len(it.Roles) > 0 && !v.Has(it.Roles...) {
			continue
		}
		if path == it.Path || (it.Path != "/" && strings.HasPrefix(path, it.Path+"/")) {
			if active < 0 || len(it.Path) > len(out[active].Path) {
				active = len(out)
			}
		}
		if it.Count != nil {
			it.Badge = it.Count(ctx, v)
		}
		out = append(out, it)
	}
	if active >= 0 {
		out[active].Active = true
	}
	return out
}

// ProfilePath is the signed-in person's own page, where they choose a password.
const ProfilePath = "/profile"

// choosingPassword reports whether the request is one a person on a
// temporary password may make: the profile page and its password form,
// nothing else (not the deputy or the feed links).
func choosingPassword(c *fiber.Ctx) bool {
	p := strings.TrimSuffix(c.Path(), "/")
	return (p == ProfilePath && c.Method() == fiber.MethodGet) ||
		(p == ProfilePath+"/password" && c.Method() == fiber.MethodPost)
}

// RequireLogin sends visitors to the login page and back here afterwards, and
// a person still on a password someone else chose to the profile to choose
// their own.
func RequireLogin(c *fiber.Ctx) error {
	v := ViewerOf(c)
	if v == nil {
		next := c.OriginalURL()
		if c.Method() != fiber.MethodGet {
			next = "/"
		}
		return c.Redirect("/login?next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	if v.MustChoosePassword && !choosingPassword(c) {
		return c.Redirect(ProfilePath, fiber.StatusSeeOther)
	}
	return c.Next()
}

// Require lets through only people holding any of the roles; others get 403.
func Require(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := ViewerOf(c)
		if v == nil || v.MustChoosePassword {
			return RequireLogin(c)
		}
		if !v.Has(roles...) {
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}
