package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// Person ids the test server knows; the auth module is not part of this package.
const (
	adminID    = 1
	employeeID = 2
)

// newTestServer serves the jobs module on d with a stand-in sign-in at /test/signin/:id.
func newTestServer(t *testing.T, d *db.DB, s *Scheduler) *web.Server {
	t.Helper()
	models := append(Models(), audit.Models()...)
	must(t, d.Migrate(context.Background(), append(models, &web.StoredValue{}), nil))
	env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40), "KAPU_LANG": "en"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	must(t, err)
	cat, err := i18n.Load()
	must(t, err)
	srv := web.New(cfg, d, cat, quiet)
	srv.LoadViewer = func(_ context.Context, id uint) (*web.Viewer, error) {
		roles := []string{actor.Employee}
		if id == adminID {
			roles = append(roles, actor.Admin)
		}
		return &web.Viewer{Actor: actor.Actor{ID: id, Name: "Tester", Roles: roles}}, nil
	}
	srv.App.Get("/test/signin/:id", func(c *fiber.Ctx) error {
		id, _ := c.ParamsInt("id")
		if err := web.SignIn(c, uint(id)); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	})
	NewModule(s).Routes(srv)
	srv.Finish()
	return srv
}

// browser keeps cookies and the CSRF token of the last page, and does not follow redirects.
type browser struct {
	t    *testing.T
	srv  *web.Server
	jar  *cookiejar.Jar
	csrf string
}

var (
	testBase, _ = url.Parse("http://kapu.test")
	csrfField   = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
)

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, testBase.String()+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	for _, ck := range b.jar.Cookies(testBase) {
		req.AddCookie(ck)
	}
	res, err := b.srv.App.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	b.jar.SetCookies(testBase, res.Cookies())
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := csrfField.FindSubmatch(raw); m != nil {
		b.csrf = string(m[1])
	}
	return res, string(raw)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string) (*http.Response, string) {
	return b.do(http.MethodPost, path, url.Values{"_csrf": {b.csrf}})
}

func signedIn(t *testing.T, srv *web.Server, id uint) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, srv: srv, jar: jar}
	if res, _ := b.get(fmt.Sprintf("/test/signin/%d", id)); res.StatusCode != fiber.StatusNoContent {
		t.Fatalf("sign-in = %d", res.StatusCode)
	}
	return b
}

func TestAdminPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		must(t, s.Every("nightly.report", 10*time.Minute, func(context.Context) error { return nil }))
		must(t, s.Daily("broken", 4, 0, func(context.Context) error { return errors.New("disk full") }))
		s.Start()
		srv := newTestServer(t, d, s)
		admin := signedIn(t, srv, adminID)

		res, body := admin.get("/admin/jobs")
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

		res, _ = admin.post("/admin/jobs/nightly.report/run")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/jobs" {
			t.Fatalf("run now = %d to %q; want 303 to /admin/jobs", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = admin.get("/admin/jobs")
		if !strings.Contains(body, "nightly.report ran successfully") {
			t.Errorf("no success flash after run now")
		}
		if !strings.Contains(body, "by hand") || !strings.Contains(body, "badge-success") {
			t.Errorf("the manual run is not listed with its outcome")
		}

		admin.post("/admin/jobs/broken/run")
		_, body = admin.get("/admin/jobs?job=broken")
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

		if res, _ := admin.post("/admin/jobs/nope/run"); res.StatusCode != http.StatusNotFound {
			t.Errorf("run an unknown job = %d; want 404", res.StatusCode)
		}
		admin.csrf = "forged"
		if res, _ := admin.post("/admin/jobs/nightly.report/run"); res.StatusCode != http.StatusForbidden {
			t.Errorf("run now without the CSRF token = %d; want 403", res.StatusCode)
		}

		employee := signedIn(t, srv, employeeID)
		if res, _ := employee.get("/admin/jobs"); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET /admin/jobs as an employee = %d; want 403", res.StatusCode)
		}
		if res, _ := employee.post("/admin/jobs/nightly.report/run"); res.StatusCode != http.StatusForbidden {
			t.Errorf("run now as an employee = %d; want 403", res.StatusCode)
		}
	})
}
