package booking_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
)

// seriesBook books room for username directly through the service.
func seriesBook(t *testing.T, app *kapu.App, username string, room booking.Resource, day calendar.Date, from, to string) *booking.Booking {
	t.Helper()
	start, end, err := booking.LocalTimes(day, from, to, app.Cfg.TZ)
	if err != nil {
		t.Fatal(err)
	}
	b, err := app.Booking.Book(context.Background(), kaputest.Person(t, app, username).Actor(), booking.BookingInput{ResourceID: room.ID, Start: start, End: end, Title: "Planted"})
	if err != nil {
		t.Fatalf("planting %s %s–%s: %v", day, from, to, err)
	}
	return b
}

// occurrences are a series' room bookings, earliest first.
func occurrences(t *testing.T, app *kapu.App, seriesID uint) []booking.Booking {
	t.Helper()
	var out []booking.Booking
	if err := app.DB.R.Where("series_id = ? AND parent_id IS NULL", seriesID).Order("start_at, id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// wall is a booking's local start and end as "HH:MM–HH:MM".
func wall(app *kapu.App, b booking.Booking) string {
	return b.StartAt.In(app.Cfg.TZ).Format("15:04") + "–" + b.EndAt.In(app.Cfg.TZ).Format("15:04")
}

func TestSeriesWeeklyPreviewAndConfirm(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := firstRoom(t, app)
		projector := kaputest.Resource(t, app, "Projektor")
		first := weeklyWorkday(t, app, 8, 4)
		clash := first.AddDays(14)
		seriesBook(t, app, "manager", room, clash, "10:30", "11:30")

		c := kaputest.SignedIn(t, app, "employee")
		if res, body := c.Get("/bookings/new"); res.StatusCode != 200 || !strings.Contains(body, `name="repeat"`) || !strings.Contains(body, `name="count"`) {
			t.Fatalf("GET /bookings/new = %d; want the repeat section", res.StatusCode)
		}
		form := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {first.String()}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Heti egyeztetés"}, "attendees": {"4"}, "repeat": {"weekly"}, "count": {"4"},
			fmt.Sprintf("eq_%d", projector.ID): {"1"}}

		res, body := c.Post("/bookings/new", form)
		if res.StatusCode != http.StatusOK || strings.Count(body, `class="series-conflict"`) != 1 || !strings.Contains(body, "3 of 4 dates are free") {
			t.Fatalf("preview = %d; want 200 listing one conflict of four\n%s", res.StatusCode, body)
		}
		if strings.Contains(body, "booking.series.") {
			t.Errorf("the preview shows a raw translation key")
		}
		var n int64
		app.DB.R.Model(&booking.Booking{}).Where("series_id IS NOT NULL").Count(&n)
		if n != 0 {
			t.Fatalf("the preview booked %d rows; want none", n)
		}

		// Too many dates: a clear message, nothing booked.
		many := url.Values{}
		for k, v := range form {
			many[k] = v
		}
		many.Set("count", "101")
		if res, body := c.Post("/bookings/new", many); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at most 100 dates") {
			t.Errorf("101 times = %d; want 422 naming the cap of 100", res.StatusCode)
		}

		form.Set("confirm", "1")
		if res, body := c.Post("/bookings/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm = %d; want 303\n%s", res.StatusCode, body)
		}
		var sers []booking.Series
		app.DB.R.Find(&sers)
		if len(sers) != 1 || sers[0].Rule != booking.RepeatWeekly || sers[0].Count != 4 || sers[0].Equipment != "1 × Projektor" {
			t.Fatalf("series rows = %+v; want one weekly series of 4 with the projector", sers)
		}
		occ := occurrences(t, app, sers[0].ID)
		if len(occ) != 3 {
			t.Fatalf("booked %d occurrences; want 3 (the clash skipped)", len(occ))
		}
		for _, o := range occ {
			if calendar.DateOf(o.StartAt, app.Cfg.TZ) == clash || wall(app, o) != "10:00–11:00" {
				t.Errorf("occurrence on %s %s; want the free dates at 10:00–11:00", calendar.DateOf(o.StartAt, app.Cfg.TZ), wall(app, o))
			}
		}
		var kids int64
		app.DB.R.Model(&booking.Booking{}).Where("series_id = ? AND parent_id IS NOT NULL AND resource_id = ?", sers[0].ID, projector.ID).Count(&kids)
		if kids != 3 {
			t.Errorf("projector lines with the series = %d; want 3", kids)
		}
		mails := kaputest.MailsTo(t, app, "facilities")
		if len(mails) != 1 || !strings.Contains(mails[0].Text, "Projektor") || !strings.Contains(mails[0].Text, "(3)") {
			t.Fatalf("facilities got %d mails; want exactly one for the series listing 3 dates: %+v", len(mails), mails)
		}
		// The booker gets one confirmation for the series, its .ics holding every booked date.
		own := kaputest.MailsTo(t, app, "employee")
		if len(own) != 1 || strings.Count(icsOf(t, own[0]), "BEGIN:VEVENT") != 3 {
			t.Errorf("the booker got %d mails; want one whose invitation has the 3 dates", len(own))
		}
		res, body = c.Get("/bookings/mine")
		if res.StatusCode != 200 || !strings.Contains(body, "Not booked: "+i18n.FormatDate("en", clash.Year, clash.Month, clash.Day)) {
			t.Errorf("my bookings after the series = %d; want the skipped date in the flash", res.StatusCode)
		}
		if strings.Count(body, ">series</span>") != 3 || strings.Contains(body, "booking.series.") || !strings.Contains(body, fmt.Sprintf("/bookings/%d/edit", occ[0].ID)) {
			t.Errorf("my bookings do not mark the 3 occurrences as a series with an edit link")
		}

		// Confirming again when nothing is free any more books nothing.
		if res, body := c.Post("/bookings/new", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "nothing was booked") {
			t.Errorf("confirming a fully taken series = %d; want 422 saying nothing was booked", res.StatusCode)
		}
	})
}

