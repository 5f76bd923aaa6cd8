package kapu_test

import (
	"net/http"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// Replacing the calendar links on the profile ends every link given out
// before, bookings and leave alike; the pages then show new links that work.
func TestFeedLinksReplaced(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "employee")
		links := func() (bookings, leave string) {
			t.Helper()
			_, mine := c.Get("/bookings/mine")
			_, overview := c.Get("/leave")
			b, l := kaputest.BookingFeedRe.FindStringSubmatch(mine), kaputest.LeaveFeedRe.FindStringSubmatch(overview)
			if b == nil || l == nil {
				t.Fatal("My bookings or My leave shows no feed link")
			}
			return b[1], l[0]
		}
		calendarApp := kaputest.NewClient(t, app)
		fetch := func(path string) int {
			t.Helper()
			res, _ := calendarApp.Get(path)
			return res.StatusCode
		}
		oldBookings, oldLeave := links()
		if fetch(oldBookings) != http.StatusOK || fetch(oldLeave) != http.StatusOK {
			t.Fatal("the feed links do not work before they are replaced")
		}
		c.Get("/profile")
		if res, _ := c.Post("/profile/feeds", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("replace the links = %d; want 303", res.StatusCode)
		}
		if _, body := c.Get("/profile"); !strings.Contains(body, "Your calendar links were replaced") {
			t.Error("the profile does not confirm the new links")
		}
		newBookings, newLeave := links()
		if newBookings == oldBookings || newLeave == oldLeave {
			t.Fatal("the pages still show the old links")
		}
		for path, want := range map[string]int{oldBookings: 404, oldLeave: 404, newBookings: 200, newLeave: 200} {
			if got := fetch(path); got != want {
				t.Errorf("GET %s = %d; want %d", path, got, want)
			}
		}
		// Someone else's links are untouched.
		other := kaputest.SignedIn(t, app, "manager")
		if _, mine := other.Get("/bookings/mine"); fetch(kaputest.BookingFeedRe.FindStringSubmatch(mine)[1]) != http.StatusOK {
			t.Error("another person's booking feed stopped working")
		}
	})
}
