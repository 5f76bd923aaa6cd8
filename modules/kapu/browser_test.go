package kapu_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
)

// The whole browser run must finish within browserBudget; one step (a click,
// a page load, a query) within stepBudget, so a missing element fails fast
// with the name of the step instead of eating the whole budget.
const (
	browserBudget = 90 * time.Second
	stepBudget    = 15 * time.Second
)

// TestBrowserPeople drives a real Chromium through the people pages: sign in,
// the sidebar, creating a person, searching, a rejected form, signing out and
// the 403 page for someone without the role.
func TestBrowserPeople(t *testing.T) {
	chromium := findChromium(t)

	app := kaputest.New(t, db.SQLite)
	b := startBrowser(t, chromium, serve(t, app))
	start := time.Now()
	defer func() { t.Logf("browser flow took %s", time.Since(start).Round(time.Millisecond)) }()

	// 1. Sign in as the administrator and land on the dashboard.
	b.login("admin", "demo")
	if got := b.text(".topbar-user-name"); got != "Rendszergazda Róbert" {
		b.fatalf("after signing in as admin the header shows %q; want the admin's name %q", got, "Rendszergazda Róbert")
	}
	b.screenshot("dashboard")

	// 2. The sidebar leads to the people list, which lists the demo people.
	peopleLink := `#nav a[href="/admin/people"]`
	if !b.exists(peopleLink) {
		b.fatalf("the admin's sidebar has no link to /admin/people (%s)", peopleLink)
	}
	res := b.follow("click the People link in the sidebar", chromedp.Click(chromedp.CSS(peopleLink)))
	b.wantPage(res, 200, "/admin/people")
	if cur := b.attr(peopleLink, "aria-current"); cur != "page" {
		b.fatalf("on /admin/people the sidebar link is not marked as the current page (aria-current=%q)", cur)
	}
	names := b.personNames()
	if !slices.Contains(names, "Papp Eszter") {
		b.fatalf("the people list does not show the demo person %q; names in the table: %q", "Papp Eszter", names)
	}
	if len(names) < 10 {
		b.fatalf("the people list shows only %d people; the demo data has dozens: %q", len(names), names)
	}
	b.screenshot("people")

	// 3. Create a person through the form.
	res = b.follow(`click the "new person" button`, chromedp.Click(chromedp.CSS(`a[href="/admin/people/new"]`)))
	b.wantPage(res, 200, "/admin/people/new")
	b.do("fill in the new person's name, username and e-mail",
		chromedp.SendKeys(chromedp.ID("f-name"), "Teszt Elek"),
		chromedp.SendKeys(chromedp.ID("f-username"), "teszt.elek"),
		chromedp.SendKeys(chromedp.ID("f-email"), "teszt.elek@example.org"),
	)
	dept := b.optionValue("#f-department_id", "Hatósági Osztály")
	b.do("choose the department and tick the manager role",
		chromedp.SetValue(chromedp.ID("f-department_id"), dept),
		chromedp.Click(chromedp.CSS(`input[name="roles"][value="manager"]`)),
	)
	if !b.checked(`input[name="roles"][value="manager"]`) {
		b.fatalf("clicking the manager role checkbox did not tick it")
	}
	res = b.follow("submit the new person form", chromedp.Click(chromedp.CSS(`form[action="/admin/people"] button[type="submit"]`)))
	b.wantPage(res, 200, `/admin/people/\d+`)
	if !b.exists(".flash-success") {
		b.fatalf("after creating a person there is no success message (.flash-success)")
	}
	if msg := b.text(".flash-success"); !strings.Contains(msg, "Teszt Elek") {
		b.fatalf("the success message %q does not name the new person %q", msg, "Teszt Elek")
	}
	if h := b.text(".page-head h1"); h != "Teszt Elek" {
		b.fatalf("the new person's page is headed %q; want %q", h, "Teszt Elek")
	}
	if got := b.selectedText("#f-department_id"); got != "Hatósági Osztály" {
		b.fatalf("the saved person's department shows as %q; want %q", got, "Hatósági Osztály")
	}
	if !b.checked(`input[name="roles"][value="manager"]`) {
		b.fatalf("the saved person does not have the manager role ticked")
	}

	// 4. Search finds the new person and leaves out the others.
	b.open("/admin/people")
	b.do("type the search term", chromedp.SendKeys(chromedp.ID("f-q"), "teszt"))
	res = b.follow("submit the search form", chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	b.wantPage(res, 200, "/admin/people")
	if q := b.query().Get("q"); q != "teszt" {
		b.fatalf("the search went to %s; want q=teszt in the address", b.location())
	}
	names = b.personNames()
	if !slices.Contains(names, "Teszt Elek") {
		b.fatalf("searching for %q does not list %q; names in the table: %q", "teszt", "Teszt Elek", names)
	}
	if slices.Contains(names, "Papp Eszter") {
		b.fatalf("searching for %q still lists %q; names in the table: %q", "teszt", "Papp Eszter", names)
	}

	// 5. A form with bad input comes back with the typed values and messages.
	res = b.open("/admin/people/new")
	b.wantPage(res, 200, "/admin/people/new")
	b.do("fill in the form with a bad username and e-mail",
		chromedp.SendKeys(chromedp.ID("f-name"), "Valaki"),
		chromedp.SendKeys(chromedp.ID("f-username"), "x y"),
		chromedp.SendKeys(chromedp.ID("f-email"), "not-an-email"),
	)
	// The browser's own check stops "not-an-email" before it is sent; a real
	// user sees its bubble. Switch that check off to reach the server's.
	if evalJS[bool](b, "browser check of the e-mail field", `document.querySelector("#f-email").validity.valid`) {
		b.fatalf(`the browser accepts "not-an-email" in the e-mail field; it should be an input of type email`)
	}
	b.do("turn off the browser's form check",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/admin/people"]').noValidate = true`))
	res = b.follow("submit the form with bad input", chromedp.Click(chromedp.CSS(`form[action="/admin/people"] button[type="submit"]`)))
	b.wantPage(res, 422, "/admin/people")
	if v := b.value("#f-name"); v != "Valaki" {
		b.fatalf("the returned form lost the typed name: #f-name is %q; want %q", v, "Valaki")
	}
	if v := b.value("#f-username"); v != "x y" {
		b.fatalf("the returned form lost the typed username: #f-username is %q; want %q", v, "x y")
	}
	if !b.visible(".field-error") {
		b.fatalf("the returned form shows no visible field message (.field-error)")
	}
	if inv := b.attr("#f-username", "aria-invalid"); inv != "true" {
		b.fatalf("the bad username is not marked invalid (aria-invalid=%q)", inv)
	}
	b.screenshot("person_form_errors")

	// 6. Sign out; the admin pages then ask for a sign-in.
	res = b.follow("click the logout button", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.wantPage(res, 200, "/login")
	if b.exists(".topbar-user-name") {
		b.fatalf("after signing out the header still shows a signed-in person: %q", b.text(".topbar-user-name"))
	}
	res = b.open("/admin/people")
	b.wantPage(res, 200, "/login")
	if next := b.query().Get("next"); next != "/admin/people" {
		b.fatalf("the sign-in page after the redirect is %s; want next=/admin/people", b.location())
	}

	// 7. An employee has no people admin: no link, and a 403 page.
	b.login("employee", "demo")
	if got := b.text(".topbar-user-name"); got != "Papp Eszter" {
		b.fatalf("after signing in as employee the header shows %q; want %q", got, "Papp Eszter")
	}
	if !b.exists("#nav") {
		b.fatalf("the employee's page has no sidebar (#nav)")
	}
	if b.exists(peopleLink) {
		b.fatalf("the employee's sidebar links to /admin/people")
	}
	res = b.open("/admin/people")
	b.wantPage(res, 403, "/admin/people")
	if code := b.text(".error-page .error-code"); code != "403" {
		b.fatalf("the error page shows code %q; want 403", code)
	}
	if b.exists("table") {
		b.fatalf("the 403 page shows a table; the people list must not leak")
	}
}

// serve runs app on a loopback port until the test ends and returns its
// address, which also becomes the base of the links in its mails.
func serve(t *testing.T, app *kapu.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = app.Web.App.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.Web.App.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Logf("shutdown: %v", err)
		}
	})
	app.Cfg.BaseURL = "http://" + ln.Addr().String()
	return app.Cfg.BaseURL
}

