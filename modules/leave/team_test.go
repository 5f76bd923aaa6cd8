package leave

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// teamEnv is a leave service on a fresh database with a small organisation:
// an office with HR, a department headed by boss with a group under it, and
// a finance department nobody of the department may look into.
type teamEnv struct {
	svc                             *Service
	ppl                             *people.Service
	d                               *db.DB
	office, dept, group, finance    *people.Department
	hr, boss, ann, bob, cecil, dora *people.Person // ann, bob in dept; cecil in group; dora in finance
}

// teamNow is the fixed "now" of these tests: Monday 2 March 2026, 09:00 in Budapest.
var teamNow = time.Date(2026, time.March, 2, 8, 0, 0, 0, time.UTC)

var teamAdmin = actor.Actor{ID: 1_000_000, Name: "Test Admin", Roles: []string{actor.Admin}}

func newTeamEnv(t *testing.T, d *db.DB) *teamEnv {
	t.Helper()
	ctx := context.Background()
	env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40), "KAPU_LANG": "en"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ppl := people.NewService(d, 4) // bcrypt's cheapest cost: the test signs nobody in
	models := append(people.New(ppl).Models(), audit.Models()...)
	models = append(models, calendar.Models()...)
	models = append(models, approval.Models()...)
	models = append(models, notify.Models()...)
	models = append(models, Models()...)
	if err := d.Migrate(ctx, models, (&Module{}).Migrations()); err != nil {
		t.Fatal(err)
	}
	cal := calendar.New(d.R)
	outbox, err := notify.New(d, cat, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	engine := approval.New(d, ppl, outbox, cal, cfg)
	m := New(module.Deps{Cfg: cfg, DB: d, Catalog: cat, People: ppl, Calendar: cal, Outbox: outbox, Approval: engine})
	for _, k := range m.ApprovalKinds() {
		engine.Register(k)
	}
	svc := m.Service()
	svc.now = func() time.Time { return teamNow }
	engine.Absences = svc
	if err := svc.EnsureTypes(ctx); err != nil {
		t.Fatal(err)
	}
	e := &teamEnv{svc: svc, ppl: ppl, d: d}
	dept := func(name string, parent *people.Department) *people.Department {
		in := people.DepartmentInput{Name: name}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		dp, err := ppl.SaveDepartment(ctx, teamAdmin, 0, in)
		if err != nil {
			t.Fatalf("department %s: %v", name, err)
		}
		return dp
	}
	e.office = dept("Office", nil)
	e.dept = dept("Licensing", e.office)
	e.group = dept("Front desk", e.dept)
	e.finance = dept("Finance", e.office)
	person := func(username, name string, dp *people.Department, roles ...string) *people.Person {
		p, err := ppl.CreatePerson(ctx, teamAdmin, people.PersonInput{Username: username, Name: name, Email: username + "@example.org",
			DepartmentID: &dp.ID, Roles: append([]string{actor.Employee}, roles...), Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", username, err)
		}
		return p
	}
	e.hr = person("hr", "Hanna HR", e.office, actor.HR)
	e.boss = person("boss", "Zoltán Boss", e.dept, actor.Manager)
	e.ann = person("ann", "Ágnes Ann", e.dept)
	e.bob = person("bob", "Bob Bell", e.dept)
	e.cecil = person("cecil", "Cecil Cole", e.group)
	e.dora = person("dora", "Dóra Dunn", e.finance)
	if _, err := ppl.SaveDepartment(ctx, teamAdmin, e.dept.ID, people.DepartmentInput{Name: "Licensing", ParentID: &e.office.ID, HeadID: &e.boss.ID}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *teamEnv) actor(p *people.Person) actor.Actor { return p.Actor() }

// typeByCode returns a default leave type.
func (e *teamEnv) typeByCode(t *testing.T, code string) Type {
	t.Helper()
	types, err := e.svc.Types(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range types {
		if ty.Code == code {
			return ty
		}
	}
	t.Fatalf("no leave type %q", code)
	return Type{}
}

// submit files a request; HR's requests for others are approved at once.
func (e *teamEnv) submit(t *testing.T, by, for_ *people.Person, code, start, end string) *Request {
	t.Helper()
	ctx := context.Background()
	if err := e.svc.SetAllocation(ctx, e.actor(e.hr), for_.ID, 2026, 60, "test"); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Submit(ctx, e.actor(by), for_.ID, RequestInput{TypeID: e.typeByCode(t, code).ID, Start: teamDate(t, start), End: teamDate(t, end)})
	if err != nil {
		t.Fatalf("submit %s %s–%s for %s: %v", code, start, end, for_.Username, err)
	}
	return r
}

func teamDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// cell returns the mark of a person on a day of the view, or nil.
func (v *TeamView) cell(t *testing.T, personID uint, day int) *TeamMark {
	t.Helper()
	for _, r := range v.Rows {
		if r.PersonID == personID {
			return r.Cells[day-1].Mark
		}
	}
	t.Fatalf("person %d is not in the view", personID)
	return nil
}

func TestTeamMonth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		e.submit(t, e.hr, e.ann, "annual", "2026-03-10", "2026-03-16")      // approved (HR records it), over a weekend
		e.submit(t, e.bob, e.bob, "sick", "2026-03-11", "2026-03-11")       // private, approved at once
		e.submit(t, e.cecil, e.cecil, "annual", "2026-03-12", "2026-03-13") // pending: boss decides
		e.submit(t, e.dora, e.dora, "sick", "2026-03-11", "2026-03-11")     // another department

		// The colleague's default is their own department with the group under it.
		v, err := e.svc.TeamMonth(ctx, e.actor(e.ann), 0, 2026, time.March)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range v.Rows {
			names = append(names, r.Name)
		}
		// By department in tree order, then by name in Hungarian order (Á before B).
		if got := strings.Join(names, ", "); got != "Ágnes Ann, Bob Bell, Zoltán Boss, Cecil Cole" {
			t.Errorf("rows = %s; want the department's people, then the group's", got)
		}
		if v.DeptID != e.dept.ID || len(v.Days) != 31 {
			t.Errorf("view = dept %d with %d days; want %d with 31", v.DeptID, len(v.Days), e.dept.ID)
		}
		if m := v.cell(t, e.ann.ID, 10); m == nil || m.Pending || m.Masked || m.TypeName("en") != "Annual leave" {
			t.Errorf("Ann on 10 March = %+v; want approved annual leave", m)
		}
		if m := v.cell(t, e.bob.ID, 11); m == nil || !m.Masked || m.TypeName("en") != "" || m.Color != maskedColor {
			t.Errorf("Bob's sick leave seen by a colleague = %+v; want only a grey 'away'", m)
		}
		if m := v.cell(t, e.cecil.ID, 12); m == nil || !m.Pending {
			t.Errorf("Cecil on 12 March = %+v; want pending", m)
		}
		if m := v.cell(t, e.ann.ID, 14); m != nil {
			t.Errorf("Ann on Saturday 14 March = %+v; want nothing on a day off", m)
		}
		if m := v.cell(t, e.ann.ID, 16); m == nil {
			t.Errorf("Ann on Monday 16 March has no mark; want her leave after the weekend")
		}
		if v.Days[10].Away != 2 || v.Days[11].Away != 1 || v.Days[9].Away != 1 {
			t.Errorf("away on 10/11/12 March = %d/%d/%d; want 1/2/1 (pending does not count)", v.Days[9].Away, v.Days[10].Away, v.Days[11].Away)
		}
		for _, ty := range v.Types {
			if ty.Private {
				t.Errorf("a colleague's legend names the private type %s", ty.Code)
			}
		}
		if !v.Days[1].Today || v.Days[6].Reason != calendar.ReasonWeekend {
			t.Errorf("2 March today = %v, 7 March reason = %q", v.Days[1].Today, v.Days[6].Reason)
		}

		// HR sees the type of private leave, in any department.
		v, err = e.svc.TeamMonth(ctx, e.actor(e.hr), e.dept.ID, 2026, time.March)
		if err != nil {
			t.Fatal(err)
		}
		if m := v.cell(t, e.bob.ID, 11); m == nil || m.Masked || m.TypeName("en") != "Sick leave" {
			t.Errorf("Bob's sick leave seen by HR = %+v; want it by name", m)
		}
		if _, err := e.svc.TeamMonth(ctx, e.actor(e.hr), e.finance.ID, 2026, time.March); err != nil {
			t.Errorf("HR opening finance: %v", err)
		}
		if _, err := e.svc.TeamMonth(ctx, e.actor(e.hr), 99999, 2026, time.March); !errors.Is(err, ErrNotFound) {
			t.Errorf("HR opening a missing department: %v; want ErrNotFound", err)
		}

		// Who may open which department.
		tests := []struct {
			who  *people.Person
			dept *people.Department
			ok   bool
		}{
			{e.ann, e.dept, true},
			{e.ann, e.group, false},   // only their own department itself
			{e.ann, e.finance, false}, // another department
			{e.cecil, e.dept, false},  // the department above is not theirs
			{e.boss, e.group, true},   // the head sees what is under the department
			{e.boss, e.finance, false},
			{e.boss, e.office, false},
		}
		for _, tt := range tests {
			_, err := e.svc.TeamMonth(ctx, e.actor(tt.who), tt.dept.ID, 2026, time.March)
			if (err == nil) != tt.ok || (!tt.ok && !errors.Is(err, ErrForbidden)) {
				t.Errorf("%s opening %s: err %v; want allowed %v", tt.who.Username, tt.dept.Name, err, tt.ok)
			}
		}
		v, _ = e.svc.TeamMonth(ctx, e.actor(e.boss), 0, 2026, time.March)
		if len(v.Depts) != 2 || v.Depts[0].ID != e.dept.ID || v.Depts[1].ID != e.group.ID {
			t.Errorf("the head's choice of departments = %+v; want the department and the group", v.Depts)
		}
	})
}

