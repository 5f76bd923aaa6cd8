package booking_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
)

// inputValue is the value of the input with the id in a page, unescaped.
func inputValue(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]* value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no input #%s on the page", id)
	}
	return html.UnescapeString(m[1])
}

// selectedOption is the value of the selected option of the select with the id.
func selectedOption(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `<select id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no select #%s on the page", id)
	}
	sel := body[i:]
	sel = sel[:strings.Index(sel, "</select>")]
	m := regexp.MustCompile(`<option value="([^"]*)" selected`).FindStringSubmatch(sel)
	if m == nil {
		return ""
	}
	return m[1]
}

// expectedDefault is where the form should start when asked at now for a
// room open 08:00–18:00: the next half hour if an hour still fits today
// (a working day), else the next working day at 08:00.
func expectedDefault(t *testing.T, app *kapu.App, now time.Time) string {
	t.Helper()
	tz := app.Cfg.TZ
	local := now.In(tz)
	today := calendar.DateOf(now, tz)
	m := local.Hour()*60 + local.Minute()
	if local.Second() > 0 || local.Nanosecond() > 0 {
		m++
	}
	m = (m + 29) / 30 * 30
	m = max(m, 8*60)
	if ok, err := app.Calendar.IsWorkday(context.Background(), today); err != nil {
		t.Fatal(err)
	} else if ok && m+60 <= 18*60 {
		return fmt.Sprintf("%s %02d:%02d", today, m/60, m%60)
	}
	return kaputest.WorkdayOnOrAfter(t, app, today.AddDays(1)).String() + " 08:00"
}

// TestBookingFormDefaultsToNextFreeHalfHour: the form for a room offers the
// next half hour it is free in its hours, an hour long, not today 09:00;
// once that is booked, the form offers a later time.
func TestBookingFormDefaultsToNextFreeHalfHour(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "employee")
		room := kaputest.Resource(t, app, "Kis tárgyaló")
		path := fmt.Sprintf("/bookings/new?resource=%d", room.ID)

		before := time.Now()
		res, body := c.Get(path)
		after := time.Now()
		if res.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		day, from, to := inputValue(t, body, "f-day"), inputValue(t, body, "f-from"), inputValue(t, body, "f-to")
		got := day + " " + from
		if want1, want2 := expectedDefault(t, app, before), expectedDefault(t, app, after); got != want1 && got != want2 {
			t.Errorf("the form for %s starts at %s; want %s", room.Name, got, want1)
		}
		if want := endOf(from); to != want {
			t.Errorf("the form's default %s–%s; want an hour, to %s", from, to, want)
		}
		if sel := selectedOption(t, body, "f-resource"); sel != fmt.Sprint(room.ID) {
			t.Errorf("the form selects room %s; want the room asked for, %d", sel, room.ID)
		}

		// Book the offered time: next, the form offers a time after it.
		bookRoom(t, c, url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day}, "from": {from}, "to": {to}, "title": {"Első"}})
		_, body = c.Get(path)
		day2, from2 := inputValue(t, body, "f-day"), inputValue(t, body, "f-from")
		if day2+" "+from2 < day+" "+to {
			t.Errorf("after booking %s %s–%s the form offers %s %s; want a time after the booking", day, from, to, day2, from2)
		}

		// Without a room, the form offers a time and a room free then.
		_, body = c.Get("/bookings/new")
		if sel := selectedOption(t, body, "f-resource"); sel == "" || inputValue(t, body, "f-from") == "" {
			t.Errorf("the form without a room selects room %q at %q; want a room and a time", sel, inputValue(t, body, "f-from"))
		}

		// A typed start gets an hour; whatever the query says, the form is shown.
		if _, body := c.Get(path + "&day=" + day + "&from=14:30"); inputValue(t, body, "f-to") != "15:30" {
			t.Errorf("the form for a start at 14:30 ends at %s; want 15:30", inputValue(t, body, "f-to"))
		}
		car := demoCar(t, app, "ABC-123")
		for _, q := range []string{"resource=-1", "resource=99999999999", fmt.Sprintf("resource=%d", car.ID), "resource=x&day=2026-02-30",
			"day=9999-12-31", "day=0001-01-01", "from=25:00", "from=23:30", "day=%00", "to=24:00"} {
			if res, _ := c.Get("/bookings/new?" + q); res.StatusCode != 200 {
				t.Errorf("GET /bookings/new?%s = %d; want the form", q, res.StatusCode)
			}
		}
	})
}

// endOf is an hour after an HH:MM start.
func endOf(from string) string {
	var h, m int
	fmt.Sscanf(from, "%d:%d", &h, &m)
	return fmt.Sprintf("%02d:%02d", h+1, m)
}

