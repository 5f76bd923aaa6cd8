// Package web is Kapu's Fiber app factory: middleware, sessions, CSRF, the page
// renderer with the one layout, navigation by role and friendly error pages.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gofiber/template/html/v2"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/static"
	"kapu/views"
)

// Viewer is the signed-in person as the web layer needs them.
type Viewer struct {
	actor.Actor
	Username string
	Email    string
	Lang     string // the person's chosen language, "" for the default
	// MustChoosePassword holds while the person signs in with a password
	// someone else chose; every page but the profile sends them there.
	MustChoosePassword bool
}

// Server is the web half of Kapu: the Fiber app and what handlers share.
type Server struct {
	App      *fiber.App
	Cfg      *config.Config
	DB       *db.DB
	Catalog  *i18n.Catalog
	Sessions *session.Store
	Storage  *Storage
	Log      *slog.Logger

	// LoadViewer loads the signed-in person for a session; the auth module sets it.
	// It returns nil for a person who no longer exists or was deactivated.
	LoadViewer func(ctx context.Context, id uint) (*Viewer, error)
	// Demo reports whether the database holds demo data, announced on the login page.
	Demo func() bool

	proxies    []*net.IPNet // KAPU_TRUSTED_PROXIES, parsed (see ClientIP)
	secretAt   []string     // path prefixes followed by a secret token (see SecretPath)
	nav        []NavItem
	cards      []CardFunc // the start page's cards, see AddCard
	csrfExempt []string
	public     []string // prefixes of the public pages, see Public
	forms      formUses // single-use form tokens, see UseFormToken
	views      *html.Engine
}

// Locals keys.
const (
	localServer  = "kapu.server"
	localSession = "kapu.session"
	localViewer  = "kapu.viewer"
	localLang    = "kapu.lang"
	localDirty   = "kapu.session.dirty"
	localOwner   = "kapu.session.owner" // person signed in by this request
)

// Session keys.
const (
	sessUserID = "uid"
	sessCSRF   = "csrf"
	sessFlash  = "flash"
)

// CSP allows only what Kapu serves itself.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// New builds the Fiber app with Kapu's middleware. Modules add routes to s.App,
// then Finish adds the catch-all 404.
func New(cfg *config.Config, d *db.DB, cat *i18n.Catalog, log *slog.Logger) *Server {
	engine := html.NewFileSystem(http.FS(views.FS), ".html")
	engine.AddFunc("dict", dict)
	engine.AddFunc("cols", cols)
	engine.AddFunc("add", func(a, b int) int { return a + b })
	engine.AddFunc("contains", func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	})

	s := &Server{
		views: engine,
		Cfg:   cfg, DB: d, Catalog: cat, Log: log,
		Storage: NewStorage(d),
		Demo:    func() bool { return false },
	}
	s.proxies = parseProxies(cfg.TrustedProxies)
	s.Sessions = session.New(session.Config{
		Storage:        s.Storage,
		Expiration:     12 * time.Hour,
		KeyLookup:      "cookie:kapu_session",
		CookieHTTPOnly: true,
		CookieSecure:   cfg.SecureCookies(),
		CookieSameSite: "Lax",
		CookiePath:     "/",
	})
	s.App = fiber.New(fiber.Config{
		AppName:               "Kapu",
		Views:                 engine,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		BodyLimit:             MaxBodyMB << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
		// Behind a reverse proxy every request comes from the proxy; only the
		// configured proxies may name the real client (rate limits, audit).
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
	})
	s.App.Use(func(c *fiber.Ctx) error { c.Locals(localServer, s); return c.Next() })
	s.App.Use(requestid.New())
	// Every handler below runs under recover: a panic is logged with the
	// request id and answered with the 500 page, never the end of the process.
	s.App.Use(fiberrecover.New(fiberrecover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		s.Log.Error("panic", "request_id", c.Locals("requestid"), "path", s.logPath(c), "panic", e, "stack", string(debug.Stack()))
	}}))
	s.App.Use(s.logRequests)
	s.App.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: CSP,
		ReferrerPolicy:        "same-origin",
	}))
	if cfg.SecureCookies() {
		// TLS usually ends at a proxy in front of Kapu, so helmet's own HSTS
		// (sent only on TLS connections) would never fire; the base URL decides.
		s.App.Use(func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
			return c.Next()
		})
	}
	s.App.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 3600}))
	s.App.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	s.App.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := d.Ping(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
		}
		return c.SendString("ready")
	})
	s.App.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.Redirect("/static/img/logo.svg", fiber.StatusMovedPermanently) })
	s.App.Use(s.sessionMiddleware)
	return s
}

