package booking_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/places"
)

// holdSpans are the morning spans of days, as a training session asks for them.
func holdSpans(t *testing.T, app *kapu.App, days ...calendar.Date) []places.Span {
	t.Helper()
	out := make([]places.Span, len(days))
	for i, d := range days {
		start, end, err := booking.LocalTimes(d, "09:00", "12:00", app.Cfg.TZ)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = places.Span{Start: start, End: end}
	}
	return out
}

// hold runs HoldRoom in a transaction of its own, as the caller's.
func hold(t *testing.T, app *kapu.App, h places.Hold) (uint, error) {
	t.Helper()
	var ref uint
	err := app.DB.Tx(context.Background(), func(tx *gorm.DB) error {
		var err error
		ref, err = app.Booking.HoldRoom(context.Background(), tx, h)
		return err
	})
	return ref, err
}

func TestHoldRoomBooksEverySpanOrNone(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		hr := kaputest.Person(t, app, "hr").Actor()
		room := kaputest.Resource(t, app, "Nagy tárgyaló")
		d1 := kaputest.WorkdayFrom(t, app, 8)
		d2 := kaputest.WorkdayOnOrAfter(t, app, d1.AddDays(1))

		ref, err := hold(t, app, places.Hold{RoomID: room.ID, Spans: holdSpans(t, app, d1, d2), Title: "Tűzvédelmi oktatás", By: hr, Owner: "training"})
		if err != nil || ref == 0 {
			t.Fatalf("hold: %d, %v", ref, err)
		}
		got := occurrences(t, app, ref)
		if len(got) != 2 {
			t.Fatalf("held %d bookings, want 2", len(got))
		}
		for _, b := range got {
			if b.Status != booking.StatusConfirmed || b.Title != "Tűzvédelmi oktatás" || b.ResourceID != room.ID || b.Private || b.Holder != "training" {
				t.Errorf("held booking %+v: want a confirmed, titled booking of the room, the training's", b)
			}
		}
		// The bookings are the training's: the person who held them cannot
		// cancel or change them through booking, by any path.
		if _, err := app.Booking.Cancel(ctx, hr, got[0].ID); !errors.Is(err, booking.ErrHeldElsewhere) {
			t.Errorf("cancelling a held booking through booking: %v; want ErrHeldElsewhere", err)
		}
		if _, err := app.Booking.CancelFollowing(ctx, hr, got[0].ID); !errors.Is(err, booking.ErrHeldElsewhere) {
			t.Errorf("cancelling a held series through booking: %v; want ErrHeldElsewhere", err)
		}
		c := kaputest.SignedIn(t, app, "hr")
		if res, body := c.Get("/bookings/mine"); res.StatusCode != 200 || strings.Contains(body, fmt.Sprintf("/bookings/%d/cancel", got[0].ID)) {
			t.Errorf("my bookings = %d and offers to cancel the held booking", res.StatusCode)
		}
		if res, _ := c.Get(fmt.Sprintf("/bookings/%d/cancel", got[0].ID)); res.StatusCode != 409 {
			t.Errorf("GET the held booking's cancel page = %d; want 409", res.StatusCode)
		}
		if again := occurrences(t, app, ref); again[0].Status != booking.StatusConfirmed {
			t.Errorf("the held booking is %s after the refusals", again[0].Status)
		}
		// The room's own rules hold against the hold: a booking over it is refused.
		start, end, _ := booking.LocalTimes(d2, "10:00", "11:00", app.Cfg.TZ)
		if _, err := app.Booking.Book(ctx, kaputest.Person(t, app, "employee").Actor(),
			booking.BookingInput{ResourceID: room.ID, Start: start, End: end, Title: "x"}); !errors.Is(err, booking.ErrTaken) {
			t.Fatalf("booking over a hold: %v, want ErrTaken", err)
		}

		// A hold one of whose days is taken is refused whole, and the caller's
		// transaction goes on: a second hold in it still commits.
		d3 := kaputest.WorkdayOnOrAfter(t, app, d2.AddDays(1))
		var second uint
		err = app.DB.Tx(ctx, func(tx *gorm.DB) error {
			_, err := app.Booking.HoldRoom(ctx, tx, places.Hold{RoomID: room.ID, Spans: holdSpans(t, app, d3, d2), Title: "Elsősegély", By: hr})
			if !errors.Is(err, places.ErrRoomTaken) {
				t.Errorf("hold over a taken day: %v, want places.ErrRoomTaken", err)
			}
			other := kaputest.Resource(t, app, "Díszterem (képviselő-testületi ülésterem)")
			second, err = app.Booking.HoldRoom(ctx, tx, places.Hold{RoomID: other.ID, Spans: holdSpans(t, app, d3), Title: "Elsősegély", By: hr})
			return err
		})
		if err != nil || len(occurrences(t, app, second)) != 1 {
			t.Fatalf("second hold after a refused one: %v", err)
		}
		var onD3 int64
		startD3, _, _ := booking.LocalTimes(d3, "09:00", "12:00", app.Cfg.TZ)
		app.DB.R.Model(&booking.Booking{}).Where("resource_id = ? AND start_at = ?", room.ID, startD3.UTC()).Count(&onD3)
		if onD3 != 0 {
			t.Errorf("the refused hold left %d booking(s) on its free day", onD3)
		}

		// Release cancels the hold; the time is free again; twice is no error.
		for range 2 {
			if err := app.DB.Tx(ctx, func(tx *gorm.DB) error { return app.Booking.ReleaseRoom(ctx, tx, hr, ref) }); err != nil {
				t.Fatalf("release: %v", err)
			}
		}
		for _, b := range occurrences(t, app, ref) {
			if b.Status != booking.StatusCancelled {
				t.Errorf("released booking is %s", b.Status)
			}
		}
		if _, err := app.Booking.Book(ctx, kaputest.Person(t, app, "employee").Actor(),
			booking.BookingInput{ResourceID: room.ID, Start: start, End: end, Title: "x"}); err != nil {
			t.Fatalf("booking after the release: %v", err)
		}
		if err := app.DB.Tx(ctx, func(tx *gorm.DB) error { return app.Booking.ReleaseRoom(ctx, tx, hr, 999999) }); err != nil {
			t.Fatalf("releasing an unknown hold: %v", err)
		}
	})
}

