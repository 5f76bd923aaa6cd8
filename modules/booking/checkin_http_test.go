package booking_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
)

// checkInRoom makes the first demo room ask for a check-in and bookable round
// the clock, so the test does not depend on the time of day it runs at.
func checkInRoom(t *testing.T, app *kapu.App) booking.Resource {
	t.Helper()
	r := firstRoom(t, app)
	if err := app.DB.W.Model(&r).Updates(map[string]any{"check_in": true, "open_from": 0, "open_to": 0}).Error; err != nil {
		t.Fatal(err)
	}
	r.CheckIn, r.OpenFrom, r.OpenTo = true, 0, 0
	return r
}

// insertBooking writes a confirmed booking directly, since some start in the past.
func insertBooking(t *testing.T, app *kapu.App, res booking.Resource, username, title string, start, end time.Time, parent *uint) booking.Booking {
	t.Helper()
	p := kaputest.Person(t, app, username)
	start, end = start.UTC().Truncate(time.Second), end.UTC().Truncate(time.Second)
	b := booking.Booking{ResourceID: res.ID, PersonID: p.ID, Title: title, StartAt: start, EndAt: end, BlockEnd: end,
		Quantity: 1, Pooled: res.Pooled(), Status: booking.StatusConfirmed, ParentID: parent, CreatedBy: p.ID}
	if err := app.DB.W.Create(&b).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

func bookingStatus(t *testing.T, app *kapu.App, id uint) booking.Booking {
	t.Helper()
	var b booking.Booking
	if err := app.DB.R.First(&b, id).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBookingCheckInAndNoShow(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		room := checkInRoom(t, app)
		rooms, _ := app.Booking.Resources(ctx, booking.KindRoom)
		other, third := rooms[1], rooms[2]
		for _, r := range []*booking.Resource{&other, &third} {
			if err := app.DB.W.Model(r).Updates(map[string]any{"check_in": true, "open_from": 0, "open_to": 0}).Error; err != nil {
				t.Fatal(err)
			}
		}
		kit := kaputest.Resource(t, app, "Videokonferencia-készlet 1")
		now := time.Now()

		// Nobody checked in 20 minutes after the start; the kit was booked with it.
		missed := insertBooking(t, app, room, "employee", "Elmaradt értekezlet", now.Add(-20*time.Minute), now.Add(40*time.Minute), nil)
		kitRow := insertBooking(t, app, kit, "employee", "", missed.StartAt, missed.EndAt, &missed.ID)
		// Someone checked in to another room's booking in time.
		kept := insertBooking(t, app, other, "employee", "Megtartott értekezlet", now.Add(-20*time.Minute), now.Add(40*time.Minute), nil)
		at := kept.StartAt.Add(5 * time.Minute)
		if err := app.DB.W.Model(&kept).Update("checked_in_at", at).Error; err != nil {
			t.Fatal(err)
		}
		// One starting now-ish (window open) and one much later (window not open yet).
		soon := insertBooking(t, app, third, "employee", "Most kezdődik", now.Add(-5*time.Minute), now.Add(-5*time.Minute).Add(time.Hour), nil)
		later := insertBooking(t, app, other, "employee", "Délutáni", now.Add(3*time.Hour), now.Add(4*time.Hour), nil)

		c := kaputest.SignedIn(t, app, "employee")
		res, body := c.Get("/bookings/mine")
		if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`action="/bookings/%d/checkin"`, soon.ID)) {
			t.Fatalf("my bookings = %d; want a check-in button for the booking starting now", res.StatusCode)
		}
		if strings.Contains(body, fmt.Sprintf(`action="/bookings/%d/checkin"`, later.ID)) {
			t.Errorf("my bookings offers check-in 3 hours early")
		}

		// Too early and too late are refused with when check-in is open; nothing changes.
		for _, tc := range []struct {
			id   uint
			want string
		}{
			{later.ID, "Check-in is not open yet"},
			{missed.ID, "Check-in closed at"},
		} {
			res, _ := c.Post(fmt.Sprintf("/bookings/%d/checkin", tc.id), nil)
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("check-in of %d = %d; want 303 back to my bookings", tc.id, res.StatusCode)
			}
			if _, body := c.Get("/bookings/mine"); !strings.Contains(body, tc.want) {
				t.Errorf("after checking in to %d my bookings lack %q", tc.id, tc.want)
			}
			if b := bookingStatus(t, app, tc.id); b.CheckedInAt != nil {
				t.Errorf("booking %d checked in outside its window", tc.id)
			}
		}
		// Someone else may not check in to my booking.
		stranger := kaputest.SignedIn(t, app, "manager")
		stranger.Get("/bookings/mine")
		if res, _ := stranger.Post(fmt.Sprintf("/bookings/%d/checkin", soon.ID), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("someone else checking in = %d; want 403", res.StatusCode)
		}
		// In the window it works, once.
		if res, _ := c.Post(fmt.Sprintf("/bookings/%d/checkin", soon.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("check-in in the window = %d; want 303", res.StatusCode)
		}
		if _, body := c.Get("/bookings/mine"); !strings.Contains(body, "Checked in at") {
			t.Errorf("my bookings do not say the booking is checked in")
		}
		if b := bookingStatus(t, app, soon.ID); b.CheckedInAt == nil {
			t.Fatalf("booking %d not checked in", soon.ID)
		}

		// The job releases only the missed booking and its kit, once.
		n, err := app.Booking.ReleaseNoShows(ctx)
		if err != nil || n != 1 {
			t.Fatalf("ReleaseNoShows = %d, %v; want 1", n, err)
		}
		if n, err := app.Booking.ReleaseNoShows(ctx); err != nil || n != 0 {
			t.Errorf("second ReleaseNoShows = %d, %v; want 0", n, err)
		}
		for id, want := range map[uint]string{missed.ID: booking.StatusNoShow, kitRow.ID: booking.StatusNoShow,
			kept.ID: booking.StatusConfirmed, soon.ID: booking.StatusConfirmed, later.ID: booking.StatusConfirmed} {
			if got := bookingStatus(t, app, id).Status; got != want {
				t.Errorf("booking %d = %s; want %s", id, got, want)
			}
		}
		var audits int64
		app.DB.R.Model(&audit.Entry{}).Where("action = ? AND entity_id = ?", "booking.no_show", fmt.Sprint(missed.ID)).Count(&audits)
		if audits != 1 {
			t.Errorf("%d audit rows for the no-show; want 1", audits)
		}
		mails := kaputest.MailsTo(t, app, "employee")
		if len(mails) == 0 || !strings.Contains(mails[len(mails)-1].Subject, "was released") {
			t.Errorf("the booker was not told the room was released: %d mails", len(mails))
		}

		// The rest of the slot can be booked again, room and kit together.
		mgr := kaputest.Person(t, app, "manager")
		b, err := app.Booking.Book(ctx, actor.Actor{ID: mgr.ID, Name: mgr.Name, Channel: actor.ChannelApp},
			booking.BookingInput{ResourceID: room.ID, Start: now, End: missed.EndAt, Title: "Beugró megbeszélés",
				Equipment: []booking.EquipmentLine{{ResourceID: kit.ID, Quantity: 1}}})
		if err != nil {
			t.Fatalf("booking the released room for the rest of the slot: %v", err)
		}
		if b.Status != booking.StatusConfirmed {
			t.Errorf("rebooking = %+v", b)
		}
		// The checked-in room stays taken.
		if _, err := app.Booking.Book(ctx, actor.Actor{ID: mgr.ID, Name: mgr.Name, Channel: actor.ChannelApp},
			booking.BookingInput{ResourceID: other.ID, Start: now, End: kept.EndAt}); err == nil {
			t.Errorf("the checked-in room could be booked over")
		}
	})
}
