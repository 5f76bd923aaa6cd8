package warehouse_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
	"kapu/modules/platform/stats"
	"kapu/modules/warehouse"
)

// statsTables are the keys of the statistics page's tables, each exported.
var statsTables = []string{"departments", "categories", "items", "months", "requests", "outages"}

// csvRows reads a CSV export (BOM, the viewer's separator).
func csvRows(t *testing.T, body, lang string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	if lang == "hu" {
		r.Comma = ';'
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return recs
}

// ledgerCost is a direct sum of the ledger: forints consumed by department
// (issues less returns at the items' unit prices), from created on.
func ledgerCost(t *testing.T, app *kapu.App, dept uint, from time.Time) int64 {
	t.Helper()
	var v int64
	err := app.DB.W.Raw(`SELECT CAST(COALESCE(-SUM(m.quantity * i.unit_price), 0) AS BIGINT) FROM warehouse_movements m
		JOIN warehouse_items i ON i.id = m.item_id
		WHERE m.department_id = ? AND m.kind IN ('issue', 'return') AND m.created_at >= ?`, dept, from).Scan(&v).Error
	if err != nil {
		t.Fatal(err)
	}
	return v / 1000 // thousandths of a unit × forints
}

// The statistics page and each of its exports answer the storekeeper in
// both languages and refuse an employee; the cost per department of a
// small fixture (two issues and a return) is what the ledger sums to, in
// the page's CSV and in the XLSX.
func TestStatsPageCostPerDepartment(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		keeper := kaputest.Person(t, app, "storekeeper").Actor()
		start := time.Now().UTC().Add(-time.Second)
		var depts []people.Department
		if err := app.DB.W.Order("id").Limit(2).Find(&depts).Error; err != nil || len(depts) < 2 {
			t.Fatalf("departments: %v", err)
		}
		paper, toner := stockItem(t, app, "PAP-A4-80"), stockItem(t, app, "TON-HP-59A")
		post := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		_, err := app.Warehouse.Issue(ctx, keeper, warehouse.Issue{ItemID: paper.ID, Quantity: warehouse.QtyOf(4), DepartmentID: depts[0].ID})
		post(err)
		_, err = app.Warehouse.Return(ctx, keeper, warehouse.Return{ItemID: paper.ID, Quantity: warehouse.QtyOf(1), DepartmentID: depts[0].ID})
		post(err)
		_, err = app.Warehouse.Issue(ctx, keeper, warehouse.Issue{ItemID: toner.ID, Quantity: warehouse.QtyOf(2), DepartmentID: depts[1].ID})
		post(err)
		wantA, wantB := 3*paper.UnitPrice, 2*toner.UnitPrice
		if got := ledgerCost(t, app, depts[0].ID, start); got != wantA {
			t.Fatalf("ledger sum for %s = %d; want %d", depts[0].Name, got, wantA)
		}
		if got := ledgerCost(t, app, depts[1].ID, start); got != wantB {
			t.Fatalf("ledger sum for %s = %d; want %d", depts[1].Name, got, wantB)
		}

		if res, _ := kaputest.SignedIn(t, app, "employee").Get("/warehouse/stats"); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee GET /warehouse/stats = %d; want 403", res.StatusCode)
		}
		if res, _ := kaputest.SignedIn(t, app, "employee").Get("/warehouse/stats?format=xlsx"); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee GET the XLSX = %d; want 403", res.StatusCode)
		}
		c := kaputest.SignedIn(t, app, "storekeeper")
		for _, lang := range []string{"hu", "en"} {
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {lang}})
			res, body := c.Get("/warehouse/stats")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: GET /warehouse/stats = %d", lang, res.StatusCode)
			}
			title := map[string]string{"hu": "Költség osztályonként", "en": "Cost per department"}[lang]
			if !strings.Contains(body, title) || !strings.Contains(body, depts[0].Name) || !strings.Contains(body, "<svg") {
				t.Errorf("%s: the page lacks the chart %q or %s", lang, title, depts[0].Name)
			}
			for _, key := range statsTables {
				res, body := c.Get("/warehouse/stats?format=csv&table=" + key)
				if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "csv") {
					t.Errorf("%s: CSV %s = %d %s", lang, key, res.StatusCode, res.Header.Get("Content-Type"))
					continue
				}
				if key != "departments" {
					continue
				}
				got := map[string]string{}
				for _, r := range csvRows(t, body, lang) {
					if len(r) >= 3 {
						got[r[0]] = strings.ReplaceAll(strings.ReplaceAll(r[2], " ", ""), "\u00a0", "")
					}
				}
				for i, want := range []int64{wantA, wantB} {
					if got[depts[i].Name] != strconv.FormatInt(want, 10) {
						t.Errorf("%s: CSV cost of %s = %q; want %d (the ledger's sum)", lang, depts[i].Name, got[depts[i].Name], want)
					}
				}
			}
			res, xl := c.Get("/warehouse/stats?format=xlsx")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: XLSX = %d", lang, res.StatusCode)
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(xl)))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.GetSheetList()) != len(statsTables) {
				t.Errorf("%s: XLSX sheets = %v; want %d", lang, f.GetSheetList(), len(statsTables))
			}
		}
		if res, _ := c.Get("/warehouse/stats?format=csv&table=nope"); res.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown table's CSV = %d; want 404", res.StatusCode)
		}
		// A nonsense period is the form again with its message, not a 500.
		if res, _ := c.Get("/warehouse/stats?kind=range&from=2026-13-40&to=x"); res.StatusCode >= 500 {
			t.Errorf("a bad range = %d; want the form with a message", res.StatusCode)
		}
	})
}

