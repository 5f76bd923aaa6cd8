package booking_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
)

// tableQueries counts the queries each table gets while a page is served.
type tableQueries struct {
	mu sync.Mutex
	n  map[string]int
}

func countQueries(t *testing.T, app *kapu.App) *tableQueries {
	t.Helper()
	q := &tableQueries{n: map[string]int{}}
	err := app.DB.R.Callback().Query().Before("gorm:query").Register("timeline_test:count", func(tx *gorm.DB) {
		q.mu.Lock()
		defer q.mu.Unlock()
		q.n[tx.Statement.Table]++
	})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func (q *tableQueries) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n = map[string]int{}
}

func (q *tableQueries) get(table string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n[table]
}

// TestTimelineOneQueryPerPage: however many rooms and bookers, a timeline
// page reads the bookings in one query and the bookers' names in one more.
func TestTimelineOneQueryPerPage(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		day := kaputest.NextWorkday(t, app)
		q := countQueries(t, app)
		c := kaputest.SignedIn(t, app, "employee")
		users := []string{"admin", "manager", "employee", "hr", "it", "fleet"}
		for _, rooms := range []int{5, 20} {
			for n := len(mustResources(t, app, booking.KindRoom)); n < rooms; n++ {
				r := booking.Resource{Kind: booking.KindRoom, Name: fmt.Sprintf("Extra %02d", n), Seats: 4, OpenFrom: 8 * 60, OpenTo: 18 * 60, Quantity: 1, Active: true}
				if err := app.DB.W.Create(&r).Error; err != nil {
					t.Fatal(err)
				}
				for h := 0; h < 3; h++ {
					who := kaputest.Person(t, app, users[(n+h)%len(users)])
					start := time.Date(day.Year, day.Month, day.Day, 9+2*h, 0, 0, 0, app.Cfg.TZ)
					if _, err := app.Booking.Book(ctx, who.Actor(), booking.BookingInput{ResourceID: r.ID, Start: start, End: start.Add(time.Hour), Title: "x"}); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, kind := range []string{booking.KindRoom, booking.KindCar, booking.KindEquipment} {
				for _, view := range []string{"day", "week"} {
					q.reset()
					path := "/bookings?kind=" + kind + "&view=" + view + "&date=" + day.String()
					res, body := c.Get(path)
					if res.StatusCode != 200 || strings.Contains(body, "booking.") {
						t.Fatalf("GET %s = %d; want 200 without raw keys", path, res.StatusCode)
					}
					if n := q.get("bookings"); n != 1 {
						t.Errorf("%d rooms: GET %s read bookings %d times; want 1", rooms, path, n)
					}
					if kind == booking.KindRoom && rooms == 20 && !strings.Contains(body, "booked by Papp Eszter") {
						t.Errorf("GET %s does not name the bookers", path)
					}
					if n := q.get("people"); n > 2 { // the viewer's session, and the bookers' names
						t.Errorf("%d rooms: GET %s read people %d times; want at most 2", rooms, path, n)
					}
				}
			}
		}
	})
}

