package training_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/schedule"
	"kapu/modules/training"
)

// runTwice runs job twice: the first run must act, the second find nothing.
func runTwice(t *testing.T, name string, job func(context.Context) error) {
	t.Helper()
	if err := job(context.Background()); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := job(context.Background()); !errors.Is(err, schedule.ErrNothingToDo) {
		t.Fatalf("%s again: %v, want nothing to do", name, err)
	}
}

func TestJobsRemindAWeekAndADayBefore(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		today := kaputest.Today(t, app)
		fxClock(t, app, today)
		tr := fxTraining(t, app, today.Year, "R1")
		soon := fxSession(t, app, tr, today.AddDays(5), today.AddDays(6), training.SessionScheduled)
		tomorrow := fxSession(t, app, tr, today.AddDays(1), today.AddDays(1), training.SessionScheduled)
		gone := fxSession(t, app, tr, today.AddDays(3), today.AddDays(3), training.SessionCancelled)
		fxEnrol(t, app, soon, "employee", training.EnrolEnrolled, "")
		fxEnrol(t, app, tomorrow, "manager", training.EnrolEnrolled, "")
		fxEnrol(t, app, soon, "simon.reka", training.EnrolWaiting, "")
		fxEnrol(t, app, gone, "lakatos.bence", training.EnrolEnrolled, "")

		runTwice(t, "reminders", app.Training.SendReminders)
		week := fxMails(t, app, "employee", "Reminder: Course R1 starts on")
		if len(week) != 1 || !strings.Contains(week[0].Text, "B épület 12") || !strings.Contains(week[0].Text, "09:00–13:00") {
			t.Fatalf("the week's reminder: %d mails %+v; want one naming the place and hours", len(week), week)
		}
		if n := len(fxMails(t, app, "manager", "Tomorrow: Course R1")); n != 1 {
			t.Errorf("the day's reminder went out %d times; want once", n)
		}
		if n := len(kaputest.MailsTo(t, app, "simon.reka")) + len(kaputest.MailsTo(t, app, "lakatos.bence")); n != 0 {
			t.Errorf("a waiting place or a cancelled session was reminded (%d mails)", n)
		}

		// Four days on, the first session is tomorrow: its day reminder, once.
		fxClock(t, app, today.AddDays(4))
		runTwice(t, "reminders four days on", app.Training.SendReminders)
		if n := len(fxMails(t, app, "employee", "Tomorrow: Course R1")); n != 1 {
			t.Errorf("the day-before reminder went out %d times; want once", n)
		}
		if n := len(fxMails(t, app, "employee", "Reminder: Course R1")); n != 1 {
			t.Errorf("the week's reminder went out again (%d)", n)
		}
	})
}

func TestJobsWarnOfExpiringCertificates(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		today := kaputest.Today(t, app)
		fxClock(t, app, today)
		fire := fxTraining(t, app, today.Year, "FIRE")
		fxCompletion(t, app, fire, "employee", today.AddDays(-300), today.AddDays(60))
		// First aid: the old certificate runs out soon, but a newer one replaced it.
		aidOld, aidNew := fxTraining(t, app, today.Year-3, "AID"), fxTraining(t, app, today.Year, "AID")
		fxCompletion(t, app, aidOld, "employee", today.AddDays(-1000), today.AddDays(20))
		fxCompletion(t, app, aidNew, "employee", today.AddDays(-10), today.AddDays(1000))
		// Far off: no warning yet.
		fxCompletion(t, app, fxTraining(t, app, today.Year, "FAR"), "employee", today.AddDays(-10), today.AddDays(200))

		runTwice(t, "expiry", app.Training.WarnExpiries)
		if n := len(fxMails(t, app, "employee", "Your certificate expires")); n != 1 {
			t.Fatalf("the holder got %d warnings; want 1 (fire safety only)", n)
		}
		if got := fxMails(t, app, "employee", "Course FIRE"); len(got) != 1 {
			t.Errorf("the warning is not about fire safety")
		}
		mgr := fxMails(t, app, "manager", "Papp Eszter's certificate expires")
		if len(mgr) != 1 || !strings.Contains(mgr[0].Subject, "Course FIRE") {
			t.Errorf("the manager got %d warnings; want one about Papp Eszter's fire safety", len(mgr))
		}

		// 35 days on, 25 days are left: the second warning, once.
		fxClock(t, app, today.AddDays(35))
		runTwice(t, "expiry 35 days on", app.Training.WarnExpiries)
		if n := len(fxMails(t, app, "employee", "Your certificate expires")); n != 2 {
			t.Errorf("the holder got %d warnings in all; want 2 (90 and 30 days)", n)
		}
		if n := len(fxMails(t, app, "manager", "certificate expires")); n != 2 {
			t.Errorf("the manager got %d warnings in all; want 2", n)
		}
	})
}

func TestJobsRemindManagersOfMissingPlans(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		year := kaputest.Today(t, app).Year + 1
		planned := kaputest.Person(t, app, "lakatos.bence")
		if err := app.DB.W.Create(&training.Plan{PersonID: planned.ID, Year: year, Status: training.PlanApproved}).Error; err != nil {
			t.Fatal(err)
		}
		notCivil := training.Profile{PersonID: kaputest.Person(t, app, "simon.reka").ID, Education: training.Secondary, CivilServant: false}
		if err := app.DB.W.Save(&notCivil).Error; err != nil { // the demo gave everyone a profile
			t.Fatal(err)
		}
		// Before 15 January nothing is due; without a published catalogue nothing either.
		fxClock(t, app, calendar.NewDate(year, time.January, 10))
		if err := app.Training.RemindPlans(ctx); !errors.Is(err, schedule.ErrNothingToDo) {
			t.Fatalf("plan reminder on 10 January: %v", err)
		}
		fxClock(t, app, calendar.NewDate(year, time.January, 20))
		if err := app.Training.RemindPlans(ctx); !errors.Is(err, schedule.ErrNothingToDo) {
			t.Fatalf("plan reminder without a published catalogue: %v", err)
		}
		if err := app.DB.W.Save(&training.Catalogue{Year: year, Status: training.CataloguePublished}).Error; err != nil { // the demo's is a draft
			t.Fatal(err)
		}
		// After June the year is nearly gone: no reminder any more.
		fxClock(t, app, calendar.NewDate(year, time.July, 1))
		if err := app.Training.RemindPlans(ctx); !errors.Is(err, schedule.ErrNothingToDo) {
			t.Fatalf("plan reminder in July: %v", err)
		}
		fxClock(t, app, calendar.NewDate(year, time.January, 20))
		runTwice(t, "plan reminder", app.Training.RemindPlans)
		got := fxMails(t, app, "manager", "Training plans for")
		if len(got) != 1 {
			t.Fatalf("the manager got %d plan reminders; want 1", len(got))
		}
		if !strings.Contains(got[0].Text, "Papp Eszter") || strings.Contains(got[0].Text, "Lakatos Bence") || strings.Contains(got[0].Text, "Simon Réka") {
			t.Errorf("the reminder names the wrong people:\n%s", got[0].Text)
		}
		if n := len(fxMails(t, app, "employee", "Training plans for")); n != 0 {
			t.Errorf("someone who manages nobody got a plan reminder")
		}
	})
}