// The demo's year of requests: two wait for the manager in the approval
// engine, one line is to procure, two requests wait for their handover,
// every linked issue is its line's issue,
// the ledger has not drifted, and the year's statistics show lead times and
// rates (read fast enough for the page).
func TestDemoRequestsYear(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		manager := kaputest.Person(t, app, "manager")
		inbox, err := app.Approval.Inbox(ctx, manager.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range inbox {
			if it.Kind == warehouse.KindRequest {
				n++
			}
		}
		if n != 2 {
			t.Errorf("the manager's inbox holds %d warehouse requests; want 2", n)
		}
		var procure int64
		app.DB.W.Model(&warehouse.RequestLine{}).Where("state = ? AND approved > reserved + issued", warehouse.LineToProcure).Count(&procure)
		if procure != 1 {
			t.Errorf("%d lines to procure; want 1", procure)
		}
		// The storekeeper's morning: one request to put out, one ready for pickup.
		hand, err := app.Warehouse.HandoverList(ctx, kaputest.Person(t, app, "storekeeper").Actor())
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		for _, r := range hand {
			for _, l := range r.Lines {
				states[l.State]++
			}
		}
		if len(hand) != 2 || states[warehouse.LineReserved] == 0 || states[warehouse.LineReady] == 0 {
			t.Errorf("the handover list holds %d requests, lines %v; want one to put out and one ready", len(hand), states)
		}
		var reqs, rejected, partly int64
		app.DB.W.Model(&warehouse.Request{}).Count(&reqs)
		app.DB.W.Model(&warehouse.Request{}).Where("status = ?", warehouse.RequestRejected).Count(&rejected)
		app.DB.W.Model(&warehouse.RequestLine{}).Where("approved > 0 AND approved < requested").Count(&partly)
		if reqs < 500 || rejected == 0 || partly == 0 {
			t.Errorf("the demo has %d requests, %d rejected, %d lines approved less; want a year's, some of each", reqs, rejected, partly)
		}
		// Every linked issue is exactly its line's issued quantity.
		var mismatched int64
		app.DB.W.Raw(`SELECT COUNT(*) FROM warehouse_request_lines l
			JOIN warehouse_movements m ON m.request_line_id = l.id AND m.kind = 'issue'
			WHERE -m.quantity <> l.issued`).Scan(&mismatched)
		if mismatched != 0 {
			t.Errorf("%d issues differ from their line's issued quantity", mismatched)
		}
		drift, err := app.Warehouse.Verify(ctx)
		if err != nil || len(drift) != 0 {
			t.Errorf("Verify = %v, %v; want no drift", drift, err)
		}

		keeper := kaputest.Person(t, app, "storekeeper").Actor()
		today := kaputest.Today(t, app)
		began := time.Now()
		st, err := app.Warehouse.Stats(ctx, keeper, stats.RangeOf(today.AddDays(-364), today))
		took := time.Since(began)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("a year's statistics of the demo: %v", took)
		if _, ok := st.LeadTotal.P(50); !ok || st.Flow.Rejected == 0 || st.Flow.Partly == 0 || len(st.Buckets) < 12 {
			t.Errorf("the year's statistics: lead %v, rejected %d, partly %d, %d months; want all there", st.LeadTotal.N(), st.Flow.Rejected, st.Flow.Partly, len(st.Buckets))
		}
		if d, _ := st.ToDecision.P(50); d <= 0 || d > 24*7 {
			t.Errorf("median time to decision = %d hours; want within a week", d)
		}
		if st.Buckets[len(st.Buckets)-1].Value <= 0 {
			t.Error("the stock is worth nothing at the period's end")
		}
		if day, err := app.Warehouse.Stats(ctx, keeper, stats.RangeOf(today, today)); err != nil || len(day.Buckets) != 1 {
			t.Errorf("a one-day range: %v", err)
		}
		if _, err := app.Warehouse.Stats(ctx, kaputest.Person(t, app, "employee").Actor(), stats.RangeOf(today, today)); err == nil {
			t.Error("an employee read the statistics")
		}
		// A past request of the employee shows on their list and its page.
		var past warehouse.Request
		emp := kaputest.Person(t, app, "employee")
		if err := app.DB.W.Where("requester_id = ? AND status = ?", emp.ID, warehouse.RequestDone).Order("id").First(&past).Error; err != nil {
			t.Fatalf("the employee has no past request: %v", err)
		}
		ec := kaputest.SignedIn(t, app, "employee")
		for _, path := range []string{"/warehouse", "/warehouse/requests/" + strconv.FormatUint(uint64(past.ID), 10)} {
			if res, _ := ec.Get(path); res.StatusCode != http.StatusOK {
				t.Errorf("employee GET %s = %d; want 200", path, res.StatusCode)
			}
		}
		c := kaputest.SignedIn(t, app, "storekeeper")
		if res, _ := c.Get("/warehouse/stats"); res.StatusCode != http.StatusOK {
			t.Errorf("the demo's statistics page = %d", res.StatusCode)
		}
	}, kaputest.WithHistory())
}
