package jobs

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
	"kapu/modules/platform/web/webtest"
)

// Person ids the test server knows; the auth module is not part of this package.
const (
	adminID    = 1
	employeeID = 2
)

// newTestServer serves the jobs module on d with webtest's stand-in sign-in.
func newTestServer(t *testing.T, d *db.DB, s *Scheduler) *web.Server {
	t.Helper()
	must(t, d.Migrate(context.Background(), append(Models(), audit.Models()...), nil))
	env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40), "KAPU_LANG": "en"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	must(t, err)
	cat, err := i18n.Load()
	must(t, err)
	srv := webtest.Server(t, cfg, d, cat, func(_ context.Context, id uint) (*web.Viewer, error) {
		roles := []string{actor.Employee}
		if id == adminID {
			roles = append(roles, actor.Admin)
		}
		return &web.Viewer{Actor: actor.Actor{ID: id, Name: "Tester", Roles: roles}}, nil
	})
	NewModule(s).Routes(srv)
	srv.Finish()
	return srv
}

func signedIn(t *testing.T, srv *web.Server, id uint) *webtest.Client {
	t.Helper()
	c := webtest.ClientFor(t, srv)
	c.SignInAs(id)
	return c
}

func TestAdminPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		must(t, s.Every("nightly.report", 10*time.Minute, func(context.Context) error { return nil }))
		must(t, s.Daily("broken", 4, 0, func(context.Context) error { return errors.New("disk full") }))
		s.Start()
		srv := newTestServer(t, d, s)
		admin := signedIn(t, srv, adminID)

		res, body := admin.Get("/admin/jobs")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /admin/jobs = %d\n%s", res.StatusCode, body)
		}
		for _, want := range []string{
			"Scheduled jobs",
			"Clean up the job history",                 // jobs.prune has a catalog name
			`<span class="mono">nightly.report</span>`, // this one has none
			"every 10 min", "daily at 04:00",
			`action="/admin/jobs/nightly.report/run"`,
			"not run yet",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("job page lacks %q", want)
			}
		}

		res, _ = admin.Post("/admin/jobs/nightly.report/run", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/jobs" {
			t.Fatalf("run now = %d to %q; want 303 to /admin/jobs", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = admin.Get("/admin/jobs")
		if !strings.Contains(body, "nightly.report ran successfully") {
			t.Errorf("no success flash after run now")
		}
		if !strings.Contains(body, "by hand") || !strings.Contains(body, "badge-success") {
			t.Errorf("the manual run is not listed with its outcome")
		}

		admin.Post("/admin/jobs/broken/run", nil)
		_, body = admin.Get("/admin/jobs?job=broken")
		if !strings.Contains(body, "broken failed: disk full") {
			t.Errorf("no error flash for a failing job")
		}
		_, history, _ := strings.Cut(body, `id="runs"`)
		if !strings.Contains(history, "badge-danger") || strings.Contains(history, "badge-success") {
			t.Errorf("?job=broken does not list exactly the failed run")
		}

		var audited int64
		must(t, d.R.Model(&audit.Entry{}).Where("action = ? AND actor_id = ?", "jobs.run", adminID).Count(&audited).Error)
		if audited != 2 {
			t.Errorf("%d audit rows for manual runs; want 2", audited)
		}

		if res, _ := admin.Post("/admin/jobs/nope/run", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("run an unknown job = %d; want 404", res.StatusCode)
		}
		admin.CSRF = "forged"
		if res, _ := admin.Post("/admin/jobs/nightly.report/run", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("run now without the CSRF token = %d; want 403", res.StatusCode)
		}

		employee := signedIn(t, srv, employeeID)
		if res, _ := employee.Get("/admin/jobs"); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET /admin/jobs as an employee = %d; want 403", res.StatusCode)
		}
		if res, _ := employee.Post("/admin/jobs/nightly.report/run", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("run now as an employee = %d; want 403", res.StatusCode)
		}
	})
}
