package training

import (
	"slices"
	"strconv"
	"strings"

	"kapu/modules/platform/people"
)

// TargetItems are the target group's members as stored, one per line,
// trimmed, empty lines dropped.
func (t *Training) TargetItems() []string {
	var out []string
	for _, line := range strings.Split(t.TargetList, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Covers reports whether the training's target group takes in person p,
// who holds roles: everyone, p's department among the listed ones, p's job
// title (ignoring case and surrounding spaces) or one of p's roles. It is
// worked out when asked, not stored per person, so a joiner or someone who
// moved department is covered the day the people module says so.
func (t *Training) Covers(p *people.Person, roles []string) bool {
	items := t.TargetItems()
	switch t.Target {
	case TargetEveryone:
		return true
	case TargetDepartments:
		if p.DepartmentID == nil {
			return false
		}
		return slices.Contains(items, strconv.FormatUint(uint64(*p.DepartmentID), 10))
	case TargetTitles:
		return slices.ContainsFunc(items, func(title string) bool {
			return strings.EqualFold(title, strings.TrimSpace(p.JobTitle))
		})
	case TargetRoles:
		return slices.ContainsFunc(items, func(role string) bool { return slices.Contains(roles, role) })
	}
	return false
}
