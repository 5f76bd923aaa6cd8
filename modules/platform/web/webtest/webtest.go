// Package webtest is the browser of HTTP tests: a client over any Fiber app
// that keeps cookies and the CSRF token like a browser does, and a bare web
// server for a module's in-package tests, with a stand-in sign-in in place of
// the auth module.
//
// kaputest's client is this one over the whole app; a module's in-package
// tests, which cannot import kaputest, use Server and Client.SignInAs.
package webtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// Client is a browser-like HTTP client over app.Test: it keeps cookies and the
// CSRF token of the last page, and does not follow redirects.
type Client struct {
	t    testing.TB
	app  *fiber.App
	jar  *cookiejar.Jar
	base *url.URL // the origin requests go to; the jar keeps cookies for it
	// CSRF is the token of the last page that had one; Post sends it.
	CSRF string
	// IP is sent as X-Forwarded-For: the client's address behind a trusted proxy.
	IP string
}

// NewClient is an anonymous visitor of app at http://kapu.test.
func NewClient(t testing.TB, app *fiber.App) *Client { return newClient(t, app, "http") }

// ClientFor is an anonymous visitor of s at the scheme of its base URL: behind
// https the cookies are Secure, and a browser sends them back only over https.
func ClientFor(t testing.TB, s *web.Server) *Client {
	if s.Cfg.SecureCookies() {
		return newClient(t, s.App, "https")
	}
	return newClient(t, s.App, "http")
}

func newClient(t testing.TB, app *fiber.App, scheme string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, app: app, jar: jar, base: &url.URL{Scheme: scheme, Host: "kapu.test"}, IP: "10.0.0.1"}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Do sends req with the client's cookies, address and language, and keeps the
// cookies and CSRF token of the answer.
func (c *Client) Do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	for _, ck := range c.jar.Cookies(c.base) {
		req.AddCookie(ck)
	}
	req.Header.Set("X-Forwarded-For", c.IP)
	req.Header.Set("Accept-Language", "en")
	res, err := c.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	c.jar.SetCookies(c.base, res.Cookies())
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := csrfRe.FindSubmatch(body); m != nil {
		c.CSRF = string(m[1])
	}
	return res, string(body)
}

// Get fetches path.
func (c *Client) Get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base.String()+path, nil)
	return c.Do(req)
}

// Post sends a form with the CSRF token of the last page.
func (c *Client) Post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.CSRF != "" {
		form.Set("_csrf", c.CSRF)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base.String()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// PostFile sends a multipart form with one file field, as a browser uploads.
func (c *Client) PostFile(path, field, filename string, data []byte) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.CSRF)
	fw, _ := w.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base.String()+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// Login signs in through the login form and fails the test if that does not work.
func (c *Client) Login(username, password string) {
	c.t.Helper()
	c.Get("/login")
	res, body := c.Post("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d; want 303\n%s", username, res.StatusCode, body)
	}
}

// SignInAs signs in as the person id through the stand-in route of Server
// (see ClientFor) and fails the test if that does not work.
func (c *Client) SignInAs(id uint) {
	c.t.Helper()
	if res, body := c.Get(fmt.Sprintf("%s%d", SignInPath, id)); res.StatusCode != http.StatusNoContent {
		c.t.Fatalf("sign in as %d: status %d; want 204\n%s", id, res.StatusCode, body)
	}
}

// Cookies are the cookies the client would send, for requests made by hand.
func (c *Client) Cookies() []*http.Cookie { return c.jar.Cookies(c.base) }

// Cookie is the value of the named cookie, or "".
func (c *Client) Cookie(name string) string {
	for _, ck := range c.Cookies() {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SignInPath is the stand-in sign-in route of Server: GET SignInPath+id
// starts a session for that person id, as a successful login would.
const SignInPath = "/test/signin/"

// Server is a web server with no module on it yet, for a module's in-package
// tests: the session table migrated, viewer as the people behind the sessions
// and the stand-in sign-in at SignInPath. The test adds its module's routes
// and calls Finish.
func Server(t testing.TB, cfg *config.Config, d *db.DB, cat *i18n.Catalog, viewer func(ctx context.Context, id uint) (*web.Viewer, error)) *web.Server {
	t.Helper()
	if err := d.Migrate(context.Background(), []any{&web.StoredValue{}}, nil); err != nil {
		t.Fatal(err)
	}
	s := web.New(cfg, d, cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.LoadViewer = viewer
	s.App.Get(SignInPath+":id", func(c *fiber.Ctx) error {
		id, err := web.IDParam(c)
		if err != nil {
			return err
		}
		if err := web.SignIn(c, id); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	})
	return s
}
