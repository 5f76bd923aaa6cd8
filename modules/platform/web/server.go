// Package web is Kapu's Fiber app factory: middleware, sessions, CSRF, the page
// renderer with the one layout, navigation by role and friendly error pages.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gofiber/template/html/v2"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
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

	nav        []NavItem
	csrfExempt []string
	views      *html.Engine
}

// Locals keys.
const (
	localServer  = "kapu.server"
	localSession = "kapu.session"
	localViewer  = "kapu.viewer"
	localLang    = "kapu.lang"
	localDirty   = "kapu.session.dirty"
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
		BodyLimit:             8 << 20,
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
	s.App.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		s.Log.Error("panic", "request_id", c.Locals("requestid"), "path", c.Path(), "panic", e)
	}}))
	s.App.Use(requestid.New())
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

func proxyHeader(cfg *config.Config) string {
	if len(cfg.TrustedProxies) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
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
		"method", c.Method(), "path", c.Path(), "status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"request_id", c.Locals("requestid"))
	return nil
}

// sessionMiddleware loads the session, the signed-in person and the language,
// checks CSRF on unsafe methods, and saves the session when a handler changed it.
func (s *Server) sessionMiddleware(c *fiber.Ctx) error {
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
			v.IP = c.IP()
			v.Channel = actor.ChannelApp
			c.Locals(localViewer, v)
		}
	}
	c.Locals(localLang, s.pickLang(c))

	if !safeMethod(c.Method()) && !s.isExempt(c.Path()) {
		want, _ := sess.Get(sessCSRF).(string)
		got := c.FormValue("_csrf")
		if got == "" {
			got = c.Get("X-CSRF-Token")
		}
		if want == "" || !equalTokens(want, got) {
			return fiber.NewError(fiber.StatusForbidden, "csrf")
		}
	}

	err = c.Next()
	if dirty, _ := c.Locals(localDirty).(bool); dirty {
		if serr := sess.Save(); serr != nil && err == nil {
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
	return actor.Actor{IP: c.IP(), Channel: actor.ChannelApp}
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

// errorKeys maps statuses to the message shown on the error page.
var errorKeys = map[int]string{
	fiber.StatusBadRequest:            "error.bad_request",
	fiber.StatusForbidden:             "error.forbidden",
	fiber.StatusNotFound:              "error.not_found",
	fiber.StatusMethodNotAllowed:      "error.not_found",
	fiber.StatusRequestEntityTooLarge: "error.too_large",
	fiber.StatusTooManyRequests:       "error.too_many",
}

// handleError turns any error into a friendly page in the request's language;
// a 500 is logged with the request id the page shows.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code = fe.Code
	}
	key, ok := errorKeys[code]
	if code == fiber.StatusForbidden && fe != nil && fe.Message == "csrf" {
		key = "error.csrf"
	}
	if !ok && code < 500 {
		key = "error.bad_request"
	}
	if code >= 500 {
		key = "error.internal"
		s.Log.Error("request failed", "request_id", c.Locals("requestid"), "method", c.Method(),
			"path", c.Path(), "error", err)
	}
	if c.Locals(localLang) == nil {
		c.Locals(localLang, s.pickLang(c))
	}
	page := Page{Title: key, Status: code, noFlash: true, Data: fiber.Map{
		"Code": code, "RequestID": c.Locals("requestid"), "Message": key + ".text",
	}}
	if rerr := Render(c, "errors/error", page); rerr != nil {
		s.Log.Error("error page failed", "error", rerr)
		return c.Status(code).SendString(s.Catalog.T(LangOf(c), key))
	}
	return nil
}
