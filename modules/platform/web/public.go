package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
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
	unix, err := strconv.ParseInt(issued, 36, 64)
	if err != nil {
		return ErrFormToken
	}
	age := now.Sub(time.Unix(unix, 0))
	switch {
	case age < minAge:
		return ErrFormTooFast
	case age > maxAge:
		return ErrFormExpired
	}
	return nil
}