// TestBookingPastStartOnTheRightField: a day before today is the day
// field's error; a time gone today is the start time's.
func TestBookingPastStartOnTheRightField(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "employee")
		room := kaputest.Resource(t, app, "Kis tárgyaló")
		c.Get("/bookings/new")
		today := kaputest.Today(t, app)
		form := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {today.AddDays(-1).String()}, "from": {"10:00"}, "to": {"11:00"}, "title": {"Tegnapi"}}
		res, body := c.Post("/bookings/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "day") != "This day has already passed; choose today or a later day." || kaputest.FieldError(body, "from") != "" {
			t.Errorf("booking yesterday = %d, day %q, from %q; want 422 with the message on the day only", res.StatusCode, kaputest.FieldError(body, "day"), kaputest.FieldError(body, "from"))
		}
		if inputValue(t, body, "f-title") != "Tegnapi" || inputValue(t, body, "f-day") != today.AddDays(-1).String() {
			t.Errorf("the form lost what was typed")
		}

		form.Set("day", today.String())
		form.Set("from", "00:00")
		form.Set("to", "00:30")
		res, body = c.Post("/bookings/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "from") == "" || kaputest.FieldError(body, "day") != "" {
			t.Errorf("booking today 00:00 = %d, day %q, from %q; want 422 with the message on the start time only", res.StatusCode, kaputest.FieldError(body, "day"), kaputest.FieldError(body, "from"))
		}
	})
}