// findChromium returns the path of Chromium, or ends the test: skipped only
// when KAPU_TEST_BROWSER=skip says so, failed otherwise.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("KAPU_TEST_BROWSER") == "skip" {
		t.Skip("chromium not found and KAPU_TEST_BROWSER=skip: browser test skipped")
	}
	t.Fatal("chromium not found: apt-get install chromium (or set KAPU_TEST_BROWSER=skip)")
	return ""
}

// browser is one Chromium tab on the test server, with helpers that fail the
// test with a message saying which step went wrong and where the tab was.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // directory for screenshots, "" for none
	out   *lockedBuffer
}

// lockedBuffer collects Chromium's output, written from another goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startBrowser launches a headless Chromium with a fresh profile; the test's
// cleanup (and the overall budget) closes it.
func startBrowser(t *testing.T, chromium, base string) *browser {
	t.Helper()
	return startBrowserWithin(t, chromium, base, browserBudget)
}

// startBrowserWithin is startBrowser with another overall budget, for a test
// that visits many pages (TestBrowserLayout).
func startBrowserWithin(t *testing.T, chromium, base string, budget time.Duration) *browser {
	t.Helper()
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "chromium-profile")),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	}
	budgetCtx, cancelBudget := context.WithTimeout(context.Background(), budget)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(budgetCtx, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelBudget()
		if t.Failed() {
			var lines []string
			for line := range strings.Lines(out.String()) {
				if !strings.Contains(line, "dbus") { // no system bus in containers; noise
					lines = append(lines, line)
				}
			}
			if len(lines) > 0 {
				t.Logf("chromium output:\n%s", strings.Join(lines, ""))
			}
		}
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v\n%s", chromium, err, out.String())
	}
	b := &browser{t: t, ctx: ctx, base: base, out: out}
	if dir := os.Getenv("KAPU_TEST_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("screenshot directory: %v", err)
		}
		b.shots = dir
	}
	return b
}

