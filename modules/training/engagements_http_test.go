package training_test

import (
	"context"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/training"
)

// TestEngagements: one call answers for several people; a session's working
// days within the asked span count, for a place enrolled, attended or
// completed, never for a no-show, a waiting place or a cancelled session.
func TestEngagements(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		year := kaputest.Today(t, app).Year + 1
		monday := calendar.NewDate(year, 9, 7)
		for monday.Weekday() != 1 {
			monday = monday.AddDays(1)
		}
		tr := fxTraining(t, app, year, "ENG")
		week := fxSession(t, app, tr, monday.AddDays(3), monday.AddDays(7), training.SessionScheduled) // Thu–Mon
		fxEnrol(t, app, week, "employee", training.EnrolEnrolled, "")
		fxEnrol(t, app, week, "manager", training.EnrolDone, training.OutcomeAttended)
		fxEnrol(t, app, week, "simon.reka", training.EnrolDone, training.OutcomeNoShow)
		fxEnrol(t, app, week, "lakatos.bence", training.EnrolWaiting, "")
		off := fxSession(t, app, fxTraining(t, app, year, "OFF"), monday, monday, training.SessionCancelled)
		fxEnrol(t, app, off, "employee", training.EnrolEnrolled, "")

		ids := []uint{}
		for _, u := range []string{"employee", "manager", "simon.reka", "lakatos.bence"} {
			ids = append(ids, kaputest.Person(t, app, u).ID)
		}
		// Asked from Friday on: Friday and Monday, the weekend skipped.
		es, err := app.Training.Engagements(ctx, ids, monday.AddDays(4), monday.AddDays(13))
		if err != nil {
			t.Fatal(err)
		}
		got := map[uint][]calendar.Date{}
		for _, e := range es {
			got[e.PersonID] = append(got[e.PersonID], e.Day)
			if e.Title("en") != "Course ENG" || e.Title("hu") != "Képzés ENG" || e.FromMin != 9*60 || e.ToMin != 13*60 {
				t.Errorf("engagement %+v: wrong title or hours", e)
			}
		}
		want := []calendar.Date{monday.AddDays(4), monday.AddDays(7)}
		for _, u := range []string{"employee", "manager"} {
			days := got[kaputest.Person(t, app, u).ID]
			if len(days) != 2 || days[0] != want[0] || days[1] != want[1] {
				t.Errorf("%s's engagements %v; want %v", u, days, want)
			}
		}
		if len(es) != 4 {
			t.Errorf("%d engagements; want 4 (no-show, waiting and cancelled left out)", len(es))
		}
	})
}
