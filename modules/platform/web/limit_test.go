package web

import (
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

func TestLimit(t *testing.T) {
	s := newTestServer(t)
	key := func(c *fiber.Ctx) string { return c.Get("X-Caller") }
	s.App.Get("/form", s.Limit(Limit{Name: "form", Max: 3, Window: 3 * time.Second, Key: key}),
		func(c *fiber.Ctx) error { return c.SendString("ok") })
	s.App.Get("/login", s.Limit(Limit{Name: "login", Max: 2, Window: time.Minute, Key: key, FailedOnly: true}),
		func(c *fiber.Ctx) error {
			if c.Query("ok") == "" {
				return c.Status(fiber.StatusUnauthorized).SendString("wrong password")
			}
			return c.SendString("in")
		})
	s.App.Get("/local", s.Limit(Limit{Name: "local", Max: 2, Window: time.Minute, Key: key, Local: true}),
		func(c *fiber.Ctx) error { return c.SendString("ok") })
	s.Finish()
	get := func(path, caller string) (int, string, string) {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Caller", caller)
		res, err := s.App.Test(req, -1)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Retry-After"), string(body)
	}

	for i := 1; i <= 3; i++ {
		if code, _, _ := get("/form", "anna"); code != 200 {
			t.Fatalf("request %d of 3 = %d; want 200", i, code)
		}
	}
	code, retry, body := get("/form", "anna")
	// The window is three seconds so that four requests fit in it on a
	// loaded machine (the counts are in the database).
	if n, _ := strconv.Atoi(retry); code != 429 || n < 0 || n > 3 || !strings.Contains(body, "Too many attempts") {
		t.Errorf("4th request = %d, Retry-After %q, page %.80q; want 429 with Retry-After 0–3 s and the translated page", code, retry, body)
	}
	if code, _, _ := get("/form", "bela"); code != 200 {
		t.Errorf("another key's first request = %d; want 200 (keys are counted apart)", code)
	}
	// The window ends and anna may send again.
	deadline := time.Now().Add(8 * time.Second)
	for code == 429 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		code, _, _ = get("/form", "anna")
	}
	if code != 200 {
		t.Errorf("after the window = %d; want 200", code)
	}

	// FailedOnly counts only failures: people who get in are not counted.
	for range 5 {
		if code, _, _ := get("/login?ok=1", "cili"); code != 200 {
			t.Fatalf("successful request = %d; want 200 however many", code)
		}
	}
	get("/login", "cili")
	get("/login", "cili")
	if code, _, _ := get("/login?ok=1", "cili"); code != 429 {
		t.Errorf("after 2 failures = %d; want 429", code)
	}
	if code, _, _ := get("/form", "cili"); code != 200 {
		t.Errorf("one key under another limit = %d; want 200 (limits are counted apart)", code)
	}

	// Local counts in memory: the same answers, no row in the database.
	get("/local", "dani")
	get("/local", "dani")
	if code, _, _ := get("/local", "dani"); code != 429 {
		t.Errorf("a local limit's 3rd request = %d; want 429", code)
	}
	var rows int64
	s.DB.R.Model(&StoredValue{}).Where("id LIKE ?", "local:%").Count(&rows)
	if rows != 0 {
		t.Errorf("a local limit wrote %d rows to the database; want none", rows)
	}
}
