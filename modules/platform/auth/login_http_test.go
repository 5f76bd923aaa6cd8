package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/auth"
	"kapu/modules/platform/db"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		tests := []struct {
			user, pass string
			want       int
		}{
			{"admin", "demo", http.StatusSeeOther},
			{"ADMIN", "demo", http.StatusSeeOther}, // usernames are case-insensitive
			{"admin", "wrong", http.StatusUnauthorized},
			{"nobody", "demo", http.StatusUnauthorized},
			{"", "", http.StatusUnauthorized},
		}
		for _, tt := range tests {
			c := kaputest.NewClient(t, app)
			c.Get("/login")
			res, body := c.Post("/login", url.Values{"username": {tt.user}, "password": {tt.pass}})
			if res.StatusCode != tt.want {
				t.Errorf("login(%q, %q) = %d; want %d", tt.user, tt.pass, res.StatusCode, tt.want)
			}
			if tt.want == http.StatusUnauthorized {
				if !strings.Contains(body, "username or password is wrong") {
					t.Errorf("login(%q, %q) page does not explain the failure", tt.user, tt.pass)
				}
				if tt.user != "" && !strings.Contains(body, `value="`+tt.user+`"`) {
					t.Errorf("login(%q, %q) lost the typed username", tt.user, tt.pass)
				}
			}
		}

		// A signed-in person reaches the dashboard; the session id changed at login.
		c := kaputest.NewClient(t, app)
		c.Get("/login")
		before := c.Cookie("kapu_session")
		c.Post("/login", url.Values{"username": {"manager"}, "password": {"demo"}})
		if after := c.Cookie("kapu_session"); after == "" || after == before {
			t.Errorf("session id after login = %q (before %q); want a new one", after, before)
		}
		if res, body := c.Get("/"); res.StatusCode != 200 || !strings.Contains(body, "Kiss Márton") {
			t.Errorf("dashboard after login = %d; want 200 with the person's name", res.StatusCode)
		}

		// Deactivated people cannot sign in, and their open sessions end.
		p, _ := app.People.ByUsername(context.Background(), "manager")
		admin := kaputest.SignedIn(t, app, "admin")
		admin.Get(fmt.Sprintf("/admin/people/%d", p.ID))
		admin.Post(fmt.Sprintf("/admin/people/%d/active", p.ID), url.Values{"active": {"0"}})
		if res, _ := c.Get("/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("dashboard of a deactivated person = %d; want 303 to login", res.StatusCode)
		}
		c2 := kaputest.NewClient(t, app)
		c2.Get("/login")
		if res, _ := c2.Post("/login", url.Values{"username": {"manager"}, "password": {"demo"}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("login of a deactivated person = %d; want 401", res.StatusCode)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.NewClient(t, app)
	c.Get("/login")
	for i := 0; i < auth.LoginAttempts; i++ {
		if res, _ := c.Post("/login", url.Values{"username": {"admin"}, "password": {"guess"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failed attempt %d = %d; want 401", i+1, res.StatusCode)
		}
	}
	res, body := c.Post("/login", url.Values{"username": {"admin"}, "password": {"demo"}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("attempt after %d failures = %d; want 429", auth.LoginAttempts, res.StatusCode)
	}
	if !strings.Contains(body, "Too many attempts") {
		t.Errorf("the 429 page does not explain itself")
	}
}

// Signing out ends the session on the server: the browser is sent to the
// login page, and the old session cookie, replayed, opens nothing.
func TestLogout(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, db.SQLite)
	c := kaputest.SignedIn(t, app, "employee")
	c.Get("/")
	old := c.Cookie("kapu_session")
	res, _ := c.Post("/logout", nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("logout = %d %q; want 303 to /login", res.StatusCode, loc)
	}
	if res, _ := c.Get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("dashboard after logout = %d; want 303 to login", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://kapu.test/leave", nil)
	req.AddCookie(&http.Cookie{Name: "kapu_session", Value: old})
	if res, _ := kaputest.NewClient(t, app).Do(req); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("the signed-out session replayed = %d %q; want 303 to the login page", res.StatusCode, res.Header.Get("Location"))
	}
}
