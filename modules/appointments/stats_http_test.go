package appointments_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/stats"
)

// hours gives a place's desk the same opening hours Monday to Friday.
func hours(t *testing.T, app *kapu.App, p place, from, to int) {
	t.Helper()
	for wd := time.Monday; wd <= time.Friday; wd++ {
		if err := app.DB.W.Create(&appointments.DeskHours{DeskID: p.desk.ID, Weekday: wd, From: from, To: to}).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// statsClerk is a front-desk clerk, who may read the statistics.
var statsClerk = actor.Actor{ID: 7, Name: "Clerk", Roles: []string{actor.Frontdesk}}

func TestStats(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		app.Appointments.SetClock(func() time.Time { return local(app, 2026, 12, 1, 9, 0).UTC() })
		p := newPlace(t, app, "Okmányiroda")
		hours(t, app, p, 8*60, 12*60)
		// Closed on Wednesday: Monday, Tuesday and Friday have 4 hours each.
		if err := app.DB.W.Create(&appointments.DeskException{DeskID: p.desk.ID, From: calendar.NewDate(2026, 12, 9), To: calendar.NewDate(2026, 12, 9),
			Kind: appointments.ExceptionClosed, Reason: "Betegség"}).Error; err != nil {
			t.Fatal(err)
		}
		// Thursday only 08:00–10:00.
		if err := app.DB.W.Create(&appointments.DeskException{DeskID: p.desk.ID, From: calendar.NewDate(2026, 12, 10), To: calendar.NewDate(2026, 12, 10),
			Kind: appointments.ExceptionHours, Hours: "08:00-09:00, 09:30-10:30"}).Error; err != nil {
			t.Fatal(err)
		}
		at := func(d, hh, mm int) *time.Time { v := local(app, 2026, 12, d, hh, mm).UTC(); return &v }
		ahead := func(h int) func(a *appointments.Appointment) {
			return func(a *appointments.Appointment) { a.BookedAt = a.StartAt.Add(-time.Duration(h) * time.Hour) }
		}
		appt(t, app, p, local(app, 2026, 12, 7, 10, 0), appointments.StatusServed, "a@example.com", ahead(72), func(a *appointments.Appointment) {
			a.ArrivedAt, a.CalledAt, a.ServedAt, a.Rating = at(7, 9, 55), at(7, 10, 5), at(7, 10, 20), 5
		})
		appt(t, app, p, local(app, 2026, 12, 7, 10, 20), appointments.StatusNoShow, "b@example.com", func(a *appointments.Appointment) {
			a.BookedAt = a.StartAt.Add(-30 * time.Minute)
		})
		appt(t, app, p, local(app, 2026, 12, 8, 9, 0), appointments.StatusCancelled, "c@example.com", ahead(240))
		appt(t, app, p, local(app, 2026, 12, 8, 9, 20), appointments.StatusBooked, "d@example.com") // a week ahead
		appt(t, app, p, local(app, 2026, 12, 10, 9, 0), appointments.StatusExpired, "e@example.com")
		appt(t, app, p, local(app, 2026, 12, 8, 11, 0), appointments.StatusServed, "f@example.com", func(a *appointments.Appointment) {
			a.DeskID, a.StartAt, a.EndAt, a.Source, a.BookedAt = nil, nil, nil, appointments.SourceWalkIn, *at(8, 11, 0)
			a.ArrivedAt, a.CalledAt, a.ServedAt, a.Rating = at(8, 11, 0), at(8, 11, 30), at(8, 11, 40), 3
		})
		// Outside the week: not counted.
		appt(t, app, p, local(app, 2026, 12, 14, 9, 0), appointments.StatusBooked, "g@example.com")

		// A bot at another office: ten on Friday with one address in two spellings,
		// and from its client address six more addresses the next week.
		bot := newPlace(t, app, "Adóiroda")
		for i := 0; i < 10; i++ {
			email := "bot@example.com"
			if i%2 == 1 {
				email = "Bot@Example.COM"
			}
			appt(t, app, bot, local(app, 2026, 12, 11, 8, 0).Add(time.Duration(i)*20*time.Minute), appointments.StatusBooked, email,
				func(a *appointments.Appointment) { a.IP = "198.51.100.9" })
		}
		for i := 0; i < 6; i++ {
			appt(t, app, bot, local(app, 2026, 12, 15, 8, 0).Add(time.Duration(i)*20*time.Minute), appointments.StatusPending,
				strings.Repeat("x", i+1)+"@example.net", func(a *appointments.Appointment) { a.IP = "198.51.100.9" })
		}

		thatWeek := stats.PeriodOf(stats.Week, calendar.NewDate(2026, 12, 9))
		if _, err := app.Appointments.Stats(ctx, actor.Actor{ID: 3, Roles: []string{actor.Employee}}, thatWeek); !errors.Is(err, appointments.ErrForbidden) {
			t.Errorf("an employee's Stats = %v; want ErrForbidden (the rule lives in the service)", err)
		}
		st, err := app.Appointments.Stats(ctx, statsClerk, thatWeek)
		if err != nil {
			t.Fatal(err)
		}
		var g appointments.GroupStats
		for i, ty := range st.Types {
			if ty.ID == p.typ.ID {
				g = st.ByType[i]
			}
		}
		noShow, _ := g.NoShowRate()
		cancel, _ := g.CancelRate()
		avg, _ := g.Ratings.Average()
		wait50, _ := g.Wait.P(50)
		wait90, _ := g.Wait.P(90)
		svc50, _ := g.Service.P(50)
		for _, tc := range []struct {
			name      string
			got, want float64
		}{
			{"bookings", float64(g.Bookings), 5}, {"served", float64(g.Served), 2}, {"no-shows", float64(g.NoShows), 1},
			{"cancelled", float64(g.Cancelled), 1}, {"lapsed", float64(g.Expired), 1}, {"walk-ins", float64(g.WalkIns), 1},
			{"no-show rate", noShow, 100.0 / 3}, {"cancellation rate", cancel, 20},
			{"median wait", float64(wait50), 10}, {"90th percentile wait", float64(wait90), 30}, {"median service", float64(svc50), 10},
			{"average rating", avg, 4}, {"ratings", float64(g.Ratings.Count()), 2},
		} {
			if math.Abs(tc.got-tc.want) > 0.01 {
				t.Errorf("%s = %.2f; want %.2f", tc.name, tc.got, tc.want)
			}
		}
		// Lead time: 30 min, 7 days, 10 days and 3 days ahead; the walk-in and the lapsed hold do not count.
		if st.Lead.N() != 4+10 || st.LeadDays[0] != 1 || st.LeadDays[2] != 1 || st.LeadDays[3] != 1+10 || st.LeadDays[4] != 1 {
			t.Errorf("lead time buckets = %v (of %d); want 1 same-day, 1 of 2–3, 11 of 4–7, 1 of 8–14 days", st.LeadDays, st.Lead.N())
		}
		for _, d := range st.Desks {
			if d.Desk.ID != p.desk.ID {
				continue
			}
			if u, _ := d.Utilisation(); d.OpenMinutes != 3*240+120 || d.BookedMinutes != 60 || math.Abs(u-100.0*60/840) > 0.01 {
				t.Errorf("desk: open %d min, booked %d, %.2f%%; want 840, 60, 7.14%%", d.OpenMinutes, d.BookedMinutes, u)
			}
		}
		if len(st.Days) != 7 || st.Days[0].ByOffice[p.office.ID] != 2 || st.Days[1].ByOffice[p.office.ID] != 3 || st.Days[3].ByOffice[p.office.ID] != 0 ||
			st.Days[4].ByOffice[bot.office.ID] != 10 {
			t.Errorf("bookings per day = %+v; want Monday 2, Tuesday 3, Thursday 0 and the bot's 10 on Friday", st.Days)
		}
		if len(st.Emails) != 1 || st.Emails[0].Key != "bot@example.com" || st.Emails[0].MaxDay != 10 || st.Emails[0].Active != 10 {
			t.Errorf("suspect emails = %+v; want bot@example.com with 10 on one day and 10 active", st.Emails)
		}
		if len(st.IPs) != 1 || st.IPs[0].Key != "198.51.100.9" || st.IPs[0].Active != 16 || len(st.IPs[0].Emails) != 1 {
			t.Errorf("suspect client addresses = %+v; want 198.51.100.9 with 16 active", st.IPs)
		}

		week := "/desk/stats?period=week&day=2026-12-09"
		for user, want := range map[string]int{"employee": 403, "hr": 403, "frontdesk": 200, "admin": 200} {
			res, body := kaputest.SignedIn(t, app, user).Get(week)
			if res.StatusCode != want {
				t.Errorf("%s GET %s = %d; want %d", user, week, res.StatusCode, want)
			}
			if want != 200 {
				continue
			}
			for _, s := range []string{`href="/desk/stats"`, "/desk/abuse?email=bot%40example.com", "198.51.100.9", p.typ.NameEN, "<svg"} {
				if !strings.Contains(body, s) && !(s == p.typ.NameEN && strings.Contains(body, p.typ.NameHU)) {
					t.Errorf("%s: the statistics page lacks %q", user, s)
				}
			}
		}
		c := kaputest.SignedIn(t, app, "frontdesk")
		res, body := c.Get(week + "&format=csv&table=types")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "csv") ||
			!(strings.Contains(body, p.typ.NameEN) || strings.Contains(body, p.typ.NameHU)) {
			t.Errorf("CSV of the case types = %d %s:\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		if res, _ := c.Get(week + "&format=xlsx"); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheet") {
			t.Errorf("XLSX = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res, _ := c.Get(week + "&format=csv&table=nope"); res.StatusCode != http.StatusNotFound {
			t.Errorf("CSV of an unknown table = %d; want 404", res.StatusCode)
		}
		if res, _ := c.Get("/desk/stats?period=range&from=2026-12-09&to=2026-12-01"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a range ending before it starts = %d; want 422", res.StatusCode)
		}
		// A year: the chart goes by month.
		if res, body := c.Get("/desk/stats?period=year&day=2026-12-09"); res.StatusCode != http.StatusOK || !strings.Contains(body, "<svg") {
			t.Errorf("the year's statistics = %d", res.StatusCode)
		}
	})
}

// BenchmarkStats measures the statistics of a month and of a year over two
// years of appointments (500,000, as the issue sizes it) on SQLite.
func BenchmarkStats(b *testing.B) {
	app := kaputest.New(b, "sqlite")
	var offices []uint
	var types []uint
	for i := 0; i < 2; i++ {
		o := appointments.Office{Name: fmt.Sprintf("Iroda %d", i), Address: "x", Active: true}
		app.DB.W.Create(&o)
		offices = append(offices, o.ID)
	}
	for i := 0; i < 8; i++ {
		ty := appointments.CaseType{NameHU: fmt.Sprintf("Ügy %d", i), NameEN: fmt.Sprintf("Case %d", i), Active: true, Online: true}
		app.DB.W.Create(&ty)
		types = append(types, ty.ID)
	}
	statuses := []string{appointments.StatusServed, appointments.StatusServed, appointments.StatusServed, appointments.StatusNoShow, appointments.StatusCancelled, appointments.StatusBooked}
	first := time.Date(2025, 1, 1, 8, 0, 0, 0, app.Cfg.TZ)
	const n = 500_000
	batch := make([]appointments.Appointment, 0, 500)
	for i := 0; i < n; i++ {
		start := first.Add(time.Duration(i) * 2 * time.Minute).UTC() // two years
		end := start.Add(20 * time.Minute)
		arr, call, served := start.Add(-5*time.Minute), start.Add(time.Duration(i%17)*time.Minute), start.Add(time.Duration(15+i%23)*time.Minute)
		batch = append(batch, appointments.Appointment{Code: fmt.Sprintf("P%07d", i), CaseTypeID: types[i%len(types)], OfficeID: offices[i%2],
			StartAt: &start, EndAt: &end, Status: statuses[i%len(statuses)], Source: appointments.SourceOnline, Lang: "hu",
			Email: fmt.Sprintf("c%d@example.com", i%40000), IP: fmt.Sprintf("10.0.%d.%d", i%200, i%250), BookedAt: start.Add(-time.Duration(i%700) * time.Hour),
			ArrivedAt: &arr, CalledAt: &call, ServedAt: &served, Rating: i % 6})
		if len(batch) == cap(batch) {
			if err := app.DB.W.Create(&batch).Error; err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	app.DB.Optimize(context.Background())
	for _, tc := range []struct {
		name string
		p    stats.Period
	}{
		{"month", stats.PeriodOf(stats.Month, calendar.NewDate(2026, 3, 1))},
		{"year", stats.PeriodOf(stats.Year, calendar.NewDate(2026, 3, 1))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				if _, err := app.Appointments.Stats(context.Background(), statsClerk, tc.p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