// step returns a context for one step, inside the overall budget.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepBudget)
}

// fatalf fails the test and tells where the tab was and what it showed.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 600 {
		text = text[:600] + "…"
	}
	b.t.Fatalf("%s\n  page: %s\n  text: %s", msg, where, text)
}

// do runs actions that load no new page.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, explain(err))
	}
}

// follow runs actions that load a page (a click on a link or a submit button)
// and returns the response of the page finally shown, after redirects.
func (b *browser) follow(what string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fatalf("%s: %v", what, explain(err))
	}
	if res == nil {
		b.fatalf("%s: no page was loaded", what)
	}
	return res
}

// open goes to a path of the app as if typed into the address bar.
func (b *browser) open(path string) *network.Response {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fatalf("open %s: %v", path, explain(err))
	}
	if res == nil {
		b.fatalf("open %s: no page was loaded", path)
	}
	return res
}

// explain names a timeout for what it usually means in this test.
func explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (an element it waits for is missing or hidden, or no page loaded)", err)
	}
	return err
}

// login signs in through the login form and expects the dashboard.
func (b *browser) login(username, password string) {
	b.t.Helper()
	res := b.open("/login")
	b.wantPage(res, 200, "/login")
	b.do("fill in the sign-in form as "+username,
		chromedp.SendKeys(chromedp.ID("f-username"), username),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
	)
	res = b.follow("submit the sign-in form as "+username,
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if b.exists(".form-errors") {
		b.fatalf("signing in as %s/%s failed: %q", username, password, b.text(".form-errors"))
	}
	b.wantPage(res, 200, "/")
}

// wantPage checks the status of the page shown and that its path matches the
// pattern (anchored).
func (b *browser) wantPage(res *network.Response, status int64, pathPattern string) {
	b.t.Helper()
	u, err := url.Parse(res.URL)
	if err != nil {
		b.fatalf("page address %q: %v", res.URL, err)
	}
	if !regexp.MustCompile(`^` + pathPattern + `$`).MatchString(u.Path) {
		b.fatalf("landed on %s; want the path %s", res.URL, pathPattern)
	}
	if res.Status != status {
		b.fatalf("%s answered %d; want %d", res.URL, res.Status, status)
	}
}

// location is the address in the address bar.
func (b *browser) location() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("read the address: %v", err)
	}
	return loc
}

