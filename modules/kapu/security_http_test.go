package kapu_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// rawRequest sends bytes on a new connection to addr and returns the status
// code of the answer (0 when the server closed without one).
func rawRequest(t *testing.T, addr, req string, wait time.Duration) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if req != "" {
		if _, err := conn.Write([]byte(req)); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	conn.SetReadDeadline(time.Now().Add(wait))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// TestHostileRequestsDoNotStopTheServer sends what fasthttp refuses before the
// middleware chain: each once stopped the process with a panic.
func TestHostileRequestsDoNotStopTheServer(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	app.Web.App.Server().ReadTimeout = 700 * time.Millisecond // the idle case, quickly
	base := serve(t, app)
	addr := strings.TrimPrefix(base, "http://")
	long := strings.Repeat("A", 5000)
	tests := []struct {
		name, req string
		want      int
	}{
		{"long request line", "GET /login?x=" + long + " HTTP/1.1\r\nHost: kapu\r\n\r\n", 431},
		{"long cookie", "GET /login HTTP/1.1\r\nHost: kapu\r\nCookie: kapu_session=" + long + "\r\n\r\n", 431},
		{"body over the limit", "POST /admin/people/import HTTP/1.1\r\nHost: kapu\r\nContent-Type: multipart/form-data; boundary=x\r\n" +
			fmt.Sprintf("Content-Length: %d\r\n\r\n", 9<<20) + strings.Repeat("x", 9<<20), 413},
		{"Content-Length not a number", "POST /login HTTP/1.1\r\nHost: kapu\r\nContent-Length: abc\r\n\r\n", 400},
		{"garbage", "\x16\x03\x01\x02\x00 hello\r\n\r\n", 400},
		{"idle connection", "", 408},
	}
	for _, tt := range tests {
		if got := rawRequest(t, addr, tt.req, 5*time.Second); got != tt.want {
			t.Errorf("%s: status %d; want %d", tt.name, got, tt.want)
		}
		res, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatalf("after %s the server is gone: %v", tt.name, err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("after %s: /healthz = %d; want 200", tt.name, res.StatusCode)
		}
	}
}

// TestUploadOverTheLimitExplains sends a real 9 MB file the way a browser does:
// the answer says how large a file may be and leads back to the form.
func TestUploadOverTheLimitExplains(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	base := serve(t, app)
	body := strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n" +
		strings.Repeat("a,b,c\n", (9<<20)/6) + "\r\n--x--\r\n")
	req, _ := http.NewRequest("POST", base+"/admin/people/import", body)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Referer", base+"/admin/people/import")
	req.Header.Set("Accept-Language", "en")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	defer res.Body.Close()
	page := readAll(res)
	if res.StatusCode != 413 || !strings.Contains(page, "Files up to 8 MB") || !strings.Contains(page, `href="/admin/people/import"`) {
		t.Errorf("9 MB upload = %d; want 413 naming the limit with a link back to the form\n%s", res.StatusCode, page)
	}
}

