package kapu_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
)

// TestBrowserBookingAlreadyBooked: a person books a room that is already
// booked; the form says so, and offers the other rooms free then, which fit
// the window at 1280 and at 360 px; one click on another room fills the form
// again with everything typed, and booking it works.
func TestBrowserBookingAlreadyBooked(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite)
	b := startBrowser(t, chromium, serve(t, app))

	day := kaputest.NextWorkday(t, app).String()
	asked := kaputest.Resource(t, app, "Nagy tárgyaló")
	other := kaputest.Resource(t, app, "Ügyfélszolgálati tárgyaló")
	first := kaputest.SignedIn(t, app, "employee")
	first.Get("/bookings/new")
	if res, body := first.Post("/bookings/new", url.Values{"resource": {fmt.Sprint(asked.ID)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"}, "title": {"Első"}}); res.StatusCode != 303 {
		t.Fatalf("the first booking = %d\n%s", res.StatusCode, body)
	}

	b.login("manager", "demo")
	res := b.open(fmt.Sprintf("/bookings/new?resource=%d&day=%s&from=10:00&to=11:00", asked.ID, day))
	b.wantPage(res, 200, "/bookings/new")
	b.do("fill in the title and the attendees",
		chromedp.SendKeys(chromedp.ID("f-title"), "Költségvetés"),
		chromedp.SetValue(chromedp.ID("f-attendees"), "7"),
	)
	res = b.follow("submit the booking", chromedp.Click(chromedp.CSS(`form[action="/bookings/new"] button.btn[type="submit"]:not([name])`)))
	b.wantPage(res, 422, "/bookings/new")
	if msg := b.text("#f-from-error"); msg != "Sorry, this time is already booked." {
		b.fatalf("the start time says %q; want that it is already booked", msg)
	}
	pick := fmt.Sprintf(`.other-rooms form:has(input[name="resource"][value="%d"]) button`, other.ID)
	if !b.exists(pick) || b.text(pick) != "Choose "+other.Name {
		b.fatalf("the answer offers no button to choose %s", other.Name)
	}
	// The page does not scroll sideways, and every choose button stays inside its box.
	fits := `document.documentElement.scrollWidth <= document.documentElement.clientWidth &&
		[...document.querySelectorAll(".other-rooms button")].every(el => el.getBoundingClientRect().right <= el.closest(".other-rooms").getBoundingClientRect().right)`
	if !evalJS[bool](b, "measure the page at 1280 px", fits) {
		b.fatalf("the 'already booked' page scrolls sideways at 1280 px, or a choose button sticks out of its box")
	}
	b.screenshot("booking-already-booked")
	b.do("emulate a 360px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	if !evalJS[bool](b, "measure the page at 360 px", fits) || !b.visible(pick) {
		b.fatalf("the 'already booked' page scrolls sideways at 360 px, or hides the other rooms")
	}
	b.screenshot("booking-already-booked-360")

	res = b.follow("choose the other room", chromedp.Click(chromedp.CSS(pick)))
	b.wantPage(res, 200, "/bookings/new")
	if b.value("#f-resource") != fmt.Sprint(other.ID) || b.value("#f-title") != "Költségvetés" || b.value("#f-attendees") != "7" ||
		b.value("#f-day") != day || b.value("#f-from") != "10:00" || b.value("#f-to") != "11:00" {
		b.fatalf("after choosing the room the form has room %s, %q, %s attendees, %s %s–%s; want everything kept",
			b.value("#f-resource"), b.value("#f-title"), b.value("#f-attendees"), b.value("#f-day"), b.value("#f-from"), b.value("#f-to"))
	}
	res = b.follow("book the other room", chromedp.Click(chromedp.CSS(`form[action="/bookings/new"] button.btn[type="submit"]:not([name])`)))
	b.wantPage(res, 200, "/bookings")
	if !b.exists(".flash-success") {
		b.fatalf("after booking the other room there is no success message")
	}
}
