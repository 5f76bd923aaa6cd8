package kapu

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/config"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
)

// eachDialect runs fn on a fresh demo app per database dialect.
func eachDialect(t *testing.T, fn func(t *testing.T, app *App)) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newTestApp(t, d)) })
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		c := newClient(t, app)
		if res, _ := c.get("/healthz"); res.StatusCode != 200 {
			t.Errorf("GET /healthz = %d; want 200", res.StatusCode)
		}
		if res, _ := c.get("/readyz"); res.StatusCode != 200 {
			t.Errorf("GET /readyz = %d; want 200", res.StatusCode)
		}
		app.DB.Close()
		if res, _ := c.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz with the database closed = %d; want 503", res.StatusCode)
		}
	})
}

func TestLogin(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		tests := []struct {
			user, pass string
			want       int
		}{
			{"admin", "demo", http.StatusSeeOther},
			{"ADMIN", "demo", http.StatusSeeOther}, // usernames are case-insensitive
			{"admin", "wrong", http.StatusUnauthorized},
			{"nobody", "demo", http.StatusUnauthorized},
			{"", "", http.StatusUnauthorized},
		}
		for _, tt := range tests {
			c := newClient(t, app)
			c.get("/login")
			res, body := c.post("/login", url.Values{"username": {tt.user}, "password": {tt.pass}})
			if res.StatusCode != tt.want {
				t.Errorf("login(%q, %q) = %d; want %d", tt.user, tt.pass, res.StatusCode, tt.want)
			}
			if tt.want == http.StatusUnauthorized {
				if !strings.Contains(body, "username or password is wrong") {
					t.Errorf("login(%q, %q) page does not explain the failure", tt.user, tt.pass)
				}
				if tt.user != "" && !strings.Contains(body, `value="`+tt.user+`"`) {
					t.Errorf("login(%q, %q) lost the typed username", tt.user, tt.pass)
				}
			}
		}

		// A signed-in person reaches the dashboard; the session id changed at login.
		c := newClient(t, app)
		c.get("/login")
		before := sessionCookie(c)
		c.post("/login", url.Values{"username": {"manager"}, "password": {"demo"}})
		if after := sessionCookie(c); after == "" || after == before {
			t.Errorf("session id after login = %q (before %q); want a new one", after, before)
		}
		if res, body := c.get("/"); res.StatusCode != 200 || !strings.Contains(body, "Kiss Márton") {
			t.Errorf("dashboard after login = %d; want 200 with the person's name", res.StatusCode)
		}

		// Deactivated people cannot sign in, and their open sessions end.
		p, _ := app.People.ByUsername(context.Background(), "manager")
		admin := newClientAs(t, app, "admin")
		admin.get(fmt.Sprintf("/admin/people/%d", p.ID))
		admin.post(fmt.Sprintf("/admin/people/%d/active", p.ID), url.Values{"active": {"0"}})
		if res, _ := c.get("/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("dashboard of a deactivated person = %d; want 303 to login", res.StatusCode)
		}
		c2 := newClient(t, app)
		c2.get("/login")
		if res, _ := c2.post("/login", url.Values{"username": {"manager"}, "password": {"demo"}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("login of a deactivated person = %d; want 401", res.StatusCode)
		}
	})
}

