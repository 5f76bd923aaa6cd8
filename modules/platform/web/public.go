package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"math/bits"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/cache"
	"kapu/modules/platform/i18n"
)

// localPublic holds the public prefix a request falls under (see Public).
const localPublic = "kapu.public"

// langCookie keeps a visitor's language choice; the public pages set it from ?lang=.
const langCookie = "kapu_lang"

// Public makes every request under prefix a public one: the session
// middleware neither reads nor creates a session there (no kapu_session
// cookie, no database read), loads no viewer and no navigation, and checks
// no session CSRF token: public forms carry a signed form token instead
// (FormToken, CheckFormToken). A citizen's page must stay lean under a rush
// and must not leave a session row per visitor.
func (s *Server) Public(prefix string) {
	s.public = append(s.public, strings.TrimRight(prefix, "/"))
}

// publicPrefix is the public prefix path falls under, or "".
func (s *Server) publicPrefix(path string) string {
	for _, p := range s.public {
		if path == p || strings.HasPrefix(path, p+"/") {
			return p
		}
	}
	return ""
}

// IsPublic reports whether the request is on a public page (see Public).
func IsPublic(c *fiber.Ctx) bool {
	p, _ := c.Locals(localPublic).(string)
	return p != ""
}

// publicMiddleware stands in for the session middleware on public paths:
// only the language, from ?lang= (then kept in the kapu_lang cookie), the
// cookie, Accept-Language or KAPU_LANG.
func (s *Server) publicMiddleware(c *fiber.Ctx, prefix string) error {
	c.Locals(localPublic, prefix)
	c.Locals(localLang, s.publicLang(c))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

func (s *Server) publicLang(c *fiber.Ctx) string {
	if l := c.Query("lang"); isLang(l) {
		if c.Cookies(langCookie) != l {
			c.Cookie(&fiber.Cookie{
				Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HTTPOnly: true, SameSite: "Lax", Secure: s.Cfg.SecureCookies(),
			})
		}
		return l
	}
	if l := c.Cookies(langCookie); isLang(l) {
		return l
	}
	if l := i18n.Match(c.Get(fiber.HeaderAcceptLanguage)); l != "" {
		return l
	}
	return s.Cfg.Lang
}

// Contact is an office's contact details for the public layout's footer. A
// page's Data shows them by having a PublicContact method.
type Contact struct {
	Name, Address, Phone, Email string
}

// ContactHolder is page data that names an office.
type ContactHolder interface{ PublicContact() *Contact }

// Contact is the office the page names, or nil.
func (p *Page) Contact() *Contact {
	if h, ok := p.Data.(ContactHolder); ok {
		return h.PublicContact()
	}
	return nil
}

// City is the city hall's name (KAPU_CITY).
func (p *Page) City() string {
	if p.srv == nil || p.srv.Cfg == nil {
		return ""
	}
	return p.srv.Cfg.City
}

// PublicPrefix is the public area the page belongs to; its data-processing
// notice is at PublicPrefix + "/privacy".
func (p *Page) PublicPrefix() string {
	if p.srv == nil {
		return ""
	}
	return p.srv.publicPrefix(p.Path)
}

// LangURL is the current page in language code: the same path and query
// with lang= replaced, which the public middleware remembers.
func (p *Page) LangURL(code string) template.URL {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("lang", code)
	return template.URL(p.Path + "?" + q.Encode())
}

// RenderPublic writes the template name inside the public layout: the
// city's name and crest, the language switch, the office's contact details
// when the page names one, and no intranet navigation, flash or session.
func RenderPublic(c *fiber.Ctx, name string, p Page) error {
	s := ServerOf(c)
	p.srv = s
	p.Viewer = nil
	p.Lang = LangOf(c)
	p.Path = c.Path()
	p.Query = queryValues(c)
	p.Version = config.Version
	p.noFlash = true
	for _, l := range i18n.Langs {
		p.LangList = append(p.LangList, LangChoice{Code: l, Name: i18n.LangNames[l], Current: l == p.Lang})
	}
	if p.Status == 0 {
		p.Status = fiber.StatusOK
	}
	var body bytes.Buffer
	if err := s.views.Render(&body, name, &p); err != nil {
		return err
	}
	p.Body = template.HTML(body.String())
	c.Status(p.Status)
	return c.Render("layouts/public", &p)
}

// RenderPublicForm is RenderForm for a public page: with errors, the
// summary above the form and 422 (or the page's own status).
func RenderPublicForm(c *fiber.Ctx, name string, p Page) error {
	if p.Errors.Any() {
		p.Errors.AddOnce("", MsgSummary)
		if p.Status == 0 {
			p.Status = fiber.StatusUnprocessableEntity
		}
	}
	return RenderPublic(c, name, p)
}

// FormField is the hidden field that carries FormToken.
const FormField = "_form"

// Why CheckFormToken refused a form.
var (
	ErrFormToken   = errors.New("web: the form's token is missing or not ours")
	ErrFormTooFast = errors.New("web: the form came back too fast")
	ErrFormExpired = errors.New("web: the form is too old")
	ErrFormUsed    = errors.New("web: the form was sent already")
	ErrFormWork    = errors.New("web: the form's proof of work is wrong")
	ErrFormWait    = errors.New("web: the form came back without its proof of work too soon")
)

// FormToken is a stateless token for a public form of purpose ("book",
// "cancel"): when it was issued, signed with KAPU_SECRET together with the
// purpose and the visitor's nonce cookie (kapu_csrf, given now when the
// visitor has none). Another site can neither read the cookie nor forge the
// signature, so the token does what a session's CSRF token does, without a
// session; its issue time lets CheckFormToken refuse bots that post at once.
func FormToken(c *fiber.Ctx, purpose string) string {
	s := ServerOf(c)
	nonce := c.Cookies(visitorCookie)
	if len(nonce) != 43 {
		nonce = RandomToken()
		c.Cookie(&fiber.Cookie{
			Name: visitorCookie, Value: nonce, Path: "/",
			HTTPOnly: true, SameSite: "Lax", Secure: s.Cfg.SecureCookies(),
		})
		// A second form on the same page must sign the same nonce.
		c.Request().Header.SetCookie(visitorCookie, nonce)
	}
	return s.formToken(purpose, nonce, time.Now())
}

func (s *Server) formToken(purpose, nonce string, at time.Time) string {
	issued := strconv.FormatInt(at.Unix(), 36)
	return issued + "." + s.signForm(purpose, nonce, issued)
}

func (s *Server) signForm(purpose, nonce, issued string) string {
	h := hmac.New(sha256.New, []byte(s.Cfg.Secret))
	h.Write([]byte("form:" + purpose + ":" + issued + ":" + nonce))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// CheckFormToken checks the _form field of a public form of purpose:
// ErrFormToken for a missing, tampered or foreign one (another purpose,
// another visitor's), ErrFormTooFast when it came back within minAge of
// being issued, ErrFormExpired after maxAge.
func CheckFormToken(c *fiber.Ctx, purpose string, minAge, maxAge time.Duration) error {
	return ServerOf(c).checkFormToken(c.FormValue(FormField), c.Cookies(visitorCookie), purpose, minAge, maxAge, time.Now())
}

func (s *Server) checkFormToken(tok, nonce, purpose string, minAge, maxAge time.Duration, now time.Time) error {
	issued, sig, ok := strings.Cut(tok, ".")
	if !ok || nonce == "" || len(tok) > 100 || !equalTokens(s.signForm(purpose, nonce, issued), sig) {
		return ErrFormToken
	}
	at, ok := formIssued(tok)
	if !ok {
		return ErrFormToken
	}
	age := now.Sub(at)
	switch {
	case age < minAge:
		return ErrFormTooFast
	case age > maxAge:
		return ErrFormExpired
	}
	return nil
}

// formIssued is when the token tok says it was issued; ok is false for one
// that is not even shaped like a token.
func formIssued(tok string) (time.Time, bool) {
	issued, _, ok := strings.Cut(tok, ".")
	unix, err := strconv.ParseInt(issued, 36, 64)
	if !ok || err != nil {
		return time.Time{}, false
	}
	return time.Unix(unix, 0), true
}

// formUses are the single-use form tokens in use or spent, per purpose (see
// UseFormToken). One process's memory: with several instances each
// remembers the tokens spent through it.
type formUses struct {
	mu sync.Mutex // makes "not seen yet, now taken" one step
	m  map[string]*cache.Map[[32]byte, struct{}]
}

// FormUse is one request's hold on a single-use form token: Spend keeps the
// token from ever being accepted again; Release, when the request ends
// without spending it, lets the citizen send the same form again.
type FormUse struct {
	uses  *cache.Map[[32]byte, struct{}]
	mu    *sync.Mutex
	key   [32]byte
	spent bool
}

// UseFormToken holds the posted form token of purpose for this request, or
// refuses it with ErrFormUsed when it was spent already or another request
// holds it now (a double click). Call it after CheckFormToken and defer
// Release. A spent token is remembered, by its hash, for maxAge: after that
// CheckFormToken refuses it anyway.
func UseFormToken(c *fiber.Ctx, purpose string, maxAge time.Duration) (*FormUse, error) {
	return ServerOf(c).forms.use(purpose, c.FormValue(FormField), maxAge)
}

func (f *formUses) use(purpose, tok string, maxAge time.Duration) (*FormUse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	uses := f.m[purpose]
	if uses == nil {
		if f.m == nil {
			f.m = map[string]*cache.Map[[32]byte, struct{}]{}
		}
		uses = cache.New[[32]byte, struct{}](maxAge)
		f.m[purpose] = uses
	}
	u := &FormUse{uses: uses, mu: &f.mu, key: sha256.Sum256([]byte(tok))}
	fresh := false
	uses.Load(u.key, func() (struct{}, error) { fresh = true; return struct{}{}, nil })
	if !fresh {
		return nil, ErrFormUsed
	}
	return u, nil
}

// Spend marks the token used for good: the form did what it is for (or a
// bot gave itself away).
func (u *FormUse) Spend() { u.spent = true }

// Release gives an unspent token back; a no-op after Spend and on nil.
func (u *FormUse) Release() {
	if u == nil || u.spent {
		return
	}
	u.mu.Lock()
	u.uses.Forget(u.key)
	u.mu.Unlock()
}

// WorkField is the hidden field that carries a form's proof of work.
const WorkField = "_work"

// FormWork is the proof of work a public form asks of the browser, set by
// the page with static/js/pow.js: a decimal Nonce such that
// SHA-256(Challenge + Nonce) starts with Bits zero bits. A script that wants
// a thousand bookings pays a thousand times; a person does not notice. A
// browser without JavaScript sends no nonce and waits instead (WaitSeconds,
// CheckFormWork).
type FormWork struct {
	Challenge   string
	Bits        int
	WaitSeconds int
	Nonce       string // the nonce posted, for a page that posts the form on
}

// NewFormWork is the proof of work of a form with token tok, nil when bits
// is 0 (off). nonce is the one posted with it, if any.
func NewFormWork(tok string, bits int, wait time.Duration, nonce string) *FormWork {
	if bits <= 0 {
		return nil
	}
	return &FormWork{Challenge: formChallenge(tok), Bits: bits, WaitSeconds: int(wait / time.Second), Nonce: nonce}
}

// formChallenge is the start of the token's signature: unknown before the
// form is shown, bound to its visitor and time like the token, so there is
// nothing to keep on the server, and short (22 characters, 132 bits) so
// that the challenge and a nonce fit SHA-256's one block.
func formChallenge(tok string) string {
	_, sig, _ := strings.Cut(tok, ".")
	if len(sig) > 22 {
		sig = sig[:22]
	}
	return sig
}

// CheckFormWork checks the proof of work posted with a form whose token
// CheckFormToken accepted: nil when bits is 0 or the nonce is right (one
// hash); ErrFormWork for a wrong one; with no nonce at all (no JavaScript),
// nil once the token is wait old, ErrFormWait before.
func CheckFormWork(c *fiber.Ctx, bits int, wait time.Duration) error {
	return checkFormWork(c.FormValue(FormField), c.FormValue(WorkField), bits, wait, time.Now())
}

func checkFormWork(tok, nonce string, need int, wait time.Duration, now time.Time) error {
	if need <= 0 {
		return nil
	}
	if nonce == "" {
		issued, ok := formIssued(tok)
		if !ok || now.Sub(issued) < wait {
			return ErrFormWait
		}
		return nil
	}
	if len(nonce) > 12 || strings.Trim(nonce, "0123456789") != "" {
		return ErrFormWork
	}
	if zeroBits(sha256.Sum256([]byte(formChallenge(tok)+nonce))) < need {
		return ErrFormWork
	}
	return nil
}

// zeroBits counts the leading zero bits of a hash.
func zeroBits(h [32]byte) int {
	n := 0
	for _, b := range h {
		if b != 0 {
			return n + bits.LeadingZeros8(b)
		}
		n += 8
	}
	return n
}
