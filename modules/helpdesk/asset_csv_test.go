package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"kapu/modules/platform/audit"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"kapu/config"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

const goodAssets = "tag,type,model,serial,building,floor,room,room_id,owner,department,purchased_on,price,warranty_end,life_months,state\n" +
	"NY-001,nyomtató,HP M404,VNB1,Főépület,2,214,7,papp,Pénzügy,2024-03-01,189 000,2027-03-01,60,in_use\n" +
	"LT-002,laptop,Dell 5440,,Főépület,1,,,,,,,,,\n"

func (f *fixture) dept(t testing.TB, name string) people.Department {
	t.Helper()
	d := people.Department{Name: name}
	must(t, f.d.W.Create(&d).Error)
	return d
}

func (f *fixture) asset(t testing.TB, tag string) Asset {
	t.Helper()
	var as Asset
	must(t, f.d.W.Where("tag = ?", tag).Limit(1).Find(&as).Error)
	return as
}

func TestImportAssetsGoodFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		dep := f.dept(t, "Pénzügy")
		rep, err := f.s.ImportAssets(ctx, f.it1, strings.NewReader(goodAssets))
		must(t, err)
		if rep.Rows != 2 || rep.Created != 2 || rep.Updated != 0 || len(rep.Problems) != 0 {
			t.Fatalf("report = %+v; want 2 rows created", rep)
		}
		ny := f.asset(t, "NY-001")
		if ny.Type != "nyomtató" || ny.Room != "214" || ny.RoomID == nil || *ny.RoomID != 7 || ny.OwnerID == nil || *ny.OwnerID != f.emp.ID ||
			ny.DepartmentID == nil || *ny.DepartmentID != dep.ID || !ny.PurchasedOn.Equal(calendar.NewDate(2024, 3, 1)) ||
			ny.Price != 189000 || ny.LifeMonths != 60 || ny.State != AssetInUse {
			t.Errorf("NY-001 = %+v", ny)
		}
		lt := f.asset(t, "LT-002")
		if lt.State != AssetInUse || lt.OwnerID != nil || lt.RoomID != nil || !lt.PurchasedOn.IsZero() || lt.Price != 0 {
			t.Errorf("LT-002 = %+v; want empty cells empty, in use", lt)
		}
		// The same tag again updates the asset, it adds none.
		again := strings.Replace(goodAssets, ",in_use\n", ",in_repair\n", 1)
		rep, err = f.s.ImportAssets(ctx, f.fac, strings.NewReader(again))
		must(t, err)
		if rep.Created != 0 || rep.Updated != 2 || f.count(t, &Asset{}) != 2 {
			t.Errorf("second import = %+v, %d assets; want 2 updated, 2 in all", rep, f.count(t, &Asset{}))
		}
		if got := f.asset(t, "NY-001"); got.ID != ny.ID || got.State != AssetInRepair {
			t.Errorf("NY-001 after the update = %+v; want the same row in repair", got)
		}
		// Every asset the imports wrote has its audit row, by who imported it.
		var rows []audit.Entry
		must(t, d.W.Where("action = ? AND entity = ?", "helpdesk.asset.import", assetEntity).Order("id").Find(&rows).Error)
		if len(rows) != 4 || rows[0].ActorID == nil || *rows[0].ActorID != f.it1.ID || rows[3].ActorID == nil || *rows[3].ActorID != f.fac.ID {
			t.Errorf("%d import audit rows (%+v); want 4: two by the first importer, two by the second", len(rows), rows)
		}
	})
}

func TestImportAssetsBadRowChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		_, err := f.s.SaveAsset(ctx, f.it1, 0, printer("OLD-1"))
		must(t, err)
		file := "tag,type,price,state,purchased_on,warranty_end,owner\n" +
			"OLD-1,radiátor,1000,spare,,,\n" + // would update OLD-1
			"NEW-1,laptop,5,,,,\n" +
			"NEW-2,laptop,-3,lost,2024-02-30,,nobody\n" + // row 4: four problems
			"NEW-1,monitor,,,,,\n" + // row 5: NEW-1 twice
			",\x01x,,,2025-01-01,2024-01-01,\n" // row 6: no tag, control character, warranty before purchase
		rep, err := f.s.ImportAssets(ctx, f.it1, strings.NewReader(file))
		if !errors.Is(err, ErrAssetImportRejected) {
			t.Fatalf("err = %v; want rejected", err)
		}
		want := []AssetImportProblem{
			{4, "owner", "helpdesk.asset.err.owner", "nobody"},
			{4, "purchased_on", "helpdesk.asset.err.date", "2024-02-30"},
			{4, "price", "helpdesk.asset.err.price", "-3"},
			{4, "state", "helpdesk.asset.err.state", "lost"},
			{5, "tag", "helpdesk.asset.err.duplicate_tag", "NEW-1 (3)"},
			{6, "tag", "helpdesk.asset.err.tag", ""},
			{6, "type", "helpdesk.asset.err.text", "\x01x"},
			{6, "warranty_end", "helpdesk.asset.err.warranty", "2024-01-01"},
		}
		if len(rep.Problems) != len(want) {
			t.Fatalf("problems = %+v; want %+v", rep.Problems, want)
		}
		for _, w := range want {
			found := false
			for _, p := range rep.Problems {
				found = found || p == w
			}
			if !found {
				t.Errorf("problem %+v missing from %+v", w, rep.Problems)
			}
		}
		if n := f.count(t, &Asset{}); n != 1 {
			t.Errorf("%d assets after a rejected file; want the one there was", n)
		}
		if got := f.asset(t, "OLD-1"); got.Type != "nyomtató" || got.State != AssetInUse {
			t.Errorf("OLD-1 after a rejected file = %+v; want it unchanged", got)
		}
	})
}

func TestImportAssetsFileProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		cases := []struct {
			name, file, key string
		}{
			{"empty", "", "helpdesk.asset.err.empty"},
			{"header only", "tag,type\n", "helpdesk.asset.err.empty"},
			{"unknown column", "tag,type,colour\nA,b,red\n", "helpdesk.asset.err.column"},
			{"no type column", "tag,model\nA,b\n", "helpdesk.asset.err.missing_column"},
			{"Latin-2", "tag,type\nA,nyomtat\xf3\n", "helpdesk.asset.err.encoding"},
			{"broken quotes", "tag,type\n\"A,b\n", "helpdesk.asset.err.csv"},
			{"too many rows", "tag,type\n" + strings.Repeat("A,b\n", MaxAssetImportRows+1), "helpdesk.asset.err.too_many"},
			{"too big", "tag,type\n" + strings.Repeat("x", MaxAssetImportBytes), "helpdesk.asset.err.too_big"},
		}
		for _, c := range cases {
			rep, err := f.s.ImportAssets(ctx, f.it1, strings.NewReader(c.file))
			if !errors.Is(err, ErrAssetImportRejected) || len(rep.Problems) == 0 || rep.Problems[0].Key != c.key {
				t.Errorf("%s: %v, %+v; want rejected with %s", c.name, err, rep.Problems, c.key)
			}
		}
		if n := f.count(t, &Asset{}); n != 0 {
			t.Errorf("%d assets after rejected files", n)
		}
	})
}

func TestImportAssetsBOMAndSemicolons(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		file := "\ufeffTag;Type;Model;Price\r\nNY-1;nyomtató;\"HP; color\";12000\r\n"
		rep, err := f.s.ImportAssets(ctx, f.it1, strings.NewReader(file))
		must(t, err)
		if rep.Created != 1 {
			t.Fatalf("report = %+v", rep)
		}
		if got := f.asset(t, "NY-1"); got.Type != "nyomtató" || got.Model != "HP; color" || got.Price != 12000 {
			t.Errorf("NY-1 = %+v", got)
		}
	})
}

// exportCSV runs web.SendCSV on the export, as the export page will, in lang.
func exportCSV(t *testing.T, f *fixture, lang string) string {
	t.Helper()
	head, rows, err := f.s.ExportAssets(context.Background(), f.it1)
	must(t, err)
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error {
		// The locals web.Server's middleware sets: the server (its zone) and the language.
		c.Locals("kapu.server", &web.Server{Cfg: &config.Config{TZ: budapest}})
		c.Locals("kapu.lang", lang)
		return web.SendCSV(c, "assets.csv", head, rows)
	})
	res, err := app.Test(httptest.NewRequest("GET", "/", nil))
	must(t, err)
	body, err := io.ReadAll(res.Body)
	must(t, err)
	return string(body)
}

func TestAssetExportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		dep := f.dept(t, "Pénzügy")
		in := printer("=HYPERLINK(\"http://x\")")
		in.Model, in.Serial = "+36 1 234", "-SN; \"quoted\""
		in.OwnerID, in.DepartmentID, in.RoomID, in.State, in.QueueKey = &f.emp.ID, &dep.ID, uintp(7), AssetSpare, QueueMaintenance
		_, err := f.s.SaveAsset(ctx, f.it1, 0, in)
		must(t, err)
		_, err = f.s.SaveAsset(ctx, f.it1, 0, AssetInput{Tag: "LT-2", Type: "laptop"})
		must(t, err)
		var before []Asset
		must(t, d.W.Order("tag").Find(&before).Error)

		for _, lang := range []string{"hu", "en"} {
			body := exportCSV(t, f, lang)
			// Neither Excel would run the tag: the cell starts with a quote.
			sep := map[string]string{"hu": ";", "en": ","}[lang]
			if !strings.Contains(body, "\r\n\"'=HYPERLINK(\"\"http://x\"\")\""+sep) || !strings.Contains(body, sep+"'+36 1 234"+sep) {
				t.Errorf("%s export does not guard formula cells:\n%s", lang, body)
			}
			rep, err := f.s.ImportAssets(ctx, f.it1, strings.NewReader(body))
			must(t, err)
			if rep.Updated != 2 || rep.Created != 0 {
				t.Errorf("%s import of the export = %+v; want 2 updated", lang, rep)
			}
			var after []Asset
			must(t, d.W.Order("tag").Find(&after).Error)
			for i := range before {
				b, a := before[i], after[i]
				if !sameAsset(a, b) {
					t.Errorf("%s round trip changed %q:\n got %+v\nwant %+v", lang, b.Tag, a, b)
				}
			}
		}
	})
}

func sameAsset(a, b Asset) bool {
	eqp := func(x, y *uint) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return a.ID == b.ID && a.Tag == b.Tag && a.Type == b.Type && a.Model == b.Model && a.Serial == b.Serial &&
		a.Building == b.Building && a.Floor == b.Floor && a.Room == b.Room && eqp(a.RoomID, b.RoomID) &&
		eqp(a.OwnerID, b.OwnerID) && eqp(a.DepartmentID, b.DepartmentID) && a.PurchasedOn.Equal(b.PurchasedOn) &&
		a.Price == b.Price && a.WarrantyEnd.Equal(b.WarrantyEnd) && a.LifeMonths == b.LifeMonths && a.State == b.State &&
		a.QueueKey == b.QueueKey
}

// A first inventory is thousands of rows: they all arrive, in one import.
func TestImportAssetsManyRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var b strings.Builder
		b.WriteString("tag;type;price;purchased_on\n")
		for i := range 1234 {
			fmt.Fprintf(&b, "INV-%05d;szék;%d;2025-01-02\n", i, i)
		}
		rep, err := f.s.ImportAssets(context.Background(), f.fac, strings.NewReader(b.String()))
		must(t, err)
		if rep.Created != 1234 || f.count(t, &Asset{}) != 1234 {
			t.Errorf("report = %+v, %d stored; want 1234", rep, f.count(t, &Asset{}))
		}
		if got := f.asset(t, "INV-01233"); got.Price != 1233 || got.State != AssetInUse {
			t.Errorf("the last row = %+v", got)
		}
	})
}

// The queue column: read where given, "it" when left empty or when the file
// predates the column, refused when unknown.
func TestImportAssetsQueueColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		_, err := f.s.ImportAssets(ctx, f.fac, strings.NewReader("tag,type,queue\nKAZ-1,kazán,maintenance\nNY-1,nyomtató,\n"))
		must(t, err)
		_, err = f.s.ImportAssets(ctx, f.fac, strings.NewReader("tag,type\nLT-1,laptop\n"))
		must(t, err)
		for tag, want := range map[string]string{"KAZ-1": QueueMaintenance, "NY-1": QueueIT, "LT-1": QueueIT} {
			if got := f.asset(t, tag).QueueKey; got != want {
				t.Errorf("%s queue = %q; want %q", tag, got, want)
			}
		}
		rep, err := f.s.ImportAssets(ctx, f.fac, strings.NewReader("tag,type,queue\nX-1,szék,kitchen\n"))
		if !errors.Is(err, ErrAssetImportRejected) || len(rep.Problems) != 1 || rep.Problems[0] != (AssetImportProblem{2, "queue", "helpdesk.asset.err.queue", "kitchen"}) {
			t.Errorf("unknown queue: %v, %+v; want row 2's queue refused", err, rep.Problems)
		}
		if _, err := f.s.SaveAsset(ctx, f.fac, 0, AssetInput{Tag: "Y", Type: "szék", QueueKey: "kitchen"}); !errors.Is(err, ErrAssetQueue) {
			t.Errorf("SaveAsset with an unknown queue: %v; want ErrAssetQueue", err)
		}
	})
}