func mustResources(t *testing.T, app *kapu.App, kind string) []booking.Resource {
	t.Helper()
	rs, err := app.Booking.Resources(context.Background(), kind)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

var carLinkRe = regexp.MustCompile(`/bookings/cars/new\?car=\d+&amp;end_day=[0-9-]+&amp;end_time=[0-9%A]+&amp;start_day=[0-9-]+&amp;start_time=([0-9%A]+)`)

// TestTimelineReasons: the blocks say why something cannot be booked — by
// whom or "private", outside hours, in service, weekend or holiday — and the
// free space links to the form filled with the room and the time.
func TestTimelineReasons(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		day := kaputest.NextWorkday(t, app)
		room := kaputest.Resource(t, app, "Kis tárgyaló")
		booker := kaputest.SignedIn(t, app, "employee")
		form := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day.String()}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Titkos egyeztetés"}, "attendees": {"2"}, "private": {"on"}}
		bookRoom(t, booker, form)
		dayPath := "/bookings?kind=room&view=day&date=" + day.String()

		for _, tt := range []struct {
			user string
			sees bool
		}{{"employee", true}, {"admin", true}, {"facilities", true}, {"manager", false}, {"it", false}} {
			_, body := kaputest.SignedIn(t, app, tt.user).Get(dayPath)
			seesTitle := strings.Contains(body, "Titkos egyeztetés")
			seesName := strings.Contains(body, "booked by Papp Eszter")
			if seesTitle != tt.sees || seesName != tt.sees {
				t.Errorf("%s sees the private booking's title %v, booker %v; want %v", tt.user, seesTitle, seesName, tt.sees)
			}
			if !tt.sees && !strings.Contains(body, "10:00–11:00 · private booking") {
				t.Errorf("%s is not told the room is taken by a private booking", tt.user)
			}
		}

		// Free space books it: the link carries the room, the day and the hour.
		_, body := booker.Get(dayPath)
		link := fmt.Sprintf(`/bookings/new?day=%s&amp;from=14%%3A00&amp;resource=%d&amp;to=15%%3A00`, day, room.ID)
		if !strings.Contains(body, link) {
			t.Fatalf("the day view has no link booking %s at 14:00–15:00 (%s)", room.Name, link)
		}
		res, body := booker.Get(strings.ReplaceAll(link, "&amp;", "&"))
		if res.StatusCode != 200 || !strings.Contains(body, `value="14:00"`) || !strings.Contains(body, `value="15:00"`) ||
			!strings.Contains(body, fmt.Sprintf(`<option value="%d" selected`, room.ID)) {
			t.Errorf("the free space link opens the form = %d; want it filled with the room and 14:00–15:00", res.StatusCode)
		}

		// Shorter hours show as not bookable; a car in service is a row saying so.
		short := booking.Resource{Kind: booking.KindRoom, Name: "Rövid terem", Seats: 4, OpenFrom: 10 * 60, OpenTo: 16 * 60, Quantity: 1, Active: true}
		app.DB.W.Create(&short)
		car := kaputest.Resource(t, app, "Dacia Jogger")
		app.DB.W.Model(&car).Update("active", false)
		_, body = booker.Get(dayPath)
		if !strings.Contains(body, "Outside bookable hours (10:00–16:00)") {
			t.Errorf("a room open 10–16 is not shown as outside its hours before 10 and after 16")
		}
		_, body = booker.Get("/bookings?kind=car&view=week&date=" + day.String())
		if !strings.Contains(body, "Dacia Jogger: In service") {
			t.Errorf("the inactive car is not shown as in service")
		}

		// Weekends and public holidays close rooms but not cars.
		sat := day
		for sat.Weekday() != time.Saturday {
			sat = sat.AddDays(1)
		}
		_, body = booker.Get("/bookings?kind=room&view=day&date=" + sat.String())
		if !strings.Contains(body, "Not bookable: Weekend") || strings.Contains(body, "/bookings/new?") && strings.Contains(body, "resource=") {
			t.Errorf("on Saturday the rooms are not shown as closed for the weekend")
		}
		_, body = booker.Get("/bookings?kind=car&view=day&date=" + sat.String())
		carLink := carLinkRe.FindStringSubmatch(body)
		if carLink == nil {
			t.Fatalf("on Saturday the cars have no free space to book")
		}
		res, body = booker.Get(strings.ReplaceAll(carLink[0], "&amp;", "&"))
		if res.StatusCode != 200 || !strings.Contains(body, `value="`+sat.String()+`"`) || !strings.Contains(body, `value="`+strings.ReplaceAll(carLink[1], "%3A", ":")+`"`) {
			t.Errorf("the car's free space link %s opens the form = %d; want it filled with Saturday and the hour", carLink[0], res.StatusCode)
		}
		xmas := calendar.NewDate(day.Year+1, time.December, 25)
		_, body = booker.Get("/bookings?kind=room&view=day&date=" + xmas.String())
		if !strings.Contains(body, "Not bookable: Christmas") {
			t.Errorf("on Christmas Day the rooms are not shown as closed for the holiday")
		}
		holiday := calendar.NewDate(day.Year+1, time.May, 1)
		for holiday.Weekday() == time.Saturday || holiday.Weekday() == time.Sunday {
			holiday = calendar.NewDate(holiday.Year+1, time.May, 1)
		}
		form.Set("day", holiday.String())
		booker.Get("/bookings/new")
		res, body = booker.Post("/bookings/new", form)
		if res.StatusCode != 422 || !strings.Contains(body, "cannot be booked on this day: Labour Day") {
			t.Errorf("booking a room on Labour Day = %d; want 422 naming the holiday", res.StatusCode)
		}
	})
}

