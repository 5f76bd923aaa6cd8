package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/web"
)

// A file as Hungarian Excel saves it: BOM, semicolons, decimal comma,
// Hungarian heads and names, a grouped price.
const goodItems = "\ufeffKód;Név (magyar);Név (angol);Kategória;Mértékegység;Polc;Rendelési szint;Egységár (Ft);Aktív;Készlet\r\n" +
	"pap-a4-80;Másolópapír A4, 80 g;Copy paper A4, 80 g;Papír;rizsma;B-03-2;40;1 890;igen;120\r\n" +
	"TIS-UNI;Általános tisztítószer;;cleaning;l;C-01-1;2,5;990;;7,25\r\n" +
	"TON-HP-59A;HP 59A toner;HP 59A toner;Toner és tinta;db;A-02-1;2;38 500;igen;\r\n"

// byCode reads the item with code (zero Item when there is none).
func (f *fixture) byCode(t testing.TB, code string) Item {
	t.Helper()
	var it Item
	must(t, f.d.W.Where("code = ?", code).Limit(1).Find(&it).Error)
	return it
}

func TestImportItemsGoodFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		rep, err := f.s.ImportItems(ctx, f.keeper, strings.NewReader(goodItems), "hu")
		must(t, err)
		if rep.Rows != 3 || rep.Created != 3 || rep.Updated != 0 || rep.Balances != 2 || len(rep.Problems) != 0 {
			t.Fatalf("report = %+v; want 3 created, 2 with an opening balance", rep)
		}
		pap := f.byCode(t, "PAP-A4-80")
		if pap.NameEN != "Copy paper A4, 80 g" || pap.Category != "paper" || pap.Unit != "rizsma" || pap.Location != "B-03-2" ||
			pap.ReorderLevel != QtyOf(40) || pap.UnitPrice != 1890 || !pap.Active || pap.OnHand != QtyOf(120) || pap.Reserved != 0 {
			t.Errorf("PAP-A4-80 = %+v", pap)
		}
		tis := f.byCode(t, "TIS-UNI")
		if tis.Unit != "l" || tis.ReorderLevel != 2500 || tis.OnHand != 7250 || !tis.Active || tis.NameEN != "" {
			t.Errorf("TIS-UNI = %+v; want 2.5 l level, 7.25 l on hand, active", tis)
		}
		if ton := f.byCode(t, "TON-HP-59A"); ton.OnHand != 0 || ton.UnitPrice != 38500 || ton.Category != "toner" || ton.Unit != "db" {
			t.Errorf("TON-HP-59A = %+v; want no stock, 38 500 Ft, toner, db", ton)
		}
		// Every balance is its ledger: one adjustment from zero, with its reason.
		for _, it := range []Item{pap, tis} {
			if onHand, reserved := f.sums(t, it.ID); onHand != it.OnHand || reserved != 0 {
				t.Errorf("%s: ledger sums %s/%s; cached %s", it.Code, onHand, reserved, it.OnHand)
			}
			var mv []Movement
			must(t, d.W.Where("item_id = ?", it.ID).Find(&mv).Error)
			if len(mv) != 1 || mv[0].Kind != KindAdjust || mv[0].Reason != "Nyitókészlet (CSV-import)" || mv[0].ActorID == nil || *mv[0].ActorID != f.keeper.ID {
				t.Errorf("%s ledger = %+v; want one opening adjustment by the storekeeper", it.Code, mv)
			}
		}
		if n := f.count(t, &Movement{}); n != 2 {
			t.Errorf("%d ledger rows; want 2 (no row for an item without a balance)", n)
		}
		var audits int64
		must(t, d.W.Model(&audit.Entry{}).Where("action = ?", "warehouse.item.import").Count(&audits).Error)
		if audits != 3 {
			t.Errorf("%d import audit rows; want 3", audits)
		}

		// The same file again changes nothing; a changed name updates that
		// item only, and its stock cell repeating the stock is fine.
		rep, err = f.s.ImportItems(ctx, f.keeper, strings.NewReader(goodItems), "hu")
		must(t, err)
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 3 || rep.Balances != 0 || f.count(t, &Movement{}) != 2 {
			t.Errorf("second import = %+v; want 3 unchanged, no movement", rep)
		}
		again := strings.Replace(goodItems, "Általános tisztítószer", "Általános felmosószer", 1)
		rep, err = f.s.ImportItems(ctx, f.keeper, strings.NewReader(again), "en")
		must(t, err)
		if rep.Updated != 1 || rep.Unchanged != 2 || f.byCode(t, "TIS-UNI").NameHU != "Általános felmosószer" || f.byCode(t, "TIS-UNI").OnHand != 7250 {
			t.Errorf("third import = %+v, TIS-UNI %+v; want one updated, its stock kept", rep, f.byCode(t, "TIS-UNI"))
		}

		if _, err := f.s.ImportItems(ctx, f.emp, strings.NewReader(goodItems), "hu"); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee's import: %v; want ErrForbidden", err)
		}
		if _, _, err := f.s.ExportItems(ctx, f.admin, "hu"); !errors.Is(err, ErrForbidden) {
			t.Errorf("an administrator's export: %v; want ErrForbidden", err)
		}
	})
}

func TestImportItemsBadRowChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		old := f.item(t, "OLD-1", "doboz", QtyOf(10))
		moves := f.count(t, &Movement{})
		file := "code,name_hu,category,unit,reorder_level,unit_price,active,on_hand\n" +
			"OLD-1,Átnevezve,office,doboz,5,100,yes,\n" + // row 2: would update OLD-1
			"NEW-1,Új tétel,office,db,1,10,yes,5\n" + // row 3: good
			"NEW-2,Rossz,lamps,db,-1,\"1,5\",maybe,\"2,5\"\n" + // row 4: category, level, price, active, on hand (a comma in a comma file)
			"NEW-3,Tört,office,db,,,,2.5\n" + // row 5: half a piece
			"new-1,Másodszor,office,db,,,,\n" + // row 6: NEW-1 twice
			"OLD-1,Más egység,office,kg,,,,9\n" + // row 7: OLD-1 twice, unit of a moved item, its stock
			",\x01,office,db,,,,\n" // row 8: no code, a control character, no name
		rep, err := f.s.ImportItems(ctx, f.keeper, strings.NewReader(file), "en")
		if !errors.Is(err, ErrImportRejected) {
			t.Fatalf("err = %v; want ErrImportRejected", err)
		}
		want := []ImportProblem{
			{4, "category", "warehouse.err.category", "lamps"},
			{4, "reorder_level", "warehouse.import.err.number", "-1"},
			{4, "unit_price", "warehouse.err.price", "1,5"},
			{4, "active", "warehouse.import.err.active", "maybe"},
			{4, "on_hand", "warehouse.import.err.number", "2,5"},
			{5, "on_hand", "warehouse.err.fraction", "2.5"},
			{6, "code", "warehouse.import.err.duplicate_code", "NEW-1 (3)"},
			{7, "code", "warehouse.import.err.duplicate_code", "OLD-1 (2)"},
			{7, "unit", "warehouse.err.unit_fixed", "kg"},
			{7, "on_hand", "warehouse.import.err.balance", "9"},
			{8, "code", "warehouse.err.code", ""},
			{8, "name_hu", "warehouse.err.text", "\x01"},
		}
		if len(rep.Problems) != len(want) {
			t.Errorf("problems = %+v;\nwant %+v", rep.Problems, want)
		}
		for i, w := range want {
			if i >= len(rep.Problems) || rep.Problems[i] != w {
				t.Errorf("problem %d = %+v; want %+v", i, at(rep.Problems, i), w)
			}
		}
		if n := f.count(t, &Item{}); n != 1 {
			t.Errorf("%d items after a rejected file; want the one there was", n)
		}
		if got := f.load(t, old.ID); got.NameHU != old.NameHU || got.ReorderLevel != old.ReorderLevel || got.OnHand != QtyOf(10) {
			t.Errorf("OLD-1 after a rejected file = %+v; want it unchanged", got)
		}
		if n := f.count(t, &Movement{}); n != moves {
			t.Errorf("%d ledger rows after a rejected file; want %d", n, moves)
		}
		key, _ := Message(nil, "en", err)
		if key != "warehouse.import.err.rejected" {
			t.Errorf("Message(rejected) = %q", key)
		}
	})
}

// at is ps[i], or a zero problem past its end.
func at(ps []ImportProblem, i int) ImportProblem {
	if i < len(ps) {
		return ps[i]
	}
	return ImportProblem{}
}

func TestImportItemsFileProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		cases := []struct {
			name, file string
			want       ImportProblem
		}{
			{"no category column", "code,name_hu,unit\nA,B,db\n", ImportProblem{1, "category", "warehouse.import.err.missing_column", "category"}},
			{"unknown column", "code,name_hu,category,unit,colour\nA,B,office,db,red\n", ImportProblem{1, "", "warehouse.import.err.column", "colour"}},
			{"a column twice", "code,kód,name_hu,category,unit\nA,A,B,office,db\n", ImportProblem{1, "code", "warehouse.import.err.column_twice", "kód"}},
			{"cp1250", "code,name_hu,category,unit\nA,M\xe1sol\xf3pap\xedr,office,db\n", ImportProblem{0, "", "warehouse.import.err.encoding", ""}},
			{"header only", "code,name_hu,category,unit\n", ImportProblem{1, "", "warehouse.import.err.empty", ""}},
			{"a broken quote", "code,name_hu,category,unit\nA,\"B,office,db\n", ImportProblem{}},
		}
		for _, c := range cases {
			rep, err := f.s.ImportItems(ctx, f.keeper, strings.NewReader(c.file), "hu")
			if !errors.Is(err, ErrImportRejected) || len(rep.Problems) == 0 {
				t.Errorf("%s: %v, %+v; want rejected", c.name, err, rep)
				continue
			}
			if c.want.Key == "" {
				if rep.Problems[0].Key != "warehouse.import.err.csv" {
					t.Errorf("%s: %+v; want a CSV problem", c.name, rep.Problems)
				}
				continue
			}
			if rep.Problems[0] != c.want {
				t.Errorf("%s: %+v; want %+v", c.name, rep.Problems, c.want)
			}
		}
		if n := f.count(t, &Item{}); n != 0 {
			t.Errorf("%d items; want none", n)
		}
	})
}

