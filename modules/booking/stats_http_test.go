package booking_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/stats"
)

// statsWeek is the week the statistics test fills: Monday 9 – Sunday 15 March
// 2026, five working days (15 March, a holiday, falls on the Sunday).
var statsWeek = calendar.NewDate(2026, time.March, 9)

// statsBooking writes a booking of the stats week directly, in any status.
func statsBooking(t *testing.T, app *kapu.App, res booking.Resource, username string, day, from, to int, status string, qty int, parent *uint) booking.Booking {
	t.Helper()
	tz := app.Cfg.TZ
	start := time.Date(2026, time.March, 9+day, 0, from, 0, 0, tz)
	end := time.Date(2026, time.March, 9+day, 0, to, 0, 0, tz)
	b := insertBooking(t, app, res, username, "Stat", start, end, parent)
	if err := app.DB.W.Model(&b).Updates(map[string]any{"status": status, "quantity": qty}).Error; err != nil {
		t.Fatal(err)
	}
	b.Status, b.Quantity = status, qty
	return b
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestBookingStats(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		room := firstRoom(t, app)
		if err := app.DB.W.Model(&room).Update("check_in", true).Error; err != nil {
			t.Fatal(err)
		}
		projector := kaputest.Resource(t, app, "Projektor") // a pool of 3, round the clock
		car := demoCar(t, app, "ABC-123")

		h := 60
		kept := statsBooking(t, app, room, "employee", 0, 10*h, 12*h, booking.StatusConfirmed, 1, nil)
		statsBooking(t, app, projector, "employee", 0, 10*h, 12*h, booking.StatusConfirmed, 2, &kept.ID)
		statsBooking(t, app, room, "employee", 1, 9*h, 10*h, booking.StatusNoShow, 1, nil)
		statsBooking(t, app, room, "employee", 2, 14*h, 15*h, booking.StatusCancelled, 1, nil)
		trip := statsBooking(t, app, car, "employee", 0, 8*h, 24*h+18*h, booking.StatusConfirmed, 1, nil) // Monday 08:00 to Tuesday 18:00
		if err := app.DB.W.Create(&booking.Trip{BookingID: trip.ID, OdometerStart: 1000, OdometerEnd: 1120, Km: 120, CreatedBy: trip.PersonID}).Error; err != nil {
			t.Fatal(err)
		}
		rejected := statsBooking(t, app, car, "manager", 3, 9*h, 12*h, booking.StatusRejected, 1, nil)
		app.DB.W.Model(&rejected).Update("reject_reason", "Nincs rá keret")
		statsBooking(t, app, car, "manager", 4, 9*h, 12*h, booking.StatusExpired, 1, nil)

		st, err := app.Booking.Stats(ctx, stats.PeriodOf(stats.Week, statsWeek.AddDays(2)))
		if err != nil {
			t.Fatal(err)
		}
		if st.Period.From != statsWeek || st.Period.To != statsWeek.AddDays(7) {
			t.Errorf("period = %v – %v; want the week of %v", st.Period.From, st.Period.To, statsWeek)
		}
		find := func(rs []booking.ResourceStats, id uint) booking.ResourceStats {
			for _, r := range rs {
				if r.Resource.ID == id {
					return r
				}
			}
			t.Fatalf("resource %d missing from the statistics", id)
			return booking.ResourceStats{}
		}
		for _, tc := range []struct {
			name                       string
			got                        booking.ResourceStats
			bookable, booked, util     float64
			bookings, noShows, km      int
			rejected, expired, noShowP int // noShowP < 0: not applicable
		}{
			// 5 working days × 10 open hours; 2 h kept; the no-show and the cancelled one do not count.
			{"room", find(st.Rooms, room.ID), 50, 2, 4, 2, 1, 0, 0, 0, 50},
			// 3 projectors × 5 office days of 10 h; 2 projectors for 2 h.
			{"projector", find(st.Equipment, projector.ID), 150, 4, 100 * 4.0 / 150, 1, 0, 0, 0, 0, -1},
			// Only the office hours of Monday and Tuesday count of the overnight trip.
			{"car", find(st.Cars, car.ID), 50, 20, 40, 1, 0, 120, 1, 1, -1},
		} {
			u, _ := tc.got.Utilisation()
			if !near(tc.got.BookableHours, tc.bookable) || !near(tc.got.BookedHours, tc.booked) || !near(u, tc.util) {
				t.Errorf("%s: bookable %.2f, booked %.2f, utilisation %.2f; want %.2f, %.2f, %.2f",
					tc.name, tc.got.BookableHours, tc.got.BookedHours, u, tc.bookable, tc.booked, tc.util)
			}
			if tc.got.Bookings != tc.bookings || tc.got.NoShows != tc.noShows || tc.got.Km != tc.km ||
				tc.got.Rejected != tc.rejected || tc.got.Expired != tc.expired {
				t.Errorf("%s: %d bookings, %d no-shows, %d km, %d rejected, %d expired; want %d, %d, %d, %d, %d", tc.name,
					tc.got.Bookings, tc.got.NoShows, tc.got.Km, tc.got.Rejected, tc.got.Expired, tc.bookings, tc.noShows, tc.km, tc.rejected, tc.expired)
			}
			rate, ok := tc.got.NoShowRate()
			if ok != (tc.noShowP >= 0) || (ok && !near(rate, float64(tc.noShowP))) {
				t.Errorf("%s: no-show rate %.1f (%v); want %d", tc.name, rate, ok, tc.noShowP)
			}
		}

		// Heat maps: Monday is weekday 0.
		heat := map[string]booking.Heat{}
		for _, hm := range st.Heat {
			heat[hm.Kind] = hm
		}
		for _, tc := range []struct {
			kind     string
			wd, hour int
			want     float64
		}{
			{booking.KindRoom, 0, 10, 1}, {booking.KindRoom, 0, 11, 1}, {booking.KindRoom, 0, 12, 0}, {booking.KindRoom, 1, 9, 0},
			{booking.KindEquipment, 0, 10, 2},
			{booking.KindCar, 0, 7, 0}, {booking.KindCar, 0, 23, 1}, {booking.KindCar, 1, 3, 1}, {booking.KindCar, 1, 18, 0},
		} {
			if got := heat[tc.kind].Cells[tc.wd][tc.hour]; !near(got, tc.want) {
				t.Errorf("heat %s day %d hour %d = %.2f; want %.2f", tc.kind, tc.wd, tc.hour, got, tc.want)
			}
		}
		if len(st.KmByDept) != 1 || st.KmByDept[0].Name != "Hatósági Osztály" || st.KmByDept[0].Km != 120 || st.KmByDept[0].Trips != 1 {
			t.Errorf("km by department = %+v; want 120 km for Hatósági Osztály", st.KmByDept)
		}
		if n := len(st.KmByMonth); n != 12 || st.KmByMonth[n-1].Total != 120 || st.KmByMonth[n-1].Month != calendar.NewDate(2026, time.March, 1) {
			t.Errorf("km by month = %+v; want 12 months ending with March's 120", st.KmByMonth)
		}
		if len(st.Reasons) != 1 || st.Reasons[0].Reason != "Nincs rá keret" || st.Reasons[0].Count != 1 || len(st.Rejected) != 1 {
			t.Errorf("rejections = %+v %+v; want the one reason", st.Reasons, st.Rejected)
		}

		// Who may see the page.
		for user, want := range map[string]int{"employee": 403, "manager": 403, "hr": 403, "fleet": 200, "facilities": 200, "it": 200, "admin": 200} {
			res, body := kaputest.SignedIn(t, app, user).Get("/bookings/stats")
			if res.StatusCode != want {
				t.Errorf("%s GET /bookings/stats = %d; want %d", user, res.StatusCode, want)
			}
			if want == 200 && !strings.Contains(body, `href="/bookings/stats"`) {
				t.Errorf("%s has no navigation link to the statistics", user)
			}
		}
		fleet := kaputest.SignedIn(t, app, "fleet")
		page := "/bookings/stats?period=week&day=2026-03-11"
		res, body := fleet.Get(page)
		for _, want := range []string{"Nincs rá keret", "Hatósági Osztály", room.Name, "ABC-123", "<svg", `class="num heat-5"`, "50 %", "40 %"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s = %d lacks %q", page, res.StatusCode, want)
			}
		}
		res, body = fleet.Get(page + "&format=csv&table=resources")
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("CSV = %d %s", res.StatusCode, ct)
		}
		if want := "Car,Skoda Octavia (ABC-123),50,20,40,1,0,,1,1,120\r\n"; !strings.Contains(body, want) {
			t.Errorf("CSV lacks %q:\n%s", want, body)
		}
		if res, body := fleet.Get(page + "&format=csv&table=km_dept"); res.StatusCode != 200 || !strings.Contains(body, "Hatósági Osztály,1,120") {
			t.Errorf("km CSV = %d:\n%s", res.StatusCode, body)
		}
		res, body = fleet.Get(page + "&format=xlsx")
		if res.StatusCode != 200 {
			t.Fatalf("XLSX = %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("XLSX does not open: %v", err)
		}
		defer f.Close()
		if got := f.GetSheetList(); len(got) != 5 || got[0] != "Utilisation" {
			t.Errorf("sheets = %v; want 5 starting with Utilisation", got)
		}
		if v, _ := f.GetCellValue("Utilisation", "E2"); v != "4" {
			t.Errorf("the room's utilisation cell = %q; want 4", v)
		}
		if res, body := fleet.Get("/bookings/stats?period=week&day=2026-02-30"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter a date as YYYY-MM-DD") {
			t.Errorf("a day that does not exist = %d; want 422 explained", res.StatusCode)
		}
		if res, _ := fleet.Get(page + "&format=csv&table=nope"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown table = %d; want 404", res.StatusCode)
		}
	})
}

