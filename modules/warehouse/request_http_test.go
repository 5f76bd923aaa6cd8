package warehouse_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/i18n"
	"kapu/modules/warehouse"
)

// The request screens' tests: the employee's form, list and page, the
// manager's decision with less than asked, cancelling; every bad input a
// clear message (or 404) and nothing written.

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// pageLang is the language a page is written in (<html lang="…">).
func pageLang(body string) string {
	if m := regexp.MustCompile(`<html[^>]* lang="([a-z]+)"`).FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return "hu"
}

// stock is what a request test needs on the shelf: toner (whole pieces),
// paper (reams) and an item no longer stocked, received by the storekeeper.
type stock struct{ toner, paper, retired *warehouse.Item }

func newStock(t *testing.T, app *kapu.App) stock {
	t.Helper()
	ctx := context.Background()
	sk := kaputest.Person(t, app, "storekeeper").Actor()
	mk := func(code, name, cat, unit string, price int64, active bool, onHand int64) *warehouse.Item {
		it, err := app.Warehouse.CreateItem(ctx, sk, warehouse.ItemInput{Code: code, NameHU: name, NameEN: name, Category: cat,
			Unit: unit, UnitPrice: price, Active: true})
		if err != nil {
			t.Fatalf("CreateItem %s: %v", code, err)
		}
		if onHand > 0 {
			if _, err := app.Warehouse.Receive(ctx, sk, warehouse.Receipt{ItemID: it.ID, Quantity: warehouse.QtyOf(onHand),
				Supplier: "Irodaszer Kft.", DeliveryNote: "SZ-" + code}); err != nil {
				t.Fatalf("Receive %s: %v", code, err)
			}
		}
		if !active {
			in := warehouse.ItemInput{Code: code, NameHU: name, NameEN: name, Category: cat, Unit: unit, UnitPrice: price}
			if it, err = app.Warehouse.UpdateItem(ctx, sk, it.ID, in); err != nil {
				t.Fatalf("UpdateItem %s: %v", code, err)
			}
		}
		return it
	}
	return stock{
		toner:   mk("T-TON-85A", "HP 85A toner", "toner", "db", 25000, true, 10),
		paper:   mk("T-PAP-A4", "Másolópapír A4", "paper", "rizsma", 1500, true, 40),
		retired: mk("T-OLD-FAX", "Faxpapír", "paper", "tekercs", 800, false, 0),
	}
}

// item reads an item's cached stock as the database has it now.
func item(t *testing.T, app *kapu.App, id uint) warehouse.Item {
	t.Helper()
	var it warehouse.Item
	if err := app.DB.W.First(&it, id).Error; err != nil {
		t.Fatal(err)
	}
	return it
}

