package helpdesk_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/people"
)

// inboxRow is the row of an inbox page that holds text, or "".
func inboxRow(page, text string) string {
	for _, row := range strings.Split(page, "<tr") {
		if strings.Contains(row, text) {
			return row
		}
	}
	return ""
}

// countQueries counts the statements run on app's read pool from now on.
func countQueries(t *testing.T, app *kapu.App) *int {
	t.Helper()
	n := new(int)
	count := func(*gorm.DB) { *n++ }
	if err := app.DB.R.Callback().Query().After("gorm:query").Register("test:purchase_count_query", count); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.R.Callback().Row().After("gorm:row").Register("test:purchase_count_row", count); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPurchaseInboxDescribesEachPurchase: the lead's inbox names every
// purchase waiting for them by item and ticket with its cost, in Hungarian
// and in English as the lead reads Kapu, and describing four purchases
// takes as many queries as describing one.
func TestPurchaseInboxDescribesEachPurchase(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		lead := kaputest.Person(t, app, "it")
		queries := countQueries(t, app)
		inbox := func() (rows, n int) {
			*queries = 0
			items, err := app.Approval.InboxIn(ctx, lead.ID, "en")
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.Kind == helpdesk.KindPurchase {
					rows++
				}
			}
			return rows, *queries
		}
		type asked struct {
			what, number string
			cost         int64
			costEN       string
		}
		ask := func(reporter, title, asker, what string, cost int64, costEN string) asked {
			tk := reportAs(t, app, reporter, helpdesk.QueueIT, title)
			askPurchase(t, app, asker, tk.ID, what, cost)
			return asked{what, tk.Number, cost, costEN}
		}
		all := []asked{ask("employee", "Nem nyomtat", "deak.milan", "toner", 38900, "38,900 Ft")}
		rows1, one := inbox()
		all = append(all,
			ask("lakatos.bence", "Zúg a ventilátor", "kelemen.petra", "ventilátor", 6500, "6,500 Ft"),
			ask("simon.reka", "Nem tölt a laptop", "deak.milan", "töltő", 15000, "15,000 Ft"),
			ask("employee", "Törött a képernyő", "kelemen.petra", "kijelző", 120000, "120,000 Ft"))
		rows4, four := inbox()
		if rows1 != 1 || rows4 != 4 {
			t.Fatalf("purchases in the lead's inbox = %d, then %d; want 1, then 4", rows1, rows4)
		}
		if one == 0 {
			t.Fatal("no queries were counted; the counter is not hooked in")
		}
		if four != one {
			t.Errorf("the inbox took %d queries with 1 purchase and %d with 4; want the same", one, four)
		}

		for _, lang := range []string{"hu", "en"} {
			if err := app.DB.W.Model(&people.Person{}).Where("id = ?", lead.ID).Update("lang", lang).Error; err != nil {
				t.Fatal(err)
			}
			_, page := kaputest.SignedIn(t, app, "it").Get("/approvals")
			page = html.UnescapeString(page)
			for _, a := range all {
				title := "Purchase: " + a.what + " (" + a.number + ")"
				if lang == "hu" {
					title = "Beszerzés: " + a.what + " (" + a.number + ")"
				}
				row := inboxRow(page, title)
				if row == "" {
					t.Errorf("%s inbox: no row titled %q", lang, title)
					continue
				}
				if lang == "en" && !strings.Contains(row, a.costEN) {
					t.Errorf("en inbox row of %s does not show its cost %s:\n%s", a.what, a.costEN, row)
				}
				for _, b := range all {
					if b.what != a.what && strings.Contains(row, "("+b.number+")") {
						t.Errorf("%s inbox row of %s names another purchase's ticket %s", lang, a.what, b.number)
					}
				}
			}
			if wrong := map[string]string{"hu": "Purchase: ", "en": "Beszerzés: "}[lang]; strings.Contains(page, wrong) {
				t.Errorf("the %s inbox shows a title in the other language", lang)
			}
		}
	})
}