// parseProxies reads addresses and CIDRs (config checked them) as networks.
func parseProxies(list []string) []*net.IPNet {
	var out []*net.IPNet
	for _, p := range list {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (s *Server) trusted(ip net.IP) bool {
	for _, n := range s.proxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// localClientIP keeps a request's ClientIP once worked out.
const localClientIP = "kapu.client_ip"

// ClientIP is the client's address: the connection's peer, or, when the peer
// is a trusted proxy, the rightmost X-Forwarded-For entry that is not one of
// them. Entries further left are whatever the client sent (a proxy appends
// to the header it got), so they are never believed: a client cannot pick
// its own rate-limit key. Always an address as net.IP writes it, never the
// raw header.
func ClientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(localClientIP).(string); ok {
		return ip
	}
	peer := c.Context().RemoteIP()
	ip := peer.String()
	if s, ok := c.Locals(localServer).(*Server); ok && s.trusted(peer) {
		hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := net.ParseIP(strings.TrimSpace(hops[i]))
			if hop == nil {
				break // not an address: stop at the last one a trusted hop vouched for
			}
			ip = hop.String()
			if !s.trusted(hop) {
				break
			}
		}
	}
	c.Locals(localClientIP, ip)
	return ip
}

func proxyHeader(cfg *config.Config) string {
	if len(cfg.TrustedProxies) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// SecretPath says that the path segment after prefix is a secret (an emailed
// link's token): the logs write "…" in its place, so a log file opens nothing.
func (s *Server) SecretPath(prefix string) { s.secretAt = append(s.secretAt, prefix) }

// logPath is the request's path as the logs may show it (see SecretPath).
func (s *Server) logPath(c *fiber.Ctx) string {
	path := c.Path()
	for _, p := range s.secretAt {
		if rest, ok := strings.CutPrefix(path, p); ok {
			_, after, _ := strings.Cut(rest, "/")
			if after != "" {
				after = "/" + after
			}
			return p + "…" + after
		}
	}
	return path
}

// Finish adds the 404 handler; call it after every module added its routes.
func (s *Server) Finish() {
	s.App.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// ExemptCSRF lets unsafe requests under prefix pass the session CSRF check;
// only for public forms that carry their own single-use token.
func (s *Server) ExemptCSRF(prefix string) { s.csrfExempt = append(s.csrfExempt, prefix) }

// logRequests writes one line per request with status and duration.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.App.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.Log.Log(c.UserContext(), level, "request",
		"method", c.Method(), "path", s.logPath(c), "status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"request_id", c.Locals("requestid"))
	return nil
}

// sessionMiddleware loads the session, the signed-in person and the language,
// checks CSRF on unsafe methods, and saves the session when a handler changed it.
func (s *Server) sessionMiddleware(c *fiber.Ctx) error {
	if p := s.publicPrefix(c.Path()); p != "" {
		return s.publicMiddleware(c, p)
	}
	sess, err := s.Sessions.Get(c)
	if err != nil {
		return err
	}
	c.Locals(localSession, sess)
	if id, ok := sess.Get(sessUserID).(uint); ok && id > 0 && s.LoadViewer != nil {
		v, err := s.LoadViewer(c.UserContext(), id)
		if err != nil {
			return err
		}
		if v == nil { // deactivated or removed since signing in
			sess.Delete(sessUserID)
			c.Locals(localDirty, true)
		} else {
			v.IP = ClientIP(c)
			v.Channel = actor.ChannelApp
			c.Locals(localViewer, v)
		}
	}
	c.Locals(localLang, s.pickLang(c))

	if !safeMethod(c.Method()) && !s.isExempt(c.Path()) && !s.csrfOK(c, sess) {
		return fiber.NewError(fiber.StatusForbidden, "csrf")
	}
	// Pages are made for one person at one moment: a shared office PC's back
	// button after sign-out must not show them from the cache. Handlers that
	// serve something cacheable (photos, feeds) say so themselves.
	c.Set(fiber.HeaderCacheControl, "no-store")

	err = c.Next()
	if dirty, _ := c.Locals(localDirty).(bool); dirty {
		id := sess.ID() // Save releases sess
		serr := sess.Save()
		if owner, ok := c.Locals(localOwner).(uint); ok && serr == nil {
			serr = s.Storage.setOwner(c.UserContext(), id, owner)
		}
		if serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions || m == fiber.MethodTrace
}

func (s *Server) isExempt(path string) bool {
	for _, p := range s.csrfExempt {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// pickLang chooses the page language: the person's choice, then the switch
// cookie, then the browser's Accept-Language, then KAPU_LANG.
func (s *Server) pickLang(c *fiber.Ctx) string {
	if v := ViewerOf(c); v != nil && isLang(v.Lang) {
		return v.Lang
	}
	if l := c.Cookies("kapu_lang"); isLang(l) {
		return l
	}
	if l := i18n.Match(c.Get(fiber.HeaderAcceptLanguage)); l != "" {
		return l
	}
	return s.Cfg.Lang
}

func isLang(l string) bool { return i18n.LangNames[l] != "" }

// ServerOf returns the Server handling the request.
func ServerOf(c *fiber.Ctx) *Server { return c.Locals(localServer).(*Server) }

// ViewerOf returns the signed-in person, or nil for a visitor.
func ViewerOf(c *fiber.Ctx) *Viewer {
	v, _ := c.Locals(localViewer).(*Viewer)
	return v
}

// ActorOf returns who is acting in this request (a zero Actor for visitors).
func ActorOf(c *fiber.Ctx) actor.Actor {
	if v := ViewerOf(c); v != nil {
		return v.Actor
	}
	return actor.Actor{IP: ClientIP(c), Channel: actor.ChannelApp}
}

// LangOf returns the language of this request's pages.
func LangOf(c *fiber.Ctx) string {
	l, _ := c.Locals(localLang).(string)
	return l
}

// SetLang changes the language of this request's pages, e.g. to the language of
// the person an email link was sent to.
func SetLang(c *fiber.Ctx, lang string) {
	if isLang(lang) {
		c.Locals(localLang, lang)
	}
}

// T translates key for this request.
func T(c *fiber.Ctx, key string, args ...any) string {
	return ServerOf(c).Catalog.T(LangOf(c), key, args...)
}

// kindStatus is the status of each kind of module error (package errs), so a
// handler returns the service's error as it is.
var kindStatus = map[error]int{
	errs.NotFound:  fiber.StatusNotFound,
	errs.Forbidden: fiber.StatusForbidden,
	errs.Conflict:  fiber.StatusConflict,
	errs.Invalid:   fiber.StatusUnprocessableEntity,
}

// errorKeys maps statuses to the message shown on the error page.
var errorKeys = map[int]string{
	fiber.StatusBadRequest:            "error.bad_request",
	fiber.StatusForbidden:             "error.forbidden",
	fiber.StatusNotFound:              "error.not_found",
	fiber.StatusMethodNotAllowed:      "error.not_found",
	fiber.StatusConflict:              "error.conflict",
	fiber.StatusUnprocessableEntity:   "error.invalid",
	fiber.StatusRequestEntityTooLarge: "error.too_large",
	fiber.StatusTooManyRequests:       "error.too_many",
	fiber.StatusRequestTimeout:        "error.timeout",

	fiber.StatusRequestHeaderFieldsTooLarge: "error.header_too_large",
}

// MaxBodyMB is the largest request body, uploads included, in MB.
const MaxBodyMB = 8

// handleError turns any error into a friendly page in the request's language;
// a 500 is logged with the request id the page shows. It also answers errors
// that fasthttp raises before the middleware chain (a request line or header
// too large, a body over the limit, garbage, an idle connection): then nothing
// is set up on c, so it sets up what the page needs itself, and whatever goes
// wrong while rendering falls back to plain text. It never panics.
func (s *Server) handleError(c *fiber.Ctx, err error) (herr error) {
	code := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code = fe.Code
	} else if k, ok := kindStatus[errs.KindOf(err)]; ok {
		code = k
	}
	if db.IsLockTimeout(err) {
		// Someone else holds what this request needed for longer than the
		// lock timeout: a busy moment, not a fault; the person may try again.
		code = fiber.StatusServiceUnavailable
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	key, ok := errorKeys[code]
	if code == fiber.StatusForbidden && fe != nil && fe.Message == "csrf" {
		key = "error.csrf"
	}
	if !ok && code < 500 {
		key = "error.bad_request"
	}
	if code == fiber.StatusServiceUnavailable {
		key = "error.busy"
	} else if code >= 500 {
		key = "error.internal"
		s.Log.Error("request failed", "request_id", c.Locals("requestid"), "method", c.Method(),
			"path", s.logPath(c), "error", err)
	}
	bare := c.Locals(localServer) == nil
	if bare {
		c.Locals(localServer, s)
		c.Set(fiber.HeaderConnection, "close")
		if code == fiber.StatusRequestEntityTooLarge {
			drainBody(c)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("error page panicked", "request_id", c.Locals("requestid"), "panic", r)
			herr = s.plainError(c, code, key)
		}
	}()
	if c.Locals(localLang) == nil {
		c.Locals(localLang, s.pickLang(c))
	}
	if bare && code != fiber.StatusRequestEntityTooLarge {
		// A request Kapu could not read gets a short answer, not a page.
		return s.plainError(c, code, key)
	}
	page := Page{Title: key, Status: code, noFlash: true, Data: fiber.Map{
		"Code": code, "RequestID": c.Locals("requestid"), "Message": key + ".text",
		"Back": backPath(c, code), "MaxMB": MaxBodyMB,
	}}
	render := Render
	if s.publicPrefix(c.Path()) != "" {
		render = RenderPublic // a citizen sees the city's frame, and no session is made for the error
	}
	if rerr := render(c, "errors/error", page); rerr != nil {
		s.Log.Error("error page failed", "error", rerr)
		return s.plainError(c, code, key)
	}
	return nil
}

// plainError answers with the status and its message as plain text.
func (s *Server) plainError(c *fiber.Ctx, code int, key string) error {
	lang, _ := c.Locals(localLang).(string)
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Status(code).SendString(s.Catalog.T(lang, key) + ". " + s.Catalog.T(lang, key+".text", "MB", MaxBodyMB) + "\n")
}

// drainBody reads and drops (a bounded part of) a body fasthttp refused for its
// size. Closing a connection with unread data resets it, and a browser then shows
// "connection reset" instead of the page that says how large a file may be.
// It stops at the declared length, drainLimit, drainTime, or a second of silence.
func drainBody(c *fiber.Ctx) {
	conn := c.Context().Conn()
	if conn == nil {
		return
	}
	left := int64(c.Request().Header.ContentLength())
	if left <= 0 || left > drainLimit {
		left = drainLimit
	}
	end := time.Now().Add(drainTime)
	buf := make([]byte, 64<<10)
	for left > 0 && time.Now().Before(end) {
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf[:min(int64(len(buf)), left)])
		left -= int64(n)
		if err != nil {
			return
		}
	}
}

// A refused upload is drained for at most drainLimit bytes and drainTime.
const (
	drainLimit = 64 << 20
	drainTime  = 10 * time.Second
)

// backPath is where the error page's "Back" link leads after an upload over
// the body limit: the page the form was on (the Referer, when it is Kapu's).
func backPath(c *fiber.Ctx, code int) string {
	if code != fiber.StatusRequestEntityTooLarge {
		return ""
	}
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err != nil || ref.Host != c.Hostname() {
		return ""
	}
	return SafeNext(ref.RequestURI(), "")
}
