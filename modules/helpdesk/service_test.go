package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
)

var budapest = mustZone("Europe/Budapest")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// testNow is Monday 2 March 2026, 9:00 in Budapest.
var testNow = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// fixture is a fresh database with the two queues, a category in each, and
// people: two employees, two IT staff, one facilities worker.
type fixture struct {
	s                   *Service
	d                   *db.DB
	clock               time.Time
	emp, other          actor.Actor
	it1, it2, fac       actor.Actor
	itCat, maintCat     uint
	itQueue, maintQueue Queue
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	models := append(append(append(Models(), audit.Models()...), []any{&people.Department{}, &people.Person{}, &people.PersonRole{}}...), calendar.Models()...)
	must(t, d.Migrate(ctx, models, Migrations()))
	f := &fixture{d: d, clock: testNow}
	f.s = NewService(module.Deps{DB: d, Calendar: calendar.New(d.R), Cfg: &config.Config{TZ: budapest, Lang: "hu"}})
	f.s.now = func() time.Time { return f.clock }
	mk := func(username, name string, roles ...string) actor.Actor {
		p := people.Person{Username: username, Name: name, Email: username + "@kapu.test", Active: true}
		for _, r := range roles {
			p.Roles = append(p.Roles, people.PersonRole{Role: r})
		}
		must(t, d.W.Create(&p).Error)
		return p.Actor()
	}
	f.emp = mk("papp", "Papp Eszter", actor.Employee)
	f.other = mk("kiss", "Kiss Márton", actor.Employee)
	f.it1 = mk("orsos", "Orsós Dániel", actor.IT)
	f.it2 = mk("szucs", "Szűcs Ágota", actor.IT)
	f.fac = mk("hegedus", "Hegedűs Ferenc", actor.Facilities)
	must(t, f.s.EnsureQueues(ctx))
	must(t, d.W.Where("key = ?", QueueIT).First(&f.itQueue).Error)
	must(t, d.W.Where("key = ?", QueueMaintenance).First(&f.maintQueue).Error)
	c1 := Category{QueueID: f.itQueue.ID, NameHU: "Nyomtató", NameEN: "Printer", Order: 1, Active: true}
	c2 := Category{QueueID: f.maintQueue.ID, NameHU: "Fűtés", NameEN: "Heating", Order: 1, Active: true}
	must(t, d.W.Create(&c1).Error)
	must(t, d.W.Create(&c2).Error)
	f.itCat, f.maintCat = c1.ID, c2.ID
	return f
}

func (f *fixture) input() ReportInput {
	return ReportInput{QueueKey: QueueIT, CategoryID: f.itCat, Title: "Nem nyomtat", Impact: ImpactHinders}
}

func (f *fixture) report(t testing.TB, a actor.Actor) *Ticket {
	t.Helper()
	tk, err := f.s.Report(context.Background(), a, f.input())
	must(t, err)
	return tk
}

func (f *fixture) count(t testing.TB, model any) int64 {
	t.Helper()
	var n int64
	must(t, f.d.W.Model(model).Count(&n).Error)
	return n
}

func (f *fixture) ticket(t testing.TB, id uint) Ticket {
	t.Helper()
	var tk Ticket
	must(t, f.d.W.First(&tk, id).Error)
	return tk
}

func TestPriorityMatrix(t *testing.T) {
	cases := []struct {
		impact, urgency string
		want            int
	}{
		{ImpactBlocks, UrgencyHigh, 1}, {ImpactBlocks, UrgencyMedium, 2}, {ImpactBlocks, UrgencyLow, 3},
		{ImpactHinders, UrgencyHigh, 2}, {ImpactHinders, UrgencyMedium, 3}, {ImpactHinders, UrgencyLow, 4},
		{ImpactCanWait, UrgencyHigh, 3}, {ImpactCanWait, UrgencyMedium, 4}, {ImpactCanWait, UrgencyLow, 4},
		{"", UrgencyHigh, 0}, {ImpactBlocks, "now", 0},
	}
	for _, c := range cases {
		if got := Priority(c.impact, c.urgency); got != c.want {
			t.Errorf("Priority(%q, %q) = %d; want %d", c.impact, c.urgency, got, c.want)
		}
	}
}

func TestReportRecordsTicketEventAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := f.input()
		in.Impact, in.Urgency = ImpactBlocks, UrgencyHigh // an employee's urgency is medium
		tk, err := f.s.Report(context.Background(), f.emp, in)
		must(t, err)
		got := f.ticket(t, tk.ID)
		if got.Number != "IT-00001" || got.State != StateNew || got.Priority != 2 || got.Urgency != UrgencyMedium ||
			got.ReporterID != f.emp.ID || got.RecordedByID != nil || got.AssigneeID != nil {
			t.Errorf("ticket = %+v; want IT-00001, new, priority 2, medium, reported by the employee themselves", got)
		}
		if n := f.count(t, &TicketEvent{}); n != 1 {
			t.Errorf("events = %d; want 1", n)
		}
		var a audit.Entry
		must(t, d.W.Where("action = ?", "helpdesk.report").First(&a).Error)
	})
}

func TestReportValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cases := []struct {
			name string
			edit func(*ReportInput)
			want error
		}{
			{"no title", func(in *ReportInput) { in.Title = "  " }, ErrTitle},
			{"long title", func(in *ReportInput) { in.Title = strings.Repeat("é", maxTitle+1) }, ErrTitleTooLong},
			{"title with a line break", func(in *ReportInput) { in.Title = "a\nb" }, ErrTitleTooLong},
			{"bad UTF-8", func(in *ReportInput) { in.Description = "a\xffb" }, ErrText},
			{"NUL in description", func(in *ReportInput) { in.Description = "a\x00b" }, ErrText},
			{"long description", func(in *ReportInput) { in.Description = strings.Repeat("x", maxDescription+1) }, ErrText},
			{"control char in room", func(in *ReportInput) { in.Room = "2\x1b14" }, ErrText},
			{"no impact", func(in *ReportInput) { in.Impact = "" }, ErrImpact},
			{"unknown urgency", func(in *ReportInput) { in.Urgency = "asap" }, ErrUrgency},
			{"unknown queue", func(in *ReportInput) { in.QueueKey = "hr" }, ErrQueue},
			{"bad UTF-8 queue", func(in *ReportInput) { in.QueueKey = "it\xff" }, ErrQueue},
			{"category of the other queue", func(in *ReportInput) { in.CategoryID = f.maintCat }, ErrCategory},
			{"unknown category", func(in *ReportInput) { in.CategoryID = 999 }, ErrCategory},
		}
		for _, c := range cases {
			in := f.input()
			c.edit(&in)
			_, err := f.s.Report(context.Background(), f.emp, in)
			if !errors.Is(err, c.want) {
				t.Errorf("%s: Report = %v; want %v", c.name, err, c.want)
			}
		}
		if n := f.count(t, &Ticket{}) + f.count(t, &TicketEvent{}) + f.count(t, &audit.Entry{}); n != 0 {
			t.Errorf("after refused reports, %d rows stored; want none", n)
		}
	})
}

func TestReportOnBehalf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		in := f.input()
		in.ReporterID = f.other.ID
		if _, err := f.s.Report(ctx, f.emp, in); !errors.Is(err, ErrOnBehalf) {
			t.Errorf("employee for someone else: %v; want ErrOnBehalf", err)
		}
		m := in
		m.QueueKey, m.CategoryID = QueueMaintenance, f.maintCat
		if _, err := f.s.Report(ctx, f.it1, m); !errors.Is(err, ErrOnBehalf) {
			t.Errorf("IT staff for someone else in maintenance: %v; want ErrOnBehalf", err)
		}
		if n := f.count(t, &Ticket{}); n != 0 {
			t.Fatalf("refused reports stored %d tickets", n)
		}
		in.Urgency = UrgencyHigh
		tk, err := f.s.Report(ctx, f.it1, in)
		must(t, err)
		got := f.ticket(t, tk.ID)
		if got.ReporterID != f.other.ID || got.RecordedByID == nil || *got.RecordedByID != f.it1.ID || got.Urgency != UrgencyHigh {
			t.Errorf("on behalf: %+v; want reporter Kiss, recorded by Orsós, urgency high", got)
		}
		if _, err := f.s.Get(ctx, f.other, tk.ID); err != nil {
			t.Errorf("the reporter reads a ticket staff recorded for them: %v", err)
		}
		in.ReporterID = 9999
		if _, err := f.s.Report(ctx, f.it1, in); !errors.Is(err, ErrReporter) {
			t.Errorf("for an unknown person: %v; want ErrReporter", err)
		}
	})
}

