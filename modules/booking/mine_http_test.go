package booking_test

import (
	"strings"
	"testing"

	"kapu/modules/kapu/kaputest"
)

// My bookings marks a private booking, so the booker knows others see only
// that the room is taken; a normal booking has no mark.
func TestBookingMineMarksPrivate(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "employee")
	secret := bookingForm(t, app, "Titkos egyeztetés", "09:00", "10:00")
	secret.Set("private", "on")
	bookRoom(t, c, secret)
	bookRoom(t, c, bookingForm(t, app, "Nyílt megbeszélés", "11:00", "12:00"))

	_, body := c.Get("/bookings/mine")
	const mark = `<span class="badge badge-muted private-mark"`
	if n := strings.Count(body, mark); n != 1 {
		t.Fatalf("my bookings has %d private marks; want 1", n)
	}
	row := body[strings.Index(body, "Titkos egyeztetés"):]
	if next := strings.Index(row, "</tr>"); next < 0 || !strings.Contains(row[:next], mark) || !strings.Contains(row[:next], ">private</span>") {
		t.Errorf("the private booking's row has no \"private\" badge")
	}
}
