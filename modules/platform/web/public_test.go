package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// solve finds a nonce of tok's challenge the way static/js/pow.js does.
func solve(t *testing.T, tok string, bits int) string {
	t.Helper()
	ch := formChallenge(tok)
	for n := 0; n < 1<<26; n++ {
		nonce := strconv.Itoa(n)
		if zeroBits(sha256.Sum256([]byte(ch+nonce))) >= bits {
			return nonce
		}
	}
	t.Fatalf("no nonce of %d bits for %q", bits, ch)
	return ""
}

func TestCheckFormWork(t *testing.T) {
	s := newTestServer(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	nonce := RandomToken()
	young := s.formToken("book", nonce, now.Add(-5*time.Second))
	old := s.formToken("book", nonce, now.Add(-20*time.Second))
	other := s.formToken("other", nonce, now.Add(-5*time.Second))
	good := solve(t, young, 12)
	// A nonce that is wrong: the next one that misses.
	n, _ := strconv.Atoi(good)
	wrong := strconv.Itoa(n + 1)
	for checkFormWork(young, wrong, 12, 0, now) == nil {
		n++
		wrong = strconv.Itoa(n + 1)
	}
	wait := 20 * time.Second
	tests := []struct {
		name, tok, nonce string
		bits             int
		want             error
	}{
		{"the nonce found", young, good, 12, nil},
		{"the nonce with fewer bits asked", young, good, 8, nil},
		{"a wrong nonce", young, wrong, 12, ErrFormWork},
		{"another form's nonce", other, good, 12, ErrFormWork},
		{"not a number", young, "12ab", 12, ErrFormWork},
		{"far too long", young, strings.Repeat("1", 13), 12, ErrFormWork},
		{"no nonce, 5 seconds old", young, "", 12, ErrFormWait},
		{"no nonce, 20 seconds old", old, "", 12, nil},
		{"off: anything goes", young, "junk", 0, nil},
		{"off: no nonce at once", young, "", 0, nil},
	}
	for _, tt := range tests {
		if err := checkFormWork(tt.tok, tt.nonce, tt.bits, wait, now); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: checkFormWork = %v; want %v", tt.name, err, tt.want)
		}
	}
	if w := NewFormWork(young, 0, wait, ""); w != nil {
		t.Errorf("NewFormWork with 0 bits = %+v; want nil (off)", w)
	}
	if w := NewFormWork(young, 12, wait, good); w.Challenge != formChallenge(young) || len(w.Challenge) != 22 || w.Bits != 12 || w.WaitSeconds != 20 || w.Nonce != good {
		t.Errorf("NewFormWork = %+v", w)
	}
}

// formOnceServer's form spends its token when asked to (spend=1), as a
// booking does when it succeeds, and otherwise gives it back.
func formOnceServer(t *testing.T) *Server {
	s := newTestServer(t)
	s.Public("/pub")
	s.App.Get("/pub/form", func(c *fiber.Ctx) error { return c.SendString(FormToken(c, "t")) })
	s.App.Post("/pub/form", func(c *fiber.Ctx) error {
		if err := CheckFormToken(c, "t", 0, time.Hour); err != nil {
			return c.Status(422).SendString(err.Error())
		}
		use, err := UseFormToken(c, "t", time.Hour)
		if err != nil {
			return c.Status(422).SendString(err.Error())
		}
		defer use.Release()
		if c.FormValue("spend") == "1" {
			use.Spend()
			return c.SendString("done")
		}
		return c.SendString("again")
	})
	s.Finish()
	return s
}