func TestGetAndMine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		tk := f.report(t, f.emp)
		f.report(t, f.other)
		if _, err := f.s.Get(ctx, f.other, tk.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("another employee's Get = %v; want ErrNotFound", err)
		}
		if _, err := f.s.Get(ctx, f.fac, tk.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("facilities Get of an IT ticket = %v; want ErrNotFound", err)
		}
		if _, err := f.s.Get(ctx, f.it2, tk.ID); err != nil {
			t.Errorf("IT staff Get = %v", err)
		}
		if _, err := f.s.Get(ctx, f.emp, 9999); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get of no ticket = %v; want ErrNotFound", err)
		}
		mine, total, err := f.s.Mine(ctx, f.emp, MineQuery{Page: 1})
		must(t, err)
		if len(mine) != 1 || mine[0].ID != tk.ID || total != 1 {
			t.Errorf("Mine = %v (%d in all); want only ticket %d", mine, total, tk.ID)
		}

		// Pages of fifty, newest first; Open leaves out the resolved.
		for i := 0; i < 54; i++ {
			f.clock = f.clock.Add(time.Minute)
			f.report(t, f.emp)
		}
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedAdvice, ""))
		first, total, err := f.s.Mine(ctx, f.emp, MineQuery{Page: 1})
		must(t, err)
		second, _, err := f.s.Mine(ctx, f.emp, MineQuery{Page: 2})
		must(t, err)
		if total != 55 || len(first) != MinePerPage || len(second) != 5 || second[4].ID != tk.ID || !first[0].CreatedAt.After(first[1].CreatedAt) {
			t.Errorf("pages: %d in all, %d + %d rows, last %d; want 55, 50 + 5 newest first, the first ticket last", total, len(first), len(second), second[len(second)-1].ID)
		}
		open, openTotal, err := f.s.Mine(ctx, f.emp, MineQuery{Open: true, Page: 2})
		must(t, err)
		if openTotal != 54 || len(open) != 4 {
			t.Errorf("open: %d in all, %d on page 2; want 54, 4", openTotal, len(open))
		}
	})
}

// move is ChangeState, or Resolve (repaired) for StateResolved.
func (f *fixture) move(ctx context.Context, a actor.Actor, id uint, to, comment string) error {
	if to == StateResolved {
		return f.s.Resolve(ctx, a, id, ResolvedRepaired, comment)
	}
	return f.s.ChangeState(ctx, a, id, to, comment)
}

// TestTransitions walks the staff's table: every pair of states, allowed
// ones change the ticket and log it, the others change nothing.
func TestTransitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		for _, from := range States {
			for _, to := range States {
				tk := f.report(t, f.emp)
				must(t, d.W.Model(&Ticket{}).Where("id = ?", tk.ID).Update("state", from).Error)
				events := f.count(t, &TicketEvent{})
				err := f.move(ctx, f.it1, tk.ID, to, "megjegyzés")
				got := f.ticket(t, tk.ID)
				if Allowed(from, to) {
					if err != nil || got.State != to || f.count(t, &TicketEvent{}) != events+1 {
						t.Errorf("%s → %s: %v, state %s; want allowed and logged", from, to, err, got.State)
					}
				} else if !errors.Is(err, ErrTransition) || got.State != from || f.count(t, &TicketEvent{}) != events {
					t.Errorf("%s → %s: %v, state %s; want ErrTransition, nothing changed", from, to, err, got.State)
				}
			}
		}
		tk := f.report(t, f.emp)
		if err := f.s.Resolve(ctx, f.emp, tk.ID, ResolvedRepaired, ""); !errors.Is(err, ErrTransition) {
			t.Errorf("reporter resolves: %v; want ErrTransition", err)
		}
		if err := f.s.ChangeState(ctx, f.other, tk.ID, StateInProgress, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("a stranger moves the ticket: %v; want ErrNotFound", err)
		}
		if err := f.s.ChangeState(ctx, f.it1, tk.ID, "lost", ""); !errors.Is(err, ErrState) {
			t.Errorf("unknown state: %v; want ErrState", err)
		}
	})
}

