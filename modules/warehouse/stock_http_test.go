package warehouse_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
	"kapu/modules/warehouse"
)

// stockItem is the demo's item with code, read from the database.
func stockItem(t *testing.T, app *kapu.App, code string) *warehouse.Item {
	t.Helper()
	var it warehouse.Item
	if err := app.DB.W.Where("code = ?", code).First(&it).Error; err != nil {
		t.Fatalf("item %s: %v", code, err)
	}
	return &it
}

func movements(t *testing.T, app *kapu.App, itemID uint) int64 {
	t.Helper()
	var n int64
	if err := app.DB.W.Model(&warehouse.Movement{}).Where("item_id = ?", itemID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func department(t *testing.T, app *kapu.App) people.Department {
	t.Helper()
	var d people.Department
	if err := app.DB.W.Order("id").First(&d).Error; err != nil {
		t.Fatal(err)
	}
	return d
}

// follow GETs where a 303 points and returns the page.
func follow(t *testing.T, c *kaputest.Client, res *http.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d; want 303", res.StatusCode)
	}
	_, body := c.Get(res.Header.Get("Location"))
	return html.UnescapeString(body)
}

// The storekeeper receives and issues from the item's page: the balance
// moves, the flash names the quantity and unit, the ledger lists both rows
// newest first with the department.
func TestItemPageReceivesAndIssues(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		it := stockItem(t, app, "PAP-A4-80")
		before, rows := it.OnHand, movements(t, app, it.ID)
		dept := department(t, app)
		c := kaputest.SignedIn(t, app, "storekeeper")
		path := "/warehouse/stock/" + itoa(it.ID)
		c.Get(path)
		res, _ := c.Post(path+"/receipt", url.Values{"receipt_qty": {"25"}, "receipt_supplier": {"Papír-Ker Kft."}, "receipt_note": {"SZL-2026/777"}})
		body := follow(t, c, res)
		if !strings.Contains(body, "Received 25 ream") {
			t.Errorf("after a receipt the page lacks the flash naming 25 ream")
		}
		res, _ = c.Post(path+"/issue", url.Values{"issue_qty": {"5"}, "issue_department": {itoa(dept.ID)}})
		body = follow(t, c, res)
		if !strings.Contains(body, "Issued 5 ream") {
			t.Errorf("after an issue the page lacks the flash naming 5 ream")
		}
		got := stockItem(t, app, "PAP-A4-80")
		if want := before + warehouse.QtyOf(20); got.OnHand != want {
			t.Errorf("on hand = %v; want %v", got.OnHand, want)
		}
		if n := movements(t, app, it.ID); n != rows+2 {
			t.Errorf("ledger rows = %d; want %d", n, rows+2)
		}
		iss, rec := strings.Index(body, dept.Name), strings.Index(body, "SZL-2026/777")
		if iss < 0 || rec < 0 || iss > rec {
			t.Errorf("the ledger does not list the issue to %s above the receipt (at %d, %d)", dept.Name, iss, rec)
		}
	})
}

// A too-large issue comes back by the quantity field saying how much is
// left, with what was typed, and posts nothing; so do a fraction of a whole
// unit and a missing department.
func TestItemPageRefusesTooMuch(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		it := stockItem(t, app, "TON-HP-59A")
		rows := movements(t, app, it.ID)
		dept := department(t, app)
		c := kaputest.SignedIn(t, app, "storekeeper")
		path := "/warehouse/stock/" + itoa(it.ID)
		c.Get(path)
		too := (it.OnHand / warehouse.QtyScale) + 1
		res, body := c.Post(path+"/issue", url.Values{"issue_qty": {strconv.FormatInt(int64(too), 10)}, "issue_department": {itoa(dept.ID)}})
		body = html.UnescapeString(body)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("too large an issue = %d; want 422", res.StatusCode)
		}
		left := "Only " + it.OnHand.Format("en") + " pcs left."
		if i := strings.Index(body, `id="f-issue_qty-error"`); i < 0 || !strings.Contains(body[i:min(i+400, len(body))], left) {
			t.Errorf("the quantity field does not say %q", left)
		}
		if !strings.Contains(body, `name="issue_qty" value="`+strconv.FormatInt(int64(too), 10)+`"`) {
			t.Errorf("the form did not keep the typed quantity")
		}
		for _, bad := range []url.Values{
			{"issue_qty": {"1,5"}, "issue_department": {itoa(dept.ID)}},
			{"issue_qty": {"1"}},
			{"issue_qty": {"-2"}, "issue_department": {itoa(dept.ID)}},
			{"issue_qty": {"1"}, "issue_department": {"999999"}},
		} {
			if res, _ := c.Post(path+"/issue", bad); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("issue %v = %d; want 422", bad, res.StatusCode)
			}
		}
		if n := movements(t, app, it.ID); n != rows {
			t.Errorf("refused issues wrote %d ledger rows", n-rows)
		}
		if got := stockItem(t, app, "TON-HP-59A"); got.OnHand != it.OnHand {
			t.Errorf("on hand moved to %v", got.OnHand)
		}
	})
}

