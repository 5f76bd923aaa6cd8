package appointments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// TestCitizenMailSpeaksToCitizens: a citizen's mails, in Hungarian and
// English, from a change (a cancellation) and from a job (the thank-you),
// are framed by the city's name, never mention the intranet and do not
// link to the intranet's start page.
func TestCitizenMailSpeaksToCitizens(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		p := newPlace(t, app, "Ügyfélszolgálat levélpróba")
		ctx := context.Background()
		clerk := kaputest.Person(t, app, "frontdesk").Actor()
		now := local(app, 2026, 12, 9, 12, 0)
		app.Appointments.SetClock(func() time.Time { return now.UTC() })
		for i, lang := range []string{"hu", "en"} {
			inLang := func(a *appointments.Appointment) { a.Lang = lang }
			gone := appt(t, app, p, local(app, 2026, 12, 10, 10, 30*i), appointments.StatusBooked, "lemond-"+lang+"@example.com", inLang)
			if _, err := app.Appointments.Cancel(ctx, clerk, appointments.Ref{ID: gone.ID}, "Kérte telefonon"); err != nil {
				t.Fatal(err)
			}
			served := appt(t, app, p, local(app, 2026, 12, 9, 10, 30*i), appointments.StatusServed, "koszon-"+lang+"@example.com", inLang,
				func(a *appointments.Appointment) { at := local(app, 2026, 12, 9, 10, 30*i+25).UTC(); a.ServedAt = &at })
			if _, err := app.Appointments.SendThanks(ctx); err != nil {
				t.Fatal(err)
			}
			for _, addr := range []string{gone.Email, served.Email} {
				mails := mailsTo(t, app, addr)
				if len(mails) != 1 {
					t.Fatalf("mails to %s = %d; want 1", addr, len(mails))
				}
				m := mails[0]
				for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
					if strings.Contains(strings.ToLower(body), "intranet") {
						t.Errorf("the %s mail to %s (%s) speaks of the intranet:\n%s", lang, addr, part, body)
					}
					if !strings.Contains(body, app.Cfg.City) {
						t.Errorf("the %s mail to %s (%s) does not name the city %q", lang, addr, part, app.Cfg.City)
					}
				}
				base := strings.TrimRight(app.Cfg.BaseURL, "/")
				for _, home := range []string{`href="` + base + `"`, `href="` + base + `/"`} {
					if strings.Contains(m.HTML, home) {
						t.Errorf("the %s mail to %s links to the intranet's start page", lang, addr)
					}
				}
			}
		}
	})
}