func TestHoldRoomRefusesWhatIsNoFreeRoom(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		hr := kaputest.Person(t, app, "hr").Actor()
		day := kaputest.WorkdayFrom(t, app, 8)
		car := kaputest.Resource(t, app, "Skoda Octavia")
		approval := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
		closed := kaputest.Resource(t, app, "Kis tárgyaló")
		if err := app.DB.W.Model(&booking.Resource{}).Where("id = ?", closed.ID).Update("active", false).Error; err != nil {
			t.Fatal(err)
		}
		past := kaputest.Today(t, app).AddDays(-7)
		for name, h := range map[string]places.Hold{
			"a car":                 {RoomID: car.ID, Spans: holdSpans(t, app, day)},
			"a room with approval":  {RoomID: approval.ID, Spans: holdSpans(t, app, day)},
			"an inactive room":      {RoomID: closed.ID, Spans: holdSpans(t, app, day)},
			"an unknown room":       {RoomID: 999999, Spans: holdSpans(t, app, day)},
			"no spans":              {RoomID: kaputest.Resource(t, app, "Nagy tárgyaló").ID},
			"a day in the past":     {RoomID: kaputest.Resource(t, app, "Nagy tárgyaló").ID, Spans: holdSpans(t, app, past)},
			"a day off of the room": {RoomID: kaputest.Resource(t, app, "Nagy tárgyaló").ID, Spans: holdSpans(t, app, weekendAfter(t, app, day))},
		} {
			h.Title, h.By = "Oktatás", hr
			if _, err := hold(t, app, h); !errors.Is(err, places.ErrRoomTaken) {
				t.Errorf("%s: %v, want places.ErrRoomTaken", name, err)
			}
		}
		var n int64
		app.DB.R.Model(&booking.Booking{}).Where("title = ?", "Oktatás").Count(&n)
		if n != 0 {
			t.Errorf("refused holds left %d bookings", n)
		}
	})
}

// weekendAfter is the first day after d that is not a working day.
func weekendAfter(t *testing.T, app *kapu.App, d calendar.Date) calendar.Date {
	t.Helper()
	for d = d.AddDays(1); ; d = d.AddDays(1) {
		ok, err := app.Calendar.IsWorkday(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return d
		}
	}
}
