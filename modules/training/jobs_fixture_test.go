package training_test

import (
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/notify"
	"kapu/modules/training"
)

// The jobs' tests write trainings, sessions, places and completions straight
// into the tables: the screens that make them belong to other files.

// fxTraining adds a training of year with code, titled in both languages.
func fxTraining(t *testing.T, app *kapu.App, year int, code string) *training.Training {
	t.Helper()
	tr := training.Training{Year: year, Code: code, TitleHU: "Képzés " + code, TitleEN: "Course " + code,
		Kind: training.KindClassroom, Target: training.TargetEveryone, Active: true, Certificate: true, ValidMonths: 12}
	if err := app.DB.W.Create(&tr).Error; err != nil {
		t.Fatal(err)
	}
	return &tr
}

// fxSession adds a session of tr from first to last, 09:00–13:00, in status.
func fxSession(t *testing.T, app *kapu.App, tr *training.Training, first, last calendar.Date, status string) *training.Session {
	t.Helper()
	s := training.Session{TrainingID: tr.ID, FirstDay: first, LastDay: last, FromMin: 9 * 60, ToMin: 13 * 60,
		Place: "B épület 12", Seats: 20, Status: status}
	if err := app.DB.W.Create(&s).Error; err != nil {
		t.Fatal(err)
	}
	return &s
}

// fxEnrol gives username a place on s in status (with outcome when done);
// a place that holds a seat counts in the session's Enrolled.
func fxEnrol(t *testing.T, app *kapu.App, s *training.Session, username, status, outcome string) *training.Enrolment {
	t.Helper()
	e := training.Enrolment{TrainingID: s.TrainingID, SessionID: &s.ID, PersonID: kaputest.Person(t, app, username).ID,
		Status: status, Source: training.SourceHR, Outcome: outcome}
	if err := app.DB.W.Create(&e).Error; err != nil {
		t.Fatal(err)
	}
	if status == training.EnrolEnrolled {
		if err := app.DB.W.Model(s).Update("enrolled", s.Enrolled+1).Error; err != nil {
			t.Fatal(err)
		}
		s.Enrolled++
	}
	return &e
}

// fxCompletion records that username completed tr on day, valid until validUntil.
func fxCompletion(t *testing.T, app *kapu.App, tr *training.Training, username string, day, validUntil calendar.Date) *training.Completion {
	t.Helper()
	c := training.Completion{PersonID: kaputest.Person(t, app, username).ID, TrainingID: tr.ID, CompletedOn: day,
		ValidUntil: validUntil, Source: training.CompletionRecord}
	if err := app.DB.W.Create(&c).Error; err != nil {
		t.Fatal(err)
	}
	return &c
}

// fxClock makes the training service's clock read day at 10:00 local time.
func fxClock(t *testing.T, app *kapu.App, day calendar.Date) {
	t.Helper()
	at, err := calendar.At(day, 10, 0, app.Cfg.TZ)
	if err != nil {
		t.Fatal(err)
	}
	app.Training.SetClock(func() time.Time { return at })
}

// fxMails are username's queued mails whose subject holds part.
func fxMails(t *testing.T, app *kapu.App, username, part string) []notify.Mail {
	t.Helper()
	var out []notify.Mail
	for _, m := range kaputest.MailsTo(t, app, username) {
		if strings.Contains(m.Subject, part) {
			out = append(out, m)
		}
	}
	return out
}
