package warehouse_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/notify"
	"kapu/modules/warehouse"
)

// The demo with its year is a live store: about 150 items, a ledger of
// thousands of rows spread over the year, to several departments, a few
// items low, and not one cache drifted from its ledger.
func TestDemoStoreHasNoDrift(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		var items, rows, depts int64
		app.DB.W.Model(&warehouse.Item{}).Count(&items)
		app.DB.W.Model(&warehouse.Movement{}).Count(&rows)
		app.DB.W.Model(&warehouse.Movement{}).Where("kind = ?", warehouse.KindIssue).Distinct("department_id").Count(&depts)
		if items < 140 || rows < 20*items || depts < 5 {
			t.Errorf("the demo store has %d items, %d ledger rows, issues to %d departments; want ≈150, a year's rows, many departments", items, rows, depts)
		}
		var oldest warehouse.Movement // a row, not MIN(): SQLite gives an aggregate's time as text
		if err := app.DB.W.Order("created_at").First(&oldest).Error; err != nil || time.Since(oldest.CreatedAt) < 300*24*time.Hour {
			t.Errorf("the oldest movement is from %v (%v); want about a year ago", oldest.CreatedAt, err)
		}
		drift, err := app.Warehouse.Verify(ctx)
		if err != nil || len(drift) != 0 {
			t.Errorf("Verify after the demo = %v, %v; want no drift", drift, err)
		}
		low, err := app.Warehouse.LowStock(ctx, kaputest.Person(t, app, "storekeeper").Actor(), nil)
		if err != nil || len(low) < 3 || len(low) > 15 {
			t.Errorf("the demo has %d low items (%v); want a few", len(low), err)
		}
		if run, err := app.Jobs.RunNow(ctx, "warehouse.verify"); err != nil || run.Error != "" {
			t.Errorf("warehouse.verify = %v %q", err, run.Error)
		}
		// The nightly rollup builds the past year's closed months and the
		// final requests' summaries before anyone reads them; a second run
		// changes nothing.
		for range 2 {
			if run, err := app.Jobs.RunNow(ctx, "warehouse.stats_rollup"); err != nil || run.Error != "" {
				t.Fatalf("warehouse.stats_rollup = %v %q", err, run.Error)
			}
			var months, summaries int64
			app.DB.W.Table("warehouse_stats_months").Count(&months)
			app.DB.W.Table("warehouse_stats_requests").Count(&summaries)
			if months != 12 || summaries < 100 {
				t.Errorf("after the rollup job: %d months, %d request summaries; want the past 12 months and the year's requests", months, summaries)
			}
		}
	}, kaputest.WithHistory())
}

// The low-stock job mails the storekeeper once per crossing, in their
// language, naming each newly low item with what to order; a second run
// mails nothing, and the next item to fall is mailed alone.
func TestLowStockJobMailsOncePerCrossing(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		keeper := kaputest.Person(t, app, "storekeeper")
		mails := func() []notify.Mail {
			var out []notify.Mail
			app.DB.W.Where("to_addr = ? AND subject LIKE ?", keeper.Email, "Low stock%").Order("id").Find(&out)
			return out
		}
		low, err := app.Warehouse.LowStock(ctx, keeper.Actor(), nil)
		if err != nil || len(low) == 0 {
			t.Fatalf("no low items in the demo (%v)", err)
		}
		if _, err := app.Jobs.RunNow(ctx, "warehouse.low_stock"); err != nil {
			t.Fatal(err)
		}
		got := mails()
		if len(got) != 1 || !strings.Contains(got[0].Text, low[0].Code) || !strings.Contains(got[0].Text, "suggested order") {
			t.Fatalf("after the first run %d mails; want one naming %s with a suggestion", len(got), low[0].Code)
		}
		app.Jobs.RunNow(ctx, "warehouse.low_stock")
		if n := len(mails()); n != 1 {
			t.Errorf("a second run mailed again (%d mails)", n)
		}
		paper := stockItem(t, app, "PAP-A4-80")
		down := paper.Available() - paper.ReorderLevel
		dept := department(t, app)
		if _, err := app.Warehouse.Issue(ctx, keeper.Actor(), warehouse.Issue{ItemID: paper.ID, Quantity: down, DepartmentID: dept.ID}); err != nil {
			t.Fatal(err)
		}
		app.Jobs.RunNow(ctx, "warehouse.low_stock")
		got = mails()
		if len(got) != 2 || !strings.Contains(got[1].Text, "PAP-A4-80") || strings.Contains(got[1].Text, low[0].Code+" ") {
			t.Errorf("after paper fell: %d mails; want a second one naming only the paper", len(got))
		}
	})
}
