package appointments_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
)

// takeBoth books t at both desks for others, as if citizens were quicker.
func takeBoth(t *testing.T, app *kapu.App, f *pubFixture, hh, mm int, tag string) {
	t.Helper()
	for _, who := range []string{"elso", "masodik"} {
		_, err := app.Appointments.Book(context.Background(), actor.Actor{IP: "10.9.9.9"}, appointments.BookInput{Consent: true,
			CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: f.local(f.day, hh, mm),
			Name: "Gyors Géza", Email: who + "." + tag + "@example.hu", Lang: "hu"})
		must(t, err)
	}
}

// TestPublicFormSingleUse: a booking form books once. The "just taken" page
// posts the same token on (it is not spent by that); after the booking the
// same form sent again (the back button, a bot replaying it) gets the form
// again with a clear message and books nothing; a honeypot post spends it.
func TestPublicFormSingleUse(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		z := newCitizen(t, app, "10.5.0.1")
		bot := newCitizen(t, app, "10.5.0.2")
		_, body := z.get(f.at("0930"))
		if strings.Contains(body, `name="_work"`) || strings.Contains(body, "pow.js") {
			t.Errorf("the form asks for a proof of work while KAPU_APPT_POW_BITS is off")
		}
		tok := token(t, body)
		_, bbody := bot.get(f.at("0900"))
		botTok := token(t, bbody)
		takeBoth(t, app, f, 9, 30, "once")
		time.Sleep(2100 * time.Millisecond)

		res, body := z.post(f.at("0930"), bookForm(tok, "Kovács Anna", "anna@example.hu"))
		wantStatus(t, "a time taken meanwhile", res, http.StatusConflict, body)
		wantIn(t, "the just-taken page", body, `name="_form" value="`+tok+`"`, `name="alt" value="`+f.day.String()+`/1000"`)
		form := bookForm(tok, "Kovács Anna", "anna@example.hu")
		form.Set("alt", f.day.String()+"/1000")
		res, body = z.post(f.at("0930"), form)
		wantStatus(t, "another time with the same token", res, http.StatusSeeOther, body)
		if n := appointmentCount(t, app); n != 3 {
			t.Fatalf("%d appointments; want the two others' and Anna's", n)
		}

		before := snapshot(t, app)
		res, body = z.post(f.at("1030"), bookForm(tok, "Kovács Anna", "anna2@example.hu"))
		wantStatus(t, "the booked form sent again", res, http.StatusUnprocessableEntity, body)
		wantIn(t, "the booked form sent again", body, msg(app, "en", "appt.err.form_used"), `value="Kovács Anna"`, `value="anna2@example.hu"`)
		if again := token(t, body); again == tok {
			t.Errorf("the form shown again carries the spent token")
		}
		if after := snapshot(t, app); after != before {
			t.Errorf("the booked form sent again changed something:\n%s\n%s", before, after)
		}

		hp := bookForm(botTok, "Bot Béla", "bot@example.hu")
		hp.Set("website", "http://spam")
		res, body = bot.post(f.at("0900"), hp)
		wantStatus(t, "a filled honeypot", res, http.StatusUnprocessableEntity, body)
		wantIn(t, "a filled honeypot", body, msg(app, "en", "appt.err.not_booked"))
		res, body = bot.post(f.at("0900"), bookForm(botTok, "Bot Béla", "bot@example.hu"))
		wantStatus(t, "the honeypot's token again", res, http.StatusUnprocessableEntity, body)
		wantIn(t, "the honeypot's token again", body, msg(app, "en", "appt.err.form_used"))
		if after := snapshot(t, app); after != before {
			t.Errorf("the bot booked:\n%s\n%s", before, after)
		}
	}, kaputest.BehindProxy())
}

var powRe = regexp.MustCompile(`name="_work" value="" data-pow="([^"]+)" data-pow-bits="(\d+)" data-pow-after="(\d+)"`)

