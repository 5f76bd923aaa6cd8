package people

import (
	"context"
	"reflect"
	"testing"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestScopeOf(t *testing.T) {
	tests := []struct {
		roles []string
		all   []string
		want  Scope
	}{
		{[]string{actor.HR}, []string{actor.HR}, ScopeAll},
		{[]string{actor.Employee, actor.IT}, []string{actor.IT, actor.Admin}, ScopeAll},
		{[]string{actor.Manager}, []string{actor.HR}, ScopeTeam},
		{[]string{actor.Employee}, []string{actor.HR}, ScopeTeam},
		{[]string{actor.HR}, nil, ScopeTeam},
	}
	for _, tt := range tests {
		if got := ScopeOf(actor.Actor{ID: 1, Roles: tt.roles}, tt.all...); got != tt.want {
			t.Errorf("ScopeOf(%v, %v) = %v; want %v", tt.roles, tt.all, got, tt.want)
		}
	}
}

// An organisation of office → dept → group: the mayor heads the office, the
// head the department, and the group has no head of its own.
func TestScopeWhoSeesWhom(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		office, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "Office"})
		dept, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "Dept", ParentID: &office.ID})
		group, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "Group", ParentID: &dept.ID})
		mayor := mustPerson(t, s, "mayor", &office.ID, actor.Manager)
		head := mustPerson(t, s, "head", &dept.ID, actor.Manager)
		clerk := mustPerson(t, s, "clerk", &dept.ID)
		grouped := mustPerson(t, s, "grouped", &group.ID)
		other := mustPerson(t, s, "other", &dept.ID)
		loner := mustPerson(t, s, "loner", nil)
		s.SaveDepartment(ctx, admin, office.ID, DepartmentInput{Name: "Office", HeadID: &mayor.ID})
		s.SaveDepartment(ctx, admin, dept.ID, DepartmentInput{Name: "Dept", ParentID: &office.ID, HeadID: &head.ID})
		if err := d.W.Model(&Person{}).Where("id = ?", other.ID).Update("manager_id", mayor.ID).Error; err != nil {
			t.Fatal(err)
		}
		everyone := []*Person{mayor, head, clerk, grouped, other, loner}

		// Reports agrees with ManagerOf for every person.
		for _, m := range everyone {
			var want []uint
			for _, p := range everyone {
				fresh, _ := s.Person(ctx, p.ID)
				if mgr, err := s.ManagerOf(ctx, fresh); err == nil && mgr != nil && mgr.ID == m.ID {
					want = append(want, p.ID)
				}
			}
			got, err := Reports(d.R, m.ID)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Reports(%s) = %v, %v; want %v (as ManagerOf says)", m.Username, got, err, want)
			}
		}

		hr := actor.Actor{ID: loner.ID, Roles: []string{actor.HR}}
		tests := []struct {
			who   actor.Actor
			scope Scope
			sees  []*Person
		}{
			{mayor.Actor(), ScopeTeam, []*Person{mayor, head, other}},
			{head.Actor(), ScopeTeam, []*Person{head, clerk, grouped}},
			{head.Actor(), ScopeOwn, []*Person{head}},
			{clerk.Actor(), ScopeTeam, []*Person{clerk}},
			{hr, ScopeOf(hr, actor.HR), everyone},
		}
		for _, tt := range tests {
			v, err := VisibleTo(d.R, tt.who, tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			var want, listed []uint
			for _, p := range tt.sees {
				want = append(want, p.ID)
			}
			if err := d.R.Model(&Person{}).Scopes(v.Filter("people.id")).Order("id").Pluck("id", &listed).Error; err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(listed, want) {
				t.Errorf("person %d at scope %v lists %v; want %v", tt.who.ID, tt.scope, listed, want)
			}
			for _, p := range everyone {
				seen := false
				for _, id := range want {
					seen = seen || id == p.ID
				}
				if v.Sees(p.ID) != seen {
					t.Errorf("person %d at scope %v: Sees(%s) = %v; want %v", tt.who.ID, tt.scope, p.Username, !seen, seen)
				}
				if ok, err := s.MaySee(ctx, tt.who, tt.scope, p.ID); err != nil || ok != seen {
					t.Errorf("person %d at scope %v: MaySee(%s) = %v, %v; want %v", tt.who.ID, tt.scope, p.Username, ok, err, seen)
				}
			}
		}

		tree, err := s.DepartmentTree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var under []uint
		for _, n := range Subtree(tree, dept.ID) {
			under = append(under, n.ID)
		}
		if !reflect.DeepEqual(under, []uint{dept.ID, group.ID}) || Subtree(tree, 999_999) != nil {
			t.Errorf("Subtree(dept) = %v; want dept and group, and nil for an unknown department", under)
		}
	})
}
