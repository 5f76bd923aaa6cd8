package calendar_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
)

// Removing a calendar change asks first, on a page that names the day and
// changes nothing; the list's Delete is a link to it.
func TestCalendarOverrideDeleteAsksFirst(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		c := kaputest.SignedIn(t, app, "admin")
		c.Get("/admin/calendar?year=2027")
		if res, _ := c.Post("/admin/calendar", url.Values{"date": {"2027-12-27"}, "kind": {"holiday"}, "note": {"bridge day"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding a day off = %d; want 303", res.StatusCode)
		}
		var o calendar.Override
		app.DB.R.Where("date = ?", kaputest.MustDate(t, "2027-12-27")).First(&o)
		path := fmt.Sprintf("/admin/calendar/%d/delete", o.ID)
		if _, body := c.Get("/admin/calendar?year=2027"); !strings.Contains(body, `href="`+path+`"`) {
			t.Errorf("the calendar page's Delete is not a link to %s", path)
		}
		res, body := c.Get(path)
		for _, want := range []string{"27 Dec 2027", "Extra day off", "bridge day", `action="` + path + `"`, `href="/admin/calendar?year=2027"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s = %d; want %q on the confirmation page", path, res.StatusCode, want)
			}
		}
		if ok, _ := app.Calendar.IsWorkday(ctx, o.Date); ok {
			t.Fatalf("the confirmation page removed the day off")
		}
		if res, _ := kaputest.SignedIn(t, app, "employee").Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee opening %s = %d; want 403", path, res.StatusCode)
		}
		if res, _ := c.Get("/admin/calendar/999999/delete"); res.StatusCode != http.StatusNotFound {
			t.Errorf("the confirmation of an unknown change = %d; want 404", res.StatusCode)
		}
		if res, _ := c.Post(path, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s = %d; want 303", path, res.StatusCode)
		}
		if ok, _ := app.Calendar.IsWorkday(ctx, o.Date); !ok {
			t.Errorf("after the POST 2027-12-27 is still a day off")
		}
	})
}
