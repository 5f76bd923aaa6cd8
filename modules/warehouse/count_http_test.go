package warehouse_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/warehouse"
)

// countForm is a posted stock-take of shelf: counts by item code ("" =
// not counted), every item at its stock now unless expected says otherwise.
func countForm(t *testing.T, app *kapu.App, shelf, reason string, counts map[string]string) url.Values {
	t.Helper()
	var items []warehouse.Item
	if err := app.DB.W.Where("location = ?", shelf).Order("code").Find(&items).Error; err != nil || len(items) < 2 {
		t.Fatalf("shelf %s: %d items, %v", shelf, len(items), err)
	}
	f := url.Values{"shelf": {shelf}, "reason": {reason}}
	for _, it := range items {
		id := itoa(it.ID)
		f.Add("item", id)
		f.Set("expected_"+id, it.OnHand.String())
		f.Set("count_"+id, counts[it.Code])
	}
	return f
}

// A stock-take from the sheet: the review lists only what differs, the
// post writes one adjustment per difference and the balances become the
// counts; a count against stock that moved meanwhile posts nothing (409),
// and a bad count comes back by its field.
func TestStockTakePostsDifferences(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		c := kaputest.SignedIn(t, app, "storekeeper")
		res, body := c.Get("/warehouse/stock/count/sheet?shelf=B-02-1")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "TOL-GOLYO-K") || !strings.Contains(body, `name="count_`) {
			t.Fatalf("the sheet of B-02-1 = %d, without its pens' inputs", res.StatusCode)
		}
		if res, body := c.Get("/warehouse/stock/count/sheet?shelf=B-02-1&print=1"); res.StatusCode != http.StatusOK || strings.Contains(body, `name="count_`) || !strings.Contains(body, "TOL-GOLYO-P") {
			t.Errorf("the printable sheet = %d, or it has inputs / lacks the items", res.StatusCode)
		}
		blue, black, red := stockItem(t, app, "TOL-GOLYO-K"), stockItem(t, app, "TOL-GOLYO-F"), stockItem(t, app, "TOL-GOLYO-P")
		counts := map[string]string{"TOL-GOLYO-K": (blue.OnHand - warehouse.QtyOf(3)).String(), "TOL-GOLYO-F": black.OnHand.String()}
		form := countForm(t, app, "B-02-1", "Év végi leltár", counts)

		bad := countForm(t, app, "B-02-1", "Év végi leltár", map[string]string{"TOL-GOLYO-K": "2,5"})
		res, body = c.Post("/warehouse/stock/count/review", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-count_`+itoa(blue.ID)+`-error"`) {
			t.Errorf("a fraction of pens = %d, without a message by its count", res.StatusCode)
		}

		res, body = c.Post("/warehouse/stock/count/review", form)
		body = html.UnescapeString(body)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "2 items counted, 1 differ") || !strings.Contains(body, "Post 1 differences") {
			t.Fatalf("review = %d; want the one difference of two counted\n%.2000s", res.StatusCode, body)
		}
		res, _ = c.Post("/warehouse/stock/count/post", form)
		if b := follow(t, c, res); !strings.Contains(b, "1 differences, 1 items as recorded") {
			t.Errorf("after posting, the flash does not say what was posted")
		}
		if got := stockItem(t, app, "TOL-GOLYO-K"); got.OnHand != blue.OnHand-warehouse.QtyOf(3) {
			t.Errorf("blue pens on hand = %v; want the count %v", got.OnHand, blue.OnHand-warehouse.QtyOf(3))
		}
		if got := stockItem(t, app, "TOL-GOLYO-P"); got.OnHand != red.OnHand {
			t.Errorf("red pens, not counted, moved to %v", got.OnHand)
		}
		var adj warehouse.Movement
		app.DB.W.Where("item_id = ?", blue.ID).Order("id DESC").First(&adj)
		if adj.Kind != warehouse.KindAdjust || adj.Quantity != -warehouse.QtyOf(3) || adj.Reason != "Év végi leltár" {
			t.Errorf("the last movement is %s %v %q; want the stock-take's adjustment of -3", adj.Kind, adj.Quantity, adj.Reason)
		}

		// Counted against a stock that has moved since: nothing is posted.
		stale := countForm(t, app, "B-02-1", "Újraszámlálás", map[string]string{"TOL-GOLYO-F": "0", "TOL-GOLYO-P": "1"})
		keeper := kaputest.Person(t, app, "storekeeper").Actor()
		if _, err := app.Warehouse.Receive(ctx, keeper, warehouse.Receipt{ItemID: black.ID, Quantity: warehouse.QtyOf(10), Supplier: "Irodaszer Centrum Kft.", DeliveryNote: "SZL-9"}); err != nil {
			t.Fatal(err)
		}
		rows := movements(t, app, red.ID)
		res, body = c.Post("/warehouse/stock/count/post", stale)
		if res.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "The stock has changed since it was counted") {
			t.Errorf("a stale count = %d; want 409 naming the moved item", res.StatusCode)
		}
		if movements(t, app, red.ID) != rows {
			t.Errorf("a refused stock-take posted the other item's difference")
		}
	})
}

// Importing a file with one bad row changes nothing and lists the row; the
// export imports back unchanged.
func TestImportAndExport(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "storekeeper")
		c.Get("/warehouse/stock/import")
		var before int64
		app.DB.W.Model(&warehouse.Item{}).Count(&before)
		csv := "code,name_hu,category,unit,on_hand\nUJ-001,Új tétel,office,db,5\nUJ-002,Másik,office,db,2.5\n"
		res, body := c.PostFile("/warehouse/stock/import", "file", "items.csv", []byte(csv))
		body = html.UnescapeString(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Nothing was imported: the file has 1 problem.") || !strings.Contains(body, ">3<") {
			t.Errorf("a file with a bad row 3 = %d; want 422 listing row 3\n%.1500s", res.StatusCode, body)
		}
		var after int64
		app.DB.W.Model(&warehouse.Item{}).Count(&after)
		if after != before {
			t.Errorf("a rejected import added %d items", after-before)
		}

		res, exported := c.Get("/warehouse/stock/export")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "csv") || !strings.Contains(exported, "PAP-A4-80") {
			t.Fatalf("export = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res, _ := c.Get("/warehouse/stock/export?format=xlsx"); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheet") {
			t.Errorf("xlsx export = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var rows int64
		app.DB.W.Model(&warehouse.Movement{}).Count(&rows)
		res, _ = c.PostFile("/warehouse/stock/import", "file", "kapu-stock.csv", []byte(exported))
		if b := follow(t, c, res); !strings.Contains(b, "Imported: 0 new and 0 changed items, 0 opening balances") {
			t.Errorf("the export did not import back unchanged")
		}
		var rowsAfter int64
		app.DB.W.Model(&warehouse.Movement{}).Count(&rowsAfter)
		if rowsAfter != rows {
			t.Errorf("re-importing the export wrote %d ledger rows", rowsAfter-rows)
		}
	})
}
