package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// Limit is a rate limit on a route: at most Max requests under one key
// within Window. Name prefixes the key, so two limits never share a count.
type Limit struct {
	Name   string
	Max    int
	Window time.Duration
	Key    func(c *fiber.Ctx) string // e.g. ByIP
	// FailedOnly counts only requests answered with an error status: the
	// sign-in counts wrong passwords, not people who get in. The status is
	// the one the handler set: an error it returns to the error page is not
	// one yet, so a failure to count renders its page with c.Status.
	FailedOnly bool
	// Local keeps the counts in this process's memory instead of the
	// database: for public forms a rush may hit a thousand times a second,
	// where a database write per request would cost more than the request.
	// With several replicas each counts its own, so a client gets up to Max
	// per replica behind the load balancer.
	Local bool
}

// ByIP keys a limit by the client's address (ClientIP: as the trusted
// proxies tell it, never as the client claims).
func ByIP(c *fiber.Ctx) string { return ClientIP(c) }

// Limit returns the handler that enforces l: past the limit it answers 429
// with the translated error page and Retry-After. The counts live in the
// server's database storage, so every replica sees the same ones, unless
// l.Local.
func (s *Server) Limit(l Limit) fiber.Handler {
	var store fiber.Storage = s.Storage
	if l.Local {
		store = nil // the limiter's own in-memory storage
	}
	return limiter.New(limiter.Config{
		Max:                    l.Max,
		Expiration:             l.Window,
		SkipSuccessfulRequests: l.FailedOnly,
		Storage:                store,
		KeyGenerator:           func(c *fiber.Ctx) string { return l.Name + ":" + l.Key(c) },
		LimitReached:           func(c *fiber.Ctx) error { return fiber.ErrTooManyRequests },
	})
}
