package audit_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// The audit log page lists every change with who made it, filters by person,
// action, object and dates, and is for administrators only.
func TestAuditLogPage(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		admin := kaputest.SignedIn(t, app, "admin")
		admin.Get("/admin/calendar?year=2026")
		if res, _ := admin.Post("/admin/calendar", url.Values{"date": {"2026-12-12"}, "kind": {"workday"}, "note": {"instead of 24 Dec"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("calendar change = %d; want 303", res.StatusCode)
		}
		hr := kaputest.SignedIn(t, app, "hr")
		hr.Get("/admin/people/new")
		if res, _ := hr.Post("/admin/people", url.Values{"name": {"Minta Mária"}, "username": {"minta.maria"}, "email": {"minta@example.org"}, "roles": {"employee"}, "active": {"on"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("new person = %d; want 303", res.StatusCode)
		}
		created := kaputest.Person(t, app, "minta.maria")
		hrName := kaputest.Person(t, app, "hr").Name

		tests := []struct {
			query     string
			want, not []string
		}{
			{"", []string{"calendar.override.save", "Rendszergazda Róbert", "people.person.create", hrName,
				"Added Minta Mária", "Set the calendar day 12 Dec 2026"}, nil},
			{"?actor=" + url.QueryEscape(strings.ToLower(string([]rune(hrName)[:3]))), []string{"people.person.create"}, []string{"calendar.override.save"}},
			{"?action=calendar.", []string{"calendar.override.save"}, []string{"people.person.create"}},
			{fmt.Sprintf("?entity=person&id=%d", created.ID), []string{fmt.Sprintf("Showing the history of person #%d.", created.ID), "people.person.create"}, []string{"calendar.override.save"}},
			{"?from=2999-01-01", []string{"No changes match these filters."}, []string{"people.person.create", "calendar.override.save"}},
			{"?from=12/12/2026", []string{"Enter a date as YYYY-MM-DD."}, nil},
		}
		for _, tt := range tests {
			res, body := admin.Get("/admin/audit" + tt.query)
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET /admin/audit%s = %d; want 200", tt.query, res.StatusCode)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET /admin/audit%s lacks %q", tt.query, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("GET /admin/audit%s shows %q; the filter should leave it out", tt.query, n)
				}
			}
		}
		if res, _ := kaputest.SignedIn(t, app, "employee").Get("/admin/audit"); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee GET /admin/audit = %d; want 403", res.StatusCode)
		}
	})
}

// Every action the demo's history and everyday use record reads as a
// sentence in both languages, not as its key.
func TestAuditSentencesForEveryAction(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		var actions []string
		if err := app.DB.R.Table("audit_log").Distinct("action").Pluck("action", &actions).Error; err != nil {
			t.Fatal(err)
		}
		if len(actions) < 5 {
			t.Fatalf("the demo recorded only %v", actions)
		}
		for _, a := range actions {
			for _, lang := range []string{"hu", "en"} {
				if key := "audit.did." + a; app.Web.Catalog.T(lang, key, "What", "x") == key {
					t.Errorf("action %q has no %s sentence (%s)", a, lang, key)
				}
			}
		}
		// Every namer runs on this database: the log names bookings, leave,
		// people and approvals rather than showing their ids.
		res, body := kaputest.SignedIn(t, app, "admin").Get("/admin/audit")
		if res.StatusCode != http.StatusOK || strings.Contains(body, "audit.did") || strings.Contains(body, "audit.entity.") {
			t.Errorf("the log page = %d, or shows a translation key", res.StatusCode)
		}
		// Per entity, as the newest page holds only the modules seeded last.
		for entity, wants := range map[string][]string{
			"leave_request":   {"Requested leave: ", "Approved leave: "},
			"helpdesk_ticket": {"Reported the ticket ", "Assigned the ticket "},
		} {
			_, body := kaputest.SignedIn(t, app, "admin").Get("/admin/audit?entity=" + entity)
			for _, want := range wants {
				if !strings.Contains(body, want) {
					t.Errorf("the log page of %s lacks %q", entity, want)
				}
			}
		}
	}, kaputest.WithHistory())
}