// TestCarRejectReasonKept checks that the approver's reason lands on the booking.
func TestCarRejectReasonKept(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "HVL-317")
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/bookings/cars/new")
		if res, _ := emp.Post("/bookings/cars/new", carForm(app, car, 3, "09:00", "12:00")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("car request = %d; want 303", res.StatusCode)
		}
		decideByMail(t, app, "manager", false, "Nincs rá keret")
		b := lastBooking(t, app, "employee")
		if b.Status != booking.StatusRejected || b.RejectReason != "Nincs rá keret" {
			t.Errorf("rejected request = %s %q; want rejected with the reason", b.Status, b.RejectReason)
		}
		day := calendar.Today(app.Cfg.TZ).AddDays(3)
		if _, body := kaputest.SignedIn(t, app, "fleet").Get(fmt.Sprintf("/bookings/stats?period=month&day=%s", day)); !strings.Contains(body, "Nincs rá keret") {
			t.Errorf("the statistics of the month do not show the reason")
		}
	})
}

// The whole demo has weeks of history, so the statistics look alive.
func TestBookingStatsDemo(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			app := kaputest.New(t, d, kaputest.WithHistory())
			last := calendar.Today(app.Cfg.TZ).AddDays(-7)
			st, err := app.Booking.Stats(context.Background(), stats.PeriodOf(stats.Week, last))
			if err != nil {
				t.Fatal(err)
			}
			var booked float64
			for _, r := range st.Rooms {
				booked += r.BookedHours
			}
			if booked == 0 || len(st.KmByDept) == 0 {
				t.Errorf("last week of the demo: %.1f room hours booked, km by department %+v; want some of each", booked, st.KmByDept)
			}
			res, body := kaputest.SignedIn(t, app, "fleet").Get("/bookings/stats?period=month&day=" + last.String())
			if res.StatusCode != 200 || !strings.Contains(body, "heat-5") || !strings.Contains(body, "<svg") {
				t.Errorf("demo statistics page = %d; want charts and a shaded heat map", res.StatusCode)
			}
		})
	}
}