// pickForm is the hidden values of the form that picks the room instead,
// from an "already booked" page.
func pickForm(t *testing.T, body, room string) url.Values {
	t.Helper()
	i := strings.Index(body, "Choose "+room+"<")
	if i < 0 {
		t.Fatalf("the page offers no %s", room)
	}
	start := strings.LastIndex(body[:i], "<form")
	out := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`).FindAllStringSubmatch(body[start:i], -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	out.Set("back", "1")
	return out
}

// TestBookingAlreadyBookedOffersOtherRooms: booking a room that is already
// booked says so, offers the room's next free times and the other rooms
// free for the whole time with the seats; choosing one fills the form again
// with only the room changed, and booking it works.
func TestBookingAlreadyBookedOffersOtherRooms(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		day := kaputest.NextWorkday(t, app).String()
		asked := kaputest.Resource(t, app, "Nagy tárgyaló")
		hall := kaputest.Resource(t, app, "Díszterem (képviselő-testületi ülésterem)")
		projector := kaputest.Resource(t, app, "Projektor")
		bookRoom(t, kaputest.SignedIn(t, app, "employee"), url.Values{"resource": {fmt.Sprint(asked.ID)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"}, "title": {"Első"}})
		bookRoom(t, kaputest.SignedIn(t, app, "hr"), url.Values{"resource": {fmt.Sprint(hall.ID)}, "day": {day}, "from": {"10:30"}, "to": {"11:30"}, "title": {"Ülés"}})

		c := kaputest.SignedIn(t, app, "manager")
		c.Get("/bookings/new")
		eq := fmt.Sprintf("eq_%d", projector.ID)
		form := url.Values{"resource": {fmt.Sprint(asked.ID)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Költségvetés & terv"}, "attendees": {"7"}, "private": {"on"}, eq: {"1"}}
		res, body := c.Post("/bookings/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "from") != "Sorry, this time is already booked." {
			t.Fatalf("booking a booked room = %d, from %q; want 422 saying it is already booked", res.StatusCode, kaputest.FieldError(body, "from"))
		}
		if strings.Contains(body, "just taken") || !strings.Contains(body, "11:00–12:00") {
			t.Errorf("the answer says 'just taken' or does not offer the room at 11:00–12:00")
		}
		// Seats for 7: not the small room, nor the booked ones; smallest first, as the list shows them.
		for _, r := range []string{"Kis tárgyaló", "Nagy tárgyaló", hall.Name} {
			if strings.Contains(body, "Choose "+r+"<") {
				t.Errorf("the answer offers %s; want only rooms free then with 7 seats", r)
			}
		}
		first, second := strings.Index(body, "Choose Ügyfélszolgálati tárgyaló<"), strings.Index(body, "Choose Polgármesteri tárgyaló<")
		if first < 0 || second < first || !strings.Contains(body, "8 seats") || !strings.Contains(body, "Needs approval") {
			t.Fatalf("the answer does not offer the 8-seat room, then the 12-seat one needing approval, with their seats")
		}

		// In Hungarian too.
		hu := kaputest.SignedIn(t, app, "hr")
		hu.Get("/lang/hu")
		hu.Get("/bookings/new")
		form.Del("_csrf") // the manager's, which Post kept in form
		if _, body := hu.Post("/bookings/new", form); kaputest.FieldError(body, "from") != "Sajnos ez az időpont már foglalt." ||
			!strings.Contains(body, "Ügyfélszolgálati tárgyaló választása") || !strings.Contains(body, "A teljes időre szabad más termek:") {
			t.Errorf("in Hungarian the answer says %q, without the other rooms' words", kaputest.FieldError(body, "from"))
		}

		// One click: the form again, with the other room and everything else kept.
		pick := pickForm(t, body, "Ügyfélszolgálati tárgyaló")
		other := kaputest.Resource(t, app, "Ügyfélszolgálati tárgyaló")
		res, body = c.Post("/bookings/new", pick)
		if res.StatusCode != 200 || selectedOption(t, body, "f-resource") != fmt.Sprint(other.ID) {
			t.Fatalf("choosing the other room = %d, room %s; want 200 with room %d chosen", res.StatusCode, selectedOption(t, body, "f-resource"), other.ID)
		}
		kept := map[string]string{"f-day": day, "f-from": "10:00", "f-to": "11:00", "f-title": "Költségvetés & terv", "f-attendees": "7", "f-" + eq: "1"}
		for id, want := range kept {
			if got := inputValue(t, body, id); got != want {
				t.Errorf("after choosing the room #%s = %q; want %q", id, got, want)
			}
		}
		if !strings.Contains(body, `id="f-private" name="private" checked`) {
			t.Errorf("after choosing the room the private box is not ticked")
		}
		if kaputest.FieldError(body, "from") != "" {
			t.Errorf("after choosing the room the form still says %q", kaputest.FieldError(body, "from"))
		}

		// And booking it from there works.
		pick.Del("back")
		if res, body := c.Post("/bookings/new", pick); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking the other room = %d\n%s", res.StatusCode, body)
		}
		var b booking.Booking
		if err := app.DB.R.Where("person_id = ? AND parent_id IS NULL", kaputest.Person(t, app, "manager").ID).Order("id DESC").First(&b).Error; err != nil {
			t.Fatal(err)
		}
		if b.ResourceID != other.ID || b.Title != "Költségvetés & terv" || !b.Private || b.Attendees != 7 {
			t.Errorf("booked %+v; want %s with the title, private, 7 attendees", b, other.Name)
		}
		var lines int64
		app.DB.R.Model(&booking.Booking{}).Where("parent_id = ? AND resource_id = ?", b.ID, projector.ID).Count(&lines)
		if lines != 1 {
			t.Errorf("the booking has %d projector lines; want 1", lines)
		}
	})
}

// TestCarFormShowsEveryErrorAtOnce: a car request with a missing
// destination, an end before its start and more passengers than seats gets
// the three messages on one answer, and keeps every value.
func TestCarFormShowsEveryErrorAtOnce(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "MUS-482") // 2 seats
		c := kaputest.SignedIn(t, app, "employee")
		c.Get("/bookings/cars/new")
		form := carForm(app, car, 2, "14:00", "09:00")
		form.Set("destination", "  ")
		form.Set("purpose", "Árubeszerzés")
		form.Set("passengers", "4")
		res, body := c.Post("/bookings/cars/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("POST a car request with three bad fields = %d; want 422", res.StatusCode)
		}
		want := map[string]string{
			"destination": "This field is required.",
			"end_time":    "The end is before the start.",
			"passengers":  "The car has fewer seats.",
		}
		for field, msg := range want {
			if got := kaputest.FieldError(body, field); got != msg {
				t.Errorf("the %s field says %q; want %q", field, got, msg)
			}
		}
		for _, field := range []string{"start_day", "start_time", "end_day", "purpose", "car"} {
			if got := kaputest.FieldError(body, field); got != "" {
				t.Errorf("the %s field says %q; want nothing", field, got)
			}
		}
		for id, v := range map[string]string{"f-start_day": form.Get("start_day"), "f-start_time": "14:00", "f-end_day": form.Get("end_day"),
			"f-end_time": "09:00", "f-purpose": "Árubeszerzés", "f-passengers": "4", "f-destination": "  "} {
			if got := inputValue(t, body, id); got != v {
				t.Errorf("#%s = %q; want %q kept", id, got, v)
			}
		}

		// A start day gone: the message is on the start day, beside the others.
		form = carForm(app, car, -1, "08:00", "09:00")
		form.Set("purpose", "")
		res, body = c.Post("/bookings/cars/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || kaputest.FieldError(body, "start_day") == "" || kaputest.FieldError(body, "start_time") != "" || kaputest.FieldError(body, "purpose") == "" {
			t.Errorf("a car request for yesterday without a purpose = %d, start day %q, start time %q, purpose %q; want both messages, none on the time",
				res.StatusCode, kaputest.FieldError(body, "start_day"), kaputest.FieldError(body, "start_time"), kaputest.FieldError(body, "purpose"))
		}
		if n := len(kaputest.MailsTo(t, app, "manager")); n != 0 {
			t.Errorf("the manager got %d mails about requests that were refused", n)
		}
	})
}
