package appointments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
)

// TestMailAndICSKeepLocalTimeOverDST books 9:00 on working days just before
// and just after both 2027 clock changes: the mail says 09:00 each
// time and the .ics holds the instant that is 9:00 in Budapest then (07:00Z
// in summer time, 08:00Z in winter time), so a calendar app shows 9:00 too.
func TestMailAndICSKeepLocalTimeOverDST(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		must(t, app.DB.W.Model(&f.typ).Update("horizon_days", 365).Error)
		app.Appointments.SetupChanged()
		app.Appointments.SetClock(func() time.Time { return time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC) })
		for _, tt := range []struct {
			day  calendar.Date
			want string // the .ics start
		}{
			// Good Friday and Easter Monday 2027 and 1 November are holidays.
			{calendar.NewDate(2027, 3, 25), "20270325T080000Z"}, // Thursday, still CET
			{calendar.NewDate(2027, 3, 30), "20270330T070000Z"}, // Tuesday, CEST
			{calendar.NewDate(2027, 10, 29), "20271029T070000Z"},
			{calendar.NewDate(2027, 11, 2), "20271102T080000Z"},
		} {
			start := f.local(tt.day, 9, 0)
			email := "dst" + tt.day.String() + "@example.hu"
			appt, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "192.0.2.7"}, appointments.BookInput{Consent: true,
				CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: start, Name: "Szabó Éva", Email: email, Lang: "hu"})
			if err != nil {
				t.Fatalf("book %s 9:00: %v", tt.day, err)
			}
			if got := appt.StartAt.UTC().Format("20060102T150405Z"); got != tt.want {
				t.Errorf("%s 9:00 stored as %s; want %s", tt.day, got, tt.want)
			}
			mail := mailTo(t, app, email, "")
			if !strings.Contains(mail.Text, "09:00–09:30") {
				t.Errorf("%s: the mail does not say 09:00–09:30:\n%s", tt.day, mail.Text)
			}
			files, err := mail.Files()
			must(t, err)
			if len(files) != 1 || !strings.Contains(string(files[0].Data), "DTSTART:"+tt.want) {
				t.Errorf("%s: the .ics does not start at %s", tt.day, tt.want)
			}
		}
	})
}

// TestPublicPostTooLarge: a public post far beyond any form's size is
// refused before it is read as a form, and nothing is stored.
func TestPublicPostTooLarge(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		c := kaputest.NewClient(t, app)
		res, _ := c.Post(f.at("0900"), map[string][]string{"name": {"Kiss Anna"}, "note": {strings.Repeat("x", 100<<10)}})
		if res.StatusCode != 413 || appointmentCount(t, app) != 0 {
			t.Errorf("a 100 KB post = %d with %d appointments; want 413 and none", res.StatusCode, appointmentCount(t, app))
		}
	})
}
