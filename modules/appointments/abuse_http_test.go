package appointments_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

func TestCancelAllByEmail(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		now := local(app, 2026, 12, 9, 9, 0)
		app.Appointments.SetClock(func() time.Time { return now.UTC() })
		p := newPlace(t, app, "Okmányiroda")
		start := local(app, 2026, 12, 10, 8, 0)
		slot := func(i int) time.Time { return start.Add(time.Duration(i) * 20 * time.Minute) }
		bot := []appointments.Appointment{
			appt(t, app, p, slot(0), appointments.StatusBooked, "bot@example.com", func(a *appointments.Appointment) { a.Lang = "hu" }),
			appt(t, app, p, slot(1), appointments.StatusBooked, "BOT@example.com"),
			appt(t, app, p, slot(2), appointments.StatusPending, "bot@example.com", func(a *appointments.Appointment) {
				u := now.Add(time.Hour).UTC()
				a.HoldUntil = &u
			}),
		}
		past := appt(t, app, p, now.Add(-2*time.Hour), appointments.StatusServed, "bot@example.com")
		gone := appt(t, app, p, slot(3), appointments.StatusCancelled, "bot@example.com")
		other := appt(t, app, p, slot(4), appointments.StatusBooked, "anna@example.com")

		// Who may: the rule is the service's, and the pages say the same.
		emp := kaputest.Person(t, app, "employee").Actor()
		if _, err := app.Appointments.CancelAllByEmail(ctx, emp, "bot@example.com", "bot"); !errors.Is(err, appointments.ErrForbidden) {
			t.Errorf("an employee's CancelAllByEmail = %v; want forbidden", err)
		}
		e := kaputest.SignedIn(t, app, "employee")
		for _, path := range []string{"/desk/abuse?email=bot%40example.com", "/desk/abuse/cancel?email=bot%40example.com&reason=x"} {
			if res, _ := e.Get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("employee GET %s = %d; want 403", path, res.StatusCode)
			}
		}
		if res, _ := e.Post("/desk/abuse/cancel", url.Values{"email": {"bot@example.com"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee POST = %d; want 403", res.StatusCode)
		}

		c := kaputest.SignedIn(t, app, "frontdesk")
		res, body := c.Get("/desk/abuse?email=Bot%40Example.com")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET the abuse page = %d", res.StatusCode)
		}
		for _, a := range bot {
			if !strings.Contains(body, a.Code) {
				t.Errorf("the abuse page lacks the bot's %s", a.Code)
			}
		}
		for _, a := range []appointments.Appointment{past, gone, other} {
			if strings.Contains(body, a.Code) {
				t.Errorf("the abuse page lists %s (%s, %s)", a.Code, a.Status, a.Email)
			}
		}
		// Without a reason the form comes back; with one, the confirmation.
		if res, body := c.Get("/desk/abuse/cancel?email=bot%40example.com&reason=+"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("confirm without a reason = %d; want 422 with the field marked", res.StatusCode)
		}
		res, body = c.Get("/desk/abuse/cancel?email=bot%40example.com&reason=Automatikus+t%C3%B6meges+foglal%C3%A1s")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "3") || !strings.Contains(body, `action="/desk/abuse/cancel?`) {
			t.Errorf("the confirmation = %d:\n%s", res.StatusCode, body)
		}
		var cancelled int64
		app.DB.R.Model(&appointments.Appointment{}).Where("status = ?", appointments.StatusCancelled).Count(&cancelled)
		if cancelled != 1 {
			t.Errorf("GET pages cancelled something: %d cancelled", cancelled)
		}
		if res, _ := c.Post("/desk/abuse/cancel", url.Values{"email": {"bot@example.com"}, "reason": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("POST without a reason = %d; want 422", res.StatusCode)
		}
		res, _ = c.Post("/desk/abuse/cancel", url.Values{"email": {"bot@example.com"}, "reason": {"Automatikus tömeges foglalás"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST = %d; want 303", res.StatusCode)
		}
		if _, body := c.Get(res.Header.Get("Location")); !strings.Contains(body, "3") || !strings.Contains(body, "bot@example.com") {
			t.Errorf("the page after cancelling lacks the count:\n%s", body)
		}

		for _, tc := range []struct {
			a    appointments.Appointment
			want string
		}{
			{bot[0], appointments.StatusCancelled}, {bot[1], appointments.StatusCancelled}, {bot[2], appointments.StatusCancelled},
			{past, appointments.StatusServed}, {gone, appointments.StatusCancelled}, {other, appointments.StatusBooked},
		} {
			var got appointments.Appointment
			app.DB.R.First(&got, tc.a.ID)
			if got.Status != tc.want {
				t.Errorf("%s (%s): %s; want %s", tc.a.Code, tc.a.Email, got.Status, tc.want)
			}
			if tc.a.Status != got.Status && (got.CancelReason != "Automatikus tömeges foglalás" || got.CancelledAt == nil || got.BlockedUntil != nil) {
				t.Errorf("%s: reason %q, cancelled at %v, blocked until %v", tc.a.Code, got.CancelReason, got.CancelledAt, got.BlockedUntil)
			}
		}
		var mails []string
		for _, m := range mailsTo(t, app, "bot@example.com") {
			mails = append(mails, m.Subject)
		}
		for _, m := range mailsTo(t, app, "BOT@example.com") {
			mails = append(mails, m.Subject)
		}
		if len(mails) != 3 || !strings.HasPrefix(mails[0], "Lemondtuk") || !strings.HasPrefix(mails[1], "Your appointment was cancelled") {
			t.Errorf("mails to the bot's address = %q; want 3, each in its booking's language", mails)
		}
		if n := len(mailsTo(t, app, other.Email)); n != 0 {
			t.Errorf("Anna got %d mails", n)
		}
		var audits int64
		app.DB.R.Table("audit_log").Where("action = ?", "appointments.cancel_bulk").Count(&audits)
		if audits != 3 {
			t.Errorf("audit rows = %d; want 3", audits)
		}
		// The times are free at once.
		appt(t, app, p, slot(0), appointments.StatusBooked, "anna@example.com")
		// Nothing left: a second run cancels nothing.
		if n, err := app.Appointments.CancelAllByEmail(ctx, kaputest.Person(t, app, "admin").Actor(), "bot@example.com", "again"); n != 0 || err != nil {
			t.Errorf("the second bulk cancel = %d, %v; want 0", n, err)
		}
		if n, err := app.Appointments.CancelAllByEmail(ctx, kaputest.Person(t, app, "frontdesk").Actor(), " ", "x"); !errors.Is(err, appointments.ErrNoEmail) {
			t.Errorf("an empty address = %d, %v; want ErrNoEmail", n, err)
		}
	})
}
