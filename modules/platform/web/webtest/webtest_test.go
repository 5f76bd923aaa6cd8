package webtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
	"kapu/modules/platform/web/webtest"
)

// The stand-in sign-in starts a session the next requests carry, over http
// and behind https (Secure cookies), and a form posted with the page's CSRF
// token passes while a forged one does not.
func TestSignInAsKeepsSessionAndCSRF(t *testing.T) {
	for _, baseURL := range []string{"http://localhost:8080", "https://kapu.example.org"} {
		t.Run(baseURL, func(t *testing.T) { signInAndPost(t, baseURL) })
	}
}

func signInAndPost(t *testing.T, baseURL string) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"KAPU_SECRET": strings.Repeat("k", 40), "KAPU_LANG": "en", "KAPU_DATA_DIR": t.TempDir(), "KAPU_BASE_URL": baseURL}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv := webtest.Server(t, cfg, dbtest.Open(t, db.SQLite), cat, func(_ context.Context, id uint) (*web.Viewer, error) {
		return &web.Viewer{Actor: actor.Actor{ID: id, Name: "Tester", Roles: []string{actor.Employee}}}, nil
	})
	srv.App.Get("/who", func(c *fiber.Ctx) error {
		v := web.ViewerOf(c)
		if v == nil {
			return c.SendString("nobody")
		}
		return c.SendString(fmt.Sprintf(`%d <input name="_csrf" value="%s">`, v.ID, web.CSRFToken(c)))
	})
	srv.App.Post("/who", func(c *fiber.Ctx) error { return c.SendString("posted") })
	srv.Finish()

	c := webtest.ClientFor(t, srv)
	if _, body := c.Get("/who"); body != "nobody" {
		t.Fatalf("anonymous GET /who = %q; want nobody", body)
	}
	c.SignInAs(7)
	if _, body := c.Get("/who"); !strings.HasPrefix(body, "7 ") || c.CSRF == "" {
		t.Fatalf("signed-in GET /who = %q, CSRF %q; want person 7 and a token", body, c.CSRF)
	}
	if c.Cookie("kapu_session") == "" {
		t.Error("the session cookie is not in the jar")
	}
	if res, body := c.Post("/who", nil); res.StatusCode != http.StatusOK || body != "posted" {
		t.Errorf("POST with the page's token = %d %q; want 200", res.StatusCode, body)
	}
	c.CSRF = "forged"
	if res, _ := c.Post("/who", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a forged token = %d; want 403", res.StatusCode)
	}
}
