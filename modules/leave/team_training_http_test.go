package leave_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

// ltSession writes a training session from first to last with the people
// enrolled on it in status, straight into the training tables.
func ltSession(t *testing.T, app *kapu.App, code string, first, last calendar.Date, sessionStatus, status string, users ...string) {
	t.Helper()
	tr := training.Training{Year: first.Year, Code: code, TitleHU: "Tűzvédelmi oktatás " + code, TitleEN: "Fire safety " + code,
		Kind: training.KindClassroom, Target: training.TargetEveryone, Active: true}
	if err := app.DB.W.Create(&tr).Error; err != nil {
		t.Fatal(err)
	}
	s := training.Session{TrainingID: tr.ID, FirstDay: first, LastDay: last, FromMin: 9 * 60, ToMin: 13 * 60,
		Seats: 10, Enrolled: len(users), Status: sessionStatus}
	if err := app.DB.W.Create(&s).Error; err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		e := training.Enrolment{TrainingID: tr.ID, SessionID: &s.ID, PersonID: kaputest.Person(t, app, u).ID,
			Status: status, Source: training.SourceHR}
		if err := app.DB.W.Create(&e).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func TestLeaveTeamCalendarShowsTrainingDays(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		next := app.Leave.Today().Year + 1
		week := ltMonday(calendar.NewDate(next, time.September, 8))
		// Thursday to the Monday after: three working days, the weekend skipped.
		ltSession(t, app, "T1", week.AddDays(3), week.AddDays(7), training.SessionScheduled, training.EnrolEnrolled, "employee")
		ltSession(t, app, "T2", week.AddDays(1), week.AddDays(1), training.SessionCancelled, training.EnrolEnrolled, "lakatos.bence")
		ltSession(t, app, "T3", week.AddDays(1), week.AddDays(1), training.SessionScheduled, training.EnrolWaiting, "simon.reka")
		// Annual leave on the Monday after: leave wins the day, the training is not drawn twice.
		ltSubmit(t, app, "hr", "employee", "annual", week.AddDays(7), week.AddDays(7))
		month := fmt.Sprintf("/leave/team?month=%d-09", next)

		res, body := kaputest.SignedIn(t, app, "manager").Get(month)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("manager GET %s = %d; want 200", month, res.StatusCode)
		}
		if n := strings.Count(body, "<title>Training: Fire safety T1</title>"); n != 2 {
			t.Errorf("training days drawn %d times; want 2 (Thursday and Friday; the weekend skipped, Monday is leave)", n)
		}
		if strings.Contains(body, "T2</title>") || strings.Contains(body, "T3</title>") {
			t.Errorf("a cancelled session or a waiting place is drawn as a training day")
		}
		if !strings.Contains(body, `fill="#d97706"></circle></svg> Training</span>`) {
			t.Errorf("the legend does not name the training mark")
		}

		// A Hungarian viewer reads the Hungarian title.
		if err := app.DB.W.Model(&people.Person{}).Where("id = ?", kaputest.Person(t, app, "manager").ID).Update("lang", "hu").Error; err != nil {
			t.Fatal(err)
		}
		_, body = kaputest.SignedIn(t, app, "manager").Get(month)
		if n := strings.Count(body, "<title>Képzés: Tűzvédelmi oktatás T1</title>"); n != 2 {
			t.Errorf("a Hungarian viewer sees the training %d times by its Hungarian title; want 2", n)
		}

		// Away, which routes approvals to deputies, counts a training day.
		employee := kaputest.Person(t, app, "employee").ID
		for _, tt := range []struct {
			day  calendar.Date
			want bool
		}{{week.AddDays(3), true}, {week.AddDays(4), true}, {week.AddDays(5), false}, {week.AddDays(2), false}, {week.AddDays(8), false}} {
			if got, err := app.Leave.Away(ctx, employee, tt.day); err != nil || got != tt.want {
				t.Errorf("Away(employee, %s) = %v, %v; want %v", tt.day, got, err, tt.want)
			}
		}
		if got, _ := app.Leave.Away(ctx, kaputest.Person(t, app, "lakatos.bence").ID, week.AddDays(1)); got {
			t.Errorf("a cancelled session's day counts as away")
		}
	})
}

// The start page's "away from my team" card counts training days too: a
// colleague's two days at a training are one line, with the training named.
func TestTeamAwayCardShowsTrainingDays(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		first := kaputest.WorkdayFrom(t, app, 1)
		second := kaputest.WorkdayOnOrAfter(t, app, first.AddDays(1))
		if second.After(app.Leave.Today().AddDays(6)) {
			t.Skipf("no two working days in the coming week from %s", first)
		}
		ltSession(t, app, "C1", first, second, training.SessionScheduled, training.EnrolEnrolled, "employee")
		_, body := kaputest.SignedIn(t, app, "lakatos.bence").Get("/")
		if n := strings.Count(body, "Training: Fire safety C1"); n != 1 {
			t.Errorf("the team card names the colleague's training %d times; want once, for both days", n)
		}
		if !strings.Contains(body, kaputest.Person(t, app, "employee").Name) {
			t.Errorf("the team card does not name who is at the training")
		}
		if _, body := kaputest.SignedIn(t, app, "employee").Get("/"); strings.Contains(body, "Training: Fire safety C1") {
			t.Errorf("the person at the training sees themself on the team card")
		}
	})
}
