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
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/web"
)

// askPurchase has username ask for what (a small part: the IT lead
// approves) on ticket ticketID through the service.
func askPurchase(t *testing.T, app *kapu.App, username string, ticketID uint, what string, cost int64) *helpdesk.PurchaseRequest {
	t.Helper()
	pr, err := app.Helpdesk.RequestPurchase(context.Background(), kaputest.Person(t, app, username).Actor(), ticketID,
		helpdesk.PurchaseInput{What: what, Why: "A javításhoz kell.", Cost: cost})
	if err != nil {
		t.Fatalf("%s asks for %s: %v", username, what, err)
	}
	return pr
}

func withdrawPath(ticketID, purchaseID uint) string {
	return path(ticketID, "/purchase/"+web.FormatID(purchaseID)+"/withdraw")
}

// auditCount counts the audit rows of action about ticket ticketID.
func auditCount(t *testing.T, app *kapu.App, action string, ticketID uint) int64 {
	t.Helper()
	var n int64
	if err := app.DB.R.Model(&audit.Entry{}).Where("action = ? AND entity = ? AND entity_id = ?", action, "helpdesk_ticket", itoa(ticketID)).
		Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// approvalStatus is the engine's status of a purchase's request.
func approvalStatus(t *testing.T, app *kapu.App, pr helpdesk.PurchaseRequest) string {
	t.Helper()
	if pr.ApprovalID == nil {
		t.Fatalf("purchase %q has no approval request", pr.What)
	}
	var req approval.Request
	if err := app.DB.R.First(&req, *pr.ApprovalID).Error; err != nil {
		t.Fatal(err)
	}
	return req.Status
}

// TestPurchaseWithdrawnByItsAsker: who asked withdraws a pending purchase
// after a confirmation; the row, the engine's request, the audit log and
// the ticket's internal lines say so, the approver's inbox drops it, their
// emailed link explains it was withdrawn and decides nothing, and nobody is
// mailed. Withdrawing again is refused with a message.
func TestPurchaseWithdrawnByItsAsker(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		tk := reportAs(t, app, "employee", helpdesk.QueueIT, "Recseg a fejhallgató")
		milan := kaputest.SignedIn(t, app, "deak.milan")
		page := path(tk.ID, "/purchase")
		milan.Get(page)
		if res, _ := milan.Post(page, url.Values{"what": {"headset"}, "why": {"A kábel szakadt."}, "cost": {"12 500"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST purchase = %d; want 303", res.StatusCode)
		}
		pr := purchaseOf(t, app, tk.ID, "headset")
		approve, _ := kaputest.Links(t, approvalMail(t, app, "it", "headset"))
		lead := kaputest.SignedIn(t, app, "it")
		if _, inbox := lead.Get("/approvals"); !strings.Contains(html.UnescapeString(inbox), "Purchase: headset ("+tk.Number+")") {
			t.Fatalf("the lead's inbox does not list the purchase before the withdrawal")
		}
		leadMails := len(kaputest.MailsTo(t, app, "it"))
		milanMails := len(kaputest.MailsTo(t, app, "deak.milan"))

		withdraw := withdrawPath(tk.ID, pr.ID)
		_, body := milan.Get(page)
		if !strings.Contains(body, `href="`+withdraw+`" data-confirm-dialog`) || !strings.Contains(body, "Waiting for approval") {
			t.Fatalf("the asker's purchase page has no withdraw link beside the pending request:\n%s", body)
		}
		res, body := milan.Get(withdraw)
		body = html.UnescapeString(body)
		if res.StatusCode != 200 || !strings.Contains(body, "Withdraw the purchase request “headset” (12,500 Ft)?") ||
			!strings.Contains(body, `action="`+withdraw+`"`) {
			t.Fatalf("GET withdraw = %d; want the confirmation naming the item and its cost\n%s", res.StatusCode, body)
		}
		if got := purchaseOf(t, app, tk.ID, "headset"); got.State != helpdesk.PurchasePending {
			t.Fatalf("the confirmation page changed the request to %s", got.State)
		}

		if res, _ := milan.Post(withdraw, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST withdraw = %d; want 303", res.StatusCode)
		}
		_, body = milan.Get(page)
		if !strings.Contains(body, "Withdrawn: headset.") {
			t.Errorf("the page after the withdrawal does not say so in its flash")
		}
		if !strings.Contains(body, "Withdrawn</span>") || !strings.Contains(body, "by Deák Milán") || strings.Contains(body, `href="`+withdraw+`"`) {
			t.Errorf("the purchase page does not show the request withdrawn by its asker without a withdraw link:\n%s", body)
		}
		got := purchaseOf(t, app, tk.ID, "headset")
		milanID := kaputest.Person(t, app, "deak.milan").ID
		if got.State != helpdesk.PurchaseWithdrawn || got.DecidedAt == nil || got.DecidedBy == nil || *got.DecidedBy != milanID {
			t.Errorf("request after the withdrawal = %+v; want withdrawn by the asker", got)
		}
		if st := approvalStatus(t, app, got); st != approval.StatusWithdrawn {
			t.Errorf("approval request = %s; want withdrawn", st)
		}
		if n := auditCount(t, app, "helpdesk.purchase.withdrawn", tk.ID); n != 1 {
			t.Errorf("audit rows of the withdrawal = %d; want 1", n)
		}
		var cs []helpdesk.Comment
		app.DB.R.Where("ticket_id = ? AND internal = ?", tk.ID, true).Find(&cs)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "headset") || cs[0].ByID != milanID {
			t.Errorf("internal comments = %+v; want one line about the withdrawal by its asker", cs)
		}
		if _, inbox := lead.Get("/approvals"); strings.Contains(inbox, "headset") {
			t.Errorf("the lead's inbox still lists the withdrawn purchase")
		}
		res, link := kaputest.NewClient(t, app).Get(approve)
		if res.StatusCode != 200 || !strings.Contains(link, "Withdrawn") || strings.Contains(link, `name="sig"`) {
			t.Errorf("the approver's email link = %d; want a page saying the request was withdrawn, with no button", res.StatusCode)
		}
		if n := len(kaputest.MailsTo(t, app, "it")); n != leadMails {
			t.Errorf("the lead got %d mails after the withdrawal; want none", n-leadMails)
		}
		if n := len(kaputest.MailsTo(t, app, "deak.milan")); n != milanMails {
			t.Errorf("the asker got %d mails after their own withdrawal; want none", n-milanMails)
		}

		// Withdrawn already: the confirmation and the POST are refused with the reason.
		for _, method := range []string{"GET", "POST"} {
			var res *http.Response
			if method == "GET" {
				res, _ = milan.Get(withdraw)
			} else {
				res, _ = milan.Post(withdraw, nil)
			}
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s withdraw of a withdrawn purchase = %d; want 303 back with the refusal", method, res.StatusCode)
			}
			if _, body := milan.Get(page); !strings.Contains(body, "no longer waits for approval") {
				t.Errorf("%s withdraw of a withdrawn purchase: the page does not say why it was refused", method)
			}
		}
		if n := auditCount(t, app, "helpdesk.purchase.withdrawn", tk.ID); n != 1 {
			t.Errorf("audit rows after the refused second withdrawal = %d; want still 1", n)
		}
	})
}

