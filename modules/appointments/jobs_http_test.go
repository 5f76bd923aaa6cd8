package appointments_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/notify"
)

// place is one office with one desk serving one case type, written straight
// into the tables as the setup pages would.
type place struct {
	office appointments.Office
	desk   appointments.Desk
	typ    appointments.CaseType
}

// newPlace writes an office, a desk and a case type with a checklist.
func newPlace(t *testing.T, app *kapu.App, name string) place {
	t.Helper()
	p := place{office: appointments.Office{Name: name, Address: "1052 Budapest, Városház utca 9–11.", Active: true}}
	if err := app.DB.W.Create(&p.office).Error; err != nil {
		t.Fatal(err)
	}
	p.desk = appointments.Desk{OfficeID: p.office.ID, Name: "1. ablak", Active: true}
	if err := app.DB.W.Create(&p.desk).Error; err != nil {
		t.Fatal(err)
	}
	p.typ = appointments.CaseType{NameHU: "Útlevél " + name, NameEN: "Passport " + name, Minutes: 20, Online: true, Active: true,
		DocumentsHU: "Személyi igazolvány\nLakcímkártya", DocumentsEN: "Identity card\nAddress card", MaxPerEmail: 1, HoldMinutes: 60}
	if err := app.DB.W.Create(&p.typ).Error; err != nil {
		t.Fatal(err)
	}
	if err := app.DB.W.Create(&appointments.DeskCaseType{DeskID: p.desk.ID, CaseTypeID: p.typ.ID}).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

var codes atomic.Int64

// appt writes an appointment at the place's desk, starting at local time
// start, booked a week before; change adjusts it before the insert.
func appt(t *testing.T, app *kapu.App, p place, start time.Time, status, email string, change ...func(a *appointments.Appointment)) appointments.Appointment {
	t.Helper()
	s, e := start.UTC(), start.Add(20*time.Minute).UTC()
	n := codes.Add(1)
	a := appointments.Appointment{
		Code: fmt.Sprintf("T%05d", n), CaseTypeID: p.typ.ID, OfficeID: p.office.ID, DeskID: &p.desk.ID,
		StartAt: &s, EndAt: &e, Status: status, Source: appointments.SourceOnline,
		Name: "Kovács Anna", Email: email, Phone: "+36 30 123 4567", Note: "Kerekesszékkel jövök", Lang: "en",
		IP: "203.0.113.7", LinkSalt: fmt.Sprintf("salt%018d", n), ManageHash: fmt.Sprintf("hash%d", n),
		BookedAt: s.Add(-7 * 24 * time.Hour),
	}
	for _, f := range change {
		f(&a)
	}
	if err := app.DB.W.Create(&a).Error; err != nil {
		t.Fatal(err)
	}
	return a
}

// local is a wall time in the city's zone.
func local(app *kapu.App, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, app.Cfg.TZ)
}

