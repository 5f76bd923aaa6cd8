package web

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"kapu/config"
	"kapu/modules/platform/i18n"
)

// Page is what every template receives: the screen's own Data and form state,
// plus what the layout needs, filled in by Render.
type Page struct {
	Title  string // translation key of the page title
	Data   any    // the screen's own values
	Form   any    // typed values to show again after an error
	Errors Errors // field name → message
	Status int    // HTTP status, 200 when zero

	Viewer   *Viewer
	Lang     string
	CSRF     string
	Flashes  []Flash
	Nav      []NavItem
	Path     string
	Query    url.Values
	Version  string
	Demo     bool
	LangList []LangChoice

	// Body is the rendered page template, placed by the layout.
	Body template.HTML

	noFlash bool
	srv     *Server
}

// LangChoice is one entry of the language switch.
type LangChoice struct {
	Code, Name string
	Current    bool
}

// Msg is a translatable message with its placeholder values.
type Msg struct {
	Key  string
	Args []any
}

// Errors maps form field names to their message; "" holds a message for the whole form.
type Errors map[string]Msg

// Add records the message for field.
func (e Errors) Add(field, key string, args ...any) { e[field] = Msg{Key: key, Args: args} }

// Flash is a one-time message shown on the next page.
type Flash struct {
	Kind string // success, error, info
	Text string
	// Action, when set, is a path the flash offers a POST button to (an undo,
	// see SuccessUndo), labelled ActionLabel.
	Action      string `json:",omitempty"`
	ActionLabel string `json:",omitempty"`
}

// Render writes the template name inside the layout with the page's common parts.
func Render(c *fiber.Ctx, name string, p Page) error {
	s := ServerOf(c)
	p.srv = s
	p.Viewer = ViewerOf(c)
	p.Lang = LangOf(c)
	p.CSRF = CSRFToken(c)
	p.Path = c.Path()
	p.Query = queryValues(c)
	p.Version = config.Version
	p.Demo = s.Demo()
	if !p.noFlash {
		p.Flashes = takeFlashes(c)
	}
	p.Nav = s.navFor(c.UserContext(), p.Viewer, p.Path)
	for _, l := range i18n.Langs {
		p.LangList = append(p.LangList, LangChoice{Code: l, Name: i18n.LangNames[l], Current: l == p.Lang})
	}
	if p.Status == 0 {
		p.Status = fiber.StatusOK
	}
	// The page is rendered on its own first, so a template error fails the
	// request (and shows the error page) instead of leaking into a 200 page.
	var body bytes.Buffer
	if err := s.views.Render(&body, name, &p); err != nil {
		return err
	}
	p.Body = template.HTML(body.String())
	c.Status(p.Status)
	return c.Render("layouts/main", &p)
}

func queryValues(c *fiber.Ctx) url.Values {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	return q
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.srv.Catalog.T(p.Lang, key, args...) }

// Err returns the translated message for field, or "".
func (p *Page) Err(field string) string {
	m, ok := p.Errors[field]
	if !ok {
		return ""
	}
	return p.T(m.Key, m.Args...)
}

// Has reports whether the viewer holds any of the roles.
func (p *Page) Has(roles ...string) bool { return p.Viewer != nil && p.Viewer.Has(roles...) }

// civilDate is a plain calendar date (calendar.Date) as the renderer needs it.
type civilDate interface {
	IsZero() bool
	Civil() (int, time.Month, int)
}

// Date writes a civil date or the date of an instant (in the city's zone) in the page's language.
func (p *Page) Date(v any) string { return formatDate(p.Lang, p.tz(), v) }

// DateTime writes an instant in the city's zone.
func (p *Page) DateTime(v any) string { return formatDateTime(p.Lang, p.tz(), v) }

// tz is the city's zone; a page built by hand in a test (no server) uses UTC.
func (p *Page) tz() *time.Location {
	if p.srv == nil || p.srv.Cfg == nil || p.srv.Cfg.TZ == nil {
		return time.UTC
	}
	return p.srv.Cfg.TZ
}

// Num writes a number with the language's separators.
func (p *Page) Num(v any) string { return formatNum(p.Lang, v) }

// Date writes a date as the request's pages do, for flash messages and other
// text a handler builds: the one formatting path shared with Page.Date.
func Date(c *fiber.Ctx, v any) string { return formatDate(LangOf(c), ServerOf(c).Cfg.TZ, v) }

// DateTime writes an instant as the request's pages do (Page.DateTime).
func DateTime(c *fiber.Ctx, v any) string {
	return formatDateTime(LangOf(c), ServerOf(c).Cfg.TZ, v)
}

