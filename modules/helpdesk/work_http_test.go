package helpdesk_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/web"
)

func ticketOf(t *testing.T, app *kapu.App, id uint) helpdesk.Ticket {
	t.Helper()
	var tk helpdesk.Ticket
	if err := app.DB.R.First(&tk, id).Error; err != nil {
		t.Fatal(err)
	}
	return tk
}

func path(id uint, rest string) string { return "/helpdesk/tickets/" + web.FormatID(id) + rest }

// TestWorkLogPages: IT staff log work with parts and see the totals; a bad
// time or a negative cost brings the form back with the message and what
// was typed; the reporter and the other queue's staff are kept out; the
// author deletes today's entry after a confirmation and the sums follow.
func TestWorkLogPages(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		tk := reportAs(t, app, "employee", helpdesk.QueueIT, "Nem nyomtat")
		it := kaputest.SignedIn(t, app, "deak.milan")
		work := path(tk.ID, "/work")

		res, body := it.Get(work)
		if res.StatusCode != 200 || !strings.Contains(body, tk.Number) || !strings.Contains(body, `name="part_name"`) ||
			!strings.Contains(body, `href="/helpdesk/tickets/`+web.FormatID(tk.ID)+`"`) {
			t.Fatalf("GET work = %d; want the log with the form and a link back to the ticket", res.StatusCode)
		}
		res, body = it.Post(work, url.Values{"text": {"Toner csere"}, "minutes": {"másfél"},
			"part_name": {"toner"}, "part_qty": {"1"}, "part_cost": {"24500"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "This time cannot be read") ||
			!strings.Contains(body, "Toner csere") || !strings.Contains(body, `value="24500"`) {
			t.Errorf("POST a bad time = %d; want 422 with the message and the fields kept", res.StatusCode)
		}
		res, body = it.Post(work, url.Values{"text": {"Toner csere"}, "minutes": {"1:30"},
			"part_name": {"toner", "kábel"}, "part_qty": {"1", "2"}, "part_cost": {"24500", "-300"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not negative") ||
			!strings.Contains(body, `id="f-part_cost_1-error"`) || !strings.Contains(body, `value="kábel"`) {
			t.Errorf("POST a negative cost = %d; want 422 with the message on the second row", res.StatusCode)
		}
		if got := ticketOf(t, app, tk.ID); got.WorkMins != 0 {
			t.Fatalf("refused posts logged %d minutes", got.WorkMins)
		}
		res, _ = it.Post(work, url.Values{"text": {"Toner csere"}, "minutes": {"1:30"},
			"part_name": {"toner", "", "kábel"}, "part_qty": {"1", "", "2"}, "part_cost": {"24 500", "", "1200"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST a good entry = %d; want 303", res.StatusCode)
		}
		if got := ticketOf(t, app, tk.ID); got.WorkMins != 90 || got.PartsCost != 26900 {
			t.Errorf("ticket sums = %d min, %d Ft; want 90, 26900", got.WorkMins, got.PartsCost)
		}
		_, body = it.Get(work)
		if !strings.Contains(body, "1:30") || !strings.Contains(body, "26,900 Ft") || !strings.Contains(body, "2 × kábel") {
			t.Errorf("the log does not show the entry, its parts and the totals")
		}

		for _, c := range []struct {
			user string
			want int
		}{{"employee", 403}, {"facilities", 404}, {"hr", 404}} {
			cl := kaputest.SignedIn(t, app, c.user)
			if res, _ := cl.Get(work); res.StatusCode != c.want {
				t.Errorf("%s GET work = %d; want %d", c.user, res.StatusCode, c.want)
			}
			if res, _ := cl.Post(work, url.Values{"text": {"x"}, "minutes": {"5"}}); res.StatusCode != c.want {
				t.Errorf("%s POST work = %d; want %d", c.user, res.StatusCode, c.want)
			}
		}
		for _, p := range []string{"/helpdesk/tickets/abc/work", "/helpdesk/tickets/99999/work", work + "/x/delete"} {
			if res, _ := it.Get(p); res.StatusCode != 404 {
				t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
			}
		}
		if got := ticketOf(t, app, tk.ID); got.WorkMins != 90 {
			t.Errorf("refused posts changed the sums: %d min", got.WorkMins)
		}

		log, err := app.Helpdesk.Work(context.Background(), kaputest.Person(t, app, "deak.milan").Actor(), tk.ID)
		if err != nil || len(log.Entries) != 1 {
			t.Fatalf("work log = %v, %v", log, err)
		}
		del := work + "/" + web.FormatID(log.Entries[0].ID) + "/delete"
		colleague := kaputest.SignedIn(t, app, "kelemen.petra")
		colleague.Get(work)
		if res, _ := colleague.Post(del, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a colleague's delete = %d; want 303 back with the refusal", res.StatusCode)
		}
		res, body = it.Get(del)
		if res.StatusCode != 200 || !strings.Contains(body, "Toner csere") || !strings.Contains(body, `action="`+del+`"`) {
			t.Errorf("GET delete = %d; want the confirmation naming the entry", res.StatusCode)
		}
		if got := ticketOf(t, app, tk.ID); got.WorkMins != 90 {
			t.Errorf("the confirmation page changed the sums")
		}
		if res, _ := it.Post(del, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("POST delete = %d; want 303", res.StatusCode)
		}
		if got := ticketOf(t, app, tk.ID); got.WorkMins != 0 || got.PartsCost != 0 {
			t.Errorf("after delete: %d min, %d Ft; want 0, 0", got.WorkMins, got.PartsCost)
		}
	})
}

// TestMergePages: staff merge a duplicate by its number from the merge
// page, the page refuses a merge into itself with the message, and links
// show on both tickets.
func TestMergePages(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		a := reportAs(t, app, "employee", helpdesk.QueueIT, "Nincs internet a 214-ben")
		b := reportAs(t, app, "lakatos.bence", helpdesk.QueueIT, "Nincs hálózat a 2. emeleten")
		c := reportAs(t, app, "employee", helpdesk.QueueIT, "Lassú a wifi")
		it := kaputest.SignedIn(t, app, "it")
		it.Get(path(a.ID, "/merge"))
		res, body := it.Get(path(a.ID, "/merge/confirm?number=") + url.QueryEscape(a.Number))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot be merged into itself") {
			t.Errorf("merge into itself = %d; want 422 with the message", res.StatusCode)
		}
		if res, body := it.Get(path(a.ID, "/merge/confirm?number=IT-99999")); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "No ticket you work on has this number") || !strings.Contains(body, `value="IT-99999"`) {
			t.Errorf("merge into an unknown number = %d; want 422 with the message and the number kept", res.StatusCode)
		}
		if res, _ := it.Post(path(a.ID, "/merge"), url.Values{"action": {"link"}, "link_number": {c.Number}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("link = %d; want 303", res.StatusCode)
		}
		_, body = it.Get(path(c.ID, "/merge"))
		if !strings.Contains(body, a.Number) || !strings.Contains(body, "Nincs internet a 214-ben") {
			t.Errorf("the link does not show on the other ticket")
		}
		res, body = it.Get(path(a.ID, "/merge/confirm?number=") + strings.ToLower(b.Number))
		action := regexp.MustCompile(`class="confirm-actions" method="post" action="([^"]+)"`).FindStringSubmatch(body)
		if res.StatusCode != 200 || !strings.Contains(body, b.Number) || action == nil {
			t.Fatalf("GET merge confirm = %d; want the question naming the target and its form", res.StatusCode)
		}
		if got := ticketOf(t, app, a.ID); got.State != helpdesk.StateNew {
			t.Fatalf("the confirmation page changed the ticket: %s", got.State)
		}
		if res, _ := it.Post(html.UnescapeString(action[1]), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("merge = %d; want 303", res.StatusCode)
		}
		got := ticketOf(t, app, a.ID)
		if got.State != helpdesk.StateClosed || got.MergedIntoID == nil || *got.MergedIntoID != b.ID || got.ResolutionCode != helpdesk.ResolvedDuplicate {
			t.Errorf("the duplicate after merge: %s, %v, %q; want closed, merged into %d as a duplicate", got.State, got.MergedIntoID, got.ResolutionCode, b.ID)
		}
		_, body = it.Get(path(b.ID, "/merge"))
		if !strings.Contains(body, a.Number) {
			t.Errorf("the target's page does not list the duplicate")
		}
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/")
		if res, _ := emp.Post(path(c.ID, "/merge"), url.Values{"action": {"merge"}, "number": {b.Number}}); res.StatusCode != 403 {
			t.Errorf("the reporter merges = %d; want 403", res.StatusCode)
		}
		if res, _ := kaputest.SignedIn(t, app, "facilities").Get(path(c.ID, "/merge")); res.StatusCode != 404 {
			t.Errorf("maintenance staff open an IT ticket's merge page = %d; want 404", res.StatusCode)
		}
	})
}