// mailsTo are the outbox rows to an address, oldest first.
func mailsTo(t *testing.T, app *kapu.App, addr string) []notify.Mail {
	t.Helper()
	var out []notify.Mail
	if err := app.DB.R.Where("to_addr = ?", addr).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// run runs a job at a local time, twice, as a retried slot or a second
// replica would, and returns what the first run said it did.
func run(t *testing.T, app *kapu.App, at time.Time, job func(context.Context) (int, error)) int {
	t.Helper()
	app.Appointments.SetClock(func() time.Time { return at.UTC() })
	n, err := job(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if again, err := job(context.Background()); err != nil || again != 0 {
		t.Errorf("the second run at %v acted on %d (%v); want nothing", at, again, err)
	}
	return n
}

func TestReminders(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := newPlace(t, app, "Okmányiroda")
		job := app.Appointments.SendReminders
		// Friday 4 December 2026; the appointments are on Monday 7th and Tuesday 8th.
		monday := appt(t, app, p, local(app, 2026, 12, 7, 10, 0), appointments.StatusBooked, "anna@example.com",
			func(a *appointments.Appointment) { a.Lang = "hu" })
		cancelled := appt(t, app, p, local(app, 2026, 12, 7, 11, 0), appointments.StatusCancelled, "bela@example.com")
		unconfirmed := appt(t, app, p, local(app, 2026, 12, 7, 12, 0), appointments.StatusPending, "cecil@example.com")
		confirmed := appt(t, app, p, local(app, 2026, 12, 7, 13, 0), appointments.StatusPending, "dora@example.com",
			func(a *appointments.Appointment) { now := a.BookedAt; a.ConfirmedAt = &now })
		tuesday := appt(t, app, p, local(app, 2026, 12, 8, 9, 0), appointments.StatusBooked, "ede@example.com")
		late := appt(t, app, p, local(app, 2026, 12, 7, 14, 0), appointments.StatusBooked, "feri@example.com",
			func(a *appointments.Appointment) { a.BookedAt = local(app, 2026, 12, 4, 15, 0).UTC() })

		if n := run(t, app, local(app, 2026, 12, 4, 13, 50), job); n != 0 {
			t.Errorf("reminders before 14:00 on Friday = %d; want none yet", n)
		}
		if n := run(t, app, local(app, 2026, 12, 4, 14, 0), job); n != 2 {
			t.Errorf("reminders at 14:00 on Friday = %d; want 2 (Monday's booked and confirmed ones)", n)
		}
		run(t, app, local(app, 2026, 12, 4, 15, 15), job) // after the late booking: still nothing for it
		for _, tc := range []struct {
			name string
			a    appointments.Appointment
			want int
		}{
			{"booked for Monday", monday, 1}, {"cancelled", cancelled, 0}, {"not confirmed", unconfirmed, 0},
			{"confirmed, still pending", confirmed, 1}, {"Tuesday (not yet)", tuesday, 0}, {"booked after 14:00 on Friday", late, 0},
		} {
			if got := len(mailsTo(t, app, tc.a.Email)); got != tc.want {
				t.Errorf("%s: %d reminders; want %d", tc.name, got, tc.want)
			}
		}
		m := mailsTo(t, app, monday.Email)[0]
		for _, want := range []string{"Emlékeztető", "2026. 12. 07., hétfő, 10:00–10:20", "Városház utca 9–11.", "Lakcímkártya",
			app.Appointments.LinkURL(&monday), monday.Code} {
			if !strings.Contains(m.Subject+m.Text, want) {
				t.Errorf("the Hungarian reminder lacks %q:\n%s\n%s", want, m.Subject, m.Text)
			}
		}
		m = mailsTo(t, app, confirmed.Email)[0]
		if !strings.Contains(m.Subject, "7 Dec 2026, Monday, 13:00–13:20") || !strings.Contains(m.Text, "Identity card") {
			t.Errorf("the English reminder = %q\n%s", m.Subject, m.Text)
		}
		// Monday 14:00: Tuesday's turn.
		if n := run(t, app, local(app, 2026, 12, 7, 14, 0), job); n != 1 || len(mailsTo(t, app, tuesday.Email)) != 1 {
			t.Errorf("Monday's run reminded %d; want Tuesday's one", n)
		}
	})
}

// Christmas Eve and Christmas Day 2026 fall on Thursday and Friday: Monday
// 28 December's appointments are reminded on Wednesday the 23rd, and one
// missed then (Kapu was down) goes out on the next run, even on a holiday.
func TestRemindersAcrossHolidays(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := newPlace(t, app, "Ügyfélszolgálat")
		job := app.Appointments.SendReminders
		a := appt(t, app, p, local(app, 2026, 12, 28, 9, 0), appointments.StatusBooked, "anna@example.com")
		b := appt(t, app, p, local(app, 2026, 12, 28, 9, 20), appointments.StatusBooked, "bela@example.com")
		if n := run(t, app, local(app, 2026, 12, 22, 16, 0), job); n != 0 {
			t.Errorf("Tuesday 22nd reminded %d; want none (the 23rd is a working day)", n)
		}
		// Wednesday 23rd, the working day before the holidays: both are due.
		if n := run(t, app, local(app, 2026, 12, 23, 14, 15), job); n != 2 {
			t.Errorf("Wednesday 23rd reminded %d; want both Monday appointments", n)
		}
		if len(mailsTo(t, app, a.Email)) != 1 || len(mailsTo(t, app, b.Email)) != 1 {
			t.Errorf("mails: %d and %d; want one each", len(mailsTo(t, app, a.Email)), len(mailsTo(t, app, b.Email)))
		}
		c := appt(t, app, p, local(app, 2026, 12, 28, 10, 0), appointments.StatusBooked, "cecil@example.com")
		if n := run(t, app, local(app, 2026, 12, 26, 10, 0), job); n != 1 || len(mailsTo(t, app, c.Email)) != 1 {
			t.Errorf("a reminder missed on the 23rd, run on the 26th: %d; want it sent", n)
		}
	})
}