func readAll(res *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// noFollow is an HTTP client that shows redirects instead of following them.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestRedirectsStayOnKapu tries crafted next= values on every redirect that takes one.
func TestRedirectsStayOnKapu(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	base := serve(t, app)
	crafted := []string{
		"/%0d%0aSet-Cookie:%20x=1",
		"/%09/evil.example",
		"//evil.example",
		"/%5Cevil.example",
		"https://evil.example",
	}
	for _, next := range crafted {
		res, err := noFollow.Get(base + "/lang/en?next=" + next)
		if err != nil {
			t.Fatalf("GET /lang/en?next=%s: %v", next, err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("/lang/en?next=%s redirects to %q; want /", next, loc)
		}
		for _, ck := range res.Cookies() {
			if ck.Name == "x" {
				t.Errorf("/lang/en?next=%s set the cookie x", next)
			}
		}
	}
	if res, _ := noFollow.Get(base + "/lang/en?next=/bookings%3Fweek%3D2026-12-07"); res.Header.Get("Location") != "/bookings?week=2026-12-07" {
		t.Errorf("a clean next goes to %q; want /bookings?week=2026-12-07", res.Header.Get("Location"))
	}

	// The login form's next field and, once signed in, /login?next=.
	c := kaputest.NewClient(t, app)
	c.Get("/login")
	for _, next := range []string{"/\t/evil.example", "/\r\nSet-Cookie: x=1", "//evil.example"} {
		c := kaputest.NewClient(t, app)
		c.Get("/login")
		res, _ := c.Post("/login", url.Values{"username": {"employee"}, "password": {"demo"}, "next": {next}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("POST /login next=%q = %d to %q; want 303 to /", next, res.StatusCode, loc)
		}
		res, _ = c.Get("/login?next=" + url.QueryEscape(next))
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("signed in, /login?next=%q redirects to %q; want /", next, loc)
		}
	}
}

// TestVisitorsStoreNoSession: the sign-in page for visitors writes nothing to
// the database, and its form still works only with the visitor's own cookie.
func TestVisitorsStoreNoSession(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		rows := func() int64 {
			var n int64
			app.DB.R.Model(&web.StoredValue{}).Count(&n)
			return n
		}
		before := rows()
		for i := 0; i < 50; i++ {
			if res, _ := kaputest.NewClient(t, app).Get("/login"); res.StatusCode != 200 {
				t.Fatalf("GET /login = %d", res.StatusCode)
			}
		}
		if after := rows(); after != before {
			t.Errorf("50 visits of /login stored %d rows; want none", after-before)
		}

		// Another visitor's token does not go with this visitor's cookie.
		alice, mallory := kaputest.NewClient(t, app), kaputest.NewClient(t, app)
		alice.Get("/login")
		mallory.Get("/login")
		alice.CSRF = mallory.CSRF
		if res, _ := alice.Post("/login", url.Values{"username": {"employee"}, "password": {"demo"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("login with another visitor's token = %d; want 403", res.StatusCode)
		}
		nocookie := kaputest.NewClient(t, app)
		nocookie.CSRF = mallory.CSRF
		if res, _ := nocookie.Post("/login", url.Values{"username": {"employee"}, "password": {"demo"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("login with a token and no cookie = %d; want 403", res.StatusCode)
		}
		if res, _ := mallory.Post("/login", url.Values{"username": {"employee"}, "password": {"demo"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("login with the visitor's own token = %d; want 303", res.StatusCode)
		}
	})
}

// TestSignedInPagesAreNotCached: the back button after sign-out shows nothing.
func TestSignedInPagesAreNotCached(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "hr")
	for _, path := range []string{"/", "/admin/people", "/leave", "/admin/people/export.csv"} {
		res, _ := c.Get(path)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d, Cache-Control %q; want 200 and no-store", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

// TestPasswordSprayingIsLimited: one address trying one password against many
// accounts is stopped after LoginAddressAttempts failures; others are not.
func TestPasswordSprayingIsLimited(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite", kaputest.BehindProxy())
	c := kaputest.NewClient(t, app)
	c.Get("/login")
	for i := 0; i < auth.LoginAddressAttempts; i++ {
		user := fmt.Sprintf("user%02d", i)
		if res, _ := c.Post("/login", url.Values{"username": {user}, "password": {"demo"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d; want 401", i+1, res.StatusCode)
		}
	}
	if res, _ := c.Post("/login", url.Values{"username": {"employee"}, "password": {"demo"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("attempt after %d failures on other names = %d; want 429", auth.LoginAddressAttempts, res.StatusCode)
	}
	other := kaputest.NewClient(t, app)
	other.IP = "10.0.0.2"
	other.Get("/login")
	if res, _ := other.Post("/login", url.Values{"username": {"employee"}, "password": {"demo"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address = %d; want 303", res.StatusCode)
	}
}

// TestPeopleExportIsFormulaSafe: a name that starts like a formula leaves as
// text a spreadsheet will not run, and comes back unchanged through the import.
func TestPeopleExportIsFormulaSafe(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	evil := `=HYPERLINK("http://evil.example","Kiss")`
	if err := app.DB.W.Model(&people.Person{}).Where("username = ?", "employee").Update("name", evil).Error; err != nil {
		t.Fatal(err)
	}
	c := kaputest.SignedIn(t, app, "hr")
	res, body := c.Get("/admin/people/export.csv")
	if res.StatusCode != 200 || !strings.HasPrefix(body, "\ufeffUsername,Name,") {
		t.Fatalf("export = %d %.40q; want 200, a BOM and the English heads, comma separated", res.StatusCode, body)
	}
	if !strings.Contains(body, `"'=HYPERLINK(""http://evil.example"",""Kiss"")"`) || strings.Contains(body, `,"=HYPERLINK`) {
		t.Errorf("the formula name is not guarded in the export:\n%s", body)
	}

	admin := kaputest.SignedIn(t, app, "admin")
	admin.Get("/admin/people/import")
	if res, page := admin.PostFile("/admin/people/import", "file", "kapu-people.csv", []byte(body)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import of the export = %d; want 303\n%s", res.StatusCode, page)
	}
	var name string
	app.DB.R.Model(&people.Person{}).Where("username = ?", "employee").Pluck("name", &name)
	if name != evil {
		t.Errorf("after the round trip the name is %q; want %q", name, evil)
	}
}

// TestPersonPageOffersOnlyWhatWorks: HR is not offered to deactivate an
// administrator (the service would refuse it); an administrator is.
func TestPersonPageOffersOnlyWhatWorks(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	var adminID uint
	app.DB.R.Model(&people.Person{}).Where("username = ?", "admin").Pluck("id", &adminID)
	var employeeID uint
	app.DB.R.Model(&people.Person{}).Where("username = ?", "employee").Pluck("id", &employeeID)
	tests := []struct {
		viewer string
		id     uint
		want   bool
	}{{"hr", adminID, false}, {"hr", employeeID, true}, {"admin", employeeID, true}}
	for _, tt := range tests {
		_, body := kaputest.SignedIn(t, app, tt.viewer).Get(fmt.Sprintf("/admin/people/%d", tt.id))
		got := strings.Contains(body, fmt.Sprintf(`action="/admin/people/%d/active"`, tt.id))
		if got != tt.want {
			t.Errorf("%s on person %d: deactivate offered = %v; want %v", tt.viewer, tt.id, got, tt.want)
		}
	}
}
