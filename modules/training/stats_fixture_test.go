package training

import (
	"context"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
)

// statsNow is Monday 15 June 2026, 9:00 UTC: the statistics' today.
var statsNow = time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)

// statsFixture is a fresh database with the training tables and the
// people's, two departments, and the service with its clock at statsNow.
type statsFixture struct {
	s            *Service
	d            *db.DB
	dept1, dept2 uint
}

func statsMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sday is an ISO day; it fails the test for a bad one.
func statsDay(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	statsMust(t, err)
	return d
}

func newStatsFixture(t testing.TB, d *db.DB) *statsFixture {
	t.Helper()
	models := append(Models(), &people.Department{}, &people.Person{}, &people.PersonRole{})
	statsMust(t, d.Migrate(context.Background(), models, Migrations()))
	cat, err := i18n.Load()
	statsMust(t, err)
	f := &statsFixture{d: d, s: NewService(module.Deps{DB: d, Catalog: cat, Cfg: &config.Config{TZ: time.UTC}})}
	f.s.SetClock(func() time.Time { return statsNow })
	for i, name := range []string{"Pénzügyi Osztály", "Hatósági Osztály"} {
		dep := people.Department{Name: name}
		statsMust(t, d.W.Create(&dep).Error)
		if i == 0 {
			f.dept1 = dep.ID
		} else {
			f.dept2 = dep.ID
		}
	}
	return f
}

// person adds an active member of staff of dept (0: none) with roles.
func (f *statsFixture) person(t testing.TB, username, name string, dept uint, roles ...string) *people.Person {
	t.Helper()
	p := &people.Person{Username: username, Name: name, Email: username + "@kapu.test", Active: true}
	if dept != 0 {
		p.DepartmentID = &dept
	}
	for _, r := range roles {
		p.Roles = append(p.Roles, people.PersonRole{Role: r})
	}
	statsMust(t, f.d.W.Create(p).Error)
	return p
}

// training adds t with the defaults a test does not care about.
func (f *statsFixture) training(t testing.TB, tr Training) *Training {
	t.Helper()
	if tr.TitleHU == "" {
		tr.TitleHU, tr.TitleEN = "Képzés "+tr.Code, "Training "+tr.Code
	}
	if tr.Kind == "" {
		tr.Kind = KindClassroom
	}
	if tr.Target == "" {
		tr.Target = TargetEveryone
	}
	tr.Active = true
	statsMust(t, f.d.W.Create(&tr).Error)
	return &tr
}

// complete records p's completion of tr on the ISO day on, with its own
// minutes and points, valid until the ISO day until ("" for ever).
func (f *statsFixture) complete(t testing.TB, p *people.Person, tr *Training, on string, minutes, points int, until string) *Completion {
	t.Helper()
	c := &Completion{PersonID: p.ID, TrainingID: tr.ID, CompletedOn: statsDay(t, on), Minutes: minutes, Points: points, Source: CompletionImport}
	if until != "" {
		c.ValidUntil = statsDay(t, until)
	}
	statsMust(t, f.d.W.Create(c).Error)
	return c
}

// session adds a session of tr beginning on the ISO day first.
func (f *statsFixture) session(t testing.TB, tr *Training, first string) *Session {
	t.Helper()
	s := &Session{TrainingID: tr.ID, FirstDay: statsDay(t, first), LastDay: statsDay(t, first), FromMin: 9 * 60, ToMin: 12 * 60, Seats: 20, Status: SessionClosed}
	statsMust(t, f.d.W.Create(s).Error)
	return s
}

// enrolment adds p's finished enrolment of session s with outcome, and
// their feedback when score is 1–5.
func (f *statsFixture) enrolment(t testing.TB, p *people.Person, s *Session, outcome string, score int) *Enrolment {
	t.Helper()
	status := EnrolDone
	if outcome == "" {
		status = EnrolEnrolled
	}
	e := &Enrolment{TrainingID: s.TrainingID, SessionID: &s.ID, PersonID: p.ID, Status: status, Source: SourceRequest, Outcome: outcome}
	statsMust(t, f.d.W.Create(e).Error)
	if score > 0 {
		statsMust(t, f.d.W.Create(&Feedback{EnrolmentID: e.ID, Score: score}).Error)
	}
	return e
}
