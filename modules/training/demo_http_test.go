package training_test

import (
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/training"
)

// The demo with its history is a city hall's training record: this year's
// catalogue published and next year's in draft, the three mandatory
// trainings, years of imported completions each with its points row,
// sessions in the coming weeks with one full and its waiting list in order,
// and no session above its seats.
func TestDemoTrainingRecords(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		db := app.DB.W
		var published, drafts, mandatory, imported, completions, withPoints, rows int64
		db.Model(&training.Catalogue{}).Where("status = ?", training.CataloguePublished).Count(&published)
		db.Model(&training.Catalogue{}).Where("status = ?", training.CatalogueDraft).Count(&drafts)
		db.Model(&training.Training{}).Where("mandatory AND year = (SELECT MAX(year) FROM training_catalogues WHERE status = 'published')").Count(&mandatory)
		db.Model(&training.Completion{}).Count(&completions)
		db.Model(&training.Completion{}).Where("source = ?", training.CompletionImport).Count(&imported)
		db.Model(&training.Completion{}).Where("points > 0").Count(&withPoints)
		db.Model(&training.PointsRow{}).Count(&rows)
		if published < 5 || drafts != 1 || mandatory != 3 {
			t.Errorf("catalogues: %d published, %d drafts, %d mandatory this year; want years of history, next year's draft, 3", published, drafts, mandatory)
		}
		if imported < 200 || completions <= imported || rows != withPoints {
			t.Errorf("completions: %d, %d imported, %d with points, %d points rows; want years imported, this year's too, a row for each with points", completions, imported, withPoints, rows)
		}
		var over int64
		db.Model(&training.Session{}).Where("enrolled > seats").Count(&over)
		var coming []training.Session
		db.Where("status = ?", training.SessionScheduled).Order("first_day").Find(&coming)
		if over != 0 || len(coming) < 3 {
			t.Errorf("%d sessions above their seats, %d coming; want none, a few", over, len(coming))
		}
		full := 0
		for _, s := range coming {
			var seated, waiting int64
			db.Model(&training.Enrolment{}).Where("session_id = ? AND status = ?", s.ID, training.EnrolEnrolled).Count(&seated)
			db.Model(&training.Enrolment{}).Where("session_id = ? AND status = ?", s.ID, training.EnrolWaiting).Count(&waiting)
			if int(seated) != s.Enrolled {
				t.Errorf("session %d caches %d enrolled; %d hold a seat", s.ID, s.Enrolled, seated)
			}
			if waiting > 0 {
				full++
				if s.Enrolled != s.Seats {
					t.Errorf("session %d has %d waiting with %d of %d seats taken", s.ID, waiting, s.Enrolled, s.Seats)
				}
			}
		}
		if full != 1 {
			t.Errorf("%d coming sessions have a waiting list; want 1", full)
		}
	}, kaputest.WithHistory())
}

// The demo's coming sessions in Kapu rooms hold them through booking: the
// room's calendar shows the training, and the hold is the session's.
func TestDemoSessionsHoldTheirRooms(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		var held []training.Session
		app.DB.W.Where("room_id IS NOT NULL AND status = ?", training.SessionScheduled).Find(&held)
		if len(held) == 0 {
			t.Fatal("no demo session is held in a Kapu room")
		}
		for _, s := range held {
			var tr training.Training
			app.DB.W.First(&tr, s.TrainingID)
			var n int64
			app.DB.W.Table("bookings").Where("resource_id = ? AND series_id = ? AND title = ? AND status = ?", *s.RoomID, *s.RoomHold, tr.TitleHU, "confirmed").Count(&n)
			if n == 0 || s.Place != "" {
				t.Errorf("session %d in room %d: %d bookings of %q under hold %d, place %q; want the room's days booked, no place in words", s.ID, *s.RoomID, n, tr.TitleHU, *s.RoomHold, s.Place)
			}
		}
	}, kaputest.WithHistory())
}

// The demo leaves the manager two training requests and a plan to decide.
func TestDemoRequestsWaitForManager(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := t.Context()
		manager := kaputest.Person(t, app, "manager").Actor()
		inbox, err := app.Approval.InboxIn(ctx, manager.ID, "en")
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, r := range inbox {
			kinds[r.Kind]++
		}
		if kinds[training.KindRequest] < 2 || kinds[training.KindPlan] < 1 {
			t.Errorf("the manager's inbox holds %v; want two training requests and a plan", kinds)
		}
	}, kaputest.WithHistory())
}
