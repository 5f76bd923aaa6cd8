package kapu_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/warehouse"
)

// TestBrowserWarehouse follows a supply request from the form to the
// requester's confirmation (issue 15): the employee asks a toner and ten
// reams of paper, the manager, signed out, approves from the mail's link
// only six reams with a reason (after a try with quantities the page
// refuses), the storekeeper puts the request out and hands it over, and the
// employee confirms receipt from the ready mail's link. It runs on each
// database the kit tests, each with its own server and browser.
func TestBrowserWarehouse(t *testing.T) {
	chromium := findChromium(t)
	kaputest.Each(t, func(t *testing.T, app *kapu.App) { warehouseBrowserFlow(t, chromium, app) })
}

// The demo items the employee asks for, and how much.
const (
	whTonerCode, whPaperCode = "TON-HP-59A", "PAP-A4-80"
	whPurpose                = "Toner and paper for the customer service desk"
	whLessReason             = "Six reams last until the January delivery"
)

var (
	whConfirmLinkRe = regexp.MustCompile(`/warehouse/confirm/[A-Za-z0-9_-]{20,}`)
	whRequestPathRe = regexp.MustCompile(`^/warehouse/requests/(\d+)$`)
)

func warehouseBrowserFlow(t *testing.T, chromium string, app *kapu.App) {
	base := serve(t, app)
	start := time.Now()
	defer func() { t.Logf("browser flow took %s", time.Since(start).Round(time.Millisecond)) }()
	item := func(code string) warehouse.Item {
		t.Helper()
		var it warehouse.Item
		if err := app.DB.R.Where("code = ?", code).First(&it).Error; err != nil {
			t.Fatalf("demo item %s: %v", code, err)
		}
		return it
	}
	toner, paper := item(whTonerCode), item(whPaperCode)
	if toner.Unit != "db" || paper.Unit != "rizsma" {
		t.Fatalf("the demo's toner is counted in %q and its paper in %q; want db and rizsma", toner.Unit, paper.Unit)
	}
	employee := kaputest.Person(t, app, "employee")
	neededBy := kaputest.WorkdayFrom(t, app, 10)

	b := startBrowser(t, chromium, base)
	b.shotsPerTest()

	// 1. The employee asks a toner and ten reams of A4 paper.
	b.login("employee", "demo")
	res := b.open("/warehouse/new")
	b.wantPage(res, 200, "/warehouse/new")
	if got := b.value("#f-department_id"); got != fmt.Sprint(*employee.DepartmentID) {
		b.fatalf("the request form offers the cost centre %q (%s); want the employee's own department %d", got, b.selectedText("#f-department_id"), *employee.DepartmentID)
	}
	b.do("choose the toner and the paper, the quantities, the purpose and the day",
		chromedp.SetValue(chromedp.ID("f-line_1_item"), fmt.Sprint(toner.ID)),
		chromedp.SendKeys(chromedp.ID("f-line_1_qty"), "1"),
		chromedp.SetValue(chromedp.ID("f-line_2_item"), fmt.Sprint(paper.ID)),
		chromedp.SendKeys(chromedp.ID("f-line_2_qty"), "10"),
		chromedp.SendKeys(chromedp.ID("f-purpose"), whPurpose),
		chromedp.SetValue(chromedp.ID("f-needed_by"), neededBy.String()),
	)
	for sel, code := range map[string]string{"#f-line_1_item": whTonerCode, "#f-line_2_item": whPaperCode} {
		if got := b.selectedText(sel); !strings.Contains(got, code) {
			b.fatalf("the item select %s shows %q after choosing %s", sel, got, code)
		}
	}
	b.screenshot("warehouse-request-form")
	b.overflowAt360("warehouse-request-form")
	res = b.follow("send the request", chromedp.Click(chromedp.CSS(`form[action="/warehouse/new"] .form-actions button[type="submit"]`)))
	b.wantPage(res, 200, `/warehouse/requests/\d+`)
	u, _ := url.Parse(res.URL)
	number := whRequestPathRe.FindStringSubmatch(u.Path)[1]
	requestPath := "/warehouse/requests/" + number
	n, _ := strconv.ParseUint(number, 10, 64) // the pattern took only digits
	id := uint(n)
	if msg := b.text(".flash-success"); !strings.Contains(msg, "no. "+number) {
		b.fatalf("after sending, the message is %q; want the request's number %s", msg, number)
	}
	r := warehouseRequest(t, app, employee.Actor(), id)
	if r.Status != warehouse.RequestPending || r.Purpose != whPurpose || r.NeededBy != neededBy || r.DepartmentID != *employee.DepartmentID || len(r.Lines) != 2 {
		t.Fatalf("the sent request is %s, purpose %q, needed by %s, department %d, %d lines; want pending, the typed purpose, %s, %d, two lines",
			r.Status, r.Purpose, r.NeededBy, r.DepartmentID, len(r.Lines), neededBy, *employee.DepartmentID)
	}
	// wantLines checks a lines table row by row: the first cell holds the
	// wanted text (the item's name and code), every other cell is it.
	wantLines := func(where string, rows [][]string, want ...[]string) {
		t.Helper()
		if len(rows) != len(want) {
			b.fatalf("%s shows %d lines %q; want %d", where, len(rows), rows, len(want))
		}
		for i, w := range want {
			for j, cell := range w {
				if j >= len(rows[i]) || (j == 0 && !strings.Contains(rows[i][j], cell)) || (j > 0 && rows[i][j] != cell) {
					b.fatalf("%s: line %d reads %q; want %q in column %d", where, i+1, rows[i], cell, j+1)
				}
			}
		}
	}
	// Item, state, requested, approved, reserved, issued, received.
	wantLines("the new request's page", b.rows("main .card table"),
		[]string{whTonerCode, "requested", "1 pcs", "–", "0", "0", "0"},
		[]string{whPaperCode, "requested", "10 ream", "–", "0", "0", "0"})
	b.screenshot("warehouse-request-sent")
	b.overflowAt360("warehouse-request-sent")
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))

	// 2. The manager, signed out, opens the mail's Approve link.
	approveLink := warehouseApproveLink(t, app)
	res = b.open(approveLink)
	b.wantPage(res, 200, approveLink)
	if b.exists(".topbar-user-name") {
		b.fatalf("the approval link's page shows someone signed in: %q", b.text(".topbar-user-name"))
	}
	if h := b.text("h1"); !strings.Contains(h, employee.Name) {
		b.fatalf("the approval link's page is headed %q; want the requester %s", h, employee.Name)
	}
	if facts := b.text("main dl.kv"); !strings.Contains(facts, whTonerCode) || !strings.Contains(facts, whPaperCode) || !strings.Contains(facts, whPurpose) {
		b.fatalf("the approval link's page does not show both lines and the purpose: %q", facts)
	}
	for sel, want := range map[string]string{"#f-line_1_qty": "1", "#f-line_2_qty": "10", "#f-line_1_reason": "", "#f-line_2_reason": ""} {
		if !b.exists(sel) {
			b.fatalf("the approval link's page has no field %s to approve less", sel)
		}
		if got := b.value(sel); got != want {
			b.fatalf("the approval link's page prefills %s with %q; want %q (what was asked)", sel, got, want)
		}
	}
	b.screenshot("warehouse-approve-link")
	b.overflowAt360("warehouse-approve-link")
	reserved := func() (warehouse.Qty, warehouse.Qty) {
		t.Helper()
		return item(whTonerCode).Reserved, item(whPaperCode).Reserved
	}
	nothingApproved := func(when string) {
		t.Helper()
		r := warehouseRequest(t, app, employee.Actor(), id)
		var ar approval.Request
		if err := app.DB.R.First(&ar, *r.ApprovalID).Error; err != nil {
			t.Fatal(err)
		}
		tr, pr := reserved()
		if r.Status != warehouse.RequestPending || ar.Status != approval.StatusPending || tr != toner.Reserved || pr != paper.Reserved {
			t.Fatalf("%s the request is %s, its approval %s, reserved toner %v paper %v; want both pending and nothing reserved (%v, %v)",
				when, r.Status, ar.Status, tr, pr, toner.Reserved, paper.Reserved)
		}
		for _, l := range r.Lines {
			if l.State != warehouse.LineRequested || l.Approved != 0 {
				t.Fatalf("%s line %d is %s with %v approved; want requested, nothing approved", when, l.Seq, l.State, l.Approved)
			}
		}
	}
	nothingApproved("after opening the link,")

	// A refused try: no toner without a reason, and paper that is no number.
	b.do("type 0 toners and abc reams",
		chromedp.Clear(chromedp.ID("f-line_1_qty")), chromedp.SendKeys(chromedp.ID("f-line_1_qty"), "0"),
		chromedp.Clear(chromedp.ID("f-line_2_qty")), chromedp.SendKeys(chromedp.ID("f-line_2_qty"), "abc"),
	)
	res = b.follow("press Approve with the bad quantities", chromedp.Click(chromedp.CSS(`form[action^="/a/"] button[type="submit"]`)))
	b.wantPage(res, 422, approveLink)
	for sel, want := range map[string]string{"#f-line_1_qty": "0", "#f-line_2_qty": "abc"} {
		if got := b.value(sel); got != want {
			b.fatalf("the refused form lost what was typed: %s is %q; want %q", sel, got, want)
		}
	}
	// The message stands by the field it is about: the paper's quantity;
	// the toner's missing reason within the toner's line.
	if inv := b.attr("#f-line_2_qty", "aria-invalid"); inv != "true" {
		b.fatalf("the paper's quantity abc is not marked invalid (aria-invalid=%q)", inv)
	}
	byField := func(sel, around string) string {
		return strings.TrimSpace(evalJS[string](b, "read the message by "+sel, `(() => {
			const el = document.querySelector(`+js(sel)+`)?.closest(`+js(around)+`);
			const e = el && el.querySelector(".field-error");
			return e ? e.innerText : "";
		})()`))
	}
	if msg := byField("#f-line_2_qty", ".field"); msg == "" || !b.visible("#f-line_2_qty-error") {
		b.fatalf("the paper's quantity abc has no visible message by its field")
	}
	if msg := byField("#f-line_1_qty", "fieldset"); msg == "" {
		b.fatalf("approving 0 toners without a reason shows no message on the toner's line")
	}
	if b.exists(".alert-success") {
		b.fatalf("the refused form says %q", b.text(".alert-success"))
	}
	b.screenshot("warehouse-approve-link-errors")
	nothingApproved("after the refused try,")

	// Approve the toner as asked and six reams, with the reason.
	sig := b.value(`form[action^="/a/"] input[name="sig"]`)
	b.do("type 1 toner, 6 reams and why",
		chromedp.Clear(chromedp.ID("f-line_1_qty")), chromedp.SendKeys(chromedp.ID("f-line_1_qty"), "1"),
		chromedp.Clear(chromedp.ID("f-line_2_qty")), chromedp.SendKeys(chromedp.ID("f-line_2_qty"), "6"),
		chromedp.SendKeys(chromedp.ID("f-line_2_reason"), whLessReason),
	)
	res = b.follow("press Approve", chromedp.Click(chromedp.CSS(`form[action^="/a/"] button[type="submit"]`)))
	b.wantPage(res, 200, approveLink)
	if msg := b.text(".alert-success"); !strings.Contains(msg, "approval was recorded") {
		b.fatalf("after pressing Approve the page says %q; want that the approval was recorded", msg)
	}
	b.screenshot("warehouse-approve-link-done")
	r = warehouseRequest(t, app, employee.Actor(), id)
	if r.Status != warehouse.RequestApproved {
		t.Fatalf("after approving from the link the request is %s; want approved", r.Status)
	}
	wantServed := func(l warehouse.RequestLine, it warehouse.Item, approved warehouse.Qty, reason string) {
		t.Helper()
		held := min(approved, it.OnHand-it.Reserved) // what the shelf had free
		state := warehouse.LineReserved
		if held < approved {
			state = warehouse.LineToProcure
		}
		if l.Approved != approved || l.Reserved != held || l.State != state || l.Reason != reason {
			t.Fatalf("after approval the line of %s is %s, approved %v, reserved %v, reason %q; want %s, %v, %v, %q",
				it.Code, l.State, l.Approved, l.Reserved, l.Reason, state, approved, held, reason)
		}
	}
	wantServed(r.Lines[0], toner, warehouse.QtyOf(1), "")
	wantServed(r.Lines[1], paper, warehouse.QtyOf(6), whLessReason)
	tr, pr := reserved()
	if tr != toner.Reserved+r.Lines[0].Reserved || pr != paper.Reserved+r.Lines[1].Reserved {
		t.Fatalf("after approval the items hold toner %v, paper %v reserved; want %v, %v",
			tr, pr, toner.Reserved+r.Lines[0].Reserved, paper.Reserved+r.Lines[1].Reserved)
	}
	if r.Lines[0].State != warehouse.LineReserved || r.Lines[1].State != warehouse.LineReserved {
		t.Fatalf("the demo's shelf (toner %v, paper %v on hand) did not hold a toner and six reams", toner.OnHand, paper.OnHand)
	}

	// The same form sent again changes nothing and says it is decided.
	res = b.postForm("send the approval again", approveLink, [][2]string{
		{"sig", sig}, {"line_1_qty", "1"}, {"line_2_qty", "2"}, {"line_2_reason", "Second thoughts"}, {"comment", ""}})
	b.wantPage(res, 409, approveLink)
	if msg := b.text(".alert-info"); !strings.Contains(msg, "already decided") {
		b.fatalf("sending the approval again says %q; want that it is already decided", msg)
	}
	if again := warehouseRequest(t, app, employee.Actor(), id); again.Lines[1].Approved != warehouse.QtyOf(6) || again.Lines[1].Reserved != r.Lines[1].Reserved {
		t.Fatalf("the second send changed the paper line to approved %v, reserved %v", again.Lines[1].Approved, again.Lines[1].Reserved)
	}

	// 3. The storekeeper puts it out for pickup and hands it over.
	b.login("storekeeper", "demo")
	res = b.open("/warehouse/stock/handover")
	b.wantPage(res, 200, "/warehouse/stock/handover")
	if !b.exists(`main a[href="` + requestPath + `"]`) {
		b.fatalf("the handover list does not show request no. %s", number)
	}
	wantLines("the handover list", b.rows(`main .card:has(a[href="`+requestPath+`"]) table`),
		[]string{whTonerCode, "reserved", "1 pcs", "1", "0", "0"},
		[]string{whPaperCode, "reserved", "6 ream", "6", "0", "0"})
	b.screenshot("warehouse-handover")
	b.overflowAt360("warehouse-handover")
	ready := `form[action="/warehouse/stock/handover/` + number + `/ready"] button[type="submit"]`
	if b.exists(ready) {
		res = b.follow("mark the request ready", chromedp.Click(chromedp.CSS(ready)))
		b.wantPage(res, 200, "/warehouse/stock/handover")
		if msg := b.text(".flash-success"); !strings.Contains(msg, "no. "+number+" is ready for pickup") {
			b.fatalf("after marking it ready the message is %q", msg)
		}
		wantLines("the handover list after ready", b.rows(`main .card:has(a[href="`+requestPath+`"]) table`),
			[]string{whTonerCode, "ready for pickup", "1 pcs", "1"},
			[]string{whPaperCode, "ready for pickup", "6 ream", "6"})
		b.screenshot("warehouse-handover-ready")
	}
	res = b.follow("hand the request over", chromedp.Click(chromedp.CSS(`form[action="/warehouse/stock/handover/`+number+`/hand"] button[type="submit"]`)))
	b.wantPage(res, 200, "/warehouse/stock/handover")
	if msg := b.text(".flash-success"); !strings.Contains(msg, "no. "+number+" was handed over") {
		b.fatalf("after handing over the message is %q", msg)
	}
	if b.exists(`main a[href="` + requestPath + `"]`) {
		b.fatalf("the handover list still shows request no. %s after it was handed over", number)
	}
	b.screenshot("warehouse-handover-done")
	r = warehouseRequest(t, app, employee.Actor(), id)
	for i, it := range []warehouse.Item{toner, paper} {
		l, now := r.Lines[i], item(it.Code)
		if l.State != warehouse.LineHandedOver || l.Issued != l.Approved || l.Reserved != 0 {
			t.Fatalf("after the handover the line of %s is %s, issued %v, reserved %v; want handed over, %v issued, none reserved",
				it.Code, l.State, l.Issued, l.Reserved, l.Approved)
		}
		if now.OnHand != it.OnHand-l.Approved || now.Reserved != it.Reserved {
			t.Fatalf("after the handover %s has %v on hand, %v reserved; want %v and %v", it.Code, now.OnHand, now.Reserved, it.OnHand-l.Approved, it.Reserved)
		}
	}
	confirmLink := warehouseConfirmLink(t, app, number)
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))

	// 4. The employee, signed out, confirms receipt from the ready mail.
	res = b.open(confirmLink)
	b.wantPage(res, 200, confirmLink)
	wantLines("the confirmation link's page", b.rows("main table"),
		[]string{whTonerCode, "handed over", "1 pcs", "0", "1", "0"},
		[]string{whPaperCode, "handed over", "6 ream", "0", "6", "0"})
	if got := warehouseRequest(t, app, employee.Actor(), id).Lines; got[0].State != warehouse.LineHandedOver || got[1].State != warehouse.LineHandedOver {
		t.Fatalf("opening the confirmation link changed the lines to %s and %s", got[0].State, got[1].State)
	}
	b.screenshot("warehouse-confirm-link")
	b.overflowAt360("warehouse-confirm-link")
	confirmSig := b.value(`form[action="` + confirmLink + `"] input[name="sig"]`)
	res = b.follow("press I received them", chromedp.Click(chromedp.CSS(`form[action="`+confirmLink+`"] button[type="submit"]`)))
	b.wantPage(res, 200, confirmLink)
	if msg := b.text(".alert-success"); !strings.Contains(msg, "receipt is recorded") {
		b.fatalf("after confirming the page says %q; want the thanks", msg)
	}
	wantLines("the confirmed link's page", b.rows("main table"),
		[]string{whTonerCode, "received", "1 pcs", "0", "1", "1"},
		[]string{whPaperCode, "received", "6 ream", "0", "6", "6"})
	b.screenshot("warehouse-confirm-done")
	res = b.postForm("send the confirmation again", confirmLink, [][2]string{{"sig", confirmSig}})
	b.wantPage(res, 200, confirmLink)
	if msg := b.text(".alert-info"); !strings.Contains(msg, "already confirmed") {
		b.fatalf("sending the confirmation again says %q; want that it is already confirmed", msg)
	}
	if b.exists(`form[action="` + confirmLink + `"]`) {
		b.fatalf("the confirmed link still offers the button")
	}
	r = warehouseRequest(t, app, employee.Actor(), id)
	for _, l := range r.Lines {
		if l.State != warehouse.LineReceived || l.Received != l.Approved {
			t.Fatalf("after the confirmation line %d is %s with %v received; want received, %v", l.Seq, l.State, l.Received, l.Approved)
		}
	}

	// The request's page shows what was handed over and received.
	b.login("employee", "demo")
	res = b.open(requestPath)
	b.wantPage(res, 200, requestPath)
	wantLines("the received request's page", b.rows("main .card table"),
		[]string{whTonerCode, "received", "1 pcs", "1", "0", "1", "1"},
		[]string{whPaperCode + " Approver: “" + whLessReason + "”", "received", "10 ream", "6", "0", "6", "6"})
	b.screenshot("warehouse-request-received")
	b.overflowAt360("warehouse-request-received")
}

