package helpdesk_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/notify"
)

// approvalMail is username's approval request about what, failing the test
// without exactly one.
func approvalMail(t *testing.T, app *kapu.App, username, what string) notify.Mail {
	t.Helper()
	var found []notify.Mail
	for _, m := range kaputest.MailsTo(t, app, username) {
		if strings.Contains(m.Subject, what) && kaputest.LinkRe.MatchString(m.Text) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s's approval mails about %q = %d; want 1", username, what, len(found))
	}
	return found[0]
}

// mailsAbout counts username's mails whose subject names what.
func mailsAbout(t *testing.T, app *kapu.App, username, what string) int {
	t.Helper()
	n := 0
	for _, m := range kaputest.MailsTo(t, app, username) {
		if strings.Contains(m.Subject, what) || strings.Contains(m.Text, what) {
			n++
		}
	}
	return n
}

func purchaseOf(t *testing.T, app *kapu.App, ticketID uint, what string) helpdesk.PurchaseRequest {
	t.Helper()
	var pr helpdesk.PurchaseRequest
	if err := app.DB.R.Where("ticket_id = ? AND what = ?", ticketID, what).First(&pr).Error; err != nil {
		t.Fatal(err)
	}
	return pr
}

// TestPurchaseApprovedByEmailLink: a small purchase goes to the queue's
// lead, whose emailed link approves it; the request, the ticket's page and
// its internal comments show it, and the requester is told once.
func TestPurchaseApprovedByEmailLink(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		tk := reportAs(t, app, "employee", helpdesk.QueueIT, "Nem kapcsol be a monitor")
		milan := kaputest.Person(t, app, "deak.milan").Actor()
		if err := app.Helpdesk.Take(ctx, milan, tk.ID); err != nil {
			t.Fatal(err)
		}
		c := kaputest.SignedIn(t, app, "deak.milan")
		page := path(tk.ID, "/purchase")
		res, body := c.Get(page)
		if res.StatusCode != 200 || !strings.Contains(body, `name="what"`) || !strings.Contains(body, "200,000") {
			t.Fatalf("GET purchase = %d; want the form naming the lead's limit", res.StatusCode)
		}
		res, body = c.Post(page, url.Values{"what": {"Monitor 24\""}, "why": {"A régi nem javítható."}, "cost": {"-5"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "more than zero") || !strings.Contains(body, "A régi nem javítható.") {
			t.Errorf("POST a negative cost = %d; want 422 with the message and the text kept", res.StatusCode)
		}
		res, _ = c.Post(page, url.Values{"what": {"monitor"}, "why": {"A régi nem javítható."}, "cost": {"54 900"},
			"supplier": {"Számtech Kft."}, "wait": {"on"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST purchase = %d; want 303", res.StatusCode)
		}
		pr := purchaseOf(t, app, tk.ID, "monitor")
		lead := kaputest.Person(t, app, "it")
		if pr.State != helpdesk.PurchasePending || pr.ApproverID != lead.ID || pr.Cost != 54900 || pr.ApprovalID == nil {
			t.Fatalf("request = %+v; want pending with the IT lead", pr)
		}
		if got := ticketOf(t, app, tk.ID); got.State != helpdesk.StateWaitingVendor {
			t.Errorf("ticket state = %s; want waiting_vendor", got.State)
		}
		mail := approvalMail(t, app, "it", "monitor")
		approve, _ := kaputest.Links(t, mail)
		if !strings.Contains(mail.Text, "54") || !strings.Contains(mail.Text, tk.Number) {
			t.Errorf("the approver's mail does not name the cost and the ticket:\n%s", mail.Text)
		}
		sig := kaputest.SigFor(t, app, approve)
		if res, body := kaputest.PostLink(kaputest.NewClient(t, app), approve, sig, ""); res.StatusCode != 200 {
			t.Fatalf("POST approve link = %d\n%s", res.StatusCode, body)
		}
		pr = purchaseOf(t, app, tk.ID, "monitor")
		if pr.State != helpdesk.PurchaseApproved || pr.DecidedBy == nil || *pr.DecidedBy != lead.ID || pr.DecidedAt == nil {
			t.Errorf("request after approval = %+v; want approved by the lead", pr)
		}
		_, body = c.Get(page)
		if !strings.Contains(body, "Approved") {
			t.Errorf("the purchase page does not show the approval")
		}
		var cs []helpdesk.Comment
		app.DB.R.Where("ticket_id = ? AND internal = ?", tk.ID, true).Find(&cs)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "monitor") {
			t.Errorf("internal comments = %+v; want one line about the approval", cs)
		}
		// The requester is the assignee: the engine's outcome mail is the only one.
		var outcome int
		for _, m := range kaputest.MailsTo(t, app, "deak.milan") {
			if strings.Contains(m.Subject, "monitor") {
				outcome++
			}
		}
		if outcome != 1 {
			t.Errorf("requester's mails about the purchase = %d; want 1", outcome)
		}
		var req approval.Request
		app.DB.R.First(&req, *pr.ApprovalID)
		if req.Status != approval.StatusApproved {
			t.Errorf("approval request = %s; want approved", req.Status)
		}
	})
}

// TestPurchaseRefusedByEmailLink: above the lead's limit the reporter's
// manager decides; their refusal with a reason shows on the page, and the
// assignee (not the requester) is told by the helpdesk.
func TestPurchaseRefusedByEmailLink(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		tk := reportAs(t, app, "employee", helpdesk.QueueIT, "Nem indul a gép") // the title names no purchase: the lead is mailed the new ticket
		if err := app.Helpdesk.Take(ctx, kaputest.Person(t, app, "deak.milan").Actor(), tk.ID); err != nil {
			t.Fatal(err)
		}
		petra := kaputest.SignedIn(t, app, "kelemen.petra")
		page := path(tk.ID, "/purchase")
		petra.Get(page)
		if res, _ := petra.Post(page, url.Values{"what": {"laptop"}, "why": {"Az alaplap hibás."}, "cost": {"350000"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST purchase = %d; want 303", res.StatusCode)
		}
		pr := purchaseOf(t, app, tk.ID, "laptop")
		if mgr := kaputest.Person(t, app, "manager"); pr.ApproverID != mgr.ID {
			t.Fatalf("approver = %d; want the reporter's manager %d", pr.ApproverID, mgr.ID)
		}
		if n := mailsAbout(t, app, "it", "laptop"); n != 0 {
			t.Errorf("the lead got %d mails about a purchase above the limit; want 0", n)
		}
		_, reject := kaputest.Links(t, approvalMail(t, app, "manager", "laptop"))
		sig := kaputest.SigFor(t, app, reject)
		if res, _ := kaputest.PostLink(kaputest.NewClient(t, app), reject, sig, "Nincs rá keret idén"); res.StatusCode != 200 {
			t.Fatalf("POST reject link = %d", res.StatusCode)
		}
		pr = purchaseOf(t, app, tk.ID, "laptop")
		if pr.State != helpdesk.PurchaseRejected || pr.Reason != "Nincs rá keret idén" {
			t.Errorf("request after refusal = %+v; want rejected with the reason", pr)
		}
		_, body := petra.Get(page)
		if !strings.Contains(body, "Refused") || !strings.Contains(body, "Nincs rá keret idén") {
			t.Errorf("the purchase page does not show the refusal and its reason")
		}
		if n := mailsAbout(t, app, "deak.milan", "laptop"); n != 1 {
			t.Errorf("assignee's mails about the refusal = %d; want 1", n)
		}
		if n := mailsAbout(t, app, "kelemen.petra", "laptop"); n != 1 {
			t.Errorf("requester's mails = %d; want the engine's one", n)
		}
		// Only the queue's staff ask: the reporter is refused, others see nothing.
		for user, want := range map[string]int{"employee": 403, "facilities": 404} {
			cl := kaputest.SignedIn(t, app, user)
			cl.Get("/")
			if res, _ := cl.Post(page, url.Values{"what": {"x"}, "why": {"y"}, "cost": {"1"}}); res.StatusCode != want {
				t.Errorf("%s POST purchase = %d; want %d", user, res.StatusCode, want)
			}
		}
	})
}
