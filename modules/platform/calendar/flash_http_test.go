package calendar_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// A success message writes its date as the pages do, in the reader's
// language, not as the ISO date the form sent.
func TestCalendarFlashDateInReadersLanguage(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "admin")
		for _, tt := range []struct{ lang, date, want string }{
			{"hu", "2026-12-12", "2026. 12. 12. elmentve."},
			{"en", "2026-12-19", "19 Dec 2026 was saved."},
		} {
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {tt.lang}})
			c.Get("/admin/calendar?year=2026")
			res, _ := c.Post("/admin/calendar", url.Values{"date": {tt.date}, "kind": {"workday"}, "note": {"swap"}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s save = %d; want 303", tt.lang, res.StatusCode)
			}
			_, body := c.Get(res.Header.Get("Location"))
			if !strings.Contains(body, tt.want) || strings.Contains(body, tt.date+" ") {
				t.Errorf("%s flash lacks %q", tt.lang, tt.want)
			}
		}
	})
}
