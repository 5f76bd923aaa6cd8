package warehouse_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/i18n"
	"kapu/modules/warehouse"
)

// The way after approval, through the screens: a short item goes to the
// list to procure, is ordered, and its receipt reserves for the oldest
// approval first; the ready mail's link shows without changing anything
// and confirms once; the handover issues exactly what was reserved; the
// ledger stays equal to the cache; the reminder mails once after two
// working days.

var confirmLinkRe = regexp.MustCompile(`/warehouse/confirm/[A-Za-z0-9_-]{20,}`)

// confirmLinks are the confirmation links in the mails to username, oldest first.
func confirmLinks(t *testing.T, app *kapu.App, username string) []string {
	t.Helper()
	var out []string
	for _, m := range kaputest.MailsTo(t, app, username) {
		out = append(out, confirmLinkRe.FindAllString(m.Text, -1)...)
	}
	return out
}

// sigOf reads the confirmation form's signature from its page.
func sigOf(body string) string {
	if m := regexp.MustCompile(`name="sig" value="([0-9a-f]+)"`).FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// submitApproved files username's request for the lines (form fields) and
// has the manager approve it as asked; it returns the request's id.
func submitApproved(t *testing.T, app *kapu.App, username string, fields url.Values, approve url.Values) uint {
	t.Helper()
	id := submitRequest(t, app, username, fields)
	approve.Set("decision", "approve")
	mgr := kaputest.SignedIn(t, app, "manager")
	mgr.Get("/warehouse/requests/" + itoa(id))
	if res, body := mgr.Post("/warehouse/requests/"+itoa(id)+"/decide", approve); res.StatusCode != 303 {
		t.Fatalf("approve %d = %d\n%s", id, res.StatusCode, body)
	}
	return id
}

func TestWarehouseHandoverFlowHTTP(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		sk := kaputest.Person(t, app, "storekeeper").Actor()
		stapler, err := app.Warehouse.CreateItem(ctx, sk, warehouse.ItemInput{Code: "T-FLOW-STP", NameHU: "Tűzőgép", NameEN: "Stapler",
			Category: "office", Unit: "db", UnitPrice: 3000, ReorderLevel: warehouse.QtyOf(2), Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Warehouse.Receive(ctx, sk, warehouse.Receipt{ItemID: stapler.ID, Quantity: warehouse.QtyOf(2), Supplier: "Irodaszer Kft.", DeliveryNote: "SZ-1"}); err != nil {
			t.Fatal(err)
		}
		keeper := kaputest.SignedIn(t, app, "storekeeper")
		emp := kaputest.SignedIn(t, app, "employee")
		other := kaputest.SignedIn(t, app, "lakatos.bence")
		anon := kaputest.NewClient(t, app)
		for _, c := range []interface {
			Get(string) (*http.Response, string)
		}{keeper, emp, other} {
			c.Get("/warehouse")
		}
		lang := app.Cfg.Lang
		if p := kaputest.Person(t, app, "employee"); p.Lang != "" {
			lang = p.Lang
		}
		msg := func(key string, args ...any) string { return html.EscapeString(cat.T(lang, key, args...)) }

		// The employee asks 3 staplers (2 on the shelf) and a laminator
		// (free text); a colleague then asks 2 staplers.
		a := submitApproved(t, app, "employee", url.Values{"line_1_item": {itoa(stapler.ID)}, "line_1_qty": {"3"},
			"line_6_text": {"Laminálógép"}, "line_6_qty": {"1"}, "line_6_unit": {"db"}}, url.Values{"line_1_qty": {"3"}, "line_2_qty": {"1"}})
		b := submitApproved(t, app, "lakatos.bence", url.Values{"line_1_item": {itoa(stapler.ID)}, "line_1_qty": {"2"}}, url.Values{"line_1_qty": {"2"}})
		la, lb := lines(t, app, a), lines(t, app, b)
		if la[0].Reserved != warehouse.QtyOf(2) || la[0].State != warehouse.LineToProcure || la[1].State != warehouse.LineToProcure ||
			lb[0].Reserved != 0 || lb[0].State != warehouse.LineToProcure {
			t.Fatalf("after approval: %+v / %+v", la, lb)
		}

		// The list to procure: the stapler's lines together (1 + 2
		// missing), the free text apart; only the storekeeper sees it.
		res, body := keeper.Get("/warehouse/stock/procure")
		if res.StatusCode != 200 || !strings.Contains(body, msg("warehouse.procure.total", "Quantity", "3", "Unit", cat.T(lang, "warehouse.unit.db"))) ||
			!strings.Contains(body, "Laminálógép") || !strings.Contains(body, "/warehouse/requests/"+itoa(b)) {
			t.Fatalf("GET procure = %d; want both requests, the stapler's 3 missing", res.StatusCode)
		}
		if res, _ := emp.Get("/warehouse/stock/procure"); res.StatusCode != 403 {
			t.Errorf("an employee opening the list to procure = %d; want 403", res.StatusCode)
		}

		// Order placed: no supplier or a past day is refused by the
		// field, nothing changes; then ordered, counted as on order.
		orderPath := "/warehouse/stock/procure/" + itoa(lb[0].ID) + "/order"
		res, body = keeper.Post(orderPath, url.Values{"supplier": {""}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "supplier_"+itoa(lb[0].ID)) != cat.T(lang, "warehouse.err.supplier") {
			t.Errorf("order without supplier = %d, message %q", res.StatusCode, kaputest.FieldError(body, "supplier_"+itoa(lb[0].ID)))
		}
		res, body = keeper.Post(orderPath, url.Values{"supplier": {"Papír Zrt."}, "expected": {"2001-01-01"}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "expected_"+itoa(lb[0].ID)) != cat.T(lang, "warehouse.procure.err.expected") ||
			!strings.Contains(body, `value="Papír Zrt."`) {
			t.Errorf("order with a past day = %d; want 422 with the day's message and the supplier kept", res.StatusCode)
		}
		if res, _ := other.Post(orderPath, url.Values{"supplier": {"Papír Zrt."}}); res.StatusCode != 403 {
			t.Errorf("an employee ordering = %d; want 403", res.StatusCode)
		}
		if lines(t, app, b)[0].State != warehouse.LineToProcure {
			t.Fatal("a refused order changed the line")
		}
		if res, _ := keeper.Post(orderPath, url.Values{"supplier": {"Papír Zrt."}}); res.StatusCode != 303 {
			t.Fatalf("order = %d; want 303", res.StatusCode)
		}
		if st := lines(t, app, b)[0].State; st != warehouse.LineOrdered {
			t.Fatalf("ordered line is %s", st)
		}
		if on, err := app.Warehouse.OnOrderNow(ctx); err != nil || on[stapler.ID] != warehouse.QtyOf(2) {
			t.Errorf("on order = %v, %v; want 2 staplers", on, err)
		}
		if res, _ := keeper.Post(orderPath, url.Values{"supplier": {"Papír Zrt."}}); res.StatusCode != 303 || countOrders(t, app) != 1 {
			t.Error("ordering twice recorded a second order")
		}

		// A receipt of 2 on the item page: the oldest approval (the
		// employee's, 1 missing) first, the colleague's gets the other.
		res, _ = keeper.Post("/warehouse/stock/"+itoa(stapler.ID)+"/receipt", url.Values{"receipt_qty": {"2"}, "receipt_supplier": {"Papír Zrt."}, "receipt_note": {"SZ-2"}})
		if res.StatusCode != 303 {
			t.Fatalf("receipt = %d; want 303", res.StatusCode)
		}
		la, lb = lines(t, app, a), lines(t, app, b)
		if la[0].Reserved != warehouse.QtyOf(3) || la[0].State != warehouse.LineReserved || lb[0].Reserved != warehouse.QtyOf(1) || lb[0].State != warehouse.LineOrdered {
			t.Fatalf("after the receipt: %+v / %+v; want the employee's line whole, the colleague's 1 of 2", la[0], lb[0])
		}
		if it := item(t, app, stapler.ID); it.OnHand != warehouse.QtyOf(4) || it.Reserved != warehouse.QtyOf(4) {
			t.Fatalf("stapler on hand %v reserved %v; want 4 and 4", it.OnHand, it.Reserved)
		}

		// The free text arrives, the stapler is put out: ready mails with
		// the link.
		if res, _ := keeper.Post("/warehouse/stock/procure/"+itoa(la[1].ID)+"/received", nil); res.StatusCode != 303 {
			t.Fatalf("free line received = %d", res.StatusCode)
		}
		res, body = keeper.Get("/warehouse/stock/handover")
		if res.StatusCode != 200 || !strings.Contains(body, "/warehouse/stock/handover/"+itoa(a)+"/ready") {
			t.Fatalf("handover list = %d; want the employee's request to put out", res.StatusCode)
		}
		if want := kaputest.Person(t, app, "employee").Name + " · "; !strings.Contains(body, want) {
			t.Errorf("the handover list does not say whom the request is for (%q)", want)
		}
		if res, _ := keeper.Post("/warehouse/stock/handover/"+itoa(a)+"/ready", nil); res.StatusCode != 303 {
			t.Fatalf("ready = %d", res.StatusCode)
		}
		links := confirmLinks(t, app, "employee")
		if len(links) != 2 {
			t.Fatalf("the employee got %d confirmation links; want 2 (free line, stapler)", len(links))
		}
		link := links[1]

		// Before the handover the link only says to come back; a POST
		// changes nothing either.
		res, body = anon.Get(link)
		if res.StatusCode != 200 || !strings.Contains(body, msg("warehouse.confirm.waiting")) {
			t.Errorf("GET the link before the handover = %d; want the waiting page", res.StatusCode)
		}
		token := strings.TrimPrefix(link, "/warehouse/confirm/")
		if res, body := anon.Post(link, url.Values{"sig": {app.Warehouse.ConfirmSig(token)}}); res.StatusCode != 200 ||
			!strings.Contains(body, msg("warehouse.confirm.waiting")) || lines(t, app, a)[0].State != warehouse.LineReady {
			t.Errorf("POST before the handover = %d, line %s; want nothing changed", res.StatusCode, lines(t, app, a)[0].State)
		}

		// The handover issues exactly what was reserved, to the department.
		if res, _ := keeper.Post("/warehouse/stock/handover/"+itoa(a)+"/hand", nil); res.StatusCode != 303 {
			t.Fatalf("hand over = %d", res.StatusCode)
		}
		la = lines(t, app, a)
		if la[0].State != warehouse.LineHandedOver || la[0].Issued != warehouse.QtyOf(3) || la[0].Reserved != 0 || la[0].Received != 0 ||
			la[1].State != warehouse.LineHandedOver || la[1].Issued != warehouse.QtyOf(1) {
			t.Fatalf("after the handover: %+v", la)
		}
		if it := item(t, app, stapler.ID); it.OnHand != warehouse.QtyOf(1) || it.Reserved != warehouse.QtyOf(1) {
			t.Fatalf("stapler on hand %v reserved %v after the handover; want 1 and 1", it.OnHand, it.Reserved)
		}
		var mv warehouse.Movement
		app.DB.R.Where("item_id = ? AND kind = ?", stapler.ID, warehouse.KindIssue).Last(&mv)
		if mv.DepartmentID == nil || *mv.DepartmentID != *kaputest.Person(t, app, "employee").DepartmentID || mv.Quantity != -warehouse.QtyOf(3) {
			t.Errorf("the issue row = %+v; want -3 to the employee's department", mv)
		}

		// Someone else's confirmation, an unknown link: 404, nothing changes.
		if res, _ := other.Post("/warehouse/requests/"+itoa(a)+"/confirm", nil); res.StatusCode != 404 {
			t.Errorf("a colleague confirming = %d; want 404", res.StatusCode)
		}
		if res, _ := anon.Get("/warehouse/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); res.StatusCode != 404 {
			t.Errorf("an unknown link = %d; want 404", res.StatusCode)
		}

		// GET shows the lines and changes nothing; a forged form is 400.
		res, body = anon.Get(link)
		if res.StatusCode != 200 || !strings.Contains(body, msg("warehouse.confirm.submit")) || !strings.Contains(body, "Laminálógép") {
			t.Fatalf("GET the link = %d; want the lines and the button", res.StatusCode)
		}
		if lines(t, app, a)[0].State != warehouse.LineHandedOver {
			t.Fatal("GET on the link confirmed")
		}
		sig := sigOf(body)
		if res, _ := anon.Post(link, url.Values{"sig": {"00" + sig}}); res.StatusCode != 400 || lines(t, app, a)[0].State != warehouse.LineHandedOver {
			t.Errorf("a forged form = %d; want 400 and nothing changed", res.StatusCode)
		}
		// POST confirms once; the second says it is already done.
		res, _ = anon.Post(link, url.Values{"sig": {sig}})
		if res.StatusCode != 303 {
			t.Fatalf("POST the link = %d; want 303", res.StatusCode)
		}
		la = lines(t, app, a)
		if la[0].State != warehouse.LineReceived || la[0].Received != warehouse.QtyOf(3) || la[1].Received != warehouse.QtyOf(1) {
			t.Fatalf("after the confirmation: %+v", la)
		}
		var done warehouse.Request
		app.DB.R.First(&done, a)
		if done.Status != warehouse.RequestDone {
			t.Errorf("a request with every line received is %q; want done", done.Status)
		}
		res, body = anon.Post(link, url.Values{"sig": {sig}})
		if res.StatusCode != 200 || !strings.Contains(body, msg("warehouse.confirm.already")) {
			t.Errorf("the link used twice = %d; want 200 with the already-confirmed page", res.StatusCode)
		}
		if res, body = anon.Get(links[0]); res.StatusCode != 200 || !strings.Contains(body, msg("warehouse.confirm.already")) {
			t.Errorf("the older link after the confirmation = %d; want already confirmed", res.StatusCode)
		}
		if drift, err := app.Warehouse.Verify(ctx); err != nil || len(drift) != 0 {
			t.Errorf("Verify = %+v, %v; want no drift", drift, err)
		}

		// The colleague's line: one more arrives, ready, handed over; no
		// confirmation. The reminder waits 2 working days, then mails once.
		if _, err := app.Warehouse.Receive(ctx, sk, warehouse.Receipt{ItemID: stapler.ID, Quantity: warehouse.QtyOf(1), Supplier: "Papír Zrt.", DeliveryNote: "SZ-3"}); err != nil {
			t.Fatal(err)
		}
		for _, step := range []string{"ready", "hand"} {
			if res, _ := keeper.Post("/warehouse/stock/handover/"+itoa(b)+"/"+step, url.Values{"next": {"/warehouse/requests/" + itoa(b)}}); res.StatusCode != 303 {
				t.Fatalf("%s b = %d", step, res.StatusCode)
			}
		}
		if lb := lines(t, app, b); lb[0].State != warehouse.LineHandedOver || lb[0].Issued != warehouse.QtyOf(2) {
			t.Fatalf("b after the handover: %+v", lb[0])
		}
		res, body = other.Get("/warehouse/requests/" + itoa(b))
		if res.StatusCode != 200 || !strings.Contains(body, "/warehouse/requests/"+itoa(b)+"/confirm") {
			t.Errorf("the colleague's page = %d; want the received button", res.StatusCode)
		}
		handed := time.Now().UTC()
		today := kaputest.Today(t, app)
		due := 0
		for k := 1; k < 15 && due == 0; k++ {
			n, err := app.Calendar.WorkdaysBetween(ctx, today.AddDays(1), today.AddDays(k))
			if err != nil {
				t.Fatal(err)
			}
			if n >= 2 {
				due = k
			}
		}
		reminders := func() int {
			n := 0
			for _, m := range kaputest.MailsTo(t, app, "lakatos.bence") {
				if strings.Contains(m.Key, "/reminder/") {
					n++
				}
			}
			return n
		}
		run := func(days int) {
			t.Helper()
			app.Warehouse.SetClock(func() time.Time { return handed.AddDate(0, 0, days) })
			if _, err := app.Jobs.RunNow(ctx, "warehouse.handover_reminder"); err != nil {
				t.Fatal(err)
			}
		}
		run(due - 1)
		if n := reminders(); n != 0 {
			t.Errorf("a reminder after %d days (under 2 working days): %d", due-1, n)
		}
		run(due)
		run(due + 1)
		if n := reminders(); n != 1 {
			t.Errorf("reminders after 2 working days, run twice = %d; want 1", n)
		}
		// The button on the page closes the line.
		app.Warehouse.SetClock(func() time.Time { return time.Now().UTC() })
		if res, _ := other.Post("/warehouse/requests/"+itoa(b)+"/confirm", nil); res.StatusCode != 303 || lines(t, app, b)[0].Received != warehouse.QtyOf(2) {
			t.Errorf("the button = %d; want 303 and 2 received", res.StatusCode)
		}
		if res, _ := other.Post("/warehouse/requests/"+itoa(b)+"/confirm", nil); res.StatusCode != 303 {
			t.Errorf("the button twice = %d; want 303 with a message", res.StatusCode)
		}
		if drift, err := app.Warehouse.Verify(ctx); err != nil || len(drift) != 0 {
			t.Errorf("Verify = %+v, %v; want no drift", drift, err)
		}
	})
}

func countOrders(t *testing.T, app *kapu.App) int64 {
	t.Helper()
	var n int64
	if err := app.DB.R.Model(&warehouse.Order{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
