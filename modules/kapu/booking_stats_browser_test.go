package kapu_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
)

// TestBrowserBookingStats opens the statistics of the demo's last month in a
// real Chromium as fleet: the sidebar link, the drawn charts and the shaded
// heat map, then the period picker without JavaScript tricks (a plain GET form).
func TestBrowserBookingStats(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite, kaputest.WithHistory())
	b := startBrowser(t, chromium, serve(t, app))
	b.login("fleet", "demo")

	link := `#nav a[href="/bookings/stats"]`
	if !b.exists(link) {
		b.fatalf("fleet's sidebar has no link to the booking statistics (%s)", link)
	}
	res := b.follow("click the statistics link", chromedp.Click(chromedp.CSS(link)))
	b.wantPage(res, 200, "/bookings/stats")

	last := calendar.Today(app.Cfg.TZ).AddDays(-7)
	res = b.open("/bookings/stats?period=month&day=" + last.String())
	b.wantPage(res, 200, "/bookings/stats")
	if !b.visible("figure.chart svg") {
		b.fatalf("no chart is drawn on the statistics page")
	}
	if !b.visible(".booking-heat td.heat-5") {
		b.fatalf("the heat map has no cell in the darkest shade")
	}
	if wide := evalJS[bool](b, "measure the page width", `document.documentElement.scrollWidth > document.documentElement.clientWidth`); wide {
		b.fatalf("the statistics page scrolls sideways at 1280px")
	}
	b.screenshot("booking-stats")

	b.do("choose the week and submit the period form",
		chromedp.SetValue(chromedp.ID("f-period"), "week"),
	)
	res = b.follow("show the week", chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	b.wantPage(res, 200, "/bookings/stats")
	if got := b.query().Get("period"); got != "week" {
		b.fatalf("after choosing the week the page shows period=%q", got)
	}
	if h := b.text(".page-head h1"); h == "" {
		b.fatalf("the week's statistics have no heading")
	}
}
