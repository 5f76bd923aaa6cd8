package booking_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// bookRoom books a room through the form and fails the test unless it worked.
func bookRoom(t *testing.T, c *kaputest.Client, form url.Values) {
	t.Helper()
	c.Get("/bookings/new")
	if res, body := c.Post("/bookings/new", form); res.StatusCode != 303 {
		t.Fatalf("booking %v = %d; want 303\n%s", form, res.StatusCode, body)
	}
}

// firstRoom is the first demo room.
func firstRoom(t testing.TB, app *kapu.App) booking.Resource {
	t.Helper()
	rooms, err := app.Booking.Resources(context.Background(), booking.KindRoom)
	if err != nil || len(rooms) == 0 {
		t.Fatalf("demo rooms: %v (%d)", err, len(rooms))
	}
	return rooms[0]
}

// bookingForm is a room booking for tomorrow as the form sends it.
func bookingForm(t *testing.T, app *kapu.App, title, from, to string) url.Values {
	t.Helper()
	return url.Values{
		"resource": {fmt.Sprint(firstRoom(t, app).ID)}, "day": {kaputest.NextWorkday(t, app).String()},
		"from": {from}, "to": {to}, "title": {title}, "attendees": {"3"},
	}
}

// weeklyWorkday is the first day on or after today+n that is a working day
// in each of the next weeks weeks too, so a weekly series from it meets no
// day off.
func weeklyWorkday(t testing.TB, app *kapu.App, n, weeks int) calendar.Date {
	t.Helper()
	ctx := context.Background()
	for d := kaputest.WorkdayFrom(t, app, n); ; d = kaputest.WorkdayOnOrAfter(t, app, d.AddDays(1)) {
		ok := true
		for k := 1; k < weeks && ok; k++ {
			w, err := app.Calendar.IsWorkday(ctx, d.AddDays(7*k))
			if err != nil {
				t.Fatal(err)
			}
			ok = w
		}
		if ok {
			return d
		}
	}
}

func TestBookingRoomOverHTTP(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "employee")
	c.Get("/bookings/new")
	form := bookingForm(t, app, "Projekt indítása", "10:00", "11:00")
	res, _ := c.Post("/bookings/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /bookings/new = %d; want 303", res.StatusCode)
	}
	if res, body := c.Get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, "Projekt indítása") {
		t.Errorf("GET /bookings/mine = %d; want 200 listing the booking", res.StatusCode)
	}
	week := kaputest.NextWorkday(t, app).String()
	if res, body := c.Get("/bookings?week=" + week); res.StatusCode != 200 || !strings.Contains(body, "10:00–11:00 · booked by Papp Eszter") || !strings.Contains(body, "Projekt indítása") {
		t.Errorf("GET /bookings?week=%s = %d; want 200 showing the booking", week, res.StatusCode)
	}

	// The same slot again, by someone else: taken, with the next free times.
	other := kaputest.SignedIn(t, app, "manager")
	other.Get("/bookings/new")
	res, body := other.Post("/bookings/new", bookingForm(t, app, "Másik megbeszélés", "10:00", "11:00"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "this time is already booked") {
		t.Fatalf("booking a taken slot = %d; want 422 saying it is already booked", res.StatusCode)
	}
	if !strings.Contains(body, "11:00–12:00") || !strings.Contains(body, "Másik megbeszélés") {
		t.Errorf("taken slot page does not suggest 11:00–12:00 or lost the title")
	}

	// End before start keeps what was typed.
	res, body = other.Post("/bookings/new", bookingForm(t, app, "Fordított idő", "15:00", "14:00"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The end is before the start") || !strings.Contains(body, `value="Fordított idő"`) {
		t.Errorf("end before start = %d; want 422 keeping the title", res.StatusCode)
	}

	// Someone else's booking cannot be cancelled; one's own can.
	var b booking.Booking
	if err := app.DB.R.Where("person_id = ?", kaputest.Person(t, app, "employee").ID).First(&b).Error; err != nil {
		t.Fatal(err)
	}
	other.Get("/bookings/mine")
	if res, _ := other.Post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("cancelling someone else's booking = %d; want 403", res.StatusCode)
	}
	c.Get("/bookings/mine")
	if res, _ := c.Post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("cancelling one's own booking = %d; want 303", res.StatusCode)
	}
	if res, body := c.Get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, "Cancelled") {
		t.Errorf("my bookings after cancelling = %d; want it shown as cancelled", res.StatusCode)
	}
}

func TestBookingTimelineForEveryAccount(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite", kaputest.WithHistory())
	for _, acc := range people.DemoAccounts {
		c := kaputest.NewClient(t, app)
		c.Login(acc.Username, "demo")
		res, body := c.Get("/bookings")
		if res.StatusCode != 200 || !strings.Contains(body, "Nagy tárgyaló") || strings.Contains(body, "booking.") {
			t.Errorf("%s GET /bookings = %d; want 200 with the rooms and no raw keys", acc.Username, res.StatusCode)
		}
		if !strings.Contains(body, "Heti vezetői értekezlet") {
			t.Errorf("%s GET /bookings does not show this week's demo bookings", acc.Username)
		}
	}
}