// warehouseRequest is request id as a reader sees it, or the test fails.
func warehouseRequest(t *testing.T, app *kapu.App, a actor.Actor, id uint) *warehouse.RequestDetail {
	t.Helper()
	r, err := app.Warehouse.GetRequest(context.Background(), a, id)
	if err != nil {
		t.Fatalf("request %d: %v", id, err)
	}
	return r
}

// warehouseApproveLink is the Approve link's path in the manager's mail
// about the request for whPurpose, or the test fails.
func warehouseApproveLink(t *testing.T, app *kapu.App) string {
	t.Helper()
	for _, m := range kaputest.MailsTo(t, app, "manager") {
		if strings.Contains(m.Text, whPurpose) && kaputest.LinkRe.MatchString(m.Text) {
			approve, _ := kaputest.Links(t, m)
			return approve
		}
	}
	t.Fatalf("the manager has no approval mail about the request for %q", whPurpose)
	return ""
}

// warehouseConfirmLink is the confirmation link's path in the employee's
// ready mail about request number, or the test fails; the handed-over mail
// must be there too.
func warehouseConfirmLink(t *testing.T, app *kapu.App, number string) string {
	t.Helper()
	link, handed := "", false
	for _, m := range kaputest.MailsTo(t, app, "employee") {
		switch m.Subject {
		case "Ready for pickup: supply request no. " + number:
			link = whConfirmLinkRe.FindString(m.Text)
		case "Handed over: supply request no. " + number:
			handed = true
		}
	}
	if link == "" || !handed {
		t.Fatalf("the employee's mails about request no. %s: confirmation link %q, handed-over mail %v; want both", number, link, handed)
	}
	return link
}
