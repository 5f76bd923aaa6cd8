package warehouse_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/i18n"
	"kapu/modules/warehouse"
)

// TestApproveLessByLink is the manager approving less paper than asked from
// the approval mail's link, signed out: the page offers each line's
// quantity, what was asked filled in; a bad quantity or a missing reason
// comes back next to its field as typed with nothing decided; the right
// one approves the request with the lowered line reserved as approved, and
// the link then says it was decided.
func TestApproveLessByLink(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		s := newStock(t, app)
		id := submitRequest(t, app, "employee", url.Values{
			"line_1_item": {itoa(s.toner.ID)}, "line_1_qty": {"2"},
			"line_2_item": {itoa(s.paper.ID)}, "line_2_qty": {"10"},
		})
		mails := kaputest.MailsTo(t, app, "manager")
		if len(mails) == 0 {
			t.Fatal("the manager got no mail about the request")
		}
		mail := mails[len(mails)-1]
		approve, _ := kaputest.Links(t, mail)
		if hint := "approval.mail.lower_hint"; !strings.Contains(mail.Text, cat.T("hu", hint)) && !strings.Contains(mail.Text, cat.T("en", hint)) {
			t.Errorf("the approval mail does not say the approve page can give less:\n%s", mail.Text)
		}

		c := kaputest.NewClient(t, app) // signed out, as a mail client opens it
		res, body := c.Get(approve)
		if res.StatusCode != 200 {
			t.Fatalf("GET the approve link = %d", res.StatusCode)
		}
		lang := pageLang(body)
		msg := func(key string, args ...any) string { return cat.T(lang, key, args...) }
		for _, want := range []string{`name="line_1_qty" value="2"`, `name="line_2_qty" value="10"`, `name="line_2_reason"`,
			html.EscapeString(msg("approval.lower_asked", "Quantity", "10", "Unit", msg("warehouse.unit.rizsma")))} {
			if !strings.Contains(body, want) {
				t.Errorf("the approve link's page lacks %s", want)
			}
		}
		sig := kaputest.SigRe.FindStringSubmatch(body)[1]
		before := kaputest.ApprovalSnapshot(app)
		post := func(paper, reason string) (int, string) {
			res, body := c.Post(approve, url.Values{"sig": {sig}, "comment": {"Ennyi elég"},
				"line_1_qty": {"2"}, "line_2_qty": {paper}, "line_2_reason": {reason}})
			return res.StatusCode, body
		}
		for _, tc := range []struct{ name, paper, reason, field, key string }{
			{"letters", "sok", "", "line_2_qty", "warehouse.err.decide_quantity"},
			{"more than asked", "11", "", "line_2_qty", "warehouse.err.more_than_asked"},
			{"less without a reason", "6", "", "line_2_reason", "warehouse.err.less_reason"},
			{"a fraction of reams", "2,5", "fél", "line_2_qty", "warehouse.err.fraction"},
		} {
			code, body := post(tc.paper, tc.reason)
			if code != 422 {
				t.Errorf("%s: POST = %d; want 422", tc.name, code)
			}
			if got, want := kaputest.FieldError(body, tc.field), msg(tc.key); got != want {
				t.Errorf("%s: message at %s = %q; want %q", tc.name, tc.field, got, want)
			}
			if !strings.Contains(body, `name="line_2_qty" value="`+html.EscapeString(tc.paper)+`"`) || !strings.Contains(body, "Ennyi elég") {
				t.Errorf("%s: the page did not come back as typed", tc.name)
			}
			if after := kaputest.ApprovalSnapshot(app); after != before {
				t.Fatalf("%s: a refused form changed the approval:\n%s\n%s", tc.name, before, after)
			}
		}
		if l := lines(t, app, id); l[1].State != warehouse.LineRequested || l[1].Approved != 0 {
			t.Fatalf("refused forms changed the paper line: %+v", l[1])
		}

		code, body := post("6", "A hónap végéig ennyi elég")
		if code != 200 || !strings.Contains(body, html.EscapeString(msg("approval.link_done_approved"))) {
			t.Fatalf("approve 6 of 10 reams = %d; want 200 with the success message", code)
		}
		got := lines(t, app, id)
		if got[0].Approved != warehouse.QtyOf(2) || got[0].Reserved != warehouse.QtyOf(2) || got[0].State != warehouse.LineReserved {
			t.Errorf("toner line = %+v; want 2 approved and reserved", got[0])
		}
		if got[1].Approved != warehouse.QtyOf(6) || got[1].Reserved != warehouse.QtyOf(6) || got[1].Reason != "A hónap végéig ennyi elég" {
			t.Errorf("paper line = %+v; want 6 approved and reserved, with the reason", got[1])
		}
		if it := item(t, app, s.paper.ID); it.Reserved != warehouse.QtyOf(6) {
			t.Errorf("paper reserved on the shelf = %v; want 6 (never more than approved)", it.Reserved)
		}
		var r warehouse.Request
		app.DB.R.First(&r, id)
		var step approval.Step
		app.DB.R.Where("request_id = ?", *r.ApprovalID).First(&step)
		if r.Status != warehouse.RequestApproved || step.Channel != "email" {
			t.Errorf("request %s, step decided by %q; want approved by email", r.Status, step.Channel)
		}
		// The requester's page names the approver's reason; a second press says it was decided.
		_, page := kaputest.SignedIn(t, app, "employee").Get("/warehouse/requests/" + itoa(id))
		if !strings.Contains(page, "A hónap végéig ennyi elég") {
			t.Error("the requester's page does not show why less was approved")
		}
		if code, _ := post("6", "again"); code != 409 {
			t.Errorf("a second POST of the link = %d; want 409", code)
		}
	})
}

// submitRequest files username's request for the lines (form fields) and
// returns its id; it waits for its approvers.
func submitRequest(t *testing.T, app *kapu.App, username string, fields url.Values) uint {
	t.Helper()
	c := kaputest.SignedIn(t, app, username)
	c.Get("/warehouse/new") // the form's CSRF token, as a browser has it
	f := form(*kaputest.Person(t, app, username).DepartmentID)
	for k, v := range fields {
		f[k] = v
	}
	res, body := c.Post("/warehouse/new", f)
	if res.StatusCode != 303 {
		t.Fatalf("%s's request = %d\n%s", username, res.StatusCode, body)
	}
	return requestID(t, res.Header.Get("Location"))
}