func countRequests(t *testing.T, app *kapu.App) int64 {
	t.Helper()
	var n int64
	if err := app.DB.W.Model(&warehouse.Request{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// lines reads request id's lines in form order.
func lines(t *testing.T, app *kapu.App, id uint) []warehouse.RequestLine {
	t.Helper()
	var out []warehouse.RequestLine
	if err := app.DB.W.Where("request_id = ?", id).Order("seq").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// form is a request form with its purpose and no lines.
func form(dept uint) url.Values {
	return url.Values{"rows": {"5"}, "free_rows": {"2"}, "purpose": {"Ügyfélszolgálat, december"},
		"department_id": {itoa(dept)}}
}

func requestID(t *testing.T, location string) uint {
	t.Helper()
	m := regexp.MustCompile(`^/warehouse/requests/(\d+)$`).FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("redirect to %q; want a request's page", location)
	}
	id, _ := strconv.ParseUint(m[1], 10, 64)
	return uint(id)
}

func TestWarehouseRequestHTTP(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		s := newStock(t, app)
		emp := kaputest.SignedIn(t, app, "employee")
		mgr := kaputest.SignedIn(t, app, "manager")
		dept := *kaputest.Person(t, app, "employee").DepartmentID

		res, body := emp.Get("/warehouse")
		lang := pageLang(body)
		if res.StatusCode != 200 || !strings.Contains(body, html.EscapeString(cat.T(lang, "warehouse.mine.empty"))) {
			t.Fatalf("GET /warehouse = %d; want 200 with the empty state", res.StatusCode)
		}
		msg := func(key string, args ...any) string { return cat.T(lang, key, args...) }

		// The form offers the active items with what is in stock now, and
		// the requester's department.
		res, body = emp.Get("/warehouse/new")
		if res.StatusCode != 200 {
			t.Fatalf("GET /warehouse/new = %d", res.StatusCode)
		}
		wantOption := html.EscapeString(msg("warehouse.form.item_option", "Name", "HP 85A toner", "Code", "T-TON-85A",
			"Unit", msg("warehouse.unit.db"), "Available", "10"))
		if !strings.Contains(body, wantOption) {
			t.Errorf("the form does not offer %q", wantOption)
		}
		if strings.Contains(body, "T-OLD-FAX") {
			t.Error("the form offers an item no longer stocked")
		}
		if !regexp.MustCompile(`<option value="` + itoa(dept) + `" selected>`).MatchString(body) {
			t.Error("the form does not default to the requester's department")
		}
		if !strings.Contains(body, `name="line_5_item"`) || strings.Contains(body, `name="line_6_item"`) || !strings.Contains(body, `name="line_7_text"`) {
			t.Error("the form does not have 5 catalogue rows and 2 free-text rows")
		}

		// More lines, without JavaScript: the same form with 5 more rows,
		// what was typed kept, nothing submitted.
		f := form(dept)
		f.Set("line_1_item", itoa(s.toner.ID))
		f.Set("line_1_qty", "2")
		f.Set("more", "items")
		res, body = emp.Post("/warehouse/new", f)
		if res.StatusCode != 200 || !strings.Contains(body, `name="line_10_item"`) || !strings.Contains(body, `id="f-line_1_qty" name="line_1_qty" value="2"`) {
			t.Errorf("more lines = %d; want the form with 10 rows, line 1 kept", res.StatusCode)
		}
		if !strings.Contains(body, `name="line_12_text"`) {
			t.Error("more lines did not renumber the free-text rows after the catalogue rows")
		}

		// Bad input: the message next to the right line's field, the form
		// kept, nothing written.
		cases := []struct {
			name, row, item, qty, field, key string
		}{
			{"zero", "1", itoa(s.toner.ID), "0", "line_1_qty", "warehouse.err.quantity"},
			{"negative", "2", itoa(s.toner.ID), "-2", "line_2_qty", "warehouse.err.quantity"},
			{"fraction of a whole unit", "3", itoa(s.toner.ID), "2,5", "line_3_qty", "warehouse.err.fraction"},
			{"absurd", "4", itoa(s.paper.ID), "99999999", "line_4_qty", "warehouse.err.too_much"},
			{"letters", "1", itoa(s.paper.ID), "sok", "line_1_qty", "warehouse.err.quantity"},
			{"inactive item", "5", itoa(s.retired.ID), "1", "line_5_item", "warehouse.err.inactive"},
			{"unknown item", "2", "999999", "1", "line_2_item", "warehouse.err.not_found"},
			{"no item", "3", "", "4", "line_3_item", "warehouse.form.err.item"},
		}
		for _, tc := range cases {
			f := form(dept)
			f.Set("line_"+tc.row+"_item", tc.item)
			f.Set("line_"+tc.row+"_qty", tc.qty)
			res, body := emp.Post("/warehouse/new", f)
			if res.StatusCode != 422 {
				t.Errorf("%s: POST = %d; want 422", tc.name, res.StatusCode)
			}
			if got, want := kaputest.FieldError(body, tc.field), msg(tc.key); got != want {
				t.Errorf("%s: message at %s = %q; want %q", tc.name, tc.field, got, want)
			}
			if !strings.Contains(body, `value="`+html.EscapeString(tc.qty)+`"`) || !strings.Contains(body, "Ügyfélszolgálat, december") {
				t.Errorf("%s: the form did not come back as typed", tc.name)
			}
		}
		// Several problems at once, each on its own line; a free-text line
		// without its text; no purpose.
		f = form(dept)
		f.Set("purpose", "")
		f.Set("line_1_item", itoa(s.toner.ID))
		f.Set("line_1_qty", "1")
		f.Set("line_4_item", itoa(s.toner.ID))
		f.Set("line_4_qty", "1")
		f.Set("line_6_qty", "3")
		f.Set("line_6_unit", "db")
		res, body = emp.Post("/warehouse/new", f)
		if res.StatusCode != 422 {
			t.Errorf("several problems: POST = %d; want 422", res.StatusCode)
		}
		for field, key := range map[string]string{"line_4_item": "warehouse.err.duplicate_item", "line_6_text": "warehouse.err.line_text",
			"purpose": "warehouse.err.purpose"} {
			if got, want := kaputest.FieldError(body, field), msg(key); got != want {
				t.Errorf("several problems: message at %s = %q; want %q", field, got, want)
			}
		}
		if kaputest.FieldError(body, "line_1_qty") != "" || kaputest.FieldError(body, "line_1_item") != "" {
			t.Error("several problems: a good line got a message")
		}
		// No line at all; a price that is no number; a crafted row count.
		res, body = emp.Post("/warehouse/new", form(dept))
		if res.StatusCode != 422 || !strings.Contains(body, html.EscapeString(msg("warehouse.err.no_lines"))) {
			t.Errorf("no lines: POST = %d; want 422 saying a line is needed", res.StatusCode)
		}
		f = form(dept)
		f.Set("line_7_text", "Iratmegsemmisítő")
		f.Set("line_7_qty", "1")
		f.Set("line_7_price", "sok pénz")
		res, body = emp.Post("/warehouse/new", f)
		if got, want := kaputest.FieldError(body, "line_7_price"), msg("warehouse.err.price"); res.StatusCode != 422 || got != want {
			t.Errorf("bad price: POST = %d, message %q; want 422, %q", res.StatusCode, got, want)
		}
		f = form(dept)
		f.Set("rows", "1000000")
		f.Set("more", "items")
		res, body = emp.Post("/warehouse/new", f)
		if res.StatusCode != 200 || !strings.Contains(body, `name="line_30_item"`) || strings.Contains(body, `name="line_31_item"`) {
			t.Errorf("a crafted row count: POST = %d; want the form with at most 30 lines", res.StatusCode)
		}
		if n := countRequests(t, app); n != 0 {
			t.Fatalf("bad forms wrote %d requests; want none", n)
		}

		// The employee orders toner and paper.
		f = form(dept)
		f.Set("line_1_item", itoa(s.toner.ID))
		f.Set("line_1_qty", "2")
		f.Set("line_3_item", itoa(s.paper.ID))
		f.Set("line_3_qty", "5")
		res, _ = emp.Post("/warehouse/new", f)
		if res.StatusCode != 303 {
			t.Fatalf("submit = %d; want 303", res.StatusCode)
		}
		id := requestID(t, res.Header.Get("Location"))
		res, body = emp.Get("/warehouse")
		if res.StatusCode != 200 || !strings.Contains(body, "/warehouse/requests/"+itoa(id)) ||
			!strings.Contains(body, html.EscapeString(msg("warehouse.mine.line", "Name", "HP 85A toner", "Quantity", "2 "+msg("warehouse.unit.db")))) {
			t.Errorf("my requests = %d; want the request with its line summary", res.StatusCode)
		}
		_, body = emp.Get("/")
		if !strings.Contains(body, html.EscapeString(msg("warehouse.mine.card_title"))) || !strings.Contains(body, "/warehouse/requests/"+itoa(id)) {
			t.Error("the start page has no card of my open requests")
		}

		// The manager finds it among their approvals, linked to its page.
		_, body = mgr.Get("/approvals")
		if !strings.Contains(body, "Papp Eszter") {
			t.Error("the manager's approvals do not list the request")
		}
		var approvalID uint
		if err := app.DB.W.Model(&warehouse.Request{}).Where("id = ?", id).Pluck("approval_id", &approvalID).Error; err != nil {
			t.Fatal(err)
		}
		_, body = mgr.Get("/approvals/" + itoa(approvalID))
		if !strings.Contains(body, `href="/warehouse/requests/`+itoa(id)+`"`) {
			t.Error("the approval's page does not link the request's page")
		}

		// Someone with no part in it: 404 on every path; a malformed id too.
		other := kaputest.SignedIn(t, app, "hr")
		for _, p := range []string{"/warehouse/requests/" + itoa(id), "/warehouse/requests/" + itoa(id) + "/cancel", "/warehouse/requests/abc"} {
			if res, _ := other.Get(p); res.StatusCode != 404 {
				t.Errorf("GET %s by another = %d; want 404", p, res.StatusCode)
			}
		}
		for _, p := range []string{"/warehouse/requests/" + itoa(id) + "/cancel", "/warehouse/requests/" + itoa(id) + "/decide"} {
			if res, _ := other.Post(p, url.Values{"decision": {"approve"}}); res.StatusCode != 404 {
				t.Errorf("POST %s by another = %d; want 404", p, res.StatusCode)
			}
		}
		// The requester sees no decision form and cannot decide.
		_, body = emp.Get("/warehouse/requests/" + itoa(id))
		if strings.Contains(body, "/decide") {
			t.Error("the requester's page offers the decision")
		}
		if res, _ := emp.Post("/warehouse/requests/"+itoa(id)+"/decide", url.Values{"decision": {"approve"}}); res.StatusCode != 403 {
			t.Errorf("the requester deciding = %d; want 403", res.StatusCode)
		}

		// The manager approves less paper: without a reason, or more than
		// asked, the message is on the paper line and nothing changes.
		_, body = mgr.Get("/warehouse/requests/" + itoa(id))
		if !strings.Contains(body, `id="f-line_2_qty" name="line_2_qty" value="5"`) {
			t.Error("the decision form does not default to what was asked")
		}
		for _, tc := range []struct{ qty, reason, field, key string }{
			{"3", "", "line_2_reason", "warehouse.err.less_reason"},
			{"7", "", "line_2_qty", "warehouse.err.more_than_asked"},
			{"2,5", "", "line_2_qty", "warehouse.err.fraction"},
			{"-1", "kevesebb", "line_2_qty", "warehouse.err.decide_quantity"},
		} {
			res, body := mgr.Post("/warehouse/requests/"+itoa(id)+"/decide", url.Values{"decision": {"approve"},
				"line_1_qty": {"2"}, "line_2_qty": {tc.qty}, "line_2_reason": {tc.reason}})
			if res.StatusCode != 422 {
				t.Errorf("approve %s: = %d; want 422", tc.qty, res.StatusCode)
			}
			if got, want := kaputest.FieldError(body, tc.field), msg(tc.key); got != want {
				t.Errorf("approve %s: message at %s = %q; want %q", tc.qty, tc.field, got, want)
			}
			if !strings.Contains(body, `name="line_2_qty" value="`+html.EscapeString(tc.qty)+`"`) {
				t.Errorf("approve %s: the decision form did not come back as typed", tc.qty)
			}
		}
		if ls := lines(t, app, id); ls[1].State != warehouse.LineRequested || ls[1].Approved != 0 || item(t, app, s.paper.ID).Reserved != 0 {
			t.Fatalf("refused decisions changed the paper line: %+v", ls[1])
		}
		res, _ = mgr.Post("/warehouse/requests/"+itoa(id)+"/decide", url.Values{"decision": {"approve"},
			"line_1_qty": {"2"}, "line_2_qty": {"3"}, "line_2_reason": {"Havonta 3 rizsma jár."}})
		if res.StatusCode != 303 {
			t.Fatalf("approve less = %d; want 303", res.StatusCode)
		}
		ls := lines(t, app, id)
		if ls[0].Approved != warehouse.QtyOf(2) || ls[0].Reserved != warehouse.QtyOf(2) || ls[0].State != warehouse.LineReserved ||
			ls[1].Requested != warehouse.QtyOf(5) || ls[1].Approved != warehouse.QtyOf(3) || ls[1].Reserved != warehouse.QtyOf(3) ||
			ls[1].State != warehouse.LineReserved || ls[1].Reason != "Havonta 3 rizsma jár." {
			t.Fatalf("after approving less: lines %+v", ls)
		}
		if tn, pp := item(t, app, s.toner.ID), item(t, app, s.paper.ID); tn.Reserved != warehouse.QtyOf(2) || pp.Reserved != warehouse.QtyOf(3) {
			t.Errorf("reserved: toner %v, paper %v; want 2 and 3", tn.Reserved, pp.Reserved)
		}
		// The employee's page shows it: approved 3 of 5, the reason, reserved.
		_, body = emp.Get("/warehouse/requests/" + itoa(id))
		for _, want := range []string{msg("warehouse.request.status.approved"), msg("warehouse.request.line_state.reserved"),
			msg("warehouse.req.reason", "Text", "Havonta 3 rizsma jár.")} {
			if !strings.Contains(body, html.EscapeString(want)) {
				t.Errorf("the employee's page lacks %q", want)
			}
		}
		if !strings.Contains(body, "<strong>3</strong>") {
			t.Error("the employee's page does not mark the paper's 3 approved of 5")
		}
		// Deciding again: the request is no longer waiting.
		if res, _ := mgr.Post("/warehouse/requests/"+itoa(id)+"/decide", url.Values{"decision": {"approve"}}); res.StatusCode != 303 {
			t.Errorf("a second decision = %d; want 303 back to the page", res.StatusCode)
		}

		// Cancel: the confirmation changes nothing, the POST releases.
		res, body = emp.Get("/warehouse/requests/" + itoa(id) + "/cancel")
		if res.StatusCode != 200 || !strings.Contains(body, `action="/warehouse/requests/`+itoa(id)+`/cancel"`) {
			t.Errorf("cancel confirmation = %d", res.StatusCode)
		}
		if item(t, app, s.paper.ID).Reserved != warehouse.QtyOf(3) {
			t.Error("the confirmation page released the reservation")
		}
		if res, _ := mgr.Post("/warehouse/requests/"+itoa(id)+"/cancel", nil); res.StatusCode != 303 || item(t, app, s.paper.ID).Reserved != warehouse.QtyOf(3) {
			t.Errorf("the approver cancelling = %d, or it released; want refused", res.StatusCode)
		}
		if res, _ := emp.Post("/warehouse/requests/"+itoa(id)+"/cancel", nil); res.StatusCode != 303 {
			t.Fatalf("cancel = %d; want 303", res.StatusCode)
		}
		for _, l := range lines(t, app, id) {
			if l.State != warehouse.LineCancelled || l.Reserved != 0 {
				t.Errorf("after cancel, line %d: %s reserved %v", l.Seq, l.State, l.Reserved)
			}
		}
		if tn, pp := item(t, app, s.toner.ID), item(t, app, s.paper.ID); tn.Reserved != 0 || pp.Reserved != 0 || tn.OnHand != warehouse.QtyOf(10) {
			t.Errorf("after cancel: toner %v/%v, paper reserved %v; want nothing reserved", tn.OnHand, tn.Reserved, pp.Reserved)
		}
		if drift, err := app.Warehouse.Verify(context.Background()); err != nil || len(drift) != 0 {
			t.Errorf("Verify = %v, %v", drift, err)
		}
		_, body = emp.Get("/warehouse/requests/" + itoa(id))
		if strings.Contains(body, "/cancel\"") {
			t.Error("a cancelled request still offers to cancel")
		}
		if _, body := emp.Get("/"); strings.Contains(body, "/warehouse/requests/"+itoa(id)) {
			t.Error("the start page's card still lists a cancelled request")
		}

		// A rejection needs its reason, then rejects every line.
		f = form(dept)
		f.Set("line_6_text", "Iratmegsemmisítő")
		f.Set("line_6_qty", "1")
		f.Set("line_6_unit", "db")
		f.Set("line_6_price", "45000")
		res, _ = emp.Post("/warehouse/new", f)
		if res.StatusCode != 303 {
			t.Fatalf("submit a free-text line = %d", res.StatusCode)
		}
		id2 := requestID(t, res.Header.Get("Location"))
		res, body = mgr.Post("/warehouse/requests/"+itoa(id2)+"/decide", url.Values{"decision": {"reject"}, "line_1_qty": {"1"}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "comment") != msg("approval.reason_required") {
			t.Errorf("reject without a reason = %d, %q", res.StatusCode, kaputest.FieldError(body, "comment"))
		}
		res, _ = mgr.Post("/warehouse/requests/"+itoa(id2)+"/decide", url.Values{"decision": {"reject"}, "comment": {"Nincs rá keret."}})
		if ls := lines(t, app, id2); res.StatusCode != 303 || ls[0].State != warehouse.LineRejected {
			t.Errorf("reject = %d, line %+v", res.StatusCode, ls)
		}
		if res, _ := mgr.Post("/warehouse/requests/"+itoa(id2)+"/decide", url.Values{"decision": {"maybe"}}); res.StatusCode != 400 {
			t.Errorf("an unknown decision = %d; want 400", res.StatusCode)
		}
	})
}
