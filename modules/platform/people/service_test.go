package people

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

var admin = actor.Actor{ID: 1_000_000, Name: "Test Admin", Roles: []string{actor.Admin}}

func newService(t *testing.T, d *db.DB) *Service {
	t.Helper()
	if err := d.Migrate(context.Background(), append([]any{&Department{}, &Person{}, &PersonRole{}}, audit.Models()...), nil); err != nil {
		t.Fatal(err)
	}
	s := NewService(d, bcrypt.MinCost)
	return s
}

func mustPerson(t *testing.T, s *Service, username string, dept *uint, roles ...string) *Person {
	t.Helper()
	p, err := s.CreatePerson(context.Background(), admin, PersonInput{
		Username: username, Name: username, Email: username + "@example.org", DepartmentID: dept,
		Roles: append([]string{actor.Employee}, roles...), Active: true,
	})
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return p
}

func TestManagerOf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		office, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "Office"})
		dept, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "Dept", ParentID: &office.ID})
		mayor := mustPerson(t, s, "mayor", &office.ID, actor.Manager)
		head := mustPerson(t, s, "head", &dept.ID, actor.Manager)
		clerk := mustPerson(t, s, "clerk", &dept.ID)
		other := mustPerson(t, s, "other", &dept.ID)
		s.SaveDepartment(ctx, admin, office.ID, DepartmentInput{Name: "Office", HeadID: &mayor.ID})
		s.SaveDepartment(ctx, admin, dept.ID, DepartmentInput{Name: "Dept", ParentID: &office.ID, HeadID: &head.ID})
		other.ManagerID = &mayor.ID

		tests := []struct {
			p    *Person
			want string
		}{
			{clerk, "head"},  // the head of the department
			{head, "mayor"},  // a head reports to the head above
			{other, "mayor"}, // a named manager wins
			{mayor, ""},      // the top has nobody above
		}
		for _, tt := range tests {
			m, err := s.ManagerOf(ctx, tt.p)
			got := ""
			if m != nil {
				got = m.Username
			}
			if err != nil || got != tt.want {
				t.Errorf("ManagerOf(%s) = %q, %v; want %q", tt.p.Username, got, err, tt.want)
			}
		}
	})
}

func TestDepartmentRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		a, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "A"})
		b, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "B", ParentID: &a.ID})
		c, _ := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "C", ParentID: &b.ID})

		var fe *FieldError
		if _, err := s.SaveDepartment(ctx, admin, a.ID, DepartmentInput{Name: "A", ParentID: &c.ID}); !errors.As(err, &fe) || fe.Key != "departments.error.cycle" {
			t.Errorf("moving A under its grandchild: %v; want a cycle error", err)
		}
		if _, err := s.SaveDepartment(ctx, admin, 0, DepartmentInput{Name: "  "}); !errors.As(err, &fe) || fe.Field != "name" {
			t.Errorf("blank name: %v; want a name error", err)
		}
		hr := actor.Actor{ID: 5, Roles: []string{actor.HR}}
		if _, err := s.SaveDepartment(ctx, hr, 0, DepartmentInput{Name: "X"}); !errors.Is(err, ErrForbidden) {
			t.Errorf("HR creating a department: %v; want forbidden", err)
		}
		tree, _ := s.DepartmentTree(ctx)
		var order []string
		for _, n := range tree {
			order = append(order, n.Name)
		}
		if len(order) != 3 || order[0] != "A" || order[1] != "B" || order[2] != "C" || tree[2].Depth != 2 {
			t.Errorf("tree = %v; want A, B, C with C at depth 2", order)
		}
		mustPerson(t, s, "someone", &c.ID)
		if err := s.DeleteDepartment(ctx, admin, b.ID); !errors.Is(err, ErrDepartmentInUse) {
			t.Errorf("deleting a department with a sub-department: %v; want in use", err)
		}
		if err := s.DeleteDepartment(ctx, admin, c.ID); !errors.Is(err, ErrDepartmentInUse) {
			t.Errorf("deleting a department with staff: %v; want in use", err)
		}
	})
}

