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
)

// newAsset saves an asset as the demo's it user.
func newAsset(t *testing.T, app *kapu.App, in helpdesk.AssetInput) *helpdesk.Asset {
	t.Helper()
	as, err := app.Helpdesk.SaveAsset(context.Background(), kaputest.Person(t, app, "it").Actor(), 0, in)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func countAssets(t *testing.T, app *kapu.App) int64 {
	t.Helper()
	var n int64
	if err := app.DB.W.Model(&helpdesk.Asset{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The inventory is the queues' staff's and the admins': an employee gets
// 403 on every asset page, staff of either queue get them, a malformed or
// unknown id is 404.
func TestAssetPagesAreForStaff(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		as := newAsset(t, app, helpdesk.AssetInput{Tag: "NY-001", Type: "nyomtató"})
		id := itoa(as.ID)
		pages := []string{"/helpdesk/assets", "/helpdesk/assets/new", "/helpdesk/assets/import", "/helpdesk/assets/export",
			"/helpdesk/assets/renewal", "/helpdesk/assets/labels", "/helpdesk/assets/" + id, "/helpdesk/assets/" + id + "/edit",
			"/helpdesk/assets/" + id + "/label"}
		emp := kaputest.SignedIn(t, app, "employee")
		for _, p := range pages {
			if res, _ := emp.Get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("employee GET %s = %d; want 403", p, res.StatusCode)
			}
		}
		emp.Get("/")
		if res, _ := emp.Post("/helpdesk/assets/new", url.Values{"tag": {"X"}, "type": {"y"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee POST new = %d; want 403", res.StatusCode)
		}
		for _, who := range []string{"it", "facilities", "admin"} {
			c := kaputest.SignedIn(t, app, who)
			for _, p := range pages {
				res, body := c.Get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s GET %s = %d; want 200\n%.300s", who, p, res.StatusCode, body)
				}
				if i := strings.Index(body, "helpdesk."); i >= 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					t.Errorf("%s shows a raw key: %.80s", p, body[i:])
				}
			}
		}
		it := kaputest.SignedIn(t, app, "it")
		for _, p := range []string{"/helpdesk/assets/abc", "/helpdesk/assets/999999", "/helpdesk/assets/-1/edit", "/helpdesk/assets/labels?ids=1,x"} {
			if res, _ := it.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
			}
		}
	})
}