func TestThanks(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := newPlace(t, app, "Adóiroda")
		now := local(app, 2026, 12, 9, 12, 0)
		served := func(at time.Time) func(a *appointments.Appointment) {
			return func(a *appointments.Appointment) { a.ServedAt = &at }
		}
		s := appt(t, app, p, local(app, 2026, 12, 9, 10, 0), appointments.StatusServed, "anna@example.com", served(local(app, 2026, 12, 9, 10, 25).UTC()))
		old := appt(t, app, p, local(app, 2026, 11, 20, 10, 0), appointments.StatusServed, "bela@example.com", served(local(app, 2026, 11, 20, 10, 25).UTC()))
		noShow := appt(t, app, p, local(app, 2026, 12, 9, 10, 20), appointments.StatusNoShow, "cecil@example.com")
		walkIn := appt(t, app, p, now, appointments.StatusServed, "dora@example.com", served(now.Add(-time.Hour).UTC()), func(a *appointments.Appointment) {
			a.DeskID, a.StartAt, a.EndAt, a.Source, a.BookedAt = nil, nil, nil, appointments.SourceWalkIn, now.Add(-2*time.Hour).UTC()
		})
		if n := run(t, app, now, app.Appointments.SendThanks); n != 2 {
			t.Errorf("thank-you mails = %d; want 2 (today's served, the walk-in)", n)
		}
		for addr, want := range map[string]int{s.Email: 1, old.Email: 0, noShow.Email: 0, walkIn.Email: 1} {
			if got := len(mailsTo(t, app, addr)); got != want {
				t.Errorf("thank-you mails to %s = %d; want %d", addr, got, want)
			}
		}
		m := mailsTo(t, app, s.Email)[0]
		link := app.Appointments.LinkURL(&s)
		for n := 1; n <= 5; n++ {
			if want := fmt.Sprintf("%s/rate?score=%d", link, n); !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("the thank-you mail lacks the link %s", want)
			}
		}
		var thanked appointments.Appointment
		app.DB.R.First(&thanked, s.ID)
		if thanked.ThankedAt == nil {
			t.Error("ThankedAt not set")
		}
	})
}

func TestReleaseHolds(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := newPlace(t, app, "Okmányiroda")
		now := local(app, 2026, 12, 9, 9, 0)
		hold := func(until time.Time) func(a *appointments.Appointment) {
			return func(a *appointments.Appointment) {
				u := until.UTC()
				a.HoldUntil = &u
				a.BookedAt = now.Add(-time.Hour).UTC()
			}
		}
		start := local(app, 2026, 12, 10, 10, 0)
		lapsed := appt(t, app, p, start, appointments.StatusPending, "anna@example.com", hold(now.Add(-time.Minute)))
		waiting := appt(t, app, p, start.Add(20*time.Minute), appointments.StatusPending, "bela@example.com", hold(now.Add(10*time.Minute)))
		if n := run(t, app, now, app.Appointments.ReleaseHolds); n != 1 {
			t.Errorf("released %d holds; want 1", n)
		}
		for _, tc := range []struct {
			a    appointments.Appointment
			want string
		}{{lapsed, appointments.StatusExpired}, {waiting, appointments.StatusPending}} {
			var got appointments.Appointment
			app.DB.R.First(&got, tc.a.ID)
			if got.Status != tc.want {
				t.Errorf("%s: status %s; want %s", tc.a.Email, got.Status, tc.want)
			}
		}
		// The time is free again: the database takes another booking of it.
		appt(t, app, p, start, appointments.StatusBooked, "cecil@example.com")
		if ms := mailsTo(t, app, lapsed.Email); len(ms) != 1 || !strings.Contains(ms[0].Subject, "lapsed") || !strings.Contains(ms[0].Text, "/appointments") {
			t.Errorf("the lapsed mail = %+v; want one with a link to book again", ms)
		}
		if len(mailsTo(t, app, waiting.Email)) != 0 {
			t.Error("a hold still running was told it lapsed")
		}
		var audits int64
		app.DB.R.Table("audit_log").Where("action = ? AND entity = ? AND entity_id = ?", "appointments.expire", "appointment", fmt.Sprint(lapsed.ID)).Count(&audits)
		if audits != 1 {
			t.Errorf("audit rows of the lapse = %d; want 1", audits)
		}
	})
}

