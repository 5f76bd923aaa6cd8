package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
)

// TestClientIP: behind trusted proxies the client is the rightmost address
// they did not add themselves; what the client wrote further left, or in
// place of an address, is never believed.
func TestClientIP(t *testing.T) {
	serve := func(proxies string) *Server {
		cfg, err := config.Load(func(k string) string {
			return map[string]string{"KAPU_SECRET": strings.Repeat("k", 40), "KAPU_DATA_DIR": t.TempDir(),
				"KAPU_TRUSTED_PROXIES": proxies}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		d := dbtest.Open(t, db.SQLite)
		if err := d.Migrate(context.Background(), []any{&StoredValue{}}, nil); err != nil {
			t.Fatal(err)
		}
		cat, _ := i18n.Load()
		s := New(cfg, d, cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
		s.App.Get("/ip", func(c *fiber.Ctx) error { return c.SendString(ClientIP(c)) })
		s.Finish()
		return s
	}
	// app.Test's requests come from 0.0.0.0.
	tests := []struct {
		proxies, xff, want string
	}{
		{"", "203.0.113.9", "0.0.0.0"},                                  // no proxy trusted: the header is ignored
		{"0.0.0.0", "203.0.113.9", "203.0.113.9"},                       // one trusted proxy
		{"0.0.0.0", "6.6.6.6, 203.0.113.9", "203.0.113.9"},              // a spoofed entry on the left
		{"0.0.0.0, 10.0.0.0/8", "203.0.113.9, 10.1.2.3", "203.0.113.9"}, // two trusted hops
		{"0.0.0.0", "not-an-ip", "0.0.0.0"},                             // garbage: the proxy itself
		{"0.0.0.0", "2001:db8::1, 2001:db8:0:0:0:0:0:2", "2001:db8::2"}, // written short, never the raw header
	}
	for _, tt := range tests {
		s := serve(tt.proxies)
		req := httptest.NewRequest("GET", "/ip", nil)
		req.Header.Set("X-Forwarded-For", tt.xff)
		res, err := s.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if string(body) != tt.want {
			t.Errorf("proxies %q, X-Forwarded-For %q: ClientIP = %q; want %q", tt.proxies, tt.xff, body, tt.want)
		}
	}
}

func TestLogPathHidesSecrets(t *testing.T) {
	s := newTestServer(t)
	s.SecretPath("/appointments/my/")
	var got []string
	s.App.Get("/*", func(c *fiber.Ctx) error { got = append(got, s.logPath(c)); return nil })
	for _, p := range []string{"/appointments/my/SECRET", "/appointments/my/SECRET/move/d/2026-12-07", "/appointments/t/1"} {
		if _, err := s.App.Test(httptest.NewRequest("GET", p, nil), -1); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"/appointments/my/…", "/appointments/my/…/move/d/2026-12-07", "/appointments/t/1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("logged paths %q; want %q", got, want)
	}
}
