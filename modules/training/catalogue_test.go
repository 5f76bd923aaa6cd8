package training

import (
	"context"
	"errors"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
)

// adminNow is Thursday 3 December 2026, 9:00 UTC.
var adminNow = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// adminFixture is a fresh database with the module's tables, the audit log
// and the timeline, a department, HR, an employee and a trainer.
type adminFixture struct {
	s                *Service
	now              time.Time
	hr, emp, trainer actor.Actor
	dept             uint
}

func mustA(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newAdminFixture(t testing.TB, d *db.DB) *adminFixture {
	t.Helper()
	ctx := context.Background()
	models := append(append(append(Models(), audit.Models()...), history.Models()...),
		&people.Department{}, &people.Person{}, &people.PersonRole{})
	mustA(t, d.Migrate(ctx, models, Migrations()))
	f := &adminFixture{now: adminNow}
	f.s = NewService(module.Deps{DB: d, Cfg: &config.Config{TZ: time.UTC, Lang: "hu"}})
	f.s.SetClock(func() time.Time { return f.now })
	dep := people.Department{Name: "Hatósági Osztály"}
	mustA(t, d.W.Create(&dep).Error)
	f.dept = dep.ID
	mk := func(username, name string, roles ...string) actor.Actor {
		p := people.Person{Username: username, Name: name, Email: username + "@kapu.test", Active: true, DepartmentID: &dep.ID}
		for _, r := range roles {
			p.Roles = append(p.Roles, people.PersonRole{Role: r})
		}
		mustA(t, d.W.Create(&p).Error)
		return p.Actor()
	}
	f.hr = mk("kovacs", "Kovács Henrietta", actor.HR)
	f.emp = mk("papp", "Papp Eszter", actor.Employee)
	f.trainer = mk("toth", "Tóth Gábor", actor.Employee)
	return f
}

// training adds an active training with code to year's catalogue, starting the year if needed.
func (f *adminFixture) training(t testing.TB, year int, code string) *Training {
	t.Helper()
	ctx := context.Background()
	if _, err := f.s.Catalogue(ctx, f.hr, year); errors.Is(err, ErrYearNotFound) {
		mustA(t, f.s.StartYear(ctx, f.hr, year, 0))
	}
	tr, err := f.s.CreateTraining(ctx, f.hr, year, fireSafety(code))
	mustA(t, err)
	return tr
}

func fireSafety(code string) TrainingInput {
	return TrainingInput{Code: code, TitleHU: "Tűzvédelmi oktatás", TitleEN: "Fire safety", Kind: KindClassroom,
		Minutes: 90, Points: 4, Central: true, Target: TargetEveryone, Certificate: true, ValidMonths: 12, Mandatory: true}
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1,5", 90, true}, {"1.5", 90, true}, {" 8 ", 480, true}, {"0,25", 15, true}, {"0", 0, true},
		{"", 0, false}, {"abc", 0, false}, {"-1", 0, false}, {"1,5,5", 0, false}, {"201", 0, false}, {"NaN", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseHours(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseHours(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTrainingInputCheck(t *testing.T) {
	ok := fireSafety("TUZV-1")
	tests := []struct {
		name string
		edit func(in *TrainingInput)
		want []error
	}{
		{"right", func(*TrainingInput) {}, nil},
		{"code lower case is upper-cased", func(in *TrainingInput) { in.Code = " tuzv-2 " }, nil},
		{"code with a space", func(in *TrainingInput) { in.Code = "TUZ V" }, []error{ErrTrainingCode}},
		{"code with an underscore", func(in *TrainingInput) { in.Code = "TUZ_V" }, []error{ErrTrainingCode}},
		{"no Hungarian title", func(in *TrainingInput) { in.TitleHU = " " }, []error{ErrTrainingTitle}},
		{"unknown kind", func(in *TrainingInput) { in.Kind = "party" }, []error{ErrTrainingKind}},
		{"no hours", func(in *TrainingInput) { in.Minutes = 0 }, []error{ErrTrainingHours}},
		{"too many points", func(in *TrainingInput) { in.Points = maxPoints + 1 }, []error{ErrTrainingPoints}},
		{"negative cost", func(in *TrainingInput) { in.CostFt = -1 }, []error{ErrTrainingCost}},
		{"roles", func(in *TrainingInput) { in.Target, in.TargetList = TargetRoles, []string{"hr", " manager"} }, nil},
		{"unknown role", func(in *TrainingInput) { in.Target, in.TargetList = TargetRoles, []string{"hr", "boss"} }, []error{ErrTargetRole}},
		{"titles empty", func(in *TrainingInput) { in.Target, in.TargetList = TargetTitles, []string{" ", ""} }, []error{ErrTargetEmpty}},
		{"department not a number", func(in *TrainingInput) { in.Target, in.TargetList = TargetDepartments, []string{"x"} }, []error{ErrTargetDept}},
		{"unknown target", func(in *TrainingInput) { in.Target = "all" }, []error{ErrTargetKind}},
		{"validity without certificate", func(in *TrainingInput) { in.Certificate = false }, []error{ErrValidityNoCert}},
		{"validity too long", func(in *TrainingInput) { in.ValidMonths = maxValidity + 1 }, []error{ErrValidityRange}},
		{"due by in the year", func(in *TrainingInput) { in.DueBy = calendar.NewDate(2027, 3, 31) }, nil},
		{"due by another year", func(in *TrainingInput) { in.DueBy = calendar.NewDate(2028, 1, 1) }, []error{ErrDueBy}},
		{"due by for an optional one", func(in *TrainingInput) { in.Mandatory, in.DueBy = false, calendar.NewDate(2027, 3, 31) }, []error{ErrDueByOptional}},
		{"several at once", func(in *TrainingInput) { in.Code, in.TitleHU, in.Points = "", "", -1 }, []error{ErrTrainingCode, ErrTrainingTitle, ErrTrainingPoints}},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		_, err := in.check(2027)
		if tt.want == nil && err != nil {
			t.Errorf("%s: check = %v; want nil", tt.name, err)
		}
		for _, w := range tt.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: check = %v; want %v", tt.name, err, w)
			}
		}
	}
}

// A year is started for this year or the next only, once; a copy takes
// the active trainings as new rows with the same codes and leaves the old
// year's rows as they were; publishing happens once.
func TestStartYearCopiesAndPublishes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newAdminFixture(t, d)
		fire := f.training(t, 2026, "TUZV")
		old := f.training(t, 2026, "REGI")
		mustA(t, f.s.SetTrainingActive(ctx, f.hr, old.ID, false))
		for _, y := range []int{2025, 2028} {
			if err := f.s.StartYear(ctx, f.hr, y, 0); !errors.Is(err, ErrYearRange) {
				t.Errorf("StartYear(%d) = %v; want ErrYearRange", y, err)
			}
		}
		if err := f.s.StartYear(ctx, f.emp, 2027, 2026); !errors.Is(err, ErrNotHR) {
			t.Errorf("an employee's StartYear = %v; want ErrNotHR", err)
		}
		if err := f.s.StartYear(ctx, f.hr, 2027, 2024); !errors.Is(err, ErrCopyFrom) {
			t.Errorf("a copy of a year without a catalogue = %v; want ErrCopyFrom", err)
		}
		mustA(t, f.s.StartYear(ctx, f.hr, 2027, 2026))
		if err := f.s.StartYear(ctx, f.hr, 2027, 0); !errors.Is(err, ErrYearExists) {
			t.Errorf("a second start = %v; want ErrYearExists", err)
		}
		rows, err := f.s.YearTrainings(ctx, f.hr, 2027, TrainingFilter{})
		mustA(t, err)
		if len(rows) != 1 || rows[0].Code != "TUZV" || rows[0].ID == fire.ID || rows[0].Points != 4 || !rows[0].Active {
			t.Fatalf("the 2027 copy = %+v; want one new active TUZV", rows)
		}
		again, err := f.s.AdminTraining(ctx, f.hr, fire.ID)
		mustA(t, err)
		if again.Year != 2026 {
			t.Errorf("the copied training moved to %d", again.Year)
		}
		if err := f.s.PublishYear(ctx, f.hr, 2027); err != nil {
			t.Fatal(err)
		}
		if err := f.s.PublishYear(ctx, f.hr, 2027); !errors.Is(err, ErrPublished) {
			t.Errorf("a second publish = %v; want ErrPublished", err)
		}
		cats, err := f.s.Catalogues(ctx, f.hr)
		mustA(t, err)
		if len(cats) != 2 || cats[0].Year != 2027 || cats[0].Status != CataloguePublished || cats[0].Trainings != 1 || cats[0].Mandatory != 1 ||
			cats[1].Trainings != 1 {
			t.Errorf("Catalogues = %+v", cats)
		}
		if _, err := f.s.CreateTraining(ctx, f.hr, 2027, fireSafety("tuzv")); !errors.Is(err, ErrTrainingCodeTaken) {
			t.Errorf("a second TUZV in 2027 = %v; want ErrTrainingCodeTaken", err)
		}
	})
}