func TestReporterAnswersAndReopens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		tk := f.report(t, f.emp)
		must(t, f.s.Take(ctx, f.it1, tk.ID))
		must(t, f.s.ChangeState(ctx, f.it1, tk.ID, StateWaitingReporter, "Melyik gép?"))
		if err := f.s.ChangeState(ctx, f.emp, tk.ID, StateInProgress, "itt"); !errors.Is(err, ErrTransition) {
			t.Errorf("the reporter moves a waiting ticket without answering: %v; want ErrTransition", err)
		}
		if _, err := f.s.AddComment(ctx, f.emp, tk.ID, " ", false); !errors.Is(err, ErrCommentNeeded) {
			t.Errorf("an empty answer: %v; want ErrCommentNeeded", err)
		}
		if _, err := f.s.AddComment(ctx, f.emp, tk.ID, "titok", true); !errors.Is(err, ErrForbidden) {
			t.Errorf("the reporter writes an internal comment: %v; want ErrForbidden", err)
		}
		_, err := f.s.AddComment(ctx, f.emp, tk.ID, "A 214-es szobában.", false)
		must(t, err)
		if got := f.ticket(t, tk.ID); got.State != StateInProgress {
			t.Errorf("after the reporter's answer the ticket is %s; want in_progress", got.State)
		}
		_, err = f.s.AddComment(ctx, f.it1, tk.ID, "Alkatrész kell.", true)
		must(t, err)
		mine, err := f.s.Comments(ctx, f.emp, tk.ID)
		must(t, err)
		all, err := f.s.Comments(ctx, f.it2, tk.ID)
		must(t, err)
		if len(mine) != 1 || len(all) != 2 {
			t.Errorf("comments the reporter sees = %d, staff see = %d; want 1 and 2", len(mine), len(all))
		}
		if _, err := f.s.Comments(ctx, f.other, tk.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("a stranger reads the comments: %v; want ErrNotFound", err)
		}
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedRepaired, "Kész."))
		// Resolved on Monday 2 March; five working days later is Monday 9 March.
		f.clock = time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)
		must(t, f.s.ChangeState(ctx, f.emp, tk.ID, StateInProgress, "Megint rossz."))
		if got := f.ticket(t, tk.ID); got.State != StateInProgress || got.ResolvedAt != nil {
			t.Errorf("reopened: %s, resolved %v; want in_progress, no resolution", got.State, got.ResolvedAt)
		}
		f.clock = testNow
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedRepaired, "Most már kész."))
		f.clock = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC) // the sixth working day
		if err := f.s.ChangeState(ctx, f.emp, tk.ID, StateInProgress, ""); !errors.Is(err, ErrReopenExpired) {
			t.Errorf("reopen on the sixth working day: %v; want ErrReopenExpired", err)
		}
		must(t, d.SetSetting(ctx, SettingReopenDays, "6"))
		must(t, f.s.ChangeState(ctx, f.emp, tk.ID, StateInProgress, ""))
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedRepaired, ""))
		must(t, f.s.ChangeState(ctx, f.it1, tk.ID, StateClosed, ""))
		if err := f.s.ChangeState(ctx, f.emp, tk.ID, StateInProgress, ""); !errors.Is(err, ErrTransition) {
			t.Errorf("reopen a closed ticket: %v; want ErrTransition", err)
		}
		before := f.count(t, &Comment{})
		if _, err := f.s.AddComment(ctx, f.emp, tk.ID, "Hahó", false); !errors.Is(err, ErrClosed) {
			t.Errorf("a comment on a closed ticket: %v; want ErrClosed", err)
		}
		if f.count(t, &Comment{}) != before {
			t.Errorf("the refused comment was stored")
		}
	})
}

func TestAssign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		tk := f.report(t, f.emp)
		if err := f.s.Assign(ctx, f.it1, tk.ID, f.fac.ID); !errors.Is(err, ErrAssignee) {
			t.Errorf("assign to facilities: %v; want ErrAssignee", err)
		}
		if err := f.s.Assign(ctx, f.emp, tk.ID, f.it1.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("the reporter assigns: %v; want ErrForbidden", err)
		}
		must(t, f.s.Assign(ctx, f.it1, tk.ID, f.it2.ID))
		got := f.ticket(t, tk.ID)
		if got.State != StateAssigned || got.AssigneeID == nil || *got.AssigneeID != f.it2.ID {
			t.Errorf("after Assign: %+v; want assigned to Szűcs", got)
		}
		must(t, f.s.ChangeState(ctx, f.it2, tk.ID, StateInProgress, ""))
		must(t, f.s.Assign(ctx, f.it2, tk.ID, f.it1.ID)) // handed over in work
		if got := f.ticket(t, tk.ID); got.State != StateInProgress || *got.AssigneeID != f.it1.ID {
			t.Errorf("after the handover: %s, %d; want in_progress with Orsós", got.State, *got.AssigneeID)
		}
		must(t, f.s.Resolve(ctx, f.it1, tk.ID, ResolvedRepaired, ""))
		if err := f.s.Assign(ctx, f.it1, tk.ID, f.it2.ID); !errors.Is(err, ErrTransition) {
			t.Errorf("assign a resolved ticket: %v; want ErrTransition", err)
		}
		tk = f.report(t, f.emp)
		must(t, f.s.Assign(ctx, f.it1, tk.ID, f.it2.ID))
		err := f.s.Take(ctx, f.it1, tk.ID)
		var te *TakenError
		if !errors.As(err, &te) || te.By != "Szűcs Ágota" {
			t.Errorf("Take of an assigned ticket: %v; want TakenError naming Szűcs Ágota", err)
		}
	})
}

