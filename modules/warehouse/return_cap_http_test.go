package warehouse_test

import (
	"context"
	"net/url"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/i18n"
	"kapu/modules/warehouse"
)

// On the item page a return naming its request is refused by the quantity
// with how much may still come back, by the request field when the request
// has none of the item or is no number, and is taken within the cap.
func TestReturnCapByTheFieldHTTP(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		sk := kaputest.Person(t, app, "storekeeper").Actor()
		it, err := app.Warehouse.CreateItem(ctx, sk, warehouse.ItemInput{Code: "T-RET-CAP", NameHU: "Tűzőkapocs", NameEN: "Staples",
			Category: "office", Unit: "doboz", UnitPrice: 300, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Warehouse.Receive(ctx, sk, warehouse.Receipt{ItemID: it.ID, Quantity: warehouse.QtyOf(5), Supplier: "Irodaszer Kft.", DeliveryNote: "SZ-9"}); err != nil {
			t.Fatal(err)
		}
		id := submitApproved(t, app, "employee", url.Values{"line_1_item": {itoa(it.ID)}, "line_1_qty": {"2"}}, url.Values{"line_1_qty": {"2"}})
		keeper := kaputest.SignedIn(t, app, "storekeeper")
		keeper.Get("/warehouse/stock/handover")
		for _, step := range []string{"ready", "hand"} {
			if res, _ := keeper.Post("/warehouse/stock/handover/"+itoa(id)+"/"+step, nil); res.StatusCode != 303 {
				t.Fatalf("%s = %d", step, res.StatusCode)
			}
		}
		lang := app.Cfg.Lang
		if p := kaputest.Person(t, app, "storekeeper"); p.Lang != "" {
			lang = p.Lang
		}
		path := "/warehouse/stock/" + itoa(it.ID) + "/return"
		keeper.Get("/warehouse/stock/" + itoa(it.ID))

		res, body := keeper.Post(path, url.Values{"return_qty": {"3"}, "return_request": {itoa(id)}})
		want := cat.T(lang, "warehouse.err.return_cap", "Left", "2", "Issued", "2", "Unit", cat.T(lang, "warehouse.unit.doboz"))
		if res.StatusCode != 422 || kaputest.FieldError(body, "return_qty") != want {
			t.Errorf("returning 3 of 2 issued = %d, message %q; want 422 and %q", res.StatusCode, kaputest.FieldError(body, "return_qty"), want)
		}
		res, body = keeper.Post(path, url.Values{"return_qty": {"1"}, "return_request": {"abc"}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "return_request") != cat.T(lang, "warehouse.err.return_request") {
			t.Errorf("a request number abc = %d, message %q", res.StatusCode, kaputest.FieldError(body, "return_request"))
		}
		res, body = keeper.Post(path, url.Values{"return_qty": {"1"}, "return_request": {itoa(id + 1000)}})
		if res.StatusCode != 422 || kaputest.FieldError(body, "return_request") != cat.T(lang, "warehouse.err.return_line") {
			t.Errorf("a request without the item = %d, message %q", res.StatusCode, kaputest.FieldError(body, "return_request"))
		}
		if got := item(t, app, it.ID); got.OnHand != warehouse.QtyOf(3) {
			t.Fatalf("on hand after refused returns = %v; want 3", got.OnHand)
		}
		if res, _ := keeper.Post(path, url.Values{"return_qty": {"2"}, "return_request": {itoa(id)}}); res.StatusCode != 303 {
			t.Errorf("returning the 2 issued = %d; want 303", res.StatusCode)
		}
		if got := item(t, app, it.ID); got.OnHand != warehouse.QtyOf(5) {
			t.Errorf("on hand after the return = %v; want 5", got.OnHand)
		}
	})
}
