package kapu

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"kapu/modules/booking"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// resourceNamed finds a demo resource by its name.
func resourceNamed(t *testing.T, app *App, name string) booking.Resource {
	t.Helper()
	var r booking.Resource
	if err := app.DB.R.Where("name = ?", name).First(&r).Error; err != nil {
		t.Fatalf("resource %q: %v", name, err)
	}
	return r
}

// bookRoom books a room through the form and fails the test unless it worked.
func bookRoom(t *testing.T, c *client, form url.Values) {
	t.Helper()
	c.get("/bookings/new")
	if res, body := c.post("/bookings/new", form); res.StatusCode != 303 {
		t.Fatalf("booking %v = %d; want 303\n%s", form, res.StatusCode, body)
	}
}

// firstRoom is the first demo room.
func firstRoom(t testing.TB, app *App) booking.Resource {
	t.Helper()
	rooms, err := app.Booking.Resources(context.Background(), booking.KindRoom)
	if err != nil || len(rooms) == 0 {
		t.Fatalf("demo rooms: %v (%d)", err, len(rooms))
	}
	return rooms[0]
}

// bookingForm is a room booking for tomorrow as the form sends it.
func bookingForm(t *testing.T, app *App, title, from, to string) url.Values {
	t.Helper()
	return url.Values{
		"resource": {fmt.Sprint(firstRoom(t, app).ID)}, "day": {nextWorkday(t, app).String()},
		"from": {from}, "to": {to}, "title": {title}, "attendees": {"3"},
	}
}

// testToday is the day the booking tests count from: today, or the day in
// KAPU_TEST_TODAY (YYYY-MM-DD, not in the past), so that the tests' choice of
// dates can be checked as if they ran on a Friday or before a holiday.
func testToday(t testing.TB, app *App) calendar.Date {
	t.Helper()
	today := calendar.Today(app.Cfg.TZ)
	if s := os.Getenv("KAPU_TEST_TODAY"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil || d.Before(today) {
			t.Fatalf("KAPU_TEST_TODAY=%q: want a date from today on (%v)", s, err)
		}
		return d
	}
	return today
}

// workdayFrom is the first working day on or after today+n: rooms are closed
// on weekends and public holidays.
func workdayFrom(t testing.TB, app *App, n int) calendar.Date {
	t.Helper()
	return workdayOnOrAfter(t, app, testToday(t, app).AddDays(n))
}

// nextWorkday is the first working day after today.
func nextWorkday(t testing.TB, app *App) calendar.Date {
	t.Helper()
	return workdayFrom(t, app, 1)
}

// workdayOnOrAfter is the first working day on or after d.
func workdayOnOrAfter(t testing.TB, app *App, d calendar.Date) calendar.Date {
	t.Helper()
	w, err := app.Calendar.NextWorkday(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// weeklyWorkday is the first day on or after today+n that is a working day
// in each of the next weeks weeks too, so a weekly series from it meets no
// day off.
func weeklyWorkday(t testing.TB, app *App, n, weeks int) calendar.Date {
	t.Helper()
	ctx := context.Background()
	for d := workdayFrom(t, app, n); ; d = workdayOnOrAfter(t, app, d.AddDays(1)) {
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
	app := newTestApp(t, "sqlite")
	c := newClientAs(t, app, "employee")
	c.get("/bookings/new")
	form := bookingForm(t, app, "Projekt indítása", "10:00", "11:00")
	res, _ := c.post("/bookings/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /bookings/new = %d; want 303", res.StatusCode)
	}
	if res, body := c.get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, "Projekt indítása") {
		t.Errorf("GET /bookings/mine = %d; want 200 listing the booking", res.StatusCode)
	}
	week := nextWorkday(t, app).String()
	if res, body := c.get("/bookings?week=" + week); res.StatusCode != 200 || !strings.Contains(body, "10:00–11:00 · booked by Papp Eszter") || !strings.Contains(body, "Projekt indítása") {
		t.Errorf("GET /bookings?week=%s = %d; want 200 showing the booking", week, res.StatusCode)
	}

	// The same slot again, by someone else: taken, with the next free times.
	other := newClientAs(t, app, "manager")
	other.get("/bookings/new")
	res, body := other.post("/bookings/new", bookingForm(t, app, "Másik megbeszélés", "10:00", "11:00"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "this time was just taken") {
		t.Fatalf("booking a taken slot = %d; want 422 saying it was just taken", res.StatusCode)
	}
	if !strings.Contains(body, "11:00–12:00") || !strings.Contains(body, "Másik megbeszélés") {
		t.Errorf("taken slot page does not suggest 11:00–12:00 or lost the title")
	}

	// End before start keeps what was typed.
	res, body = other.post("/bookings/new", bookingForm(t, app, "Fordított idő", "15:00", "14:00"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The end is before the start") || !strings.Contains(body, `value="Fordított idő"`) {
		t.Errorf("end before start = %d; want 422 keeping the title", res.StatusCode)
	}

	// Someone else's booking cannot be cancelled; one's own can.
	var b booking.Booking
	if err := app.DB.R.Where("person_id = ?", person(t, app, "employee").ID).First(&b).Error; err != nil {
		t.Fatal(err)
	}
	other.get("/bookings/mine")
	if res, _ := other.post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("cancelling someone else's booking = %d; want 403", res.StatusCode)
	}
	c.get("/bookings/mine")
	if res, _ := c.post(fmt.Sprintf("/bookings/%d/cancel", b.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("cancelling one's own booking = %d; want 303", res.StatusCode)
	}
	if res, body := c.get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, "Cancelled") {
		t.Errorf("my bookings after cancelling = %d; want it shown as cancelled", res.StatusCode)
	}
}

func TestBookingTimelineForEveryAccount(t *testing.T) {
	t.Parallel()
	app := newDemoApp(t, "sqlite")
	for _, acc := range people.DemoAccounts {
		c := newClient(t, app)
		c.login(acc.Username, "demo")
		res, body := c.get("/bookings")
		if res.StatusCode != 200 || !strings.Contains(body, "Nagy tárgyaló") || strings.Contains(body, "booking.") {
			t.Errorf("%s GET /bookings = %d; want 200 with the rooms and no raw keys", acc.Username, res.StatusCode)
		}
		if !strings.Contains(body, "Heti vezetői értekezlet") {
			t.Errorf("%s GET /bookings does not show this week's demo bookings", acc.Username)
		}
	}
}
