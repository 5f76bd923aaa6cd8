package kaputest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/kapu"
)

// Client is a browser-like HTTP client over app.Test: it keeps cookies and the
// CSRF token of the last page, and does not follow redirects.
type Client struct {
	t   testing.TB
	app *kapu.App
	jar *cookiejar.Jar
	// CSRF is the token of the last page that had one; Post sends it.
	CSRF string
	// IP is sent as X-Forwarded-For: the client's address behind a trusted proxy.
	IP string
}

var testBase, _ = url.Parse("http://kapu.test")

// NewClient is an anonymous visitor of app.
func NewClient(t testing.TB, app *kapu.App) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, app: app, jar: jar, IP: "10.0.0.1"}
}

// SignedIn is a client signed in as username (every demo password is "demo").
func SignedIn(t testing.TB, app *kapu.App, username string) *Client {
	t.Helper()
	c := NewClient(t, app)
	c.Login(username, "demo")
	return c
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Do sends req with the client's cookies, address and language, and keeps the
// cookies and CSRF token of the answer.
func (c *Client) Do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	for _, ck := range c.jar.Cookies(testBase) {
		req.AddCookie(ck)
	}
	req.Header.Set("X-Forwarded-For", c.IP)
	req.Header.Set("Accept-Language", "en")
	res, err := c.app.Web.App.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	c.jar.SetCookies(testBase, res.Cookies())
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
	req, _ := http.NewRequest(http.MethodGet, "http://kapu.test"+path, nil)
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
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test"+path, strings.NewReader(form.Encode()))
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
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test"+path, &buf)
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

// Cookies are the cookies the client would send, for requests made by hand.
func (c *Client) Cookies() []*http.Cookie { return c.jar.Cookies(testBase) }

// Cookie is the value of the named cookie, or "".
func (c *Client) Cookie(name string) string {
	for _, ck := range c.Cookies() {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// BookingFeedRe finds the path of the calendar feed link on My bookings.
var BookingFeedRe = regexp.MustCompile(`value="http://[^"]+(/bookings/feed/\d+/[0-9a-f]+\.ics)"`)

// LeaveFeedRe finds the calendar feed link on My leave.
var LeaveFeedRe = regexp.MustCompile(`/leave/feed/(\d+)/([0-9a-f]+)\.ics`)
