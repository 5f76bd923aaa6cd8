package training

import (
	"testing"

	"kapu/modules/platform/people"
)

func TestCovers(t *testing.T) {
	dept := uint(7)
	clerk := &people.Person{DepartmentID: &dept, JobTitle: " Ügyintéző "}
	loose := &people.Person{JobTitle: "ügyintéző"}
	cases := []struct {
		name   string
		target string
		list   string
		p      *people.Person
		roles  []string
		want   bool
	}{
		{"everyone", TargetEveryone, "", loose, nil, true},
		{"listed department", TargetDepartments, "3\n7\n", clerk, nil, true},
		{"other department", TargetDepartments, "3\n17", clerk, nil, false},
		{"no department", TargetDepartments, "7", loose, nil, false},
		{"title, any case and spaces", TargetTitles, "anyakönyvvezető\n  ÜGYINTÉZŐ ", clerk, nil, true},
		{"other title", TargetTitles, "anyakönyvvezető", clerk, nil, false},
		{"role held", TargetRoles, "hr\nmanager", loose, []string{"employee", "manager"}, true},
		{"role not held", TargetRoles, "hr", loose, []string{"employee"}, false},
		{"empty list", TargetRoles, "\n \n", loose, []string{"employee"}, false},
		{"unknown target", "nobody", "", loose, nil, false},
	}
	for _, c := range cases {
		tr := &Training{Target: c.target, TargetList: c.list}
		if got := tr.Covers(c.p, c.roles); got != c.want {
			t.Errorf("%s: Covers = %v; want %v", c.name, got, c.want)
		}
	}
}
