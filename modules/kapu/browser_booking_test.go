package kapu_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
)

// TestBrowserBookingTimeline follows the main booking flow in Chromium: a
// person opens the room timeline, clicks free space of a room, books it with a
// projector and a flip chart, sees the booking on the timeline and in My
// bookings, and facilities, who prepare both, have their email (what,
// where, when) in the outbox.
func TestBrowserBookingTimeline(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite)
	b := startBrowser(t, chromium, serve(t, app))
	start := time.Now()
	defer func() { t.Logf("browser flow took %s", time.Since(start).Round(time.Millisecond)) }()

	day := kaputest.NextWorkday(t, app)
	room := kaputest.Resource(t, app, "Kis tárgyaló")
	projector := kaputest.Resource(t, app, "Projektor")
	flipchart := kaputest.Resource(t, app, "Flipchart")

	// 1. The timeline: rooms in rows, the chosen day through the date picker.
	b.login("employee", "demo")
	res := b.open("/bookings")
	b.wantPage(res, 200, "/bookings")
	if !b.exists(`.tl-tabs a[aria-current="page"]`) || b.text(`.tl-tabs a[aria-current="page"]`) != "Rooms" {
		b.fatalf("the timeline does not open on the rooms tab")
	}
	res = b.follow("switch to the day view", chromedp.Click(chromedp.CSS(`.tl-views a[href*="view=day"]`)))
	b.wantPage(res, 200, "/bookings")
	b.do("pick the day in the date picker", chromedp.SetValue(chromedp.ID("f-date"), day.String()))
	res = b.follow("submit the date picker", chromedp.Click(chromedp.CSS(`form.tl-date button[type="submit"]`)))
	b.wantPage(res, 200, "/bookings")
	if q := b.query(); q.Get("date") != day.String() || q.Get("view") != "day" {
		b.fatalf("the date picker went to %s; want view=day&date=%s", b.location(), day)
	}
	wide := evalJS[bool](b, "measure the timeline's width",
		`document.documentElement.scrollWidth <= document.documentElement.clientWidth && (() => { const w = document.querySelector(".tl-wrap"); return w.scrollWidth <= w.clientWidth + 1 })()`)
	if !wide {
		b.fatalf("the day timeline scrolls sideways in a 1280 px window")
	}
	b.screenshot("booking-timeline-day")

	// 2. A click on free space of the room at 14:00 opens the form filled in.
	free := fmt.Sprintf(`td.tl-free a[href*="resource=%d"][href*="from=14%%3A00"]`, room.ID)
	if !b.exists(free) {
		b.fatalf("no free space to click for %s at 14:00 (%s)", room.Name, free)
	}
	res = b.follow("click the room's free space at 14:00", chromedp.Click(chromedp.CSS(free)))
	b.wantPage(res, 200, "/bookings/new")
	if b.value("#f-resource") != fmt.Sprint(room.ID) || b.value("#f-day") != day.String() ||
		b.value("#f-from") != "14:00" || b.value("#f-to") != "15:00" {
		b.fatalf("the form is not filled with the room, the day and 14:00–15:00: room %s day %s %s–%s",
			b.value("#f-resource"), b.value("#f-day"), b.value("#f-from"), b.value("#f-to"))
	}

	// 3. Book it with a projector and a flip chart.
	b.do("fill in the title and the equipment",
		chromedp.SendKeys(chromedp.ID("f-title"), "Projektbemutató"),
		chromedp.SetValue(chromedp.ID(fmt.Sprintf("f-eq_%d", projector.ID)), "1"),
		chromedp.SetValue(chromedp.ID(fmt.Sprintf("f-eq_%d", flipchart.ID)), "1"),
	)
	res = b.follow("submit the booking", chromedp.Click(chromedp.CSS(`form[action="/bookings/new"] button[type="submit"]`)))
	b.wantPage(res, 200, "/bookings")
	if !b.exists(".flash-success") {
		b.fatalf("after booking there is no success message")
	}

	// 4. The booking is on the timeline, as the person's own.
	mine := `td.tl-busy.tl-mine`
	if !b.exists(mine) || !strings.Contains(b.text(mine), "Projektbemutató") {
		b.fatalf("the timeline does not show the new booking as mine (%s)", mine)
	}
	if title := b.attr(mine, "title"); !strings.Contains(title, "14:00–15:00") || !strings.Contains(title, "Papp Eszter") {
		b.fatalf("the booking's block says %q; want the time and the booker", title)
	}
	b.screenshot("booking-timeline-booked")

	// 5. And in My bookings, with the equipment.
	res = b.follow("open My bookings", chromedp.Click(chromedp.CSS(`.page-head a[href="/bookings/mine"]`)))
	b.wantPage(res, 200, "/bookings/mine")
	if body := b.text("main"); !strings.Contains(body, "Projektbemutató") || !strings.Contains(body, "1 × Projektor") {
		b.fatalf("My bookings does not list the booking with its projector")
	}

	// 6. Facilities prepares the projector and the flip chart: one email in
	// the outbox naming both; IT has nothing to do.
	mails := kaputest.MailsTo(t, app, "facilities")
	if len(mails) != 1 {
		t.Fatalf("facilities has %d mails in the outbox; want 1", len(mails))
	}
	for _, want := range []string{"1 × Projektor", "1 × Flipchart", room.Name, room.Location, "14:00", "Papp Eszter"} {
		if !strings.Contains(mails[0].Text, want) {
			t.Errorf("facilities' mail does not say %q:\n%s", want, mails[0].Text)
		}
	}
	if n := len(kaputest.MailsTo(t, app, "it")); n != 0 {
		t.Errorf("IT has %d mails in the outbox; want none", n)
	}

	// 7. The week view fits the window too.
	b.open("/bookings?kind=room&view=week&date=" + day.String())
	wide = evalJS[bool](b, "measure the week timeline's width",
		`(() => { const w = document.querySelector(".tl-wrap"); return document.documentElement.scrollWidth <= document.documentElement.clientWidth && w.scrollWidth <= w.clientWidth + 1 })()`)
	if !wide {
		b.fatalf("the week timeline scrolls sideways in a 1280 px window")
	}
	b.screenshot("booking-timeline-week")

	// 8. On a 360 px phone the page stays put: the agenda replaces the grid.
	b.do("emulate a 360px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	b.open("/bookings?kind=car&view=week&date=" + day.String())
	if !evalJS[bool](b, "measure the page's width on a phone",
		`document.documentElement.scrollWidth <= document.documentElement.clientWidth`) {
		b.fatalf("on a 360 px phone the timeline page scrolls sideways")
	}
	if b.visible(`.tl-wrap`) || !b.visible(`.tl-agenda .tl-free a`) {
		b.fatalf("on a 360 px phone the grid shows, or the agenda has no free time to tap")
	}
	b.screenshot("booking-timeline-phone")
}