// TestFindRoom: time, seats and equipment give the free rooms, each with a
// book link carrying the values; when none fits, the nearest free times.
func TestFindRoom(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	day := kaputest.NextWorkday(t, app)
	c := kaputest.SignedIn(t, app, "employee")
	proj := kaputest.Resource(t, app, "Projektor")
	eq := fmt.Sprintf("eq_%d", proj.ID)
	find := fmt.Sprintf("/bookings/find?day=%s&from=10:00&to=11:00&seats=15&features=projektor&%s=1", day, eq)
	res, body := c.Get(find)
	big, hall := kaputest.Resource(t, app, "Nagy tárgyaló"), kaputest.Resource(t, app, "Díszterem (képviselő-testületi ülésterem)")
	if res.StatusCode != 200 || !strings.Contains(body, big.Name) || !strings.Contains(body, hall.Name) || strings.Contains(body, "Kis tárgyaló") {
		t.Fatalf("find 15 seats with a projector = %d; want the two big rooms only", res.StatusCode)
	}
	link := fmt.Sprintf("/bookings/new?attendees=15&amp;day=%s&amp;%s=1&amp;from=10%%3A00&amp;resource=%d&amp;to=11%%3A00", day, eq, big.ID)
	if !strings.Contains(body, link) {
		t.Fatalf("the result has no book link carrying the search (%s)", link)
	}
	res, body = c.Get(strings.ReplaceAll(link, "&amp;", "&"))
	if res.StatusCode != 200 || !strings.Contains(body, `name="`+eq+`" value="1"`) || !strings.Contains(body, `name="attendees" value="15"`) {
		t.Errorf("the book link opens the form = %d; want the projector and 15 attendees filled in", res.StatusCode)
	}
	for _, r := range []booking.Resource{big, hall} {
		bookRoom(t, c, url.Values{"resource": {fmt.Sprint(r.ID)}, "day": {day.String()}, "from": {"09:30"}, "to": {"11:00"}, "title": {"foglalt"}})
	}
	_, body = c.Get(find)
	if !strings.Contains(body, "No room fits for that time.") || !strings.Contains(body, "11:00–12:00") {
		t.Errorf("with both big rooms taken the finder does not say so and suggest 11:00–12:00")
	}
	// Every projector taken 11:00–12:00 (with the small room): the big rooms
	// are suggested from 12:00, when the projectors are back, not at 11:00.
	small := kaputest.Resource(t, app, "Kis tárgyaló")
	bookRoom(t, c, url.Values{"resource": {fmt.Sprint(small.ID)}, "day": {day.String()}, "from": {"11:00"}, "to": {"12:00"}, "title": {"vetítés"}, eq: {"3"}})
	_, body = c.Get(find)
	if strings.Contains(body, "&amp;from=11%3A00") || !strings.Contains(body, "No room fits for that time.") || !strings.Contains(body, "12:00–13:00") {
		t.Errorf("with every projector taken 11:00–12:00 the finder still suggests that hour, or nothing:\n%s", body)
	}
	_, body = c.Get(strings.Replace(find, eq+"=1", eq+"=4", 1))
	if !strings.Contains(body, "Not enough free at that time: Projektor") {
		t.Errorf("asking for 4 of 3 projectors does not say the projectors are short")
	}
	if res, _ := c.Get("/bookings/find?day=nope&from=10:00&to=11:00"); res.StatusCode != 422 {
		t.Errorf("find with a bad date = %d; want 422", res.StatusCode)
	}
}

// A mistyped date in a timeline link says so and shows today instead of
// failing; a kind or view that does not exist is a missing page.
func TestTimelineBadLink(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	c := kaputest.SignedIn(t, app, "employee")
	res, _ := c.Get("/bookings?kind=car&view=day&date=2026-13-45")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "kind=car") ||
		!strings.Contains(loc, "date="+calendar.Today(app.Cfg.TZ).String()) {
		t.Fatalf("bad date = %d to %q; want 303 to today's car day view", res.StatusCode, loc)
	}
	if res, body := c.Get(res.Header.Get("Location")); res.StatusCode != 200 || !strings.Contains(body, "“2026-13-45” is not a date") {
		t.Errorf("timeline after a bad date = %d; want the page saying the date was wrong", res.StatusCode)
	}
	for _, p := range []string{"/bookings?kind=boat", "/bookings?view=year"} {
		if res, _ := c.Get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
		}
	}
}

// timelineBlock is a booking's block in the grid, as a user meets it.
type timelineBlock struct {
	cols                      int
	class, title, hidden, who string
}