// query is the query string of the address in the address bar.
func (b *browser) query() url.Values {
	b.t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatalf("parse the address: %v", err)
	}
	return u.Query()
}

// evalJS evaluates a JavaScript expression in the page; it does not wait for
// anything, so questions about elements answer at once.
func evalJS[T any](b *browser, what, expr string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v\n  script: %s", what, err, expr)
	}
	return v
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return evalJS[bool](b, "look for "+sel, `document.querySelector(`+js(sel)+`) !== null`)
}

// text is the trimmed visible text of the first match, "" when there is none.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(evalJS[string](b, "read the text of "+sel,
		`(document.querySelector(`+js(sel)+`)?.innerText ?? "")`))
}

// value is the current value of a form control, "" when there is none.
func (b *browser) value(sel string) string {
	b.t.Helper()
	return evalJS[string](b, "read the value of "+sel, `(document.querySelector(`+js(sel)+`)?.value ?? "")`)
}

// attr is an attribute of the first match, "" when missing.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return evalJS[string](b, "read "+name+" of "+sel,
		`(document.querySelector(`+js(sel)+`)?.getAttribute(`+js(name)+`) ?? "")`)
}

func (b *browser) checked(sel string) bool {
	b.t.Helper()
	return evalJS[bool](b, "read whether "+sel+" is ticked", `document.querySelector(`+js(sel)+`)?.checked === true`)
}

// visible reports whether the first match takes up room on the page and is not hidden.
func (b *browser) visible(sel string) bool {
	b.t.Helper()
	return evalJS[bool](b, "check that "+sel+" is visible", `(() => {
		const el = document.querySelector(`+js(sel)+`);
		if (!el) return false;
		const r = el.getBoundingClientRect(), s = getComputedStyle(el);
		return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0";
	})()`)
}

// optionLabel is the JavaScript that reads an option's label without the
// indentation the select partial puts before sub-departments.
const optionLabel = `(o) => o.textContent.replace(/^[\s\u00a0–]+/, "").trim()`

// optionValue finds the value of the option labelled label in a select.
func (b *browser) optionValue(sel, label string) string {
	b.t.Helper()
	v := evalJS[string](b, "find the option "+label, `(() => {
		const label = `+optionLabel+`;
		const o = Array.from(document.querySelectorAll(`+js(sel+" option")+`)).find(o => label(o) === `+js(label)+`);
		return o ? o.value : "";
	})()`)
	if v == "" {
		b.fatalf("the select %s has no option %q", sel, label)
	}
	return v
}

// selectedText is the label of the chosen option of a select.
func (b *browser) selectedText(sel string) string {
	b.t.Helper()
	return evalJS[string](b, "read the chosen option of "+sel, `(() => {
		const s = document.querySelector(`+js(sel)+`);
		const o = s && s.selectedOptions[0];
		return o ? (`+optionLabel+`)(o) : "";
	})()`)
}

// personNames lists the linked names in the first column of the people table.
func (b *browser) personNames() []string {
	b.t.Helper()
	return evalJS[[]string](b, "read the people table",
		`Array.from(document.querySelectorAll("table.table tbody tr td:first-child a")).map(a => a.innerText.trim())`)
}

// screenshot saves full-page PNGs of the current page at 1280 wide and, for
// the pages phones matter most for, at 360x740; only with KAPU_TEST_SCREENSHOTS.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	b.savePNG(name + ".png")
	b.noteOverflow(name)
	if name != "dashboard" && name != "people" {
		return
	}
	b.do("emulate a 360px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	b.savePNG(name + "-360.png")
	b.noteOverflow(name + "-360")
	b.do("back to the desktop viewport", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{})
		return err
	}))
}

