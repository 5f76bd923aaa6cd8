package training_test

import (
	"html"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

// The start page tells a person booked on a session soon when and where it
// is, and someone waiting that they wait; someone booked on nothing soon
// gets no training card at all.
func TestStartPageCardShowsMySessionsSoon(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		for _, status := range []string{training.EnrolEnrolled, training.EnrolWaiting} {
			var e training.Enrolment
			if err := app.DB.W.Where("status = ?", status).Order("id").First(&e).Error; err != nil {
				t.Fatalf("no %s enrolment in the demo: %v", status, err)
			}
			var p people.Person
			var tr training.Training
			app.DB.W.First(&p, e.PersonID)
			app.DB.W.First(&tr, e.TrainingID)
			_, body := kaputest.SignedIn(t, app, p.Username).Get("/")
			body = html.UnescapeString(body)
			if !strings.Contains(body, tr.TitleEN) || !strings.Contains(body, "/training/enrolments/") {
				t.Errorf("%s (%s) does not see %q on the start page", p.Username, status, tr.TitleEN)
			}
			if waits := strings.Contains(body, "Waiting list"); waits != (status == training.EnrolWaiting) {
				t.Errorf("%s (%s): the card says waiting = %v", p.Username, status, waits)
			}
		}
		var booked []uint
		app.DB.W.Model(&training.Enrolment{}).Where("status IN ?", []string{training.EnrolEnrolled, training.EnrolWaiting}).Pluck("person_id", &booked)
		var free people.Person
		if err := app.DB.W.Where("id NOT IN ? AND active", booked).Order("id").First(&free).Error; err != nil {
			t.Fatalf("everyone is booked: %v", err)
		}
		if _, body := kaputest.SignedIn(t, app, free.Username).Get("/"); strings.Contains(body, "My trainings soon") {
			t.Errorf("%s, booked on nothing, has a training card", free.Username)
		}
	}, kaputest.WithHistory())
}