var (
	blockRe  = regexp.MustCompile(`<td colspan="(\d+)" class="([^"]*)" title="([^"]*)"><span class="tl-block"><span class="visually-hidden">([^<]*)</span><span class="tl-text">([^<]*)</span>(?:<span class="tl-who">([^<]*)</span>)?</span></td>`)
	hourRe   = regexp.MustCompile(`<th scope="col" colspan="4" class="tl-hour[^"]*">(?:<span>)?(\d\d)(?:</span>)?</th>`)
	tagRe    = regexp.MustCompile(`<[^>]+>`)
	spacesRe = regexp.MustCompile(`\s+`)
)

// gridAndAgenda splits a timeline page into the grid wide screens see and
// the agenda phones see.
func gridAndAgenda(t *testing.T, body string) (string, string) {
	t.Helper()
	grid, agenda, ok := strings.Cut(body, `<div class="tl-agenda">`)
	if !ok {
		t.Fatalf("the timeline page has no agenda")
	}
	return grid, agenda
}

// blocksByText are the grid's booking blocks, by their visible text.
func blocksByText(grid string) map[string]timelineBlock {
	out := map[string]timelineBlock{}
	for _, m := range blockRe.FindAllStringSubmatch(grid, -1) {
		var n int
		fmt.Sscan(m[1], &n)
		out[html.UnescapeString(m[5])] = timelineBlock{cols: n, class: m[2], title: html.UnescapeString(m[3]), hidden: m[4], who: m[6]}
	}
	return out
}

// hourScale is the hour labels of day's band in a week grid.
func hourScale(grid string, day calendar.Date) []string {
	_, head, _ := strings.Cut(grid, "date="+day.String()+"&amp;kind=room&amp;view=day")
	head, _, _ = strings.Cut(head, "</tr>")
	var out []string
	for _, m := range hourRe.FindAllStringSubmatch(head, -1) {
		out = append(out, m[1])
	}
	return out
}

// agendaOf is one day of the agenda as text: each resource's lines, in
// order, or the day's note under "".
func agendaOf(t *testing.T, agenda string, day calendar.Date) map[string][]string {
	t.Helper()
	_, sec, ok := strings.Cut(agenda, `id="ag-`+day.String()+`"`)
	if !ok {
		t.Fatalf("the agenda has no day %s", day)
	}
	sec, _, _ = strings.Cut(sec, "</section>")
	text := func(s string) string {
		s = spacesRe.ReplaceAllString(html.UnescapeString(tagRe.ReplaceAllString(s, " ")), " ")
		return strings.TrimSpace(strings.ReplaceAll(s, " ,", ","))
	}
	out := map[string][]string{}
	items := strings.Split(sec, `<li class="tl-ag-res">`)
	if len(items) == 1 {
		out[""] = []string{text(strings.SplitN(sec, "</h2>", 2)[1])}
		return out
	}
	for _, it := range items[1:] {
		name, rest, _ := strings.Cut(it, "</h3>")
		name = text(name)
		for _, e := range strings.Split(rest, `<li class="tl-ag-entry`)[1:] {
			_, e, _ = strings.Cut(e, ">")
			out[name] = append(out[name], text(e))
		}
		if len(out[name]) == 0 {
			out[name] = []string{text(rest)}
		}
	}
	return out
}

func signedInAs(t *testing.T, app *kapu.App, user, lang string) *kaputest.Client {
	t.Helper()
	c := kaputest.SignedIn(t, app, user)
	if res, _ := c.Get("/lang/" + lang + "?next=/"); res.StatusCode >= 400 {
		t.Fatalf("switching %s to %s = %d", user, lang, res.StatusCode)
	}
	return c
}

