package kapu_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
)

// TestBrowserBookingAdmin opens the resource admin pages and the booking form
// in a real Chromium: the sidebar link, the drawn demo photos actually
// decoding as pictures, and the booking form warning about approval.
func TestBrowserBookingAdmin(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite)
	b := startBrowser(t, chromium, serve(t, app))
	b.login("facilities", "demo")
	if !b.exists(`#nav a[href="/bookings/admin"]`) {
		b.fatalf("facilities' sidebar has no link to the bookable resources")
	}
	b.wantPage(b.open("/bookings/admin"), 200, "/bookings/admin")
	rooms, err := app.Booking.Resources(context.Background(), booking.KindRoom)
	if err != nil {
		t.Fatal(err)
	}
	// Pictures may finish decoding after the load event; give them a moment.
	loaded := 0
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		loaded = evalJS[int](b, "count the decoded room photos",
			`Array.from(document.querySelectorAll("img.resource-thumb")).filter(i => i.complete && i.naturalWidth > 0).length`)
		if loaded == len(rooms) || time.Now().After(deadline) {
			break
		}
	}
	if loaded != len(rooms) {
		b.fatalf("%d room photos decoded on the admin list; want %d", loaded, len(rooms))
	}
	b.screenshot("booking-admin-rooms")
	room := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
	b.wantPage(b.open(fmt.Sprintf("/bookings/admin/%d", room.ID)), 200, "/bookings/admin/[0-9]+")
	if !b.checked("#f-needs_approval") || b.value("#f-open_from") != "08:00" {
		b.fatalf("the room form does not show the stored rules and hours")
	}
	b.screenshot("booking-admin-room")
	b.wantPage(b.open(fmt.Sprintf("/bookings/new?resource=%d", room.ID)), 200, "/bookings/new")
	if !b.exists(".alert-info") {
		b.fatalf("the booking form does not warn that the room needs approval")
	}
	b.screenshot("booking-form-approval")
}
