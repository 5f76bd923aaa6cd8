package training_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

// The enrolment tests' fixture: catalogues, trainings and sessions written
// straight into the tables (the catalogue's own service is another slice's),
// and a few people of the demo city hall.

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// enrolFixture is an app with this year's catalogue published.
type enrolFixture struct {
	app   *kapu.App
	year  int
	today calendar.Date
}

func newEnrolFixture(t *testing.T, app *kapu.App) *enrolFixture {
	t.Helper()
	f := &enrolFixture{app: app, today: calendar.Today(app.Cfg.TZ)}
	f.year = f.today.Year
	f.catalogue(t, f.year, training.CataloguePublished)
	return f
}

// catalogue writes year's catalogue with status.
func (f *enrolFixture) catalogue(t *testing.T, year int, status string) {
	t.Helper()
	c := training.Catalogue{Year: year, Status: status}
	if err := f.app.DB.W.Save(&c).Error; err != nil {
		t.Fatal(err)
	}
}

// training writes an active optional training of year, open to everyone,
// 4 hours, 8 points, 45 000 Ft; change adjusts it before it is stored.
func (f *enrolFixture) training(t *testing.T, year int, code string, change ...func(*training.Training)) *training.Training {
	t.Helper()
	tr := &training.Training{Year: year, Code: code, TitleHU: "Tanfolyam " + code, TitleEN: "Course " + code,
		Provider: "Nemzeti Közszolgálati Egyetem", Kind: training.KindClassroom, Minutes: 240, Points: 8, Central: true,
		CostFt: 45000, Target: training.TargetEveryone, Active: true}
	for _, c := range change {
		c(tr)
	}
	active := tr.Active
	if err := f.app.DB.W.Create(tr).Error; err != nil {
		t.Fatal(err)
	}
	if !active { // GORM writes a false bool's default (true) on create
		if err := f.app.DB.W.Model(tr).Update("active", false).Error; err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// session writes a scheduled session of tr in days days, 9:00–12:00, with seats.
func (f *enrolFixture) session(t *testing.T, tr *training.Training, days, seats int) *training.Session {
	t.Helper()
	day := f.today.AddDays(days)
	s := &training.Session{TrainingID: tr.ID, FirstDay: day, LastDay: day, FromMin: 9 * 60, ToMin: 12 * 60,
		Place: "Díszterem", Seats: seats, Status: training.SessionScheduled}
	if err := f.app.DB.W.Create(s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

// fill takes seats of s by people nobody tests (as if they had enrolled).
func (f *enrolFixture) fill(t *testing.T, s *training.Session, n int) {
	t.Helper()
	if err := f.app.DB.W.Model(&training.Session{}).Where("id = ?", s.ID).Update("enrolled", n).Error; err != nil {
		t.Fatal(err)
	}
}

// load reads session id as the database has it now.
func (f *enrolFixture) load(t *testing.T, id uint) training.Session {
	t.Helper()
	var s training.Session
	if err := f.app.DB.W.First(&s, id).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

// enrolment reads enrolment id as the database has it now.
func (f *enrolFixture) enrolment(t *testing.T, id uint) training.Enrolment {
	t.Helper()
	var e training.Enrolment
	if err := f.app.DB.W.First(&e, id).Error; err != nil {
		t.Fatal(err)
	}
	return e
}

// who is a demo person's actor.
func (f *enrolFixture) who(t *testing.T, username string) actor.Actor {
	t.Helper()
	return kaputest.Person(t, f.app, username).Actor()
}

// staff creates n employees of the manager's department, as actors.
func (f *enrolFixture) staff(t *testing.T, n int) []actor.Actor {
	t.Helper()
	dept := kaputest.Person(t, f.app, "employee").DepartmentID
	out := make([]actor.Actor, n)
	for i := range out {
		p := people.Person{Username: fmt.Sprintf("tanulo%02d", i), Name: fmt.Sprintf("Tanuló %02d", i),
			Email: fmt.Sprintf("tanulo%02d@kapu.test", i), DepartmentID: dept, Active: true,
			Roles: []people.PersonRole{{Role: actor.Employee}}}
		if err := f.app.DB.W.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
		out[i] = p.Actor()
	}
	return out
}

// approvePlan gives a an approved plan of year holding trainings, as if the
// manager had approved it.
func (f *enrolFixture) approvePlan(t *testing.T, a actor.Actor, year int, trainings ...*training.Training) {
	t.Helper()
	p := training.Plan{PersonID: a.ID, Year: year, Status: training.PlanApproved, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := f.app.DB.W.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	for _, tr := range trainings {
		if err := f.app.DB.W.Create(&training.PlanItem{PlanID: p.ID, TrainingID: tr.ID}).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// request is a asking for tr on s (nil: no session) with a reason.
func (f *enrolFixture) request(t *testing.T, a actor.Actor, tr *training.Training, s *training.Session) *training.Enrolment {
	t.Helper()
	in := training.EnrolInput{TrainingID: tr.ID, Reason: "Szükséges a munkámhoz."}
	if s != nil {
		in.SessionID = s.ID
	}
	e, err := f.app.Training.RequestTraining(context.Background(), a, in)
	if err != nil {
		t.Fatalf("RequestTraining(%s, %s): %v", a.Name, tr.Code, err)
	}
	return e
}