// Staff add an asset through the form; a wrong form comes back with the
// typed values and the message by the field.
func TestAssetFormHTTP(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "facilities")
		c.Get("/helpdesk/assets/new")
		form := url.Values{"tag": {"KAZ-01"}, "type": {"kazán"}, "model": {"Vaillant ecoTEC"}, "queue": {"maintenance"},
			"state": {"in_use"}, "owner": {"employee"}, "purchased_on": {"2020-05-01"}, "price": {"1 200 000"},
			"warranty_end": {"2019-01-01"}, "life_months": {"180"}}
		res, body := c.Post("/helpdesk/assets/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Vaillant ecoTEC"`) ||
			!strings.Contains(body, html.EscapeString(app.Web.Catalog.T(app.Cfg.Lang, "helpdesk.asset.err.warranty"))) {
			t.Fatalf("warranty before purchase = %d; want 422 with the fields kept and the message\n%.2000s", res.StatusCode, body)
		}
		form.Set("warranty_end", "2022-05-01")
		res, body = c.Post("/helpdesk/assets/new", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good form = %d; want 303\n%.2000s", res.StatusCode, body)
		}
		as, err := app.Helpdesk.AssetByTag(context.Background(), kaputest.Person(t, app, "facilities").Actor(), "KAZ-01")
		if err != nil || as.QueueKey != helpdesk.QueueMaintenance || as.Price != 1200000 || as.OwnerID == nil ||
			*as.OwnerID != kaputest.Person(t, app, "employee").ID {
			t.Fatalf("stored = %+v, %v", as, err)
		}
		if loc := res.Header.Get("Location"); loc != "/helpdesk/assets/"+itoa(as.ID) {
			t.Errorf("redirect to %q; want the asset page", loc)
		}
		// The same tag again is refused at the tag field.
		res, body = c.Post("/helpdesk/assets/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(app.Web.Catalog.T(app.Cfg.Lang, "helpdesk.asset.err.tag_taken"))) {
			t.Errorf("a taken tag = %d; want 422 with its message", res.StatusCode)
		}
		// Editing keeps it and changes what was typed.
		form.Set("state", "in_repair")
		if res, body := c.Post("/helpdesk/assets/"+itoa(as.ID)+"/edit", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit = %d\n%.1500s", res.StatusCode, body)
		}
		if got, _ := app.Helpdesk.Asset(context.Background(), kaputest.Person(t, app, "it").Actor(), as.ID); got.State != helpdesk.AssetInRepair {
			t.Errorf("state after edit = %q", got.State)
		}
	})
}

// An upload with a bad row changes nothing and lists the line and the problem.
func TestAssetImportHTTPBadRow(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "it")
		c.Get("/helpdesk/assets/import")
		file := "tag;type;price;queue\nNY-1;nyomtató;1000;it\nNY-2;nyomtató;sok;it\n"
		res, body := c.PostFile("/helpdesk/assets/import", "file", "leltar.csv", []byte(file))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad file = %d; want 422", res.StatusCode)
		}
		msg := html.EscapeString(app.Web.Catalog.T(app.Cfg.Lang, "helpdesk.asset.err.price"))
		if !strings.Contains(body, `data-label="`+app.Web.Catalog.T(app.Cfg.Lang, "import.row")+`">3</td>`) || !strings.Contains(body, msg) || !strings.Contains(body, "sok") {
			t.Errorf("the report does not name line 3, its message %q and value:\n%s", msg, body)
		}
		if n := countAssets(t, app); n != 0 {
			t.Errorf("%d assets after a rejected file; want 0", n)
		}
		res, _ = c.PostFile("/helpdesk/assets/import", "file", "leltar.csv", []byte(strings.Replace(file, "sok", "2000", 1)))
		if res.StatusCode != http.StatusSeeOther || countAssets(t, app) != 2 {
			t.Errorf("good file = %d, %d assets; want 303, 2", res.StatusCode, countAssets(t, app))
		}
	})
}

// What the export writes, the import reads back unchanged, in either language.
func TestAssetExportImportRoundTripHTTP(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		newAsset(t, app, helpdesk.AssetInput{Tag: "=1+1", Type: "nyomtató", Model: "HP; M404", Price: 189000, QueueKey: helpdesk.QueueIT})
		newAsset(t, app, helpdesk.AssetInput{Tag: "KAZ-1", Type: "kazán", QueueKey: helpdesk.QueueMaintenance, LifeMonths: 180})
		c := kaputest.SignedIn(t, app, "it")
		res, body := c.Get("/helpdesk/assets/export")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(body, "'=1+1") || !strings.Contains(body, "maintenance\r\n") {
			t.Fatalf("export = %d %s:\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		c.Get("/helpdesk/assets/import")
		res, page := c.PostFile("/helpdesk/assets/import", "file", "kapu-assets.csv", []byte(body))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import of the export = %d\n%.2000s", res.StatusCode, page)
		}
		if n := countAssets(t, app); n != 2 {
			t.Errorf("%d assets after the round trip; want 2", n)
		}
		a := kaputest.Person(t, app, "it").Actor()
		got, err := app.Helpdesk.AssetByTag(context.Background(), a, "=1+1")
		if err != nil || got.Model != "HP; M404" || got.Price != 189000 {
			t.Errorf("after the round trip = %+v, %v", got, err)
		}
		if k, _ := app.Helpdesk.AssetByTag(context.Background(), a, "KAZ-1"); k == nil || k.QueueKey != helpdesk.QueueMaintenance || k.LifeMonths != 180 {
			t.Errorf("KAZ-1 after the round trip = %+v", k)
		}
		res, _ = c.Get("/helpdesk/assets/export?format=xlsx")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("xlsx export = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
	})
}

// The asset page lists its tickets with links and offers to report a fault
// about it; the label carries the same report link in its QR code.
func TestAssetPageAndLabelHTTP(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		as := newAsset(t, app, helpdesk.AssetInput{Tag: "NY 7/2", Type: "nyomtató", Model: "HP M404", Price: 100000})
		qs, err := app.Helpdesk.Queues(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cats, err := app.Helpdesk.Categories(ctx, qs[0].ID, false)
		if err != nil || len(cats) == 0 {
			t.Fatalf("categories: %v", err)
		}
		tk, err := app.Helpdesk.Report(ctx, kaputest.Person(t, app, "employee").Actor(), helpdesk.ReportInput{QueueKey: qs[0].Key,
			CategoryID: cats[0].ID, Title: "Csíkot húz a nyomtató", AssetID: &as.ID, Impact: helpdesk.ImpactHinders})
		if err != nil {
			t.Fatal(err)
		}
		c := kaputest.SignedIn(t, app, "it")
		res, body := c.Get("/helpdesk/assets/" + itoa(as.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("asset page = %d", res.StatusCode)
		}
		for _, want := range []string{`href="/helpdesk/tickets/` + itoa(tk.ID) + `"`, tk.Number, "Csíkot húz a nyomtató",
			`href="/helpdesk/new?asset=NY&#43;7%2F2"`} {
			if !strings.Contains(body, want) {
				t.Errorf("asset page lacks %q", want)
			}
		}
		report := helpdesk.ReportURL(app.Cfg.BaseURL, as.Tag)
		if report != "http://localhost:8080/helpdesk/new?asset=NY+7%2F2" {
			t.Errorf("ReportURL = %q", report)
		}
		qr, err := helpdesk.LabelQR(report)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/helpdesk/assets/" + itoa(as.ID) + "/label", "/helpdesk/assets/labels?ids=" + itoa(as.ID), "/helpdesk/assets/labels?q=ny"} {
			res, body := c.Get(p)
			if res.StatusCode != http.StatusOK || !strings.Contains(body, string(qr)) || !strings.Contains(body, `href="http://localhost:8080/helpdesk/new?asset=NY&#43;7%2F2"`) ||
				!strings.Contains(body, app.Cfg.City) || !strings.Contains(body, "/helpdesk/assets/labels.css") {
				t.Errorf("%s = %d; want the QR of %s, the link, the city and the print sheet", p, res.StatusCode, report)
			}
		}
		if res, css := c.Get("/helpdesk/assets/labels.css"); res.StatusCode != http.StatusOK || !strings.Contains(css, "size:A4") {
			t.Errorf("labels.css = %d", res.StatusCode)
		}
	})
}

// The renewal page explains its score and exports the ranking.
func TestRenewalPageHTTP(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		newAsset(t, app, helpdesk.AssetInput{Tag: "NY-1", Type: "nyomtató", Price: 100000})
		c := kaputest.SignedIn(t, app, "facilities")
		res, body := c.Get("/helpdesk/assets/renewal")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, html.EscapeString(app.Web.Catalog.T(app.Cfg.Lang, "helpdesk.renewal.how_title"))) ||
			!strings.Contains(body, "NY-1") {
			t.Fatalf("renewal page = %d\n%.1500s", res.StatusCode, body)
		}
		res, csv := c.Get("/helpdesk/assets/renewal?format=csv")
		if res.StatusCode != http.StatusOK || !strings.Contains(csv, "NY-1") || !strings.Contains(csv, app.Web.Catalog.T(app.Cfg.Lang, "helpdesk.renewal.col.score")) {
			t.Errorf("renewal CSV = %d\n%s", res.StatusCode, csv)
		}
		res, _ = c.Get("/helpdesk/assets/renewal?format=xlsx&queue=it")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("renewal XLSX = %d", res.StatusCode)
		}
	})
}

// Staff plan preventive maintenance on the asset page: a wrong plan comes
// back with its message, a good one is listed, edited in place and deleted
// after the confirmation; the maintenance job's tickets stay with the asset.
func TestMaintenancePlanOnTheAssetPageHTTP(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		as := newAsset(t, app, helpdesk.AssetInput{Tag: "KAZ-1", Type: "kazán", QueueKey: helpdesk.QueueMaintenance})
		var cat uint
		qs, _ := app.Helpdesk.Queues(ctx)
		for _, q := range qs {
			if q.Key == helpdesk.QueueMaintenance {
				cs, _ := app.Helpdesk.Categories(ctx, q.ID, false)
				cat = cs[0].ID
			}
		}
		page := "/helpdesk/assets/" + itoa(as.ID)
		c := kaputest.SignedIn(t, app, "facilities")
		c.Get(page)
		form := url.Values{"plan_title": {"Kazán éves karbantartása"}, "category": {itoa(cat)}, "every_months": {"0"}, "next_due": {"2031-09-01"}}
		res, body := c.Post(page+"/plans", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Kazán éves karbantartása"`) {
			t.Fatalf("0 months = %d; want 422 with the title kept", res.StatusCode)
		}
		form.Set("every_months", "12")
		if res, body := c.Post(page+"/plans", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good plan = %d\n%.1500s", res.StatusCode, body)
		}
		plans, err := app.Helpdesk.Plans(ctx, kaputest.Person(t, app, "facilities").Actor(), as.ID)
		if err != nil || len(plans) != 1 || plans[0].EveryMonths != 12 {
			t.Fatalf("plans = %+v, %v", plans, err)
		}
		pid := itoa(plans[0].ID)
		if _, body := c.Get(page); !strings.Contains(body, "Kazán éves karbantartása") || !strings.Contains(body, page+"/plans/"+pid+"/delete") {
			t.Errorf("the asset page does not list the plan with its delete link")
		}
		if _, body := c.Get(page + "?plan=" + pid); !strings.Contains(body, `action="`+page+"/plans/"+pid+`"`) || !strings.Contains(body, `value="2031-09-01"`) {
			t.Errorf("?plan= does not put the plan in the form")
		}
		form.Set("every_months", "6")
		if res, _ := c.Post(page+"/plans/"+pid, form); res.StatusCode != http.StatusSeeOther {
			t.Errorf("edit = %d", res.StatusCode)
		}
		if res, body := c.Get(page + "/plans/" + pid + "/delete"); res.StatusCode != http.StatusOK || !strings.Contains(body, `action="`+page+"/plans/"+pid+`/delete"`) {
			t.Errorf("delete confirmation = %d", res.StatusCode)
		}
		if res, _ := c.Post(page+"/plans/"+pid+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete = %d", res.StatusCode)
		}
		if plans, _ := app.Helpdesk.Plans(ctx, kaputest.Person(t, app, "facilities").Actor(), as.ID); len(plans) != 0 {
			t.Errorf("%d plans after the deletion", len(plans))
		}
		if res, _ := c.Post(page+"/plans/"+pid+"/delete", url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleting it again = %d; want 404", res.StatusCode)
		}
	})
}