// noteOverflow logs, for the humans reading the screenshots, when the page or
// a table scrolls sideways at the current width.
func (b *browser) noteOverflow(name string) {
	b.t.Helper()
	notes := evalJS[[]string](b, "measure sideways overflow", `(() => {
		const out = [], doc = document.documentElement;
		if (doc.scrollWidth > doc.clientWidth) out.push("the page is " + doc.scrollWidth + "px wide in a " + doc.clientWidth + "px window");
		document.querySelectorAll(".table-wrap").forEach(w => {
			if (w.scrollWidth > w.clientWidth + 1) out.push("a table needs " + w.scrollWidth + "px and shows " + w.clientWidth + "px (scrolls sideways)");
		});
		return out;
	})()`)
	for _, n := range notes {
		b.t.Logf("screenshot %s: %s", name, n)
	}
}

func (b *browser) savePNG(file string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", file, err)
	}
	path := filepath.Join(b.shots, file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("save screenshot: %v", err)
	}
	b.t.Logf("screenshot: %s", path)
}

// TestBrowserApproval follows an approval the way the demo shows it: the request
// mail sits in the Outbox page, its Approve link is opened, the button pressed,
// and the request then shows as approved.
func TestBrowserApproval(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite)
	kaputest.RegisterClaims(t, app)
	base := serve(t, app) // links in the mails point at this server
	req, _ := kaputest.SubmitClaim(t, app, "employee", "Taxi to the ministry", "manager")

	b := startBrowser(t, chromium, base)
	b.login("admin", "demo")
	res := b.open("/admin/outbox")
	b.wantPage(res, 200, "/admin/outbox")
	mailLink := `table a[href^="/admin/outbox/"]`
	if !strings.Contains(b.text("table"), "Taxi to the ministry") {
		b.fatalf("the outbox does not list the approval request mail")
	}
	res = b.follow("open the approval mail", chromedp.Click(chromedp.CSS(mailLink)))
	b.wantPage(res, 200, `/admin/outbox/\d+`)
	b.screenshot("outbox-mail")
	approveURL := b.attr(`pre a[href*="/a/"]`, "href")
	if !strings.HasPrefix(approveURL, base+"/a/") {
		b.fatalf("the mail's first link is %q; want an approve link to %s/a/…", approveURL, base)
	}

	res = b.open(strings.TrimPrefix(approveURL, base))
	b.wantPage(res, 200, `/a/[A-Za-z0-9_-]+`)
	if !strings.Contains(b.text("h1"), "Taxi to the ministry") {
		b.fatalf("the link page does not show the request")
	}
	var before approval.Request
	app.DB.R.First(&before, req.ID)
	if before.Status != approval.StatusPending {
		b.fatalf("opening the link changed the request to %s", before.Status)
	}
	b.screenshot("approval-link")
	res = b.follow("press Approve", chromedp.Click(chromedp.CSS(`form[action^="/a/"] button[type="submit"]`)))
	b.wantPage(res, 200, `/a/[A-Za-z0-9_-]+`)
	if !b.exists(".alert-success") {
		b.fatalf("pressing Approve shows no confirmation")
	}

	res = b.open(fmt.Sprintf("/approvals/%d", req.ID))
	b.wantPage(res, 200, `/approvals/\d+`)
	if got := b.text(".page-head .badge"); got != "Approved" {
		b.fatalf("the request page shows the status %q; want Approved", got)
	}
}

