package notify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify/smtptest"
	"kapu/modules/platform/web"
	"kapu/modules/platform/web/webtest"
)

func adminActor() actor.Actor {
	return actor.Actor{ID: 1, Name: "Ada Admin", Roles: []string{actor.Admin}, Channel: actor.ChannelApp}
}

// newBrowser is a client signed in with roles to a web server that carries only this module.
func newBrowser(t *testing.T, d *db.DB, o *Outbox, roles ...string) *webtest.Client {
	t.Helper()
	s := webtest.Server(t, o.cfg, d, o.cat, func(context.Context, uint) (*web.Viewer, error) {
		a := adminActor()
		a.Roles = roles
		return &web.Viewer{Actor: a, Username: "ada", Lang: "en"}, nil
	})
	NewModule(o).Routes(s)
	s.Finish()
	b := webtest.ClientFor(t, s)
	b.SignInAs(adminActor().ID)
	return b
}

// The outbox pages show what will be sent and let an administrator retry or cancel.
func TestOutboxPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		o := newTestOutbox(t, d, testConfig(nil))
		m := notice("p", "anna@example.org")
		m.Data = Generic{
			Title:     "Room booked <today>",
			Lines:     []string{"Details: https://kapu.example.org/bookings/5?x=1&y=2.", `<script>alert("x")</script>`},
			ActionURL: "/bookings/5",
		}
		enqueue(t, o, m, notice("p", "bela@example.org"))
		anna, bela := mailTo(t, d, "anna@example.org"), mailTo(t, d, "bela@example.org")
		d.W.Model(&Mail{}).Where("id = ?", bela.ID).Updates(map[string]any{"status": StatusFailed, "attempts": 8, "last_error": "550 5.1.1 No such mailbox here"})
		br := newBrowser(t, d, o, actor.Admin)

		res, body := br.Get("/admin/outbox")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("list: status %d\n%s", res.StatusCode, body)
		}
		for _, want := range []string{"Room booked &lt;today&gt;", "anna@example.org", "bela@example.org", "No mail server configured", "badge-danger", "550 5.1.1 No such mailbox here", `href="/admin/outbox"`} {
			if !strings.Contains(body, want) {
				t.Errorf("list lacks %q", want)
			}
		}
		// The page states the delivery rule and what "failed" means.
		for _, want := range []string{"Every message goes out at least once.", "with the same Message-ID", "keeps trying for 48 hours", "“Failed” means the server refused the message or it could not be delivered within 48 hours"} {
			if !strings.Contains(body, want) {
				t.Errorf("list does not explain delivery: lacks %q", want)
			}
		}
		if strings.Contains(body, "at most once") {
			t.Error("list still promises at most once")
		}
		if _, body := br.Get(fmt.Sprintf("/admin/outbox/%d", bela.ID)); !strings.Contains(body, "“Failed” means the server refused") {
			t.Error("a failed message's page does not say what failed means")
		}
		if _, body := br.Get("/admin/outbox?status=failed"); strings.Contains(body, "anna@example.org") || !strings.Contains(body, "bela@example.org") {
			t.Error("status filter does not narrow the list to failed mail")
		}
		if _, body := br.Get("/admin/outbox?q=ROOM+booked"); strings.Contains(body, "bela@example.org") || !strings.Contains(body, "anna@example.org") {
			t.Error("search by subject does not find the message")
		}
		if _, body := br.Get("/admin/outbox?q=%25"); strings.Contains(body, "anna@example.org") {
			t.Error("a % in the search matches everything")
		}

		res, body = br.Get(fmt.Sprintf("/admin/outbox/%d", anna.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("view: status %d\n%s", res.StatusCode, body)
		}
		for _, want := range []string{
			`<a href="https://kapu.example.org/bookings/5?x=1&amp;y=2" rel="noopener noreferrer" target="_blank">https://kapu.example.org/bookings/5?x=1&amp;y=2</a>.`,
			"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
			fmt.Sprintf(`href="/admin/outbox/%d/html"`, anna.ID),
			fmt.Sprintf(`action="/admin/outbox/%d/cancel"`, anna.ID),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("view lacks %q", want)
			}
		}
		if strings.Contains(body, "<script>alert") {
			t.Error("view shows the body's markup unescaped")
		}

		res, body = br.Get(fmt.Sprintf("/admin/outbox/%d/html", anna.ID))
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("html view: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != htmlCSP {
			t.Errorf("html view CSP = %q; want %q", csp, htmlCSP)
		}
		if body != anna.HTML {
			t.Error("html view does not serve the stored HTML")
		}

		for _, path := range []string{"/admin/outbox/9999", "/admin/outbox/abc", "/admin/outbox/0/html", "/admin/outbox/-1"} {
			if res, _ := br.Get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d; want 404", path, res.StatusCode)
			}
		}

		// Retry the failed message: queued again, audited, with a flash.
		br.Get(fmt.Sprintf("/admin/outbox/%d", bela.ID))
		res, _ = br.Post(fmt.Sprintf("/admin/outbox/%d/retry", bela.ID), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/admin/outbox/%d", bela.ID) {
			t.Fatalf("retry: status %d to %q; want 303 back to the message", res.StatusCode, res.Header.Get("Location"))
		}
		if m := mailTo(t, d, "bela@example.org"); m.Status != StatusQueued || m.Attempts != 0 {
			t.Errorf("after retry: %s, %d attempts", m.Status, m.Attempts)
		}
		if _, body := br.Get(fmt.Sprintf("/admin/outbox/%d", bela.ID)); !strings.Contains(body, "The message is queued again.") {
			t.Error("retry shows no confirmation")
		}
		var n int64
		d.R.Table("audit_log").Where("action = ? AND entity_id = ? AND actor_name = ?", "notify.mail.retry", fmt.Sprint(bela.ID), "Ada Admin").Count(&n)
		if n != 1 {
			t.Errorf("retry audit rows = %d; want 1", n)
		}

		// Cancel Anna's, then a sent message can be neither retried nor cancelled.
		if res, _ := br.Post(fmt.Sprintf("/admin/outbox/%d/cancel", anna.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel: status %d", res.StatusCode)
		}
		if m := mailTo(t, d, "anna@example.org"); m.Status != StatusCancelled {
			t.Errorf("after cancel: %s", m.Status)
		}
		d.W.Model(&Mail{}).Where("id = ?", anna.ID).Update("status", StatusSent)
		br.Post(fmt.Sprintf("/admin/outbox/%d/retry", anna.ID), nil)
		_, body = br.Get(fmt.Sprintf("/admin/outbox/%d", anna.ID))
		if !strings.Contains(body, "A sent message can be neither retried nor cancelled.") || strings.Contains(body, "/retry\"") {
			t.Error("a sent message offers a retry or its refusal is not explained")
		}
		if m := mailTo(t, d, "anna@example.org"); m.Status != StatusSent {
			t.Errorf("sent message changed to %s", m.Status)
		}

		// Without the CSRF token nothing changes.
		br.CSRF = "forged"
		if res, _ := br.Post(fmt.Sprintf("/admin/outbox/%d/cancel", bela.ID), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("cancel without the CSRF token: status %d; want 403", res.StatusCode)
		}
	})
}

// Only administrators see the outbox.
func TestOutboxNeedsAdmin(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	o := newTestOutbox(t, d, testConfig(nil))
	br := newBrowser(t, d, o, actor.Employee)
	if res, _ := br.Get("/admin/outbox"); res.StatusCode != http.StatusForbidden {
		t.Errorf("employee GET /admin/outbox: status %d; want 403", res.StatusCode)
	}
}

// With a server configured, the page does not claim that mail stays here.
func TestOutboxPageWithServer(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	s := smtptest.New(t)
	o := newTestOutbox(t, d, testConfig(s))
	br := newBrowser(t, d, o, actor.Admin)
	_, body := br.Get("/admin/outbox")
	if strings.Contains(body, "No mail server configured") || !strings.Contains(body, "No message matches the filter.") {
		t.Error("the empty outbox with a server shows the wrong notice")
	}
	if !strings.Contains(body, `href="/admin/outbox"`) || !strings.Contains(body, "Outbox") {
		t.Error("the navigation has no Outbox entry")
	}
}
