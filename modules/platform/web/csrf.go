package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
)

// visitorCookie holds a visitor's random CSRF nonce. Visitors get no session
// row just for a form (a script fetching /login would grow the database
// without limit): their token is the nonce signed with KAPU_SECRET, checked
// against this cookie, which another site can neither read nor set.
const visitorCookie = "kapu_csrf"

// CSRFToken returns the token forms must send back: the session's synchronizer
// token, created on first use, or for a visitor without a stored session the
// signed token of their nonce cookie.
func CSRFToken(c *fiber.Ctx) string {
	sess, ok := c.Locals(localSession).(*session.Session)
	if !ok {
		return ""
	}
	if t, ok := sess.Get(sessCSRF).(string); ok && t != "" {
		return t
	}
	if sess.Fresh() {
		return ServerOf(c).visitorToken(c)
	}
	t := RandomToken()
	sess.Set(sessCSRF, t)
	markDirty(c)
	return t
}

// visitorToken signs the visitor's nonce, giving them one first when needed.
func (s *Server) visitorToken(c *fiber.Ctx) string {
	nonce := c.Cookies(visitorCookie)
	if len(nonce) != 43 { // RandomToken's length; anything else is not ours
		nonce = RandomToken()
		c.Cookie(&fiber.Cookie{
			Name: visitorCookie, Value: nonce, Path: "/",
			HTTPOnly: true, SameSite: "Lax", Secure: s.Cfg.SecureCookies(),
		})
	}
	return s.signNonce(nonce)
}

func (s *Server) signNonce(nonce string) string {
	h := hmac.New(sha256.New, []byte(s.Cfg.Secret))
	h.Write([]byte("csrf:" + nonce))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// csrfOK reports whether an unsafe request carries the token of its session,
// or, with no token in the session, the signed token of its visitor cookie.
func (s *Server) csrfOK(c *fiber.Ctx, sess *session.Session) bool {
	got := c.FormValue("_csrf")
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	if got == "" {
		return false
	}
	if want, _ := sess.Get(sessCSRF).(string); want != "" {
		return equalTokens(want, got)
	}
	nonce := c.Cookies(visitorCookie)
	return nonce != "" && equalTokens(s.signNonce(nonce), got)
}

func equalTokens(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