// TestPurchaseWithdrawRefusals: a colleague may not withdraw another's
// purchase, the queue's lead may; a decided purchase stays decided; a
// purchase of another ticket, a missing or malformed id, the reporter and
// someone outside the queue get 404 or 403; nothing changes on a refusal.
func TestPurchaseWithdrawRefusals(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		tk := reportAs(t, app, "employee", helpdesk.QueueIT, "Nem működik a billentyűzet")
		other := reportAs(t, app, "lakatos.bence", helpdesk.QueueIT, "Villog a kijelző")
		keyboard := askPurchase(t, app, "deak.milan", tk.ID, "keyboard", 9000)
		mouse := askPurchase(t, app, "deak.milan", tk.ID, "mouse", 4000)
		cable := askPurchase(t, app, "kelemen.petra", other.ID, "cable", 2000)
		page := path(tk.ID, "/purchase")

		petra := kaputest.SignedIn(t, app, "kelemen.petra")
		_, body := petra.Get(page)
		if strings.Contains(body, `href="`+withdrawPath(tk.ID, keyboard.ID)+`"`) {
			t.Errorf("a colleague's purchase page offers to withdraw another's request")
		}
		for _, method := range []string{"GET", "POST"} {
			var res *http.Response
			if method == "GET" {
				res, _ = petra.Get(withdrawPath(tk.ID, keyboard.ID))
			} else {
				res, _ = petra.Post(withdrawPath(tk.ID, keyboard.ID), nil)
			}
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("a colleague's %s withdraw = %d; want 303 back with the refusal", method, res.StatusCode)
			}
			if _, body := petra.Get(page); !strings.Contains(body, "Only the person who asked for it") {
				t.Errorf("a colleague's %s withdraw: the page does not say who may withdraw", method)
			}
		}

		milan := kaputest.SignedIn(t, app, "deak.milan")
		milan.Get(page)
		for p, want := range map[string]int{
			withdrawPath(tk.ID, cable.ID):        404, // another ticket's purchase under this ticket
			withdrawPath(tk.ID, 999999):          404,
			path(tk.ID, "/purchase/x/withdraw"):  404,
			withdrawPath(999999, keyboard.ID):    404,
			path(tk.ID, "/purchase/-1/withdraw"): 404,
		} {
			if res, _ := milan.Get(p); res.StatusCode != want {
				t.Errorf("GET %s = %d; want %d", p, res.StatusCode, want)
			}
			if res, _ := milan.Post(p, nil); res.StatusCode != want {
				t.Errorf("POST %s = %d; want %d", p, res.StatusCode, want)
			}
		}
		for user, want := range map[string]int{"employee": 403, "facilities": 404} {
			cl := kaputest.SignedIn(t, app, user)
			cl.Get("/")
			if res, _ := cl.Post(withdrawPath(tk.ID, keyboard.ID), nil); res.StatusCode != want {
				t.Errorf("%s POST withdraw = %d; want %d", user, res.StatusCode, want)
			}
		}
		if got := purchaseOf(t, app, tk.ID, "keyboard"); got.State != helpdesk.PurchasePending || approvalStatus(t, app, got) != approval.StatusPending {
			t.Fatalf("refused withdrawals changed the request: %s", got.State)
		}
		if got := purchaseOf(t, app, other.ID, "cable"); got.State != helpdesk.PurchasePending {
			t.Fatalf("a withdrawal under the wrong ticket changed its purchase: %s", got.State)
		}

		// Decided: approved by the lead's link, then nobody withdraws it.
		var mouseMail string
		for _, m := range kaputest.MailsTo(t, app, "it") {
			if strings.Contains(m.Subject, "mouse") && kaputest.LinkRe.MatchString(m.Text) {
				mouseMail, _ = kaputest.Links(t, m)
			}
		}
		if mouseMail == "" {
			t.Fatal("the lead got no approval mail about the mouse")
		}
		if res, _ := kaputest.PostLink(kaputest.NewClient(t, app), mouseMail, kaputest.SigFor(t, app, mouseMail), ""); res.StatusCode != 200 {
			t.Fatalf("approve link = %d", res.StatusCode)
		}
		if res, _ := milan.Post(withdrawPath(tk.ID, mouse.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("withdraw of an approved purchase = %d; want 303 back with the refusal", res.StatusCode)
		}
		if _, body := milan.Get(page); !strings.Contains(body, "no longer waits for approval") {
			t.Errorf("the page does not say an approved purchase cannot be withdrawn")
		}
		if got := purchaseOf(t, app, tk.ID, "mouse"); got.State != helpdesk.PurchaseApproved || approvalStatus(t, app, got) != approval.StatusApproved {
			t.Errorf("withdraw of an approved purchase changed it: %s", got.State)
		}

		// The queue's lead withdraws a colleague's request; the engine, which
		// lets only requesters withdraw, is told by the system.
		lead := kaputest.SignedIn(t, app, "it")
		if _, body := lead.Get(page); !strings.Contains(body, `href="`+withdrawPath(tk.ID, keyboard.ID)+`"`) {
			t.Errorf("the lead's purchase page offers no withdraw link for a pending request")
		}
		if res, _ := lead.Post(withdrawPath(tk.ID, keyboard.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the lead's withdraw = %d; want 303", res.StatusCode)
		}
		got := purchaseOf(t, app, tk.ID, "keyboard")
		if leadID := kaputest.Person(t, app, "it").ID; got.State != helpdesk.PurchaseWithdrawn || got.DecidedBy == nil || *got.DecidedBy != leadID {
			t.Errorf("after the lead's withdrawal: %+v; want withdrawn by the lead", got)
		}
		if st := approvalStatus(t, app, got); st != approval.StatusWithdrawn {
			t.Errorf("approval request after the lead's withdrawal = %s; want withdrawn", st)
		}
		if _, body := lead.Get(page); !strings.Contains(body, "by "+kaputest.Person(t, app, "it").Name) {
			t.Errorf("the page does not show the lead's withdrawal")
		}
	})
}