// Num writes a number as the request's pages do (Page.Num).
func Num(c *fiber.Ctx, v any) string { return formatNum(LangOf(c), v) }

func formatDate(lang string, tz *time.Location, v any) string {
	switch d := v.(type) {
	case civilDate:
		if d.IsZero() {
			return ""
		}
		y, m, day := d.Civil()
		return i18n.FormatDate(lang, y, m, day)
	case time.Time:
		if d.IsZero() {
			return ""
		}
		t := d.In(tz)
		return i18n.FormatDate(lang, t.Year(), t.Month(), t.Day())
	case *time.Time:
		if d == nil {
			return ""
		}
		return formatDate(lang, tz, *d)
	}
	return fmt.Sprint(v)
}

func formatDateTime(lang string, tz *time.Location, v any) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return i18n.FormatDateTime(lang, t, tz)
	case *time.Time:
		if t == nil {
			return ""
		}
		return formatDateTime(lang, tz, *t)
	}
	return fmt.Sprint(v)
}

// formatNum writes whole numbers grouped and other amounts with one decimal
// (i18n.FormatFigure), so "2", "2,5" and "48 210" look the same everywhere.
func formatNum(lang string, v any) string {
	switch n := v.(type) {
	case int:
		return i18n.FormatNumber(lang, float64(n), 0)
	case int64:
		return i18n.FormatNumber(lang, float64(n), 0)
	case uint:
		return i18n.FormatNumber(lang, float64(n), 0)
	case float64:
		return i18n.FormatFigure(lang, n)
	}
	return fmt.Sprint(v)
}

// URLWith returns the current path with one query parameter replaced, for
// filters and pagination links that keep the other parameters.
func (p *Page) URLWith(key string, value any) template.URL {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set(key, fmt.Sprint(value))
	return template.URL(p.Path + "?" + q.Encode())
}

// NextParam is the current path and query, for "come back here" links.
func (p *Page) NextParam() string {
	if len(p.Query) == 0 {
		return p.Path
	}
	return p.Path + "?" + p.Query.Encode()
}

// dict builds a map from name/value pairs, for passing several values to a partial.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, errors.New("dict needs name/value pairs")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		m[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	return m, nil
}

// Session returns the request's session.
func Session(c *fiber.Ctx) *session.Session { return c.Locals(localSession).(*session.Session) }

// markDirty asks the session middleware to save the session after the handler.
func markDirty(c *fiber.Ctx) { c.Locals(localDirty, true) }

// RandomToken returns 256 random bits, URL-safe.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness source is broken; nothing is safe then
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// AddFlash queues a message (already translated) for the next page.
func AddFlash(c *fiber.Ctx, kind, text string) { addFlash(c, Flash{Kind: kind, Text: text}) }

func addFlash(c *fiber.Ctx, f Flash) {
	sess, ok := c.Locals(localSession).(*session.Session)
	if !ok {
		return
	}
	var list []Flash
	if raw, ok := sess.Get(sessFlash).(string); ok {
		_ = json.Unmarshal([]byte(raw), &list)
	}
	list = append(list, f)
	b, _ := json.Marshal(list)
	sess.Set(sessFlash, string(b))
	markDirty(c)
}

// Success queues a translated success message.
func Success(c *fiber.Ctx, key string, args ...any) { AddFlash(c, "success", T(c, key, args...)) }

func takeFlashes(c *fiber.Ctx) []Flash {
	sess, ok := c.Locals(localSession).(*session.Session)
	if !ok {
		return nil
	}
	raw, ok := sess.Get(sessFlash).(string)
	if !ok {
		return nil
	}
	var list []Flash
	_ = json.Unmarshal([]byte(raw), &list)
	sess.Delete(sessFlash)
	markDirty(c)
	return list
}

// SignIn binds the session to a person under a new session id (so a session id
// planted before login is worthless) and a new CSRF token.
func SignIn(c *fiber.Ctx, personID uint) error {
	sess := Session(c)
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set(sessUserID, personID)
	sess.Set(sessCSRF, RandomToken())
	c.Locals(localOwner, personID)
	markDirty(c)
	return nil
}

// SignOut ends the session.
func SignOut(c *fiber.Ctx) error {
	return Session(c).Destroy()
}

// SafeNext returns next when it is a clean path on this site, else fallback, so
// login and language links cannot redirect elsewhere nor smuggle headers into
// Location. next must be printable ASCII without backslashes (browsers read
// "/\host" and a tab-split "/\t/host" as another site), start with one "/",
// and parse as a bare path with an optional query.
func SafeNext(next, fallback string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return fallback
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return fallback
	}
	return next
}