// TestFormTokenSingleUse: a token is spent only when the handler says so;
// until then the same form may be sent again and again.
func TestFormTokenSingleUse(t *testing.T) {
	s := formOnceServer(t)
	res, tok := send(t, s, "GET", "/pub/form", nil, nil)
	cookies := map[string]string{visitorCookie: cookieOf(res, visitorCookie)}
	// Another form page the visitor opened a second earlier.
	tok2 := s.formToken("t", cookies[visitorCookie], time.Now().Add(-time.Second))
	steps := []struct {
		name, tok, spend string
		status           int
		want             string
	}{
		{"sent, not spent", tok, "", 200, "again"},
		{"sent again, not spent", tok, "", 200, "again"},
		{"sent and spent", tok, "1", 200, "done"},
		{"sent after it was spent", tok, "", 422, ErrFormUsed.Error()},
		{"spent, sent to be spent again", tok, "1", 422, ErrFormUsed.Error()},
		{"another form of the same visitor", tok2, "1", 200, "done"},
	}
	for _, st := range steps {
		res, body := send(t, s, "POST", "/pub/form", url.Values{FormField: {st.tok}, "spend": {st.spend}}, cookies)
		if res.StatusCode != st.status || body != st.want {
			t.Errorf("%s: %d %q; want %d %q", st.name, res.StatusCode, body, st.status, st.want)
		}
	}
}

// Of many posts of one token at once, exactly one holds it; once released,
// the next may.
func TestUseFormTokenOneAtATime(t *testing.T) {
	var f formUses
	const n = 32
	got := make(chan *FormUse, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := f.use("t", "tok", time.Hour)
			if err == nil {
				got <- u
			} else if !errors.Is(err, ErrFormUsed) {
				t.Errorf("use = %v; want nil or ErrFormUsed", err)
			}
		}()
	}
	wg.Wait()
	close(got)
	var holders []*FormUse
	for u := range got {
		holders = append(holders, u)
	}
	if len(holders) != 1 {
		t.Fatalf("%d posts hold the token; want exactly 1", len(holders))
	}
	holders[0].Release()
	u, err := f.use("t", "tok", time.Hour)
	if err != nil {
		t.Fatalf("use after Release = %v; want the token free again", err)
	}
	u.Spend()
	u.Release()
	if _, err := f.use("t", "tok", time.Hour); !errors.Is(err, ErrFormUsed) {
		t.Errorf("use after Spend = %v; want ErrFormUsed", err)
	}
	if _, err := f.use("other", "tok", time.Hour); err != nil {
		t.Errorf("the same text as another purpose's token: %v; want nil", err)
	}
}

// TestPowJS runs static/js/pow.js under node: its SHA-256 is Go's, and the
// nonce it finds is one CheckFormWork accepts.
func TestPowJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH")
	}
	inputs := []string{"", "abc", strings.Repeat("a", 55), strings.Repeat("a", 56), strings.Repeat("a", 64),
		strings.Repeat("x", 119), "Árvíztűrő tükörfúrógép", strings.Repeat("kapu", 300)}
	s := newTestServer(t)
	now := time.Now()
	tok := s.formToken("book", RandomToken(), now.Add(-5*time.Second))
	in, _ := json.Marshal(map[string]any{"inputs": inputs, "challenge": formChallenge(tok), "bits": 14})
	script := `const pow = require(process.argv[1]);
const job = JSON.parse(process.argv[2]);
console.log(JSON.stringify({hashes: job.inputs.map(pow.sha256), nonce: pow.solve(job.challenge, job.bits)}));`
	path, _ := filepath.Abs("../../../static/js/pow.js")
	out, err := exec.Command(node, "-e", script, path, string(in)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got struct {
		Hashes []string
		Nonce  string
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got.Hashes) != len(inputs) {
		t.Fatalf("node printed %s (%v)", out, err)
	}
	for i, s := range inputs {
		if want := fmt.Sprintf("%x", sha256.Sum256([]byte(s))); got.Hashes[i] != want {
			t.Errorf("pow.js sha256 of %d bytes = %s; want %s", len(s), got.Hashes[i], want)
		}
	}
	if err := checkFormWork(tok, got.Nonce, 14, time.Minute, now); err != nil {
		t.Errorf("the nonce pow.js found (%q): %v; want accepted", got.Nonce, err)
	}
}