// TestTimelineWeekReadable: the week view has an hour scale of the bookable
// hours, a block per booking as wide as its time with its title and booker
// (or only "booked" for a private one the viewer may not see), its time as
// the tooltip and for screen readers, and the weekend as one line; the
// phone agenda lists the same day as bookings and free ranges. In both
// languages.
func TestTimelineWeekReadable(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		day := kaputest.NextWorkday(t, app)
		small, big := kaputest.Resource(t, app, "Kis tárgyaló"), kaputest.Resource(t, app, "Nagy tárgyaló")
		booker := kaputest.SignedIn(t, app, "employee")
		bookRoom(t, booker, url.Values{"resource": {fmt.Sprint(small.ID)}, "day": {day.String()}, "from": {"10:00"}, "to": {"11:30"},
			"title": {"Projektbemutató"}, "attendees": {"4"}})
		bookRoom(t, booker, url.Values{"resource": {fmt.Sprint(big.ID)}, "day": {day.String()}, "from": {"13:00"}, "to": {"14:00"},
			"title": {"Titkos egyeztetés"}, "attendees": {"2"}, "private": {"on"}})
		path := "/bookings?kind=room&view=week&date=" + day.String()
		sat := day
		for sat.Weekday() != time.Saturday {
			sat = sat.AddDays(1)
		}
		for _, tt := range []struct {
			lang, bookedBy, booked, private, free, weekend string
		}{
			{"en", "booked by Papp Eszter", "Booked", "private booking", "Free – book", "Not bookable: Weekend"},
			{"hu", "foglalta: Papp Eszter", "Foglalt", "magánjellegű foglalás", "Szabad – foglalás", "Nem foglalható: Hétvége"},
		} {
			res, body := signedInAs(t, app, "employee", tt.lang).Get(path)
			if res.StatusCode != 200 {
				t.Fatalf("%s: GET %s = %d", tt.lang, path, res.StatusCode)
			}
			if strings.Contains(body, "booking.timeline.") {
				t.Errorf("%s: the week timeline shows a raw message key", tt.lang)
			}
			grid, agenda := gridAndAgenda(t, body)
			if got := strings.Join(hourScale(grid, day), " "); got != "08 09 10 11 12 13 14 15 16 17" {
				t.Errorf("%s: the week's hour scale is %q; want the rooms' hours 08 … 17", tt.lang, got)
			}
			blocks := blocksByText(grid)
			b, ok := blocks["Projektbemutató"]
			if !ok {
				t.Fatalf("%s: the week grid has no block titled Projektbemutató", tt.lang)
			}
			if b.cols != 6 || !strings.Contains(b.class, "tl-mine") || b.who != "Papp Eszter" || b.hidden != "10:00–11:30: " ||
				b.title != "10:00–11:30 · "+tt.bookedBy+" · Projektbemutató" {
				t.Errorf("%s: the booker's block is %+v; want 6 quarter hours, hers, her name, the time hidden and in the tooltip", tt.lang, b)
			}
			if p := blocks["Titkos egyeztetés"]; !strings.Contains(p.class, "tl-private") || !strings.Contains(p.class, "tl-mine") {
				t.Errorf("%s: the booker does not see her private booking as hers and private: %+v", tt.lang, p)
			}
			if !strings.Contains(grid, `class="tl-off tl-closed-day">`+tt.weekend+`</td>`) {
				t.Errorf("%s: Saturday's band is not one line saying %q", tt.lang, tt.weekend)
			}
			want := []string{"08:00–10:00 " + tt.free, "10:00–11:30 Projektbemutató, Papp Eszter", "11:30–18:00 " + tt.free}
			if got := agendaOf(t, agenda, day)["Kis tárgyaló"]; strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("%s: the agenda for Kis tárgyaló on %s is %q; want %q", tt.lang, day, got, want)
			}
			if got := agendaOf(t, agenda, sat)[""]; len(got) != 1 || got[0] != tt.weekend {
				t.Errorf("%s: the agenda's Saturday says %q; want %q", tt.lang, got, tt.weekend)
			}

			// Someone who may not see the private booking: "booked", no title, no name.
			_, body = signedInAs(t, app, "manager", tt.lang).Get(path)
			grid, agenda = gridAndAgenda(t, body)
			p, ok := blocksByText(grid)[tt.booked]
			if !ok || strings.Contains(body, "Titkos egyeztetés") || p.who != "" || p.title != "13:00–14:00 · "+tt.private || p.hidden != "13:00–14:00: " {
				t.Errorf("%s: another person sees the private booking as %+v (found %v, title shown %v); want only %q at 13:00–14:00",
					tt.lang, p, ok, strings.Contains(body, "Titkos egyeztetés"), tt.booked)
			}
			if got := agendaOf(t, agenda, day)["Nagy tárgyaló"]; !slices.Contains(got, "13:00–14:00 "+tt.booked) {
				t.Errorf("%s: another person's agenda for Nagy tárgyaló is %q; want 13:00–14:00 %s", tt.lang, got, tt.booked)
			}
		}
	})
}