// The month is read with a fixed number of queries, however many people it shows.
func TestTeamMonthQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		var n atomic.Int64
		count := func(*gorm.DB) { n.Add(1) }
		d.R.Callback().Query().After("gorm:query").Register("team_test:count", count)
		d.R.Callback().Row().After("gorm:row").Register("team_test:count_row", count)
		queries := func() int64 {
			n.Store(0)
			if _, err := e.svc.TeamMonth(ctx, e.actor(e.boss), 0, 2026, time.March); err != nil {
				t.Fatal(err)
			}
			return n.Load()
		}
		e.submit(t, e.hr, e.ann, "annual", "2026-03-10", "2026-03-12")
		before := queries()
		if before < 3 {
			t.Fatalf("counted %d queries; the counter does not see them", before)
		}
		for i, u := range []string{"p1", "p2", "p3", "p4", "p5"} {
			p, err := e.ppl.CreatePerson(ctx, teamAdmin, people.PersonInput{Username: u, Name: u, Email: u + "@example.org",
				DepartmentID: &e.dept.ID, Roles: []string{actor.Employee}, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			day := 16 + i
			e.submit(t, e.hr, p, "annual", "2026-03-"+itoa2(day), "2026-03-"+itoa2(day))
		}
		if after := queries(); after != before {
			t.Errorf("queries with 5 more people on leave = %d; want %d as before", after, before)
		}
	})
}

func itoa2(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestTeamMarkHalves(t *testing.T) {
	tests := []struct {
		half      string
		inset, x  int
		shrink, w int
	}{
		{HalfNone, 0, 0, 0, 16},
		{HalfMorning, 0, 0, 0, 8},
		{HalfAfternoon, 0, 8, 0, 8},
		{HalfAfternoon, 1, 9, 2, 6},
	}
	for _, tt := range tests {
		m := TeamMark{Half: tt.half}
		if x, w := m.X(tt.inset), m.W(tt.shrink); x != tt.x || w != tt.w {
			t.Errorf("%q: x %d w %d; want %d %d", tt.half, x, w, tt.x, tt.w)
		}
	}
	v := &TeamView{Year: 2026, Month: time.January}
	if v.PrevParam() != "2025-12" || v.NextParam() != "2026-02" || v.MonthParam() != "2026-01" {
		t.Errorf("month params = %s %s %s", v.PrevParam(), v.MonthParam(), v.NextParam())
	}
}
