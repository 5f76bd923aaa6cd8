package kapu

import (
	"fmt"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/platform/db"
)

// TestBrowserBookingAdmin opens the resource admin pages and the booking form
// in a real Chromium: the sidebar link, the drawn demo photos actually
// decoding as pictures, and the booking form warning about approval.
func TestBrowserBookingAdmin(t *testing.T) {
	chromium := findChromium(t)
	app := newTestApp(t, db.SQLite)
	b := startBrowser(t, chromium, serve(t, app))
	b.login("facilities", "demo")
	if !b.exists(`#nav a[href="/bookings/admin"]`) {
		b.fatalf("facilities' sidebar has no link to the bookable resources")
	}
	b.wantPage(b.open("/bookings/admin"), 200, "/bookings/admin")
	// Every demo room has a drawn photo.
	var rooms int64
	if err := app.DB.R.Model(&booking.Resource{}).Where("kind = ?", booking.KindRoom).Count(&rooms).Error; err != nil {
		t.Fatal(err)
	}
	// Pictures may finish decoding after the load event; give them a moment.
	loaded := 0
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		loaded = evalJS[int](b, "count the decoded room photos",
			`Array.from(document.querySelectorAll("img.resource-thumb")).filter(i => i.complete && i.naturalWidth > 0).length`)
		if loaded == int(rooms) || time.Now().After(deadline) {
			break
		}
	}
	if loaded != int(rooms) {
		b.fatalf("%d room photos decoded on the admin list; want %d", loaded, int(rooms))
	}
	b.screenshot("booking-admin-rooms")
	room := resourceNamed(t, app, "Polgármesteri tárgyaló")
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