func TestSeriesMonthlyMissingDay(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	room := firstRoom(t, app)
	// The next 31st at least a week away: some month of the next three has no 31st.
	day := kaputest.Today(t, app).AddDays(7)
	for day.Day != 31 {
		day = day.AddDays(1)
	}
	in := booking.SeriesInput{BookingInput: booking.BookingInput{ResourceID: room.ID}, First: day, From: "09:00", To: "10:00",
		Rule: booking.RepeatMonthly, Count: 4}
	days, err := app.Booking.PreviewSeries(context.Background(), kaputest.Person(t, app, "employee").Actor(), in)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, d := range days {
		if d.Reason == booking.ReasonNoDay {
			missing++
		} else if d.Day.Day != 31 {
			t.Errorf("date %s moved; want the 31st or a conflict", d.Day)
		}
	}
	if len(days) != 4 || missing == 0 {
		t.Errorf("monthly from %s: %d dates, %d missing; want 4 with at least one month without a 31st", day, len(days), missing)
	}
}

func TestSeriesEditFollowingKeepsExceptions(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		room := firstRoom(t, app)
		first := weeklyWorkday(t, app, 8, 4)
		in := booking.SeriesInput{BookingInput: booking.BookingInput{ResourceID: room.ID, Title: "Heti"}, First: first,
			From: "10:00", To: "11:00", Rule: booking.RepeatWeekly, Count: 4}
		ser, _, err := app.Booking.BookSeries(ctx, kaputest.Person(t, app, "employee").Actor(), in)
		if err != nil {
			t.Fatal(err)
		}
		occ := occurrences(t, app, ser.ID)
		if len(occ) != 4 {
			t.Fatalf("%d occurrences; want 4", len(occ))
		}
		c := kaputest.SignedIn(t, app, "employee")
		edit := func(b booking.Booking, from, to, scope string) (*http.Response, string) {
			t.Helper()
			c.Get(fmt.Sprintf("/bookings/%d/edit", b.ID))
			return c.Post(fmt.Sprintf("/bookings/%d/edit", b.ID), url.Values{"day": {calendar.DateOf(b.StartAt, app.Cfg.TZ).String()},
				"from": {from}, "to": {to}, "title": {"Heti"}, "attendees": {"2"}, "scope": {scope}})
		}
		if res, body := c.Get(fmt.Sprintf("/bookings/%d/edit", occ[1].ID)); res.StatusCode != 200 || !strings.Contains(body, `value="following"`) || strings.Contains(body, `"booking.`) || strings.Contains(body, ">booking.") {
			t.Fatalf("GET edit of an occurrence = %d; want the scope choice and no raw keys", res.StatusCode)
		}
		// The second date alone to 14:00.
		if res, body := edit(occ[1], "14:00", "15:00", "one"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("editing only the second = %d; want 303\n%s", res.StatusCode, body)
		}
		// The first and all following to 12:00: the second keeps 14:00.
		if res, body := edit(occ[0], "12:00", "13:00", "following"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("editing this and following = %d; want 303\n%s", res.StatusCode, body)
		}
		got := occurrences(t, app, ser.ID)
		want := []string{"12:00–13:00", "14:00–15:00", "12:00–13:00", "12:00–13:00"}
		for i, o := range got {
			if wall(app, o) != want[i] {
				t.Errorf("occurrence %d at %s; want %s", i+1, wall(app, o), want[i])
			}
		}
		if !got[1].SeriesException || got[0].SeriesException || got[2].SeriesException {
			t.Errorf("exception marks = %v %v %v; want only the second marked", got[0].SeriesException, got[1].SeriesException, got[2].SeriesException)
		}

		// Moving the third and following to 16:00 while the fourth's 16:00 is
		// taken: the third moves, the fourth stays and is named.
		seriesBook(t, app, "manager", room, calendar.DateOf(got[3].StartAt, app.Cfg.TZ), "16:00", "17:00")
		res, _ := edit(got[2], "16:00", "17:00", "following")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("moving the rest into a clash = %d; want 303 with the clash reported", res.StatusCode)
		}
		_, body := c.Get("/bookings/mine")
		kept := calendar.DateOf(got[3].StartAt, app.Cfg.TZ)
		if !strings.Contains(body, "Not changed, kept as they were: "+i18n.FormatDate("en", kept.Year, kept.Month, kept.Day)) {
			t.Errorf("my bookings do not name the date that could not move")
		}
		got = occurrences(t, app, ser.ID)
		if wall(app, got[2]) != "16:00–17:00" || wall(app, got[3]) != "12:00–13:00" {
			t.Errorf("after moving the rest: third %s, fourth %s; want 16:00–17:00 and 12:00–13:00 kept", wall(app, got[2]), wall(app, got[3]))
		}

		// Cancel the second and following: the first stays.
		c.Get("/bookings/mine")
		if res, _ := c.Post(fmt.Sprintf("/bookings/%d/cancel-following", got[1].ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel following = %d; want 303", res.StatusCode)
		}
		got = occurrences(t, app, ser.ID)
		for i, want := range []string{booking.StatusConfirmed, booking.StatusCancelled, booking.StatusCancelled, booking.StatusCancelled} {
			if got[i].Status != want {
				t.Errorf("occurrence %d is %s; want %s", i+1, got[i].Status, want)
			}
		}
		// Someone else cannot cancel the rest of the series.
		other := kaputest.SignedIn(t, app, "manager")
		other.Get("/bookings/mine")
		if res, _ := other.Post(fmt.Sprintf("/bookings/%d/cancel-following", got[0].ID), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("someone else cancelling the series = %d; want 403", res.StatusCode)
		}
	})
}

