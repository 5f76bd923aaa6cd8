package training_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
	"kapu/modules/training"
)

// TestTrainingFeed: a person's feed has an event for each working day of the
// sessions they are enrolled on or attended, with the hours and place; not
// a cancelled session, a waiting place or a no-show. A wrong signature is 404.
func TestTrainingFeed(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		today := kaputest.Today(t, app)
		fxClock(t, app, today)
		tr := fxTraining(t, app, today.Year, "FEED")
		// From a Friday to the Monday after: two working days (unless one is a holiday).
		friday := today.AddDays(7)
		for friday.Weekday() != 5 {
			friday = friday.AddDays(1)
		}
		s := fxSession(t, app, tr, friday, friday.AddDays(3), training.SessionScheduled)
		fxEnrol(t, app, s, "employee", training.EnrolEnrolled, "")
		past := fxSession(t, app, tr, today.AddDays(-20), today.AddDays(-20), training.SessionClosed)
		fxEnrol(t, app, past, "employee", training.EnrolDone, training.OutcomeAttended)
		fxEnrol(t, app, fxSession(t, app, tr, today.AddDays(2), today.AddDays(2), training.SessionCancelled), "simon.reka", training.EnrolEnrolled, "")

		want := 0
		for _, d := range []calendar.Date{friday, friday.AddDays(3), today.AddDays(-20)} {
			if ok, _ := app.Calendar.IsWorkday(ctx, d); ok {
				want++
			}
		}
		emp := kaputest.Person(t, app, "employee")
		sig, err := app.People.FeedSig(ctx, []byte(app.Cfg.Secret), "training", emp.ID)
		if err != nil {
			t.Fatal(err)
		}
		visitor := kaputest.NewClient(t, app)
		res, body := visitor.Get("/training/feed/" + web.FormatID(emp.ID) + "/" + sig + ".ics")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "BEGIN:VCALENDAR") {
			t.Fatalf("GET the feed = %d\n%s", res.StatusCode, body)
		}
		if n := strings.Count(body, "SUMMARY:Course FEED"); n != want {
			t.Errorf("the feed has %d events; want %d (the weekend skipped)\n%s", n, want, body)
		}
		if !strings.Contains(body, "LOCATION:B épület 12") {
			t.Errorf("the feed's events lack the place")
		}
		if res, _ := visitor.Get("/training/feed/" + web.FormatID(emp.ID) + "/" + strings.Repeat("0", len(sig)) + ".ics"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a wrong signature = %d; want 404", res.StatusCode)
		}
		reka := kaputest.Person(t, app, "simon.reka")
		sig, _ = app.People.FeedSig(ctx, []byte(app.Cfg.Secret), "training", reka.ID)
		if _, body := visitor.Get("/training/feed/" + web.FormatID(reka.ID) + "/" + sig + ".ics"); strings.Contains(body, "BEGIN:VEVENT") {
			t.Errorf("a cancelled session is in the feed")
		}
	})
}
