package helpdesk_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// follow GETs where a 303 points and returns the page.
func follow(t *testing.T, c *kaputest.Client, res *http.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status = %d; want 303", res.StatusCode)
	}
	_, body := c.Get(res.Header.Get("Location"))
	return html.UnescapeString(body)
}

// TestQueuePage: IT staff see the IT queue's tickets, each linking to its
// page, narrowed by the filters; facilities staff and employees are refused,
// an unknown queue is not found.
func TestQueuePage(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		town := reportIT(t, app, "employee", "Nem nyomtat a nyomtató", "Városháza")
		market := reportIT(t, app, "hr", "Lassú a hálózat", "Piaccsarnok")
		it := kaputest.SignedIn(t, app, "it")

		res, body := it.Get("/helpdesk/queue/it")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("IT queue = %d; want 200", res.StatusCode)
		}
		for _, tk := range []*helpdesk.Ticket{town, market} {
			if !strings.Contains(body, `href="/helpdesk/tickets/`+itoa(tk.ID)+`"`) || !strings.Contains(body, tk.Number) {
				t.Errorf("IT queue lacks %s with its link", tk.Number)
			}
		}
		_, body = it.Get("/helpdesk/queue/it?building=" + url.QueryEscape("Városháza"))
		if !strings.Contains(body, town.Number) || strings.Contains(body, market.Number) {
			t.Errorf("building filter: want only %s", town.Number)
		}
		if !strings.Contains(body, `<option value="Városháza" selected>`) {
			t.Errorf("the building filter is not kept in the form")
		}
		_, body = it.Get("/helpdesk/queue/it?assignee=me")
		if strings.Contains(body, town.Number) || !strings.Contains(body, "No tickets match the filters.") {
			t.Errorf("my tickets before taking any: want the empty state")
		}
		if res, _ := it.Get("/helpdesk/queue/it?state=%27;--&sort=x&page=-4&category=abc"); res.StatusCode != http.StatusOK {
			t.Errorf("stray filters = %d; want 200 (ignored)", res.StatusCode)
		}
		for _, who := range []string{"facilities", "employee"} {
			if res, _ := kaputest.SignedIn(t, app, who).Get("/helpdesk/queue/it"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s on the IT queue = %d; want 403", who, res.StatusCode)
			}
		}
		if res, _ := it.Get("/helpdesk/queue/nope"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown queue = %d; want 404", res.StatusCode)
		}
		if res, _ := kaputest.NewClient(t, app).Get("/helpdesk/queue/it"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("visitor = %d; want the login page", res.StatusCode)
		}
	})
}

// TestQueueBulkAssign: of three ticked tickets one was taken meanwhile: the
// flash says two were assigned and names the third with who has it. A
// colleague outside the queue is refused and nothing changes.
func TestQueueBulkAssign(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		t1 := reportIT(t, app, "employee", "Nem indul a gép", "")
		t2 := reportIT(t, app, "employee", "Nincs hang", "")
		t3 := reportIT(t, app, "hr", "Lefagy a táblázat", "")
		ids := []string{itoa(t1.ID), itoa(t2.ID), itoa(t3.ID)}
		it := kaputest.SignedIn(t, app, "it")
		it.Get("/helpdesk/queue/it") // the form's token

		fac := kaputest.Person(t, app, "facilities")
		res, _ := it.Post("/helpdesk/queue/it/assign", url.Values{"ids": ids, "to": {"person"}, "person": {itoa(fac.ID)}})
		if body := follow(t, it, res); !strings.Contains(body, "That person does not work this queue.") {
			t.Errorf("assign to facilities: the refusal is not shown")
		}
		for _, tk := range []*helpdesk.Ticket{t1, t2, t3} {
			got, _ := app.Helpdesk.Get(ctx, kaputest.Person(t, app, "it").Actor(), tk.ID)
			if got.AssigneeID != nil {
				t.Errorf("%s assigned after a refused bulk assign", tk.Number)
			}
		}

		milan := kaputest.Person(t, app, "deak.milan")
		if err := app.Helpdesk.Take(ctx, milan.Actor(), t2.ID); err != nil { // meanwhile
			t.Fatal(err)
		}
		res, _ = it.Post("/helpdesk/queue/it/assign?state=all", url.Values{"ids": ids, "to": {"me"}, "next": {"/helpdesk/queue/it?state=all"}})
		if loc := res.Header.Get("Location"); loc != "/helpdesk/queue/it?state=all" {
			t.Errorf("back to %q; want the queue as filtered", loc)
		}
		body := follow(t, it, res)
		if !strings.Contains(body, "2 ticket(s) assigned.") {
			t.Errorf("flash lacks the count of two")
		}
		if !strings.Contains(body, t2.Number+" was not changed: Deák Milán has already taken this ticket.") {
			t.Errorf("flash does not name %s and who has it", t2.Number)
		}
		me := kaputest.Person(t, app, "it")
		for tk, want := range map[*helpdesk.Ticket]uint{t1: me.ID, t2: milan.ID, t3: me.ID} {
			got, _ := app.Helpdesk.Get(ctx, me.Actor(), tk.ID)
			if got.AssigneeID == nil || *got.AssigneeID != want {
				t.Errorf("%s assignee = %v; want %d", tk.Number, got.AssigneeID, want)
			}
		}
		res, _ = it.Post("/helpdesk/queue/it/assign", url.Values{"to": {"me"}})
		if body := follow(t, it, res); !strings.Contains(body, "Select at least one ticket.") {
			t.Errorf("nothing ticked: want the hint")
		}
		facilities := kaputest.SignedIn(t, app, "facilities")
		facilities.Get("/")
		if res, _ := facilities.Post("/helpdesk/queue/it/assign",
			url.Values{"ids": ids, "to": {"me"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("facilities bulk-assigns IT tickets = %d; want 403", res.StatusCode)
		}
	})
}