// exportCSV is the export as web.SendCSV sends it to a reader in lang.
func exportCSV(t *testing.T, f *fixture, lang string) string {
	t.Helper()
	head, rows, err := f.s.ExportItems(context.Background(), f.keeper, lang)
	must(t, err)
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error {
		// The locals web.Server's middleware sets: the server (its zone) and the language.
		c.Locals("kapu.server", &web.Server{Cfg: &config.Config{TZ: time.UTC}})
		c.Locals("kapu.lang", lang)
		return web.SendCSV(c, "items.csv", head, rows)
	})
	res, err := app.Test(httptest.NewRequest("GET", "/", nil))
	must(t, err)
	body, err := io.ReadAll(res.Body)
	must(t, err)
	return string(body)
}

func TestItemExportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		file := "code,name_hu,name_en,category,unit,location,reorder_level,unit_price,active,on_hand\n" +
			"F-1,\"=HYPERLINK(\"\"http://x\"\")\",\"+36; \"\"quoted\"\"\",forms,csomag,-B-1,3,12000,yes,4\n" +
			"K-2,Kávé,Coffee,other,kg,\"K, 1\",2.125,4500,no,10.5\n" +
			"Z-3,Üres,,it,par,,,,yes,\n"
		_, err := f.s.ImportItems(ctx, f.keeper, strings.NewReader(file), "en")
		must(t, err)
		var before []Item
		must(t, d.W.Order("code").Find(&before).Error)
		moves := f.count(t, &Movement{})

		for _, lang := range []string{"hu", "en"} {
			body := exportCSV(t, f, lang)
			sep := map[string]string{"hu": ";", "en": ","}[lang]
			head := map[string]string{"hu": "\ufeffKód" + sep + "Név (magyar)", "en": "\ufeffCode" + sep + "Name (Hungarian)"}[lang]
			num := map[string]string{"hu": sep + "2,125" + sep + "4500" + sep + "nem" + sep + "10,5\r\n", "en": sep + "2.125" + sep + "4500" + sep + "no" + sep + "10.5\r\n"}[lang]
			if !strings.HasPrefix(body, head) || !strings.Contains(body, num) || !strings.Contains(body, "\"'=HYPERLINK(\"\"http://x\"\")\"") || !strings.Contains(body, sep+"'-B-1"+sep) {
				t.Errorf("%s export: want %q heads, %q numbers, guarded formulas:\n%s", lang, head, num, body)
			}
			rep, err := f.s.ImportItems(ctx, f.keeper, strings.NewReader(body), lang)
			must(t, err)
			if rep.Unchanged != 3 || rep.Created != 0 || rep.Updated != 0 || rep.Balances != 0 {
				t.Errorf("%s import of the export = %+v; want 3 unchanged", lang, rep)
			}
			var after []Item
			must(t, d.W.Order("code").Find(&after).Error)
			for i := range before {
				if b, a := before[i], after[i]; !sameCatalogue(a, b) || a.ID != b.ID || a.OnHand != b.OnHand || !a.UpdatedAt.Equal(b.UpdatedAt) {
					t.Errorf("%s round trip changed %s:\n got %+v\nwant %+v", lang, b.Code, a, b)
				}
			}
			if n := f.count(t, &Movement{}); n != moves {
				t.Errorf("%s round trip wrote %d ledger rows", lang, n-moves)
			}
		}
		// The other language's export reads back as well.
		rep, err := f.s.ImportItems(ctx, f.keeper, strings.NewReader(exportCSV(t, f, "hu")), "en")
		must(t, err)
		if rep.Unchanged != 3 {
			t.Errorf("a Hungarian export imported in English = %+v; want 3 unchanged", rep)
		}
	})
}

// A first inventory is the whole store: 2,000 items with their balances
// arrive in one import, and every balance is its ledger.
func TestImportItemsWholeStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var b strings.Builder
		b.WriteString("code;name_hu;category;unit;location;reorder_level;unit_price;on_hand\n")
		for i := range 2000 {
			fmt.Fprintf(&b, "T-%04d;Tétel %d;office;db;P-%02d;5;%d;%d\n", i, i, i%40, 100+i, i%7)
		}
		start := time.Now()
		rep, err := f.s.ImportItems(context.Background(), f.keeper, strings.NewReader(b.String()), "hu")
		must(t, err)
		t.Logf("%s: 2000 items imported in %v", d.Dialect, time.Since(start).Round(time.Millisecond))
		// i%7 is zero for 286 of the 2000 rows: they get no ledger row.
		if rep.Created != 2000 || rep.Balances != 2000-286 || f.count(t, &Movement{}) != 2000-286 {
			t.Errorf("report %+v; want 2000 created, 1714 balances", rep)
		}
		drift, err := f.s.Verify(context.Background())
		must(t, err)
		if len(drift) != 0 {
			t.Errorf("drift after the import: %+v", drift)
		}
	})
}
