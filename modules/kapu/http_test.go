package kapu_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.NewClient(t, app)
		if res, _ := c.Get("/healthz"); res.StatusCode != 200 {
			t.Errorf("GET /healthz = %d; want 200", res.StatusCode)
		}
		if res, _ := c.Get("/readyz"); res.StatusCode != 200 {
			t.Errorf("GET /readyz = %d; want 200", res.StatusCode)
		}
		app.DB.Close()
		if res, _ := c.Get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz with the database closed = %d; want 503", res.StatusCode)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "admin")
	c.Get("/admin/people/new")
	form := url.Values{"name": {"Minta Mária"}, "username": {"minta.maria"}, "email": {"minta@example.org"}, "roles": {"employee"}, "active": {"on"}}

	for _, token := range []string{"forged", ""} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("_csrf", token)
		if token == "" {
			f.Set("_csrf", "x")
			f.Del("_csrf")
		}
		req, _ := http.NewRequest(http.MethodPost, "http://kapu.test/admin/people", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, body := c.Do(req)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
			t.Errorf("POST with csrf %q = %d; want 403 with an explanation", token, res.StatusCode)
		}
	}
	if _, err := app.People.ByUsername(context.Background(), "minta.maria"); err == nil {
		t.Errorf("a forged POST created a person")
	}
	if res, _ := c.Post("/admin/people", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST with the page's token = %d; want 303", res.StatusCode)
	}
	// Signing out needs the token too, so another site cannot sign people out.
	other := kaputest.SignedIn(t, app, "hr")
	other.CSRF = "stolen"
	if res, _ := other.Post("/logout", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a wrong token = %d; want 403", res.StatusCode)
	}
}

func TestRolesGuardPages(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	pages := []string{"/admin/people", "/admin/people/new", "/admin/people/import", "/admin/departments", "/admin/calendar", "/admin/audit"}
	allowed := map[string][]string{
		"admin":    pages,
		"hr":       {"/admin/people", "/admin/people/new", "/admin/people/import"},
		"employee": nil,
		"manager":  nil,
		"fleet":    nil,
	}
	for user, ok := range allowed {
		c := kaputest.SignedIn(t, app, user)
		_, home := c.Get("/")
		for _, p := range pages {
			want := http.StatusForbidden
			if contains(ok, p) {
				want = http.StatusOK
			}
			if res, _ := c.Get(p); res.StatusCode != want {
				t.Errorf("%s GET %s = %d; want %d", user, p, res.StatusCode, want)
			}
			// The navigation shows exactly the pages the person may open.
			if navLinked := strings.Contains(home, `href="`+p+`"`); p != "/admin/people/new" && p != "/admin/people/import" && navLinked != (want == 200) {
				t.Errorf("%s: navigation links %s = %v; want %v", user, p, navLinked, want == 200)
			}
		}
		for _, p := range []string{"/", "/leave", "/training", "/bookings", "/helpdesk", "/warehouse", "/appointments", "/profile"} {
			if res, _ := c.Get(p); res.StatusCode != 200 {
				t.Errorf("%s GET %s = %d; want 200", user, p, res.StatusCode)
			}
		}
	}
	// Visitors are sent to the login page and back afterwards.
	v := kaputest.NewClient(t, app)
	res, _ := v.Get("/admin/people?q=x")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Fadmin%2Fpeople%3Fq%3Dx" {
		t.Errorf("visitor GET /admin/people = %d %q; want 303 to the login page", res.StatusCode, loc)
	}
	v.Get("/login")
	res, _ = v.Post("/login", url.Values{"username": {"hr"}, "password": {"demo"}, "next": {"/admin/people?q=x"}})
	if loc := res.Header.Get("Location"); loc != "/admin/people?q=x" {
		t.Errorf("after login redirect = %q; want the page asked for", loc)
	}
	v = kaputest.NewClient(t, app)
	v.Get("/login")
	res, _ = v.Post("/login", url.Values{"username": {"hr"}, "password": {"demo"}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("after login with a foreign next = %q; want /", loc)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestNotFoundAndBadIDs(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "admin")
	for _, p := range []string{"/no/such/page", "/admin/people/999999", "/admin/people/abc", "/admin/departments/0", "/admin/people/-1"} {
		res, body := c.Get(p)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Errorf("GET %s = %d; want the 404 page", p, res.StatusCode)
		}
	}
}

func TestLanguageSwitchForVisitors(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.NewClient(t, app)
	if _, body := c.Get("/login"); !strings.Contains(body, "Sign in to Kapu") {
		t.Errorf("login page with Accept-Language en is not in English")
	}
	res, _ := c.Get("/lang/hu?next=/login")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("language switch = %d %q; want 303 back", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := c.Get("/login"); !strings.Contains(body, "Bejelentkezés a Kapuba") {
		t.Errorf("login page after switching to hu is not in Hungarian")
	}
	if res, _ := c.Get("/lang/de"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown language = %d; want 404", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	res, _ := kaputest.NewClient(t, app).Get("/login")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy = %q; want self-hosted only", csp)
	}
	if v := res.Header.Get("X-Frame-Options"); v == "" {
		t.Errorf("X-Frame-Options missing")
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "kapu_session" && !ck.HttpOnly {
			t.Errorf("session cookie is readable by scripts")
		}
	}
}

var hrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)

// Every demo account, in both languages, can open every page its pages link to:
// no link leads to an error, a missing translation or a page the role may not see.
func TestEveryLinkAnswers(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	for _, acc := range people.DemoAccounts {
		for _, lang := range []string{"en", "hu"} {
			c := kaputest.NewClient(t, app)
			c.Login(acc.Username, "demo")
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {lang}})
			seen := map[string]bool{}
			queue := []string{"/"}
			for len(queue) > 0 && len(seen) < 80 {
				path := queue[0]
				queue = queue[1:]
				if seen[path] {
					continue
				}
				seen[path] = true
				res, body := c.Get(path)
				// A link may lead on (a case type with one office goes
				// straight to its month): the crawl follows it.
				if loc := res.Header.Get("Location"); res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") {
					queue = append(queue, loc)
					continue
				}
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s) GET %s = %d; want 200", acc.Username, lang, path, res.StatusCode)
					continue
				}
				if strings.Contains(res.Header.Get("Content-Type"), "text/html") {
					// Codes in monospace (audit action names) are meant to be shown as they are.
					if m := rawKeyRe.FindString(monoRe.ReplaceAllString(body, "")); m != "" {
						t.Errorf("%s (%s) GET %s shows the raw key %s", acc.Username, lang, path, m)
					}
				}
				for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
					link := strings.ReplaceAll(m[1], "&amp;", "&")
					if strings.HasPrefix(link, "/static/") || strings.HasPrefix(link, "/lang/") || seen[link] {
						continue
					}
					queue = append(queue, link)
				}
			}
		}
	}
}

var monoRe = regexp.MustCompile(`class="mono">[^<]*<`)

// rawKeyRe finds message keys that reached a page untranslated, such as ">people.title<".
var rawKeyRe = regexp.MustCompile(`>\s*(nav|people|departments|profile|calendar|audit|import|login|dashboard|error|form|validation|role|service|holiday|month|weekday|pager|channel)\.[a-z_.0-9]+\s*<`)

func TestServerErrorPage(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	var logged bytes.Buffer
	app.Web.Log = slog.New(slog.NewTextHandler(&logged, nil))
	c := kaputest.SignedIn(t, app, "admin")
	app.DB.Close() // the database goes away under a signed-in person
	res, body := c.Get("/admin/people")
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong on our side") {
		t.Fatalf("GET with the database gone = %d; want the friendly 500 page", res.StatusCode)
	}
	m := regexp.MustCompile(`Reference for the administrator: ([0-9a-f-]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the 500 page shows no request id")
	}
	if !strings.Contains(logged.String(), "request_id="+m[1]) || !strings.Contains(logged.String(), "request failed") {
		t.Errorf("the log does not record the failure under the id %s the page shows:\n%s", m[1], logged.String())
	}
}

func TestSecureCookiesBehindHTTPS(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, db.SQLite, kaputest.WithEnv("KAPU_BASE_URL", "https://kapu.varos.hu"))
	c := kaputest.NewClient(t, app)
	res, _ := c.Get("/login")
	// The jar keeps Secure cookies from http://kapu.test; send the visitor's back by hand.
	form := url.Values{"username": {"admin"}, "password": {"demo"}, "_csrf": {c.CSRF}}
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range res.Cookies() {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	signin, _ := c.Do(req)
	if signin.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in behind https = %d; want 303", signin.StatusCode)
	}
	found := map[string]bool{}
	for _, ck := range append(res.Cookies(), signin.Cookies()...) {
		if ck.Name == "kapu_session" || ck.Name == "kapu_csrf" {
			found[ck.Name] = true
			if !ck.Secure || !ck.HttpOnly {
				t.Errorf("cookie %s Secure=%v HttpOnly=%v; want both behind https", ck.Name, ck.Secure, ck.HttpOnly)
			}
		}
	}
	if !found["kapu_csrf"] || !found["kapu_session"] {
		t.Errorf("cookies set by the login page and the sign-in: %v; want kapu_csrf and kapu_session", found)
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q; want it set behind https", hsts)
	}
}

// Behind a trusted proxy the sign-in limit counts each client's own address;
// from anyone else X-Forwarded-For is ignored, so it cannot dodge the limit.
func TestTrustedProxyAddresses(t *testing.T) {
	t.Parallel()
	for _, trusted := range []bool{false, true} {
		var opts []kaputest.Option
		if trusted {
			opts = append(opts, kaputest.BehindProxy())
		}
		app := kaputest.New(t, db.SQLite, opts...)
		attacker := kaputest.NewClient(t, app)
		attacker.IP = "203.0.113.7"
		attacker.Get("/login")
		for i := 0; i < auth.LoginAttempts; i++ {
			attacker.Post("/login", url.Values{"username": {"admin"}, "password": {"guess"}})
		}
		other := kaputest.NewClient(t, app)
		other.IP = "198.51.100.20"
		other.Get("/login")
		res, _ := other.Post("/login", url.Values{"username": {"admin"}, "password": {"guess"}})
		want := http.StatusTooManyRequests // without a trusted proxy both look like one address
		if trusted {
			want = http.StatusUnauthorized
		}
		if res.StatusCode != want {
			t.Errorf("trusted proxy %v: another client's attempt = %d; want %d", trusted, res.StatusCode, want)
		}
	}
}