// TestBrowserLeave is leave's main flow in a real browser: the employee asks for
// a week, the manager approves from the email link in the Outbox page, the
// employee sees it approved with fewer days left, and the team calendar shows it.
func TestBrowserLeave(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite)
	base := serve(t, app)

	// A working week next month, in this year's or next year's allowance.
	today := calendar.Today(app.Cfg.TZ)
	start := calendar.NewDate(today.Year, today.Month+1, 1)
	for start.Weekday() != time.Tuesday {
		start = start.AddDays(1)
	}
	end := start.AddDays(2)
	kaputest.Allocate(t, app, "employee", start.Year, 20)

	b := startBrowser(t, chromium, base)
	b.login("employee", "demo")
	res := b.open("/leave/new")
	b.wantPage(res, 200, "/leave/new")
	b.do("fill in the request", chromedp.SetValue(chromedp.ID("f-start"), start.String()), chromedp.SetValue(chromedp.ID("f-end"), end.String()))
	res = b.follow("check the days", chromedp.Click(chromedp.CSS(`button[value="check"]`)))
	b.wantPage(res, 200, "/leave/new")
	if got := b.text(".stat-value"); got != "3" {
		b.fatalf("the request form says it costs %q days; want 3", got)
	}
	res = b.follow("send the request", chromedp.Click(chromedp.CSS(`button[value="send"]`)))
	b.wantPage(res, 200, `/leave/requests/\d+`)
	if !strings.Contains(b.text(".page-head"), "Waiting for approval") {
		b.fatalf("the sent request does not wait for approval")
	}
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))

	// The manager's email, read on the admin's Outbox page.
	b.login("admin", "demo")
	b.open("/admin/outbox")
	res = b.follow("open the approval mail", chromedp.Click(chromedp.CSS(`table a[href^="/admin/outbox/"]`)))
	b.wantPage(res, 200, `/admin/outbox/\d+`)
	if to := b.text("dl"); !strings.Contains(to, "Kiss Márton") {
		b.fatalf("the newest mail is not to the manager: %q", to)
	}
	approveURL := b.attr(`pre a[href*="/a/"]`, "href")
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	res = b.open(strings.TrimPrefix(approveURL, base))
	b.wantPage(res, 200, `/a/[A-Za-z0-9_-]+`)
	res = b.follow("press Approve", chromedp.Click(chromedp.CSS(`form[action^="/a/"] button[type="submit"]`)))
	b.wantPage(res, 200, `/a/[A-Za-z0-9_-]+`)
	if !b.exists(".alert-success") {
		b.fatalf("approving from the link shows no confirmation")
	}

	// The employee sees it approved and the balance moved.
	b.login("employee", "demo")
	res = b.open(fmt.Sprintf("/leave?year=%d", start.Year))
	b.wantPage(res, 200, "/leave")
	if got := b.text("table.table tbody"); !strings.Contains(got, "Approved") {
		b.fatalf("My leave does not list the request as approved: %q", got)
	}
	if got := b.text(".stat-value"); got != "17" {
		b.fatalf("My leave shows %q days left; want 17", got)
	}
	b.screenshot("leave-overview")
	res = b.open(fmt.Sprintf("/leave/team?month=%04d-%02d", start.Year, start.Month))
	b.wantPage(res, 200, "/leave/team")
	if !strings.Contains(b.text("main"), "Papp Eszter") || !b.exists(`main svg rect`) {
		b.fatalf("the team calendar does not show the employee's leave")
	}
	b.screenshot("leave-team")
}

// shotsPerTest puts the screenshots in a folder named after the (sub)test,
// so a test run per database (kaputest.Each) keeps each run's pictures.
func (b *browser) shotsPerTest() {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	b.shots = filepath.Join(b.shots, filepath.Base(b.t.Name()))
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		b.t.Fatal(err)
	}
}

// postForm sends a form of hidden fields to action from the current page,
// as a second tab or a page kept from before would send it again, and
// returns the page shown.
func (b *browser) postForm(what, action string, fields [][2]string) *network.Response {
	b.t.Helper()
	pairs, err := json.Marshal(fields)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.follow(what, chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.createElement("form");
		f.method = "post";
		f.action = `+js(action)+`;
		for (const [name, value] of `+string(pairs)+`) {
			const i = document.createElement("input");
			i.type = "hidden"; i.name = name; i.value = value;
			f.append(i);
		}
		document.body.append(f);
		f.submit();
	})()`))
}

// rows is the visible text of each cell of each body row of the first
// table matching sel, whitespace collapsed.
func (b *browser) rows(sel string) [][]string {
	b.t.Helper()
	return evalJS[[][]string](b, "read the rows of "+sel, `(() => {
		const t = document.querySelector(`+js(sel)+`);
		if (!t) return [];
		return Array.from(t.querySelectorAll("tbody tr")).map(tr =>
			Array.from(tr.cells).map(td => td.innerText.replace(/\s+/g, " ").trim()));
	})()`)
}
