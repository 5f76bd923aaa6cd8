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

// The item form puts each refusal by its field and keeps what was typed;
// a right one creates the item; a unit cannot change once stock has moved.
func TestItemFormErrorsByField(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "storekeeper")
		c.Get("/warehouse/stock/new")
		form := url.Values{"code": {"rossz kód!"}, "name_hu": {""}, "name_en": {"Stapler"}, "category": {"office"},
			"unit": {"db"}, "reorder_level": {"2,5"}, "unit_price": {"12 000"}, "active": {"1"}}
		res, body := c.Post("/warehouse/stock/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong item = %d; want 422", res.StatusCode)
		}
		for _, f := range []string{"code", "name_hu", "reorder_level"} {
			if !strings.Contains(body, `id="f-`+f+`-error"`) {
				t.Errorf("no message by %s", f)
			}
		}
		if !strings.Contains(html.UnescapeString(body), `value="rossz kód!"`) || !strings.Contains(body, `value="Stapler"`) {
			t.Errorf("the form did not keep what was typed")
		}
		form.Set("code", "tuzo-26")
		form.Set("name_hu", "Tűzőgép 26/6")
		form.Set("reorder_level", "2")
		res, _ = c.Post("/warehouse/stock/new", form)
		if body := follow(t, c, res); !strings.Contains(body, "TUZO-26 saved.") || !strings.Contains(body, "12,000 Ft") {
			t.Errorf("a right item was not created and shown")
		}
		it := stockItem(t, app, "PAP-A4-80")
		edit := url.Values{"code": {it.Code}, "name_hu": {it.NameHU}, "category": {it.Category}, "unit": {"doboz"}, "active": {"1"}}
		res, body = c.Post("/warehouse/stock/"+itoa(it.ID)+"/edit", edit)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "The unit can no longer change") {
			t.Errorf("changing a moved item's unit = %d; want 422 by the unit", res.StatusCode)
		}
		if got := stockItem(t, app, "PAP-A4-80"); got.Unit != "rizsma" {
			t.Errorf("the unit changed to %s", got.Unit)
		}
	})
}

// A cache that drifted from its ledger is found by the nightly job and
// shown on the stock list until a check finds none.
func TestVerifyJobShowsDrift(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		it := stockItem(t, app, "TON-HP-26A")
		if err := app.DB.W.Model(&warehouse.Item{}).Where("id = ?", it.ID).Update("on_hand", it.OnHand+warehouse.QtyOf(1)).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := app.Jobs.RunNow(ctx, "warehouse.verify"); err != nil {
			t.Fatal(err)
		}
		c := kaputest.SignedIn(t, app, "storekeeper")
		if _, body := c.Get("/warehouse/stock"); !strings.Contains(body, "differs from its ledger: TON-HP-26A") {
			t.Errorf("the stock list does not warn of the drifted toner")
		}
		for _, who := range []string{"admin", "storekeeper"} {
			if _, body := kaputest.SignedIn(t, app, who).Get("/"); !strings.Contains(body, "differs from its ledger: TON-HP-26A") {
				t.Errorf("the %s's start page does not warn of the drift", who)
			}
		}
		if _, body := kaputest.SignedIn(t, app, "employee").Get("/"); strings.Contains(body, "differs from its ledger") {
			t.Errorf("an employee's start page shows the store's drift")
		}
		app.DB.W.Model(&warehouse.Item{}).Where("id = ?", it.ID).Update("on_hand", it.OnHand)
		app.Jobs.RunNow(ctx, "warehouse.verify")
		if _, body := c.Get("/warehouse/stock"); strings.Contains(body, "differs from its ledger") {
			t.Errorf("the warning stays after a check found no drift")
		}
	})
}

// Every storekeeper page reads as sentences in both languages: no
// warehouse.* key reaches a page untranslated.
func TestStockPagesInBothLanguages(t *testing.T) {
	app := kaputest.New(t, "sqlite")
	it := stockItem(t, app, "PAP-A4-80")
	pages := []string{"/warehouse", "/warehouse/stock", "/warehouse/stock/new", "/warehouse/stock/import", "/warehouse/stock/low",
		"/warehouse/stock/count", "/warehouse/stock/count/sheet?shelf=B-02-1", "/warehouse/stock/count/sheet?shelf=B-02-1&print=1",
		"/warehouse/stock/" + itoa(it.ID), "/warehouse/stock/" + itoa(it.ID) + "/edit"}
	for _, lang := range []string{"hu", "en"} {
		c := kaputest.SignedIn(t, app, "storekeeper")
		c.Get("/profile")
		c.Post("/profile/language", url.Values{"lang": {lang}})
		for _, p := range pages {
			res, body := c.Get(p)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s GET %s = %d", lang, p, res.StatusCode)
				continue
			}
			if i := strings.Index(body, ">warehouse."); i >= 0 {
				t.Errorf("%s GET %s shows a raw key: %.60s", lang, p, body[i:])
			}
			if i := strings.Index(body, " warehouse."); i >= 0 && !strings.Contains(body[i:min(i+40, len(body))], "=") {
				t.Errorf("%s GET %s shows a raw key: %.60s", lang, p, body[i:])
			}
		}
	}
}