// The storekeeper's pages are the storekeeper's: an employee and an
// administrator get 403, a malformed or unknown item 404.
func TestStockPagesAreForTheStorekeeper(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		it := stockItem(t, app, "PAP-A4-80")
		id := itoa(it.ID)
		pages := []string{"/warehouse/stock", "/warehouse/stock/new", "/warehouse/stock/import", "/warehouse/stock/export",
			"/warehouse/stock/low", "/warehouse/stock/count", "/warehouse/stock/count/sheet?shelf=A-01-1",
			"/warehouse/stock/" + id, "/warehouse/stock/" + id + "/edit"}
		for _, who := range []string{"employee", "admin"} {
			c := kaputest.SignedIn(t, app, who)
			for _, p := range pages {
				if res, _ := c.Get(p); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s = %d; want 403", who, p, res.StatusCode)
				}
			}
			if res, _ := c.Post("/warehouse/stock/"+id+"/receipt", url.Values{"receipt_qty": {"1"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST receipt = %d; want 403", who, res.StatusCode)
			}
			if res, _ := c.Get("/warehouse"); res.StatusCode != http.StatusOK {
				t.Errorf("%s GET /warehouse = %d; want 200", who, res.StatusCode)
			}
		}
		k := kaputest.SignedIn(t, app, "storekeeper")
		for _, p := range pages {
			if res, body := k.Get(p); res.StatusCode != http.StatusOK {
				t.Errorf("storekeeper GET %s = %d; want 200\n%.300s", p, res.StatusCode, body)
			}
		}
		for _, p := range []string{"/warehouse/stock/x1", "/warehouse/stock/999999", "/warehouse/stock/999999/edit"} {
			if res, _ := k.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("storekeeper GET %s = %d; want 404", p, res.StatusCode)
			}
		}
		if res, _ := k.Post("/warehouse/stock/"+id+"/reserve", url.Values{"reserve_qty": {"1"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST an unknown movement kind = %d; want 404", res.StatusCode)
		}
	})
}

// The stock list filters by text, category, shelf and low stock.
func TestStockListFilters(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "storekeeper")
		for _, tc := range []struct {
			query     string
			want, not string
		}{
			{"?q=pap-a4", "PAP-A4-80", "TON-HP-59A"},
			{"?q=toner", "TON-HP-59A", "PAP-A4-80"},
			{"?category=hygiene", "HIG-WC-PAPIR", "PAP-A4-80"},
			{"?shelf=A-01-3", "PAP-A3-80", "PAP-A4-80<"},
			{"?q=%25_x%5C", "No item matches the filters.", ""},
		} {
			res, body := c.Get("/warehouse/stock" + tc.query)
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d", tc.query, res.StatusCode)
				continue
			}
			body = html.UnescapeString(body)
			if !strings.Contains(body, tc.want) {
				t.Errorf("GET %s lacks %q", tc.query, tc.want)
			}
			if tc.not != "" && strings.Contains(body, ">"+tc.not) {
				t.Errorf("GET %s shows %q", tc.query, tc.not)
			}
		}
		low, err := app.Warehouse.LowStock(context.Background(), kaputest.Person(t, app, "storekeeper").Actor(), nil)
		if err != nil || len(low) == 0 {
			t.Fatalf("the demo has no low items (%v)", err)
		}
		_, body := c.Get("/warehouse/stock?low=1")
		if !strings.Contains(body, low[0].Code) || strings.Contains(body, ">PAP-A4-80<") {
			t.Errorf("the low filter does not show exactly the low items")
		}
	})
}