// TestTakeRace: two staff take the same ticket at once; exactly one gets it,
// the other is told who.
func TestTakeRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		staff := []actor.Actor{f.it1, f.it2}
		for i := 0; i < 20; i++ {
			tk := f.report(t, f.emp)
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			for j, a := range staff {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[j] = f.s.Take(ctx, a, tk.ID)
				}()
			}
			close(start)
			wg.Wait()
			got := f.ticket(t, tk.ID)
			winners := 0
			for j, err := range errs {
				if err == nil {
					winners++
					if got.AssigneeID == nil || *got.AssigneeID != staff[j].ID {
						t.Errorf("round %d: %s won but the ticket is not theirs", i, staff[j].Name)
					}
					continue
				}
				var te *TakenError
				if !errors.As(err, &te) || te.By != staff[1-j].Name || !errors.Is(err, ErrTaken) {
					t.Errorf("round %d: loser %s got %v; want TakenError naming %s", i, staff[j].Name, err, staff[1-j].Name)
				}
			}
			if winners != 1 {
				t.Fatalf("round %d: %d winners (%v); want exactly one", i, winners, errs)
			}
			var n int64
			must(t, d.W.Model(&TicketEvent{}).Where("ticket_id = ? AND kind = ?", tk.ID, EventAssign).Count(&n).Error)
			if n != 1 {
				t.Errorf("round %d: %d assignment events; want 1", i, n)
			}
		}
	})
}

// TestMessagesInBothLanguages: every error a person can meet has a sentence
// in hu and en; the loser of a Take reads the winner's name.
func TestMessagesInBothLanguages(t *testing.T) {
	c, err := i18n.Load()
	must(t, err)
	for e := range messages {
		key, _ := Message(e)
		for _, lang := range []string{"hu", "en"} {
			if got := c.T(lang, key); got == key || key == "" {
				t.Errorf("%v: no %s sentence for %q", e, lang, key)
			}
		}
	}
	// The asset import reports its problems by key: each message key written
	// in the module's code has its sentences too.
	for _, file := range []string{"asset.go", "asset_csv.go", "service.go", "errors.go"} {
		src, err := os.ReadFile(file)
		must(t, err)
		for _, m := range regexp.MustCompile(`"(helpdesk\.(?:asset\.)?err\.[a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
			for _, lang := range []string{"hu", "en"} {
				if got := c.T(lang, m[1]); got == m[1] {
					t.Errorf("%s: no %s sentence for %q", file, lang, m[1])
				}
			}
		}
	}
	key, args := Message(fmt.Errorf("take: %w", &TakenError{By: "Szűcs Ágota"}))
	if got := c.T("hu", key, args...); !strings.Contains(got, "Szűcs Ágota") {
		t.Errorf("taken message = %q; want it to name Szűcs Ágota", got)
	}
}

func TestSetPriority(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		tk := f.report(t, f.emp) // hinders × medium = 3
		if err := f.s.SetPriority(ctx, f.emp, tk.ID, ImpactBlocks, UrgencyHigh); !errors.Is(err, ErrForbidden) {
			t.Errorf("the reporter raises the priority: %v; want ErrForbidden", err)
		}
		if err := f.s.SetPriority(ctx, f.it1, tk.ID, "huge", UrgencyHigh); !errors.Is(err, ErrImpact) {
			t.Errorf("unknown impact: %v; want ErrImpact", err)
		}
		must(t, f.s.SetPriority(ctx, f.it1, tk.ID, ImpactBlocks, UrgencyHigh))
		if got := f.ticket(t, tk.ID); got.Priority != 1 {
			t.Errorf("priority = %d; want 1", got.Priority)
		}
		var e TicketEvent
		must(t, d.W.Where("ticket_id = ? AND kind = ?", tk.ID, EventPriority).First(&e).Error)
		if e.From != "3" || e.To != "1" || e.ByID != f.it1.ID {
			t.Errorf("priority event = %+v; want 3 → 1 by Orsós", e)
		}
	})
}