// Once its year is past, a training keeps what its completions were
// recorded against: code, hours, points, central listing and certificate
// are refused (each by its field, a conflict, nothing written); the titles
// and the provider may still be corrected.
func TestPastYearGuard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newAdminFixture(t, d)
		tr := f.training(t, 2026, "ADAT")
		f.now = adminNow.AddDate(1, 0, 0) // 2027: the 2026 catalogue is the past
		tests := []struct {
			field string
			edit  func(in *TrainingInput)
		}{
			{"code", func(in *TrainingInput) { in.Code = "ADAT-2" }},
			{"hours", func(in *TrainingInput) { in.Minutes = 120 }},
			{"points", func(in *TrainingInput) { in.Points = 8 }},
			{"central", func(in *TrainingInput) { in.Central = false }},
			{"certificate", func(in *TrainingInput) { in.Certificate, in.ValidMonths = false, 0 }},
			{"valid_months", func(in *TrainingInput) { in.ValidMonths = 36 }},
		}
		for _, tt := range tests {
			in := InputOf(tr)
			tt.edit(&in)
			_, err := f.s.UpdateTraining(ctx, f.hr, tr.ID, in)
			var le *LockedError
			if !errors.Is(err, ErrPastYear) || !errors.Is(err, errs.Conflict) || !errors.As(err, &le) || le.Field != tt.field {
				t.Errorf("changing %s of a past training = %v; want ErrPastYear on %s", tt.field, err, tt.field)
			}
		}
		in := InputOf(tr)
		in.TitleHU, in.Provider = "Adatvédelmi oktatás (javítva)", "Belső képzés"
		if _, err := f.s.UpdateTraining(ctx, f.hr, tr.ID, in); err != nil {
			t.Errorf("fixing a past training's title = %v; want nil", err)
		}
		got, err := f.s.AdminTraining(ctx, f.hr, tr.ID)
		mustA(t, err)
		if got.TitleHU != "Adatvédelmi oktatás (javítva)" || got.Points != 4 || got.Minutes != 90 || got.Code != "ADAT" || got.ValidMonths != 12 {
			t.Errorf("after the guard the training is %+v", got)
		}
		if _, err := f.s.CreateTraining(ctx, f.hr, 2026, fireSafety("UJ")); !errors.Is(err, ErrPastYearCreate) {
			t.Errorf("a new training in a past year = %v; want ErrPastYearCreate", err)
		}
		// The same changes in the current year are allowed.
		now := f.training(t, 2027, "ADAT")
		in = InputOf(now)
		in.Points, in.Minutes = 8, 120
		if _, err := f.s.UpdateTraining(ctx, f.hr, now.ID, in); err != nil {
			t.Errorf("changing this year's training = %v; want nil", err)
		}
	})
}

func TestSameDayIn(t *testing.T) {
	tests := []struct {
		from calendar.Date
		year int
		want calendar.Date
	}{
		{calendar.NewDate(2026, 3, 31), 2027, calendar.NewDate(2027, 3, 31)},
		{calendar.NewDate(2028, 2, 29), 2029, calendar.NewDate(2029, 2, 28)},
		{calendar.NewDate(2027, 2, 28), 2028, calendar.NewDate(2028, 2, 28)},
		{calendar.Date{}, 2027, calendar.Date{}},
	}
	for _, tt := range tests {
		if got := sameDayIn(tt.from, tt.year); got != tt.want {
			t.Errorf("sameDayIn(%v, %d) = %v; want %v", tt.from, tt.year, got, tt.want)
		}
	}
}
