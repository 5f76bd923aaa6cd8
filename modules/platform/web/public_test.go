package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

func TestCheckFormToken(t *testing.T) {
	s := newTestServer(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	nonce := RandomToken()
	good := s.formToken("book", nonce, now.Add(-time.Minute))
	issued, sig, _ := strings.Cut(good, ".")
	// The signature with its last character changed (to another one, always).
	last := "A"
	if strings.HasSuffix(sig, "A") {
		last = "B"
	}
	tampered := issued + "." + sig[:len(sig)-1] + last
	tests := []struct {
		name, tok, nonce, purpose string
		want                      error
	}{
		{"a minute old", good, nonce, "book", nil},
		{"another purpose", good, nonce, "cancel", ErrFormToken},
		{"another visitor", good, RandomToken(), "book", ErrFormToken},
		{"no visitor cookie", good, "", "book", ErrFormToken},
		{"the signature changed", tampered, nonce, "book", ErrFormToken},
		{"the time changed", "1" + good, nonce, "book", ErrFormToken},
		{"no dot", issued + sig, nonce, "book", ErrFormToken},
		{"empty", "", nonce, "book", ErrFormToken},
		{"far too long", good + strings.Repeat("A", 100), nonce, "book", ErrFormToken},
		{"posted within a second", s.formToken("book", nonce, now.Add(-time.Second)), nonce, "book", ErrFormTooFast},
		{"issued in the future", s.formToken("book", nonce, now.Add(time.Hour)), nonce, "book", ErrFormTooFast},
		{"three hours old", s.formToken("book", nonce, now.Add(-3*time.Hour)), nonce, "book", ErrFormExpired},
		{"just under two hours", s.formToken("book", nonce, now.Add(-2*time.Hour+time.Second)), nonce, "book", nil},
	}
	for _, tt := range tests {
		err := s.checkFormToken(tt.tok, tt.nonce, tt.purpose, 2*time.Second, 2*time.Hour, now)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: checkFormToken = %v; want %v", tt.name, err, tt.want)
		}
	}
	// Another secret signs differently: a token is only ever ours.
	other := newTestServer(t)
	other.Cfg.Secret = strings.Repeat("z", 40)
	if err := other.checkFormToken(good, nonce, "book", 0, time.Hour, now); !errors.Is(err, ErrFormToken) {
		t.Errorf("a token of another secret: %v; want ErrFormToken", err)
	}
}

// publicServer has a public area /pub, whose page answers with the
// request's language, and a form that checks its token.
func publicServer(t *testing.T) *Server {
	s := newTestServer(t)
	s.Public("/pub")
	s.App.Get("/pub/lang", func(c *fiber.Ctx) error { return c.SendString(LangOf(c) + " " + FormToken(c, "t")) })
	s.App.Post("/pub/form", func(c *fiber.Ctx) error {
		if err := CheckFormToken(c, "t", 0, time.Hour); err != nil {
			return c.Status(422).SendString(err.Error())
		}
		return c.SendString("ok")
	})
	s.App.Post("/pubx", func(c *fiber.Ctx) error { return c.SendString("not public") })
	s.Finish()
	return s
}

func send(t *testing.T, s *Server, method, path string, body url.Values, cookies map[string]string, header ...string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = strings.NewReader(body.Encode())
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func cookieOf(res *http.Response, name string) string {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// TestPublicHasNoSession: a public page reads no session and makes none,
// takes its language from ?lang=, the cookie, the browser, KAPU_LANG, and
// its forms pass on their own token, not the session's CSRF token.
func TestPublicHasNoSession(t *testing.T) {
	s := publicServer(t)
	langs := []struct {
		name    string
		path    string
		cookies map[string]string
		accept  string
		want    string
		setLang string
	}{
		{"the default", "/pub/lang", nil, "", "en", ""},
		{"the browser's", "/pub/lang", nil, "hu-HU,hu;q=0.9", "hu", ""},
		{"the cookie over the browser", "/pub/lang", map[string]string{"kapu_lang": "en"}, "hu", "en", ""},
		{"the switch over the cookie", "/pub/lang?lang=hu", map[string]string{"kapu_lang": "en"}, "en", "hu", "hu"},
		{"an unknown switch", "/pub/lang?lang=xx", nil, "", "en", ""},
	}
	for _, tt := range langs {
		res, body := send(t, s, "GET", tt.path, nil, tt.cookies, "Accept-Language", tt.accept)
		if got, _, _ := strings.Cut(body, " "); got != tt.want {
			t.Errorf("%s: language %q; want %q", tt.name, got, tt.want)
		}
		if got := cookieOf(res, "kapu_lang"); got != tt.setLang {
			t.Errorf("%s: kapu_lang set to %q; want %q", tt.name, got, tt.setLang)
		}
		if cookieOf(res, "kapu_session") != "" {
			t.Errorf("%s: a session cookie was set", tt.name)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tt.name, res.Header.Get("Cache-Control"))
		}
	}
	// A session cookie sent along is not even looked up.
	if res, _ := send(t, s, "GET", "/pub/lang", nil, map[string]string{"kapu_session": "forged"}); cookieOf(res, "kapu_session") != "" {
		t.Errorf("a sent session cookie was answered")
	}
	var rows int64
	if err := s.DB.R.WithContext(context.Background()).Model(&StoredValue{}).Count(&rows).Error; err != nil || rows != 0 {
		t.Errorf("stored values after public pages: %d (%v); want none", rows, err)
	}

	// The form token comes with the visitor cookie it is bound to.
	res, body := send(t, s, "GET", "/pub/lang", nil, nil)
	nonce := cookieOf(res, visitorCookie)
	_, tok, _ := strings.Cut(body, " ")
	if len(nonce) != 43 || tok == "" {
		t.Fatalf("the form page gave nonce %q and token %q", nonce, tok)
	}
	if res, body := send(t, s, "POST", "/pub/form", url.Values{FormField: {tok}}, map[string]string{visitorCookie: nonce}); res.StatusCode != 200 {
		t.Errorf("a public form with its token: %d %s", res.StatusCode, body)
	}
	if res, _ := send(t, s, "POST", "/pub/form", url.Values{FormField: {tok}}, nil); res.StatusCode != 422 {
		t.Errorf("a public form without its cookie: %d; want 422", res.StatusCode)
	}
	// Only the prefix and what is under it is public.
	if res, _ := send(t, s, "POST", "/pubx", url.Values{}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a POST next to the public area without CSRF: %d; want 403", res.StatusCode)
	}
	// Its error pages are the public frame's, in the visitor's language, without a session.
	res, body = send(t, s, "GET", "/pub/missing?lang=hu", nil, nil)
	if res.StatusCode != 404 || !strings.Contains(body, `class="pub-header"`) || !strings.Contains(body, `lang="hu"`) ||
		strings.Contains(body, `class="sidebar"`) || cookieOf(res, "kapu_session") != "" {
		t.Errorf("a public 404: %d, public frame %v\n%s", res.StatusCode, strings.Contains(body, "pub-header"), body)
	}
	if !strings.Contains(body, `href="/pub/privacy"`) || !strings.Contains(body, s.Cfg.City) {
		t.Errorf("the public frame lacks the notice's link or the city's name")
	}
}
