package kapu_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kapu/modules/appointments"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
)

// TestBrowserAppointmentsProofOfWork books with the proof of work switched
// on (KAPU_APPT_POW_BITS=on) in Chromium with JavaScript: the page's own
// script finds the nonce while the citizen types, and the booking goes
// through at once, long before the 20 s a browser without the script waits.
func TestBrowserAppointmentsProofOfWork(t *testing.T) {
	chromium := findChromium(t)
	app := kaputest.New(t, db.SQLite, kaputest.WithEnv("KAPU_APPT_POW_BITS", "on"))
	ctx := context.Background()
	tz := app.Cfg.TZ
	base := serveAppointments(t, app)

	var typ appointments.CaseType
	app.DB.R.Where("name_en = ?", "Address card and registering an address").Limit(1).Find(&typ)
	var office appointments.Office
	app.DB.R.Where("name = ?", "Okmányiroda").Limit(1).Find(&office)
	// Ten minutes on, so the time is still bookable when the page opens.
	free, err := app.Appointments.NextFree(ctx, actor.Actor{}, &typ, office.ID, time.Now().Add(10*time.Minute), 1)
	if err != nil || len(free) == 0 {
		t.Fatalf("no free address-card time at the Okmányiroda (%v)", err)
	}
	at := free[0].Start.In(tz)
	path := fmt.Sprintf("/appointments/t/%d/o/%d/d/%s/at/%s", typ.ID, office.ID, at.Format(time.DateOnly), at.Format("1504"))

	b := startBrowser(t, chromium, base)
	res := b.open(path + "?lang=en")
	shown := time.Now()
	b.wantPage(res, 200, path)
	if bits := b.attr(`input[name="_work"]`, "data-pow-bits"); bits != "18" {
		t.Fatalf("the form's proof-of-work field asks for %q bits; want 18 (on)", bits)
	}
	const email = "pow.citizen@example.hu"
	b.do("fill in the details",
		chromedp.SendKeys(chromedp.ID("f-name"), "Nagy Péter"),
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.Click(chromedp.ID("f-privacy")),
	)
	var nonce string
	for deadline := time.Now().Add(15 * time.Second); nonce == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		nonce = b.value(`input[name="_work"]`)
	}
	if nonce == "" {
		t.Fatal("the page's script found no nonce in 15 s")
	}
	t.Logf("the script found the nonce %s in %s", nonce, time.Since(shown).Round(time.Millisecond))
	time.Sleep(time.Until(shown.Add(2200 * time.Millisecond))) // the form's minimum fill time
	sent := time.Now()
	res = b.follow("send the booking form", chromedp.Click(chromedp.CSS(`form.pub-form .form-actions button[type="submit"]`)))
	if b.exists(".form-errors") {
		t.Fatalf("the booking was refused: %q", b.text(".form-errors"))
	}
	b.wantPage(res, 200, `/appointments/my/[A-Za-z0-9_-]+`)
	if took := time.Since(sent); took > 10*time.Second {
		t.Errorf("the booking took %s after sending; the nonce should spare the 20 s wait", took)
	}
	var appt appointments.Appointment
	app.DB.R.Where("email = ?", email).Limit(1).Find(&appt)
	if appt.ID == 0 || appt.StartAt == nil || !appt.StartAt.Equal(free[0].Start) {
		t.Fatalf("the database holds %+v; want the appointment at %s", appt, at)
	}
	if !strings.Contains(b.text(".pub-code"), appt.Code) {
		t.Errorf("the personal page shows %q; want the code %s", b.text(".pub-code"), appt.Code)
	}
}