func TestErase(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := newPlace(t, app, "Okmányiroda")
		now := local(app, 2026, 12, 9, 3, 10)
		old := appt(t, app, p, now.AddDate(0, 0, -91), appointments.StatusServed, "anna@example.com", func(a *appointments.Appointment) {
			a.Rating, a.RatingNote = 4, "Gyors volt, Kovács úr kedves"
		})
		walkIn := appt(t, app, p, now, appointments.StatusServed, "bela@example.com", func(a *appointments.Appointment) {
			a.DeskID, a.StartAt, a.EndAt, a.Source, a.BookedAt = nil, nil, nil, appointments.SourceWalkIn, now.AddDate(0, 0, -100).UTC()
		})
		recent := appt(t, app, p, now.AddDate(0, 0, -89), appointments.StatusServed, "cecil@example.com")
		// Enough old walk-ins for several batches.
		var bulk []appointments.Appointment
		for i := 0; i < 2100; i++ {
			bulk = append(bulk, appointments.Appointment{Code: fmt.Sprintf("B%06d", i), CaseTypeID: p.typ.ID, OfficeID: p.office.ID,
				Status: appointments.StatusNoShow, Source: appointments.SourcePhone, Name: "Tömeg Tamás", Email: "tomeg@example.com", Lang: "hu",
				BookedAt: now.AddDate(-1, 0, 0).UTC()})
		}
		if err := app.DB.W.CreateInBatches(&bulk, 500).Error; err != nil {
			t.Fatal(err)
		}
		// The outbox's copies: the old reminder goes, the recent one stays.
		for _, m := range []notify.Mail{
			{Key: fmt.Sprintf("appointments/%d/reminder|%s", old.ID, old.Email), To: old.Email, CreatedAt: old.StartAt.AddDate(0, 0, -1)},
			{Key: fmt.Sprintf("appointments/%d/reminder|%s", recent.ID, recent.Email), To: recent.Email, CreatedAt: recent.StartAt.AddDate(0, 0, -1)},
		} {
			m.Lang, m.Subject, m.Text, m.HTML, m.Status, m.NextAttemptAt = "hu", "Emlékeztető", "Kovács Anna", "", notify.StatusSent, m.CreatedAt
			if err := app.DB.W.Create(&m).Error; err != nil {
				t.Fatal(err)
			}
		}
		count := func(where string, args ...any) int64 {
			var n int64
			app.DB.R.Model(&appointments.Appointment{}).Where(where, args...).Count(&n)
			return n
		}
		before := count("status = ?", appointments.StatusServed)
		if n := run(t, app, now, app.Appointments.Erase); n != 2+2100 {
			t.Errorf("erased %d; want %d", n, 2+2100)
		}
		for _, tc := range []struct {
			a      appointments.Appointment
			erased bool
		}{{old, true}, {walkIn, true}, {recent, false}} {
			var got appointments.Appointment
			app.DB.R.First(&got, tc.a.ID)
			personal := got.Name + got.Email + got.Phone + got.Note + got.IP + got.LinkSalt + got.ManageHash + got.RatingNote
			if tc.erased && (personal != "" || got.ErasedAt == nil) {
				t.Errorf("%s: left %q, erased at %v; want everything personal gone", tc.a.Code, personal, got.ErasedAt)
			}
			if !tc.erased && (got.Email != tc.a.Email || got.ErasedAt != nil) {
				t.Errorf("%s (89 days old) was erased", tc.a.Code)
			}
			if got.Status != tc.a.Status || got.CaseTypeID != tc.a.CaseTypeID || got.Rating != tc.a.Rating ||
				(tc.a.StartAt != nil && !got.StartAt.Equal(*tc.a.StartAt)) {
				t.Errorf("%s: the statistics' facts changed: %+v", tc.a.Code, got)
			}
		}
		if got := count("status = ?", appointments.StatusServed); got != before {
			t.Errorf("served appointments %d after the erasure; want %d", got, before)
		}
		if n := count("email <> ''"); n != 1 {
			t.Errorf("%d appointments keep an email address; want only the recent one", n)
		}
		if n, m := len(mailsTo(t, app, old.Email)), len(mailsTo(t, app, recent.Email)); n != 0 || m != 1 {
			t.Errorf("outbox copies after the erasure: %d of the old appointment, %d of the recent; want 0 and 1", n, m)
		}
		if app.Appointments.LinkURL(&old) == "" {
			t.Fatal("the test's appointment had no link")
		}
		var erased appointments.Appointment
		app.DB.R.First(&erased, old.ID)
		if l := app.Appointments.LinkURL(&erased); l != "" {
			t.Errorf("an erased appointment still has a personal link %s", l)
		}
	})
}
