package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"kapu/config"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
)

// newTestServer is a bare Kapu web server with its error pages and sessions,
// on a fresh SQLite database.
func newTestServer(t *testing.T) *Server {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"KAPU_SECRET": strings.Repeat("k", 40), "KAPU_LANG": "en", "KAPU_DATA_DIR": t.TempDir()}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	d := dbtest.Open(t, db.SQLite)
	if err := d.Migrate(context.Background(), []any{&StoredValue{}}, nil); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg, d, cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestPanicIsA500AndTheServerGoesOn(t *testing.T) {
	s := newTestServer(t)
	s.App.Get("/boom", func(c *fiber.Ctx) error { panic("handler bug") })
	s.App.Get("/fine", func(c *fiber.Ctx) error { return c.SendString("fine") })
	s.Finish()

	res, err := s.App.Test(httptest.NewRequest("GET", "/boom", nil), -1)
	if err != nil {
		t.Fatalf("GET /boom: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 500 || !strings.Contains(string(body), res.Header.Get("X-Request-Id")) {
		t.Errorf("GET /boom = %d, page without its request id %q; want 500 naming it", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	res, err = s.App.Test(httptest.NewRequest("GET", "/fine", nil), -1)
	if err != nil || res.StatusCode != 200 {
		t.Errorf("GET /fine after a panic = %v, %v; want 200", res.StatusCode, err)
	}
}

// TestErrorHandlerOnABareContext calls the error handler as fasthttp does for a
// request it could not read: before any middleware, with nothing in Locals.
func TestErrorHandlerOnABareContext(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		err  error
		want int
		text string
	}{
		{fiber.ErrRequestHeaderFieldsTooLarge, 431, "cookies"},
		{fiber.ErrRequestEntityTooLarge, 413, "Files up to 8 MB"},
		{fiber.ErrRequestTimeout, 408, "took too long"},
		{fiber.NewError(400, "error when parsing request"), 400, "could not be understood"},
		{fiber.ErrBadGateway, 502, "went wrong"},
		{errors.New("ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)"), 503, "try again in a few seconds"},
	}
	for _, tt := range tests {
		fctx := &fasthttp.RequestCtx{}
		fctx.Request.Header.SetMethod("POST")
		fctx.Request.SetRequestURI("/admin/people/import")
		c := s.App.AcquireCtx(fctx)
		if err := s.handleError(c, tt.err); err != nil {
			t.Errorf("handleError(%v) = %v; want nil", tt.err, err)
		}
		body := string(fctx.Response.Body())
		if got := fctx.Response.StatusCode(); got != tt.want || !strings.Contains(body, tt.text) {
			t.Errorf("handleError(%v) = %d %q; want %d containing %q", tt.err, got, body, tt.want, tt.text)
		}
		s.App.ReleaseCtx(c)
	}
}
