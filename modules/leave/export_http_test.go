package leave_test

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
)

// Every leave export opens right in each language's Excel: the CSV's bytes
// (BOM, separator, decimal comma or point, translated head) and the XLSX's
// translated sheet and head with days as numeric cells.
func TestLeaveExportBytes(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		year := calendar.Today(app.Cfg.TZ).Year
		hr := kaputest.Person(t, app, "hr")
		// 20.5 days for the employee, 21 for the manager: 41.5 for their department.
		for u, halves := range map[string]int{"employee": 41, "manager": 42} {
			if err := app.Leave.SetAllocation(context.Background(), hr.Actor(), kaputest.Person(t, app, u).ID, year, halves, "test"); err != nil {
				t.Fatal(err)
			}
		}
		name := regexp.QuoteMeta(kaputest.Person(t, app, "employee").Name)
		ys := strconv.Itoa(year)
		balances, statsPage := "/leave/admin/export", "/leave/admin/stats?year="+ys+"&format="
		tests := []struct {
			lang, path string
			csvHead    string         // the CSV's first bytes
			csvRow     *regexp.Regexp // a line with half days
			sheet, a1  string         // the XLSX's first sheet and head
			cell       string         // an XLSX cell holding half days
		}{
			{"hu", balances + ".csv?q=eszter&year=" + ys, "\ufeffMunkatárs;Szervezeti egység;Éves keret;",
				regexp.MustCompile(`\r\n` + name + `;Hatósági Osztály;20,5;0;0;0;0;0;20,5\r\n`), "", "", ""},
			{"en", balances + ".csv?q=eszter&year=" + ys, "\ufeffPerson,Department,Entitlement,",
				regexp.MustCompile(`\r\n` + name + `,Hatósági Osztály,20\.5,0,0,0,0,0,20\.5\r\n`), "", "", ""},
			{"hu", statsPage + "csv", "\ufeffSzervezeti egység;", regexp.MustCompile(`\r\nHatósági Osztály;\d+;\d+,5;`), "", "", ""},
			{"en", statsPage + "csv", "\ufeffDepartment,", regexp.MustCompile(`\r\nHatósági Osztály,\d+,\d+\.5,`), "", "", ""},
			{"hu", balances + ".xlsx?q=papp&year=" + ys, "", nil, "Szabadság " + ys, "Munkatárs", "C2"},
			{"en", balances + ".xlsx?q=papp&year=" + ys, "", nil, "Leave " + ys, "Person", "C2"},
			{"hu", statsPage + "xlsx", "", nil, "Egységek " + ys, "Szervezeti egység", ""},
			{"en", statsPage + "xlsx", "", nil, "Departments " + ys, "Department", ""},
		}
		c := kaputest.SignedIn(t, app, "hr")
		for _, tt := range tests {
			// The language is the person's: switch it when the case changes it.
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {tt.lang}})
			res, body := c.Get(tt.path)
			if res.StatusCode != 200 {
				t.Errorf("%s GET %s = %d", tt.lang, tt.path, res.StatusCode)
				continue
			}
			if tt.csvRow != nil {
				if !strings.HasPrefix(body, tt.csvHead) || !tt.csvRow.MatchString(body) {
					t.Errorf("%s GET %s: want it to start %q and match %s:\n%q", tt.lang, tt.path, tt.csvHead, tt.csvRow, body)
				}
				continue
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatalf("%s GET %s does not open: %v", tt.lang, tt.path, err)
			}
			sheet := f.GetSheetName(0)
			if a1, _ := f.GetCellValue(sheet, "A1"); sheet != tt.sheet || a1 != tt.a1 {
				t.Errorf("%s GET %s: sheet %q, A1 %q; want %q, %q", tt.lang, tt.path, sheet, a1, tt.sheet, tt.a1)
			}
			cell := tt.cell
			if cell == "" { // the department's entitlement in the stats sheet
				rows, _ := f.GetRows(sheet)
				for i, r := range rows {
					if len(r) > 0 && r[0] == "Hatósági Osztály" {
						cell = "C" + strconv.Itoa(i+1)
					}
				}
			}
			v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			typ, _ := f.GetCellType(sheet, cell)
			if !strings.HasSuffix(v, ".5") || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s GET %s: %s = %q (type %v); want a number of half days", tt.lang, tt.path, cell, v, typ)
			}
			f.Close()
		}
	})
}