func sessionCookie(c *client) string {
	for _, ck := range c.jar.Cookies(testBase) {
		if ck.Name == "kapu_session" {
			return ck.Value
		}
	}
	return ""
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	c := newClient(t, app)
	c.get("/login")
	for i := 0; i < auth.LoginAttempts; i++ {
		if res, _ := c.post("/login", url.Values{"username": {"admin"}, "password": {"guess"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failed attempt %d = %d; want 401", i+1, res.StatusCode)
		}
	}
	res, body := c.post("/login", url.Values{"username": {"admin"}, "password": {"demo"}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("attempt after %d failures = %d; want 429", auth.LoginAttempts, res.StatusCode)
	}
	if !strings.Contains(body, "Too many attempts") {
		t.Errorf("the 429 page does not explain itself")
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	c := newClientAs(t, app, "admin")
	c.get("/admin/people/new")
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
		res, body := c.do(req)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
			t.Errorf("POST with csrf %q = %d; want 403 with an explanation", token, res.StatusCode)
		}
	}
	if _, err := app.People.ByUsername(context.Background(), "minta.maria"); err == nil {
		t.Errorf("a forged POST created a person")
	}
	if res, _ := c.post("/admin/people", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST with the page's token = %d; want 303", res.StatusCode)
	}
	// Signing out needs the token too, so another site cannot sign people out.
	other := newClientAs(t, app, "hr")
	other.csrf = "stolen"
	if res, _ := other.post("/logout", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a wrong token = %d; want 403", res.StatusCode)
	}
}

func TestRolesGuardPages(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	pages := []string{"/admin/people", "/admin/people/new", "/admin/people/import", "/admin/departments", "/admin/calendar", "/admin/audit"}
	allowed := map[string][]string{
		"admin":    pages,
		"hr":       {"/admin/people", "/admin/people/new", "/admin/people/import"},
		"employee": nil,
		"manager":  nil,
		"fleet":    nil,
	}
	for user, ok := range allowed {
		c := newClientAs(t, app, user)
		_, home := c.get("/")
		for _, p := range pages {
			want := http.StatusForbidden
			if contains(ok, p) {
				want = http.StatusOK
			}
			if res, _ := c.get(p); res.StatusCode != want {
				t.Errorf("%s GET %s = %d; want %d", user, p, res.StatusCode, want)
			}
			// The navigation shows exactly the pages the person may open.
			if navLinked := strings.Contains(home, `href="`+p+`"`); p != "/admin/people/new" && p != "/admin/people/import" && navLinked != (want == 200) {
				t.Errorf("%s: navigation links %s = %v; want %v", user, p, navLinked, want == 200)
			}
		}
		for _, p := range []string{"/", "/leave", "/training", "/bookings", "/helpdesk", "/warehouse", "/appointments", "/profile"} {
			if res, _ := c.get(p); res.StatusCode != 200 {
				t.Errorf("%s GET %s = %d; want 200", user, p, res.StatusCode)
			}
		}
	}
	// Visitors are sent to the login page and back afterwards.
	v := newClient(t, app)
	res, _ := v.get("/admin/people?q=x")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Fadmin%2Fpeople%3Fq%3Dx" {
		t.Errorf("visitor GET /admin/people = %d %q; want 303 to the login page", res.StatusCode, loc)
	}
	v.get("/login")
	res, _ = v.post("/login", url.Values{"username": {"hr"}, "password": {"demo"}, "next": {"/admin/people?q=x"}})
	if loc := res.Header.Get("Location"); loc != "/admin/people?q=x" {
		t.Errorf("after login redirect = %q; want the page asked for", loc)
	}
	v = newClient(t, app)
	v.get("/login")
	res, _ = v.post("/login", url.Values{"username": {"hr"}, "password": {"demo"}, "next": {"//evil.example/"}})
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
	app := newTestApp(t, "sqlite")
	c := newClientAs(t, app, "admin")
	for _, p := range []string{"/no/such/page", "/admin/people/999999", "/admin/people/abc", "/admin/departments/0", "/admin/people/-1"} {
		res, body := c.get(p)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Errorf("GET %s = %d; want the 404 page", p, res.StatusCode)
		}
	}
}

func uploadCSV(c *client, csv string) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf)
	fw, _ := w.CreateFormFile("file", "people.csv")
	fw.Write([]byte(csv))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test/admin/people/import", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestPeopleImport(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		ctx := context.Background()
		c := newClientAs(t, app, "admin")
		c.get("/admin/people/import")
		count := func() int64 {
			var n int64
			app.DB.R.Model(&people.Person{}).Count(&n)
			return n
		}
		before := count()

		// One bad row (unknown department, bad email, unknown manager): nothing changes.
		bad := "username;name;email;department;job_title;manager;roles\n" +
			"uj.anna;Új Anna;uj.anna@example.org;Hatósági Osztály;ügyintéző;manager;employee\n" +
			"uj.bela;Új Béla;not-an-email;Nincs Ilyen Osztály;;senki;employee\n" +
			"employee;Papp Eszter;papp.uj@example.org;Hatósági Osztály;főügyintéző;;employee\n"
		res, body := uploadCSV(c, bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("import with bad rows = %d; want 422", res.StatusCode)
		}
		for _, want := range []string{"Enter a valid email address.", "No department has this name.", "No person has this username", "<td class=\"num\">3</td>"} {
			if !strings.Contains(body, want) {
				t.Errorf("import report lacks %q", want)
			}
		}
		if n := count(); n != before {
			t.Errorf("people after a rejected import = %d; want %d", n, before)
		}
		if p, _ := app.People.ByUsername(ctx, "employee"); p.JobTitle != "ügyintéző" {
			t.Errorf("a rejected import changed an existing person: job title %q", p.JobTitle)
		}

		// The corrected file imports: one new person managed by another new one, one update.
		good := "username,name,email,department,job_title,manager,roles,active\n" +
			"uj.anna,Új Anna,uj.anna@example.org,Hatósági Osztály,ügyintéző,uj.bela,employee,yes\n" +
			"uj.bela,Új Béla,uj.bela@example.org,Hatósági Osztály,csoportvezető,,employee manager,yes\n" +
			"employee,Papp Eszter,papp.eszter@example.org,Hatósági Osztály,főügyintéző,,employee,yes\n"
		res, body = uploadCSV(c, good)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import of a good file = %d; want 303\n%s", res.StatusCode, body)
		}
		if n := count(); n != before+2 {
			t.Errorf("people after import = %d; want %d", n, before+2)
		}
		anna, err := app.People.ByUsername(ctx, "uj.anna")
		if err != nil {
			t.Fatal(err)
		}
		bela, _ := app.People.ByUsername(ctx, "uj.bela")
		if anna.ManagerID == nil || *anna.ManagerID != bela.ID {
			t.Errorf("uj.anna's manager = %v; want uj.bela (%d)", anna.ManagerID, bela.ID)
		}
		if got := strings.Join(bela.RoleNames(), " "); got != "employee manager" {
			t.Errorf("uj.bela's roles = %q; want employee manager", got)
		}
		if p, _ := app.People.ByUsername(ctx, "employee"); p.JobTitle != "főügyintéző" || p.Email != "papp.eszter@example.org" {
			t.Errorf("updated person = %q %q; want the file's values", p.JobTitle, p.Email)
		}
		_, list := c.get("/")
		if !strings.Contains(list, "Import finished: 2 created, 1 updated.") {
			t.Errorf("the next page does not confirm the import")
		}
	})
}

