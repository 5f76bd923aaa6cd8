package booking_test

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// The statistics exports open right in each language's Excel: the bytes of
// the CSV (BOM, separator, decimal mark, translated head) and the XLSX
// (translated sheet and head, numbers as numeric cells).
func TestBookingStatsExportBytes(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := firstRoom(t, app)
		// An hour and a half booked on Monday of the stats week: 1.5 booked hours.
		statsBooking(t, app, room, "employee", 0, 10*60, 11*60+30, booking.StatusConfirmed, 1, nil)
		page := "/bookings/stats?period=week&day=" + statsWeek.String()
		tests := []struct {
			lang, head, row, sheet, booked string
		}{
			{"hu", "\ufeffFajta;Erőforrás;", "\r\nTerem;" + room.Name + ";50;1,5;3;1;", "Kihasználtság", "Foglalt óra"},
			{"en", "\ufeffKind,Resource,", "\r\nRoom," + room.Name + ",50,1.5,3,1,", "Utilisation", "Booked hours"},
		}
		for _, tt := range tests {
			c := kaputest.SignedIn(t, app, "fleet")
			c.Get("/profile")
			c.Post("/profile/language", url.Values{"lang": {tt.lang}})
			res, body := c.Get(page + "&format=csv&table=resources")
			if res.StatusCode != 200 || !strings.HasPrefix(body, tt.head) || !strings.Contains(body, tt.row) {
				t.Errorf("%s CSV = %d; want it to start %q and hold %q:\n%s", tt.lang, res.StatusCode, tt.head, tt.row, body)
			}
			if strings.Contains(body, "\n") && strings.Count(body, "\r\n") != strings.Count(body, "\n") {
				t.Errorf("%s CSV has bare line feeds", tt.lang)
			}
			res, body = c.Get(page + "&format=xlsx")
			f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if res.StatusCode != 200 || err != nil {
				t.Fatalf("%s XLSX = %d, %v", tt.lang, res.StatusCode, err)
			}
			if got := f.GetSheetName(0); got != tt.sheet {
				t.Errorf("%s first sheet = %q; want %q", tt.lang, got, tt.sheet)
			}
			if h, _ := f.GetCellValue(tt.sheet, "D1"); h != tt.booked {
				t.Errorf("%s D1 = %q; want %q", tt.lang, h, tt.booked)
			}
			rows, _ := f.GetRows(tt.sheet)
			found := false
			for i, r := range rows {
				if len(r) > 1 && r[1] == room.Name {
					found = true
					cell := "D" + strconv.Itoa(i+1)
					v, _ := f.GetCellValue(tt.sheet, cell, excelize.Options{RawCellValue: true})
					typ, _ := f.GetCellType(tt.sheet, cell)
					if v != "1.5" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
						t.Errorf("%s %s = %q (type %v); want the number 1.5", tt.lang, cell, v, typ)
					}
				}
			}
			if !found {
				t.Errorf("%s XLSX has no row for %s: %q", tt.lang, room.Name, rows)
			}
			f.Close()
		}
	})
}