// work is the form's challenge solved as pow.js solves it, and a nonce that
// is wrong for it.
func work(t *testing.T, body string) (good, wrong string) {
	t.Helper()
	m := powRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no proof of work on the form:\n%s", body)
	}
	bits, _ := strconv.Atoi(m[2])
	ok := func(nonce string) bool {
		h := sha256.Sum256([]byte(m[1] + nonce))
		n := 0
		for _, b := range h {
			for i := 7; i >= 0 && b>>i&1 == 0; i-- {
				n++
			}
			if b != 0 {
				break
			}
		}
		return n >= bits
	}
	for n := 0; good == "" || wrong == ""; n++ {
		if s := strconv.Itoa(n); ok(s) {
			good = s
		} else if good != "" {
			wrong = s
		}
	}
	return good, wrong
}

// TestPublicFormProofOfWork: with KAPU_APPT_POW_BITS on, the form carries a
// challenge and the script; the right nonce books, a wrong one and none
// (before the 20 s of waiting a browser without JavaScript gets instead)
// give the form again with what was typed and the same token. The "just
// taken" page posts the nonce on with the token.
func TestPublicFormProofOfWork(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newPubFixture(t, app)
		z := newCitizen(t, app, "10.6.0.1")
		other := newCitizen(t, app, "10.6.0.2")
		res, body := z.get(f.at("0900"))
		wantStatus(t, "the form", res, 200, body)
		wantIn(t, "the form", body, `data-pow-bits="12" data-pow-after="20"`, `<script src="/static/js/pow.js" defer></script>`)
		tok := token(t, body)
		good, wrong := work(t, body)
		_, obody := other.get(f.at("0930"))
		otherTok := token(t, obody)
		otherGood, _ := work(t, obody)
		if res, js := z.get("/static/js/pow.js"); res.StatusCode != 200 || !strings.Contains(js, "FIPS 180-4") {
			t.Errorf("/static/js/pow.js: %d", res.StatusCode)
		}
		takeBoth(t, app, f, 9, 30, "pow")
		time.Sleep(2100 * time.Millisecond)

		refused := []struct {
			what, nonce, key string
		}{
			{"no nonce within 20 seconds", "", "appt.err.form_wait"},
			{"a wrong nonce", wrong, "appt.err.form_work"},
			{"not a number", "12x", "appt.err.form_work"},
		}
		for _, r := range refused {
			form := bookForm(tok, "Kovács Anna", "anna@example.hu")
			form.Set("_work", r.nonce)
			res, body := z.post(f.at("0900"), form)
			wantStatus(t, r.what, res, http.StatusUnprocessableEntity, body)
			wantIn(t, r.what, body, msg(app, "en", r.key), `value="Kovács Anna"`, `value="anna@example.hu"`, "Kerekesszékkel érkezem.",
				`name="_form" value="`+tok+`"`)
			if n := appointmentCount(t, app); n != 2 {
				t.Errorf("%s: %d appointments; want only the others' 2", r.what, n)
			}
		}
		form := bookForm(tok, "Kovács Anna", "anna@example.hu")
		form.Set("_work", good)
		res, body = z.post(f.at("0900"), form)
		wantStatus(t, "the right nonce", res, http.StatusSeeOther, body)

		// The time was taken meanwhile: the page offering others carries the nonce.
		form = bookForm(otherTok, "Másik Mária", "maria@example.hu")
		form.Set("_work", otherGood)
		res, body = other.post(f.at("0930"), form)
		wantStatus(t, "a time taken meanwhile", res, http.StatusConflict, body)
		wantIn(t, "the just-taken page", body, `name="_work" value="`+otherGood+`"`)
		form.Set("alt", f.day.String()+"/1000")
		res, body = other.post(f.at("0930"), form)
		wantStatus(t, "another time with the same work", res, http.StatusSeeOther, body)
		if n := appointmentCount(t, app); n != 4 {
			t.Errorf("%d appointments; want 4", n)
		}
	}, kaputest.BehindProxy(), kaputest.WithEnv("KAPU_APPT_POW_BITS", "12"))
}