func TestBookingEditRules(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := firstRoom(t, app)
		projector := kaputest.Resource(t, app, "Projektor")
		field := fmt.Sprintf("eq_%d", projector.ID)
		day := kaputest.WorkdayFrom(t, app, 9)
		c := kaputest.SignedIn(t, app, "employee")
		c.Get("/bookings/new")
		form := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day.String()}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Eredeti"}, "attendees": {"3"}, field: {"1"}}
		if res, body := c.Post("/bookings/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking = %d\n%s", res.StatusCode, body)
		}
		var b booking.Booking
		app.DB.R.Where("person_id = ? AND parent_id IS NULL", kaputest.Person(t, app, "employee").ID).Order("id DESC").First(&b)
		seriesBook(t, app, "manager", room, day, "12:00", "13:00")
		mailsBefore := len(kaputest.MailsTo(t, app, "facilities"))
		path := fmt.Sprintf("/bookings/%d/edit", b.ID)

		// Into a clash: nothing changes and the answer names free times.
		if res, body := c.Get(path); res.StatusCode != 200 || !strings.Contains(body, `value="Eredeti"`) || !strings.Contains(body, `name="`+field+`" value="1"`) {
			t.Fatalf("GET edit = %d; want the form filled with the booking", res.StatusCode)
		}
		form.Set("from", "12:00")
		form.Set("to", "13:00")
		form.Set("title", "Áttéve")
		res, body := c.Post(path, form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "this time is already booked") || !strings.Contains(body, path+"?day=") {
			t.Fatalf("edit into a clash = %d; want 422 with free times linking back to the edit\n%s", res.StatusCode, body)
		}
		var now booking.Booking
		app.DB.R.First(&now, b.ID)
		if wall(app, now) != "10:00–11:00" || now.Title != "Eredeti" {
			t.Errorf("after the clash the booking is %s %q; want it unchanged", wall(app, now), now.Title)
		}

		// A free time with two projectors: the room and its line move together.
		form.Set("from", "14:00")
		form.Set("to", "15:30")
		form.Set(field, "2")
		if res, body := c.Post(path, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit to a free time = %d; want 303\n%s", res.StatusCode, body)
		}
		app.DB.R.First(&now, b.ID)
		var kids []booking.Booking
		app.DB.R.Where("parent_id = ? AND status = ?", b.ID, booking.StatusConfirmed).Find(&kids)
		if wall(app, now) != "14:00–15:30" || now.Title != "Áttéve" || len(kids) != 1 || kids[0].Quantity != 2 || !kids[0].StartAt.Equal(now.StartAt) {
			t.Fatalf("after the change: %s %q, lines %+v; want 14:00–15:30 with 2 projectors at the same time", wall(app, now), now.Title, kids)
		}
		mails := kaputest.MailsTo(t, app, "facilities")
		if len(mails) != mailsBefore+1 || !strings.Contains(mails[len(mails)-1].Text, "1 × Projektor") || !strings.Contains(mails[len(mails)-1].Text, "2 × Projektor") {
			t.Errorf("facilities got %d new mails; want one saying 1 → 2 projectors", len(mails)-mailsBefore)
		}
		var entries int64
		app.DB.R.Model(&audit.Entry{}).Where("action = ? AND entity_id = ?", "booking.change", fmt.Sprint(b.ID)).Count(&entries)
		if entries != 1 {
			t.Errorf("audit rows of the change = %d; want 1", entries)
		}

		// Someone else's booking: 403; no such booking: 404.
		other := kaputest.SignedIn(t, app, "manager")
		if res, _ := other.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("someone else GET edit = %d; want 403", res.StatusCode)
		}
		other.Get("/bookings/mine")
		if res, _ := other.Post(path, form); res.StatusCode != http.StatusForbidden {
			t.Errorf("someone else POST edit = %d; want 403", res.StatusCode)
		}
		if res, _ := c.Get("/bookings/999999/edit"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET edit of no booking = %d; want 404", res.StatusCode)
		}
		if res, _ := c.Get(fmt.Sprintf("/bookings/%d/edit", kids[0].ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET edit of an equipment line = %d; want 404 (it changes with its room)", res.StatusCode)
		}

		// A car: destination may change, the time may not.
		car := demoCar(t, app, "KPU-204")
		inThree := kaputest.Today(t, app).AddDays(3)
		start := time.Date(inThree.Year, inThree.Month, inThree.Day, 10, 0, 0, 0, app.Cfg.TZ)
		held, err := app.Booking.RequestCar(context.Background(), kaputest.Person(t, app, "employee").Actor(), booking.BookingInput{ResourceID: car.ID,
			Start: start, End: start.Add(2 * time.Hour), Destination: "Szeged", Purpose: "Egyeztetés", Passengers: 1})
		if err != nil {
			t.Fatal(err)
		}
		carPath := fmt.Sprintf("/bookings/%d/edit", held.ID)
		if res, body := c.Get(carPath); res.StatusCode != 200 || !strings.Contains(body, `value="Szeged"`) {
			t.Fatalf("GET car edit = %d; want the destination filled", res.StatusCode)
		}
		local := start.In(app.Cfg.TZ)
		carForm := url.Values{"start_day": {local.Format("2006-01-02")}, "start_time": {local.Add(time.Hour).Format("15:04")},
			"end_day": {local.Format("2006-01-02")}, "end_time": {local.Add(2 * time.Hour).Format("15:04")},
			"destination": {"Debrecen"}, "purpose": {"Egyeztetés"}, "passengers": {"2"}}
		if res, body := c.Post(carPath, carForm); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Cancel it and request the car again") {
			t.Errorf("car time change = %d; want 422 saying to cancel and request again", res.StatusCode)
		}
		carForm.Set("start_time", local.Format("15:04"))
		carForm.Set("passengers", strconv.Itoa(car.Seats+1))
		if res, body := c.Post(carPath, carForm); res.StatusCode != http.StatusUnprocessableEntity ||
			!regexp.MustCompile(`name="passengers"[^>]*aria-invalid="true"`).MatchString(body) {
			t.Errorf("more passengers than seats = %d; want 422 with the passengers field marked", res.StatusCode)
		}
		carForm.Set("passengers", "2")
		if res, body := c.Post(carPath, carForm); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("car destination change = %d; want 303\n%s", res.StatusCode, body)
		}
		var cb booking.Booking
		app.DB.R.First(&cb, held.ID)
		if cb.Destination != "Debrecen" || cb.Passengers != 2 || !cb.StartAt.Equal(held.StartAt) {
			t.Errorf("car booking after the change: %q, %d passengers, start %s", cb.Destination, cb.Passengers, cb.StartAt)
		}
	})
}

// A private series stays private through its preview: the confirm button
// posts the flag again.
func TestSeriesPreviewKeepsPrivate(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "employee")
	c.Get("/bookings/new")
	form := url.Values{"resource": {fmt.Sprint(firstRoom(t, app).ID)}, "day": {weeklyWorkday(t, app, 8, 2).String()},
		"from": {"10:00"}, "to": {"11:00"}, "title": {"Titkos"}, "repeat": {"weekly"}, "count": {"2"}, "private": {"on"}}
	if res, body := c.Post("/bookings/new", form); res.StatusCode != http.StatusOK || !strings.Contains(body, `name="private" value="on"`) {
		t.Errorf("preview of a private series = %d; want the private flag among the values it confirms", res.StatusCode)
	}
}
