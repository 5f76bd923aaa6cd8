package kapu

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/config"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
)

// newTestApp builds Kapu on a fresh database of the dialect with the demo
// people and calendar loaded, but none of the demo's leave, so tests can count days.
func newTestApp(t testing.TB, dialect string) *App {
	t.Helper()
	return buildTestApp(t, dialect, false, nil)
}

// newDemoApp builds Kapu with the whole demo, leave included, as `make run` shows it.
func newDemoApp(t testing.TB, dialect string) *App {
	t.Helper()
	return buildTestApp(t, dialect, true, nil)
}

// newTestAppBehindProxy is newTestApp behind a trusted reverse proxy, so each
// client's X-Forwarded-For is its address (sign-in limits per address).
func newTestAppBehindProxy(t testing.TB, dialect string) *App {
	t.Helper()
	return buildTestApp(t, dialect, false, map[string]string{"KAPU_TRUSTED_PROXIES": "0.0.0.0/0"})
}

func buildTestApp(t testing.TB, dialect string, withLeave bool, extra map[string]string) *App {
	t.Helper()
	env := map[string]string{
		"KAPU_DATA_DIR": t.TempDir(),
		"KAPU_DB":       dbtest.DSN(t, dialect),
		"KAPU_SECRET":   strings.Repeat("s", 40),
		"KAPU_LANG":     "en",
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	app, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	ctx := context.Background()
	if err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := app.SeedDemoWith(ctx, DemoOptions{History: withLeave}); err != nil {
		t.Fatal(err)
	}
	return app
}

// client is a browser-like HTTP client over app.Test: it keeps cookies and the
// CSRF token of the last page, and does not follow redirects.
type client struct {
	t    testing.TB
	app  *App
	jar  *cookiejar.Jar
	csrf string
	ip   string
}

var testBase, _ = url.Parse("http://kapu.test")

func newClient(t testing.TB, app *App) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, app: app, jar: jar, ip: "10.0.0.1"}
}

// newClientAs is a client signed in as username (every demo password is "demo").
func newClientAs(t testing.TB, app *App, username string) *client {
	t.Helper()
	c := newClient(t, app)
	c.login(username, "demo")
	return c
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	for _, ck := range c.jar.Cookies(testBase) {
		req.AddCookie(ck)
	}
	req.Header.Set("X-Forwarded-For", c.ip)
	req.Header.Set("Accept-Language", "en")
	res, err := c.app.Web.App.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	c.jar.SetCookies(testBase, res.Cookies())
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := csrfRe.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return res, string(body)
}

// get fetches path.
func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://kapu.test"+path, nil)
	return c.do(req)
}

// post sends a form with the CSRF token of the last page.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test"+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in through the login form and fails the test if that does not work.
func (c *client) login(username, password string) {
	c.t.Helper()
	c.get("/login")
	res, body := c.post("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d; want 303\n%s", username, res.StatusCode, body)
	}
}

func mustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