// ruleCase is one refused change and the message it must give.
type ruleCase struct {
	name string
	err  error
	key  string
}

func TestPersonRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		boss := mustPerson(t, s, "boss", nil, actor.Admin)
		hrPerson := mustPerson(t, s, "hr.person", nil, actor.HR)
		hr := hrPerson.Actor()
		bossActor := boss.Actor()

		var fe *FieldError
		var cases []ruleCase
		_, err := s.CreatePerson(ctx, admin, PersonInput{Username: "Boss", Name: "B", Email: "b2@example.org", Active: true})
		cases = append(cases, ruleCase{"username taken in another case", err, "people.error.username_taken"})
		_, err = s.CreatePerson(ctx, admin, PersonInput{Username: "new.one", Name: "N", Email: "BOSS@example.org", Active: true})
		cases = append(cases, ruleCase{"email taken in another case", err, "people.error.email_taken"})
		_, err = s.UpdatePerson(ctx, bossActor, boss.ID, PersonInput{Username: "boss", Name: "boss", Email: "boss@example.org", Active: true, Roles: []string{actor.Employee}})
		cases = append(cases, ruleCase{"admin removing own admin role", err, "people.error.own_admin"})
		_, err = s.UpdatePerson(ctx, hr, boss.ID, PersonInput{Username: "boss", Name: "boss", Email: "boss@example.org", Active: true, Roles: []string{actor.Employee}})
		cases = append(cases, ruleCase{"HR taking admin away", err, "people.error.admin_only"})
		_, err = s.UpdatePerson(ctx, admin, boss.ID, PersonInput{Username: "boss", Name: "boss", Email: "boss@example.org", Active: true, ManagerID: &boss.ID, Roles: []string{actor.Admin}})
		cases = append(cases, ruleCase{"own manager", err, "people.error.self"})
		err = s.SetActive(ctx, bossActor, boss.ID, false)
		cases = append(cases, ruleCase{"deactivating oneself", err, "people.error.own_active"})
		for _, c := range cases {
			if !errors.As(c.err, &fe) || fe.Key != c.key {
				t.Errorf("%s: %v; want %s", c.name, c.err, c.key)
			}
		}
		if err := s.SetActive(ctx, hr, boss.ID, false); !errors.As(err, &fe) || fe.Key != "people.error.admin_target" {
			t.Errorf("HR deactivating an admin: %v; want people.error.admin_target", err)
		}
		employee := actor.Actor{ID: 99, Roles: []string{actor.Employee}}
		if _, _, err := s.ListPeople(ctx, employee, PeopleFilter{}); !errors.Is(err, ErrForbidden) {
			t.Errorf("employee listing people: %v; want forbidden", err)
		}
		// Every change left an audit row.
		var n int64
		d.R.Model(&audit.Entry{}).Where("entity = ?", "person").Count(&n)
		if n != 2 {
			t.Errorf("audit rows for people = %d; want 2 (the two creations; refused changes leave none)", n)
		}
	})
}

// New passwords are hashed at the configured cost, and a person signs in with them.
func TestPasswordCost(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		ctx := context.Background()
		cli := actor.Actor{Name: "kapu user", Roles: []string{actor.Admin}, Channel: actor.ChannelCLI}
		p, err := s.CreatePersonWithPassword(ctx, cli, PersonInput{Username: "kovacs", Name: "Kovács Anna",
			Email: "kovacs@example.org", Roles: []string{actor.Employee}, Active: true}, "titkos-jelszo")
		if err != nil {
			t.Fatal(err)
		}
		var stored Person
		if err := d.R.First(&stored, p.ID).Error; err != nil {
			t.Fatal(err)
		}
		if cost, err := bcrypt.Cost([]byte(stored.PasswordHash)); err != nil || cost != bcrypt.MinCost {
			t.Errorf("hash cost = %d %v; want %d", cost, err, bcrypt.MinCost)
		}
		if _, err := s.Authenticate(ctx, "kovacs", "titkos-jelszo"); err != nil {
			t.Errorf("sign-in with the new password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "nobody", "titkos-jelszo"); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("unknown name: %v; want bad credentials", err)
		}
	})
}
