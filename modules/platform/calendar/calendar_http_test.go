package calendar_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

func TestCalendarAdmin(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		c := kaputest.SignedIn(t, app, "admin")
		if _, body := c.Get("/admin/calendar?year=2026"); !strings.Contains(body, "Good Friday") || !strings.Contains(body, "252 working days") {
			t.Errorf("calendar 2026 page lacks the holidays or the working-day count (252: each demo swap moves a day off and a day on)")
		}
		d := kaputest.MustDate(t, "2026-12-12") // a Saturday made a workday
		if ok, _ := app.Calendar.IsWorkday(ctx, d); ok {
			t.Fatalf("2026-12-12 is a workday before the change")
		}
		res, _ := c.Post("/admin/calendar", url.Values{"date": {"2026-12-12"}, "kind": {"workday"}, "note": {"instead of 24 Dec"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding a moved working day = %d; want 303", res.StatusCode)
		}
		if ok, _ := app.Calendar.IsWorkday(ctx, d); !ok {
			t.Errorf("2026-12-12 is not a workday after the change")
		}
		c.Get("/admin/calendar?year=2026")
		res, body := c.Post("/admin/calendar", url.Values{"date": {"12/12/2026"}, "kind": {"maybe"}, "note": {"keep me"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="keep me"`) || !strings.Contains(body, "Enter a date as YYYY-MM-DD.") {
			t.Errorf("bad calendar form = %d; want 422 with messages and the note kept", res.StatusCode)
		}
		_, audit := c.Get("/admin/audit?entity=calendar_override")
		if !strings.Contains(audit, "calendar.override.save") || !strings.Contains(audit, "Rendszergazda Róbert") {
			t.Errorf("audit log does not show the calendar change by the admin")
		}
	})
}