func TestPersonFormKeepsInput(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	c := newClientAs(t, app, "hr")
	c.get("/admin/people/new")
	res, body := c.post("/admin/people", url.Values{
		"name": {"Kovács Ödön"}, "username": {"admin"}, "email": {"odon@example.org"},
		"job_title": {"gondnok"}, "roles": {"employee"}, "active": {"on"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("create with a taken username = %d; want 422", res.StatusCode)
	}
	for _, want := range []string{"This username is already taken.", `value="Kovács Ödön"`, `value="gondnok"`, `value="odon@example.org"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form again lacks %q", want)
		}
	}
	// HR may not create administrators.
	res, body = c.post("/admin/people", url.Values{
		"name": {"Kovács Ödön"}, "username": {"kovacs.odon"}, "email": {"odon@example.org"},
		"roles": {"employee", "admin"}, "active": {"on"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Only administrators") {
		t.Errorf("HR granting admin = %d; want 422 with an explanation", res.StatusCode)
	}
	res, _ = c.post("/admin/people", url.Values{
		"name": {"Kovács Ödön"}, "username": {"kovacs.odon"}, "email": {"odon@example.org"},
		"roles": {"employee"}, "active": {"on"}, "department_id": {"12345"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("create with a tampered department id = %d; want 422", res.StatusCode)
	}
}

func TestProfile(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	c := newClientAs(t, app, "employee")
	c.get("/profile")
	res, body := c.post("/profile/password", url.Values{"current": {"demo"}, "new": {"short"}, "confirm": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least 8 characters") {
		t.Errorf("short new password = %d; want 422 with a message", res.StatusCode)
	}
	res, _ = c.post("/profile/password", url.Values{"current": {"nope"}, "new": {"long enough"}, "confirm": {"long enough"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong current password = %d; want 422", res.StatusCode)
	}
	if res, _ := c.post("/profile/password", url.Values{"current": {"demo"}, "new": {"long enough"}, "confirm": {"long enough"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("password change = %d; want 303", res.StatusCode)
	}
	c2 := newClient(t, app)
	c2.login("employee", "long enough")

	// The language follows the profile, whatever the browser asks for.
	c.get("/profile")
	c.post("/profile/language", url.Values{"lang": {"hu"}})
	if _, body := c.get("/profile"); !strings.Contains(body, `<html lang="hu"`) || !strings.Contains(body, "Profilom") {
		t.Errorf("profile after choosing Hungarian is not in Hungarian")
	}
}

func TestLanguageSwitchForVisitors(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	c := newClient(t, app)
	if _, body := c.get("/login"); !strings.Contains(body, "Sign in to Kapu") {
		t.Errorf("login page with Accept-Language en is not in English")
	}
	res, _ := c.get("/lang/hu?next=/login")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("language switch = %d %q; want 303 back", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := c.get("/login"); !strings.Contains(body, "Bejelentkezés a Kapuba") {
		t.Errorf("login page after switching to hu is not in Hungarian")
	}
	if res, _ := c.get("/lang/de"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown language = %d; want 404", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	res, _ := newClient(t, app).get("/login")
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

func TestPersonFormShowsEveryError(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	c := newClientAs(t, app, "admin")
	c.get("/admin/people/new")
	res, body := c.post("/admin/people", url.Values{"name": {""}, "username": {"x y"}, "email": {"nope"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("create with three bad fields = %d; want 422", res.StatusCode)
	}
	for _, want := range []string{"Enter the full name.", "Use 2–64 lower-case letters", "Enter a valid email address.", `value="x y"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
}

func TestCalendarAdmin(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, app *App) {
		ctx := context.Background()
		c := newClientAs(t, app, "admin")
		if _, body := c.get("/admin/calendar?year=2026"); !strings.Contains(body, "Good Friday") || !strings.Contains(body, "252 working days") {
			t.Errorf("calendar 2026 page lacks the holidays or the working-day count (252: each demo swap moves a day off and a day on)")
		}
		d := mustDate(t, "2026-12-12") // a Saturday made a workday
		if ok, _ := app.Calendar.IsWorkday(ctx, d); ok {
			t.Fatalf("2026-12-12 is a workday before the change")
		}
		res, _ := c.post("/admin/calendar", url.Values{"date": {"2026-12-12"}, "kind": {"workday"}, "note": {"instead of 24 Dec"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding a moved working day = %d; want 303", res.StatusCode)
		}
		if ok, _ := app.Calendar.IsWorkday(ctx, d); !ok {
			t.Errorf("2026-12-12 is not a workday after the change")
		}
		c.get("/admin/calendar?year=2026")
		res, body := c.post("/admin/calendar", url.Values{"date": {"12/12/2026"}, "kind": {"maybe"}, "note": {"keep me"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="keep me"`) || !strings.Contains(body, "Enter a date as YYYY-MM-DD.") {
			t.Errorf("bad calendar form = %d; want 422 with messages and the note kept", res.StatusCode)
		}
		_, audit := c.get("/admin/audit?entity=calendar_override")
		if !strings.Contains(audit, "calendar.override.save") || !strings.Contains(audit, "Rendszergazda Róbert") {
			t.Errorf("audit log does not show the calendar change by the admin")
		}
	})
}

var hrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)

// Every demo account, in both languages, can open every page its pages link to:
// no link leads to an error, a missing translation or a page the role may not see.
func TestEveryLinkAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	for _, acc := range people.DemoAccounts {
		for _, lang := range []string{"en", "hu"} {
			c := newClient(t, app)
			c.login(acc.Username, "demo")
			c.get("/profile")
			c.post("/profile/language", url.Values{"lang": {lang}})
			seen := map[string]bool{}
			queue := []string{"/"}
			for len(queue) > 0 && len(seen) < 80 {
				path := queue[0]
				queue = queue[1:]
				if seen[path] {
					continue
				}
				seen[path] = true
				res, body := c.get(path)
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
var rawKeyRe = regexp.MustCompile(`>\s*(nav|people|departments|profile|calendar|audit|import|login|dashboard|error|form|validation|role|service|holiday|month|weekday|pager|channel|coming_soon)\.[a-z_.0-9]+\s*<`)

func TestServerErrorPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, "sqlite")
	var logged bytes.Buffer
	app.Web.Log = slog.New(slog.NewTextHandler(&logged, nil))
	c := newClientAs(t, app, "admin")
	app.DB.Close() // the database goes away under a signed-in person
	res, body := c.get("/admin/people")
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
	env := map[string]string{
		"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40),
		"KAPU_BASE_URL": "https://kapu.varos.hu",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	app, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := app.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := app.SeedDemoWith(context.Background(), DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, app)
	res, _ := c.get("/login")
	// The jar keeps Secure cookies from http://kapu.test; send the visitor's back by hand.
	form := url.Values{"username": {"admin"}, "password": {"demo"}, "_csrf": {c.csrf}}
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range res.Cookies() {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	signin, _ := c.do(req)
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
		env := map[string]string{"KAPU_DATA_DIR": t.TempDir(), "KAPU_SECRET": strings.Repeat("s", 40), "KAPU_LANG": "en"}
		if trusted {
			env["KAPU_TRUSTED_PROXIES"] = "0.0.0.0/0"
		}
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		app, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer app.Close()
		if err := app.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		attacker := newClient(t, app)
		attacker.ip = "203.0.113.7"
		attacker.get("/login")
		for i := 0; i < auth.LoginAttempts; i++ {
			attacker.post("/login", url.Values{"username": {"admin"}, "password": {"guess"}})
		}
		other := newClient(t, app)
		other.ip = "198.51.100.20"
		other.get("/login")
		res, _ := other.post("/login", url.Values{"username": {"admin"}, "password": {"guess"}})
		want := http.StatusTooManyRequests // without a trusted proxy both look like one address
		if trusted {
			want = http.StatusUnauthorized
		}
		if res.StatusCode != want {
			t.Errorf("trusted proxy %v: another client's attempt = %d; want %d", trusted, res.StatusCode, want)
		}
	}
}
