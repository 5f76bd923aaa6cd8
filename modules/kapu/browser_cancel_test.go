package kapu_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kapu/modules/booking"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
)

// TestBrowserCancelUndo follows a cancellation with JavaScript on: My
// bookings' Cancel opens the confirmation in a dialog (Escape and "keep it"
// close it and change nothing), its button cancels, and the message after it
// offers Undo, which brings the booking back.
func TestBrowserCancelUndo(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite)
	b := startBrowser(t, chromium, serve(t, app))

	room := kaputest.Resource(t, app, "Kis tárgyaló")
	start, end, err := booking.LocalTimes(kaputest.NextWorkday(t, app), "10:00", "11:00", app.Cfg.TZ)
	if err != nil {
		t.Fatal(err)
	}
	bk, err := app.Booking.Book(context.Background(), kaputest.Person(t, app, "employee").Actor(),
		booking.BookingInput{ResourceID: room.ID, Start: start, End: end, Title: "Visszavonható"})
	if err != nil {
		t.Fatal(err)
	}
	status := func() string {
		var got booking.Booking
		app.DB.R.First(&got, bk.ID)
		return got.Status
	}
	cancel := fmt.Sprintf(`a[href="/bookings/%d/cancel"]`, bk.ID)
	dialog := `dialog.confirm-dialog[open]`

	b.login("employee", "demo")
	b.wantPage(b.open("/bookings/mine"), 200, "/bookings/mine")

	// Escape closes the dialog, and nothing changed.
	b.do("click Cancel", chromedp.Click(chromedp.CSS(cancel)), chromedp.WaitVisible(chromedp.CSS(dialog)))
	if txt := b.text(dialog); !strings.Contains(txt, room.Name) || !strings.Contains(txt, "10:00–11:00") || !strings.Contains(txt, "Yes, cancel the booking") {
		b.fatalf("the dialog says %q; want the room, the time and the button", txt)
	}
	if !strings.HasSuffix(b.location(), "/bookings/mine") {
		b.fatalf("the Cancel link left the page instead of opening a dialog")
	}
	b.screenshot("cancel-dialog")
	b.do("press Escape", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotPresent(chromedp.CSS(`dialog.confirm-dialog`)))
	if s := status(); s != booking.StatusConfirmed {
		t.Fatalf("after Escape the booking is %s; want confirmed", s)
	}

	// "Keep it" closes it too.
	b.do("click Cancel again", chromedp.Click(chromedp.CSS(cancel)), chromedp.WaitVisible(chromedp.CSS(dialog)))
	b.do("click keep it", chromedp.Click(chromedp.CSS(dialog+` [data-confirm-keep]`)), chromedp.WaitNotPresent(chromedp.CSS(`dialog.confirm-dialog`)))
	if s := status(); s != booking.StatusConfirmed || !strings.HasSuffix(b.location(), "/bookings/mine") {
		t.Fatalf("after keep it the booking is %s at %s; want confirmed, still on My bookings", s, b.location())
	}

	// Confirm: cancelled, and the message offers Undo.
	b.do("click Cancel a third time", chromedp.Click(chromedp.CSS(cancel)), chromedp.WaitVisible(chromedp.CSS(dialog)))
	res := b.follow("confirm in the dialog", chromedp.Click(chromedp.CSS(dialog+` button[type="submit"]`)))
	b.wantPage(res, 200, "/bookings/mine")
	if s := status(); s != booking.StatusCancelled {
		t.Fatalf("after confirming the booking is %s; want cancelled", s)
	}
	undo := fmt.Sprintf(`.flash-success form[action="/bookings/%d/restore"] button`, bk.ID)
	if !b.exists(undo) || b.text(undo) != "Undo" {
		b.fatalf("the message after cancelling has no Undo button (%s)", undo)
	}
	b.screenshot("cancel-undo-offered")
	res = b.follow("click Undo", chromedp.Click(chromedp.CSS(undo)))
	b.wantPage(res, 200, "/bookings/mine")
	if s := status(); s != booking.StatusConfirmed {
		t.Fatalf("after Undo the booking is %s; want confirmed", s)
	}
	if !strings.Contains(b.text(".flash-success"), "The booking is back") {
		b.fatalf("after Undo the message says %q; want that the booking is back", b.text(".flash-success"))
	}
}