// TestTimelinePastAndNow: past time has no free space to click and looks
// past, a past booking is shown as done (a car's by where it went), a past
// day with nothing booked says so in the agenda, and today has a "now"
// marker on every row.
func TestTimelinePastAndNow(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		today := calendar.Today(app.Cfg.TZ)
		car := kaputest.Resource(t, app, "Skoda Octavia")
		driver := kaputest.Person(t, app, "employee")
		lastWeek := today.AddDays(-7)
		start := time.Date(lastWeek.Year, lastWeek.Month, lastWeek.Day, 10, 0, 0, 0, app.Cfg.TZ).UTC()
		trip := booking.Booking{ResourceID: car.ID, PersonID: driver.ID, Destination: "Szentendre", StartAt: start, EndAt: start.Add(2 * time.Hour),
			BlockEnd: start.Add(2 * time.Hour), Quantity: 1, Status: booking.StatusConfirmed, CreatedBy: driver.ID}
		if err := app.DB.W.Create(&trip).Error; err != nil {
			t.Fatal(err)
		}
		c := signedInAs(t, app, "employee", "en")
		_, body := c.Get("/bookings?kind=car&view=week&date=" + lastWeek.String())
		grid, agenda := gridAndAgenda(t, body)
		if strings.Contains(body, "/bookings/cars/new?car=") || !strings.Contains(grid, `class="tl-past"`) || strings.Contains(grid, `class="tl-free`) {
			t.Errorf("last week's car timeline offers free time to book, or does not show it as past")
		}
		if b, ok := blocksByText(grid)["Szentendre"]; !ok || !strings.Contains(b.class, "tl-done") || b.hidden != "10:00–12:00: " {
			t.Errorf("last week's trip is shown as %+v (found %v); want a done block named by its destination", b, ok)
		}
		if got := agendaOf(t, agenda, lastWeek)["Skoda Octavia"]; len(got) != 1 || got[0] != "10:00–12:00 Szentendre, Papp Eszter" {
			t.Errorf("the agenda of %s lists %q for the Skoda; want only the trip", lastWeek, got)
		}
		quiet := lastWeek.AddDays(1)
		if mondayOf(quiet) != mondayOf(lastWeek) {
			quiet = lastWeek.AddDays(-1)
		}
		if got := agendaOf(t, agenda, quiet)[""]; len(got) != 1 || got[0] != "Nothing was booked." {
			t.Errorf("the agenda's quiet past day %s says %q; want that nothing was booked", quiet, got)
		}

		_, body = c.Get("/bookings?kind=car&view=day&date=" + today.String())
		cars := 0
		for _, r := range mustResources(t, app, booking.KindCar) {
			if r.Active {
				cars++
			}
		}
		grid, _ = gridAndAgenda(t, body)
		if n := strings.Count(grid, ` tl-now"`); n != cars || !strings.Contains(body, "tl-swatch-now") {
			t.Errorf("today's car timeline marks now %d times; want once on each of the %d cars, and in the legend", n, cars)
		}
		_, body = c.Get("/bookings?kind=car&view=week&date=" + today.AddDays(7).String())
		if grid, _ = gridAndAgenda(t, body); strings.Contains(grid, `class="tl-past"`) || strings.Contains(grid, ` tl-now"`) || !strings.Contains(grid, "/bookings/cars/new?car=") {
			t.Errorf("next week's car timeline shows past time or a now marker, or no free time to book")
		}
	})
}

func mondayOf(d calendar.Date) calendar.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// TestTimelinePoolAgenda: a counted pool's agenda lists each booking with
// how many it takes, and says how many are left while some are booked.
func TestTimelinePoolAgenda(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		day := kaputest.NextWorkday(t, app)
		room, proj := kaputest.Resource(t, app, "Kis tárgyaló"), kaputest.Resource(t, app, "Projektor")
		c := signedInAs(t, app, "employee", "hu")
		bookRoom(t, c, url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day.String()}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Vetítés"}, "attendees": {"3"}, fmt.Sprintf("eq_%d", proj.ID): {"2"}})
		_, body := c.Get("/bookings?kind=equipment&view=week&date=" + day.String())
		if strings.Contains(body, "booking.timeline.") {
			t.Errorf("the equipment timeline shows a raw message key")
		}
		_, agenda := gridAndAgenda(t, body)
		want := []string{"00:00–10:00 Szabad – foglalás", "10:00–11:00 2 db · Vetítés, Papp Eszter",
			"10:00–11:00 3 darabból 1 szabad – foglalás", "11:00–24:00 Szabad – foglalás"}
		if got := agendaOf(t, agenda, day)["Projektor"]; strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Errorf("the agenda for the projectors on %s is %q; want %q", day, got, want)
		}
	})
}
