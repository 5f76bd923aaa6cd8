package helpdesk_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/web"
)

// mClosedWithLink reports, takes, resolves and closes a ticket of employee's
// and returns it with the rating link's path from the closing mail.
func mClosedWithLink(t *testing.T, app *kapu.App, title string) (*helpdesk.Ticket, string) {
	t.Helper()
	ctx := context.Background()
	tk := mReport(t, app, "employee", helpdesk.QueueIT, title)
	it := kaputest.Person(t, app, "it").Actor()
	for _, step := range []func() error{
		func() error { return app.Helpdesk.Take(ctx, it, tk.ID) },
		func() error { return app.Helpdesk.Resolve(ctx, it, tk.ID, helpdesk.ResolvedRepaired, "") },
		func() error { return app.Helpdesk.ChangeState(ctx, it, tk.ID, helpdesk.StateClosed, "") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return tk, mRateLinkOf(t, app, tk)
}

// mRateLinkOf is the path of the rating link in tk's closing mail.
func mRateLinkOf(t *testing.T, app *kapu.App, tk *helpdesk.Ticket) string {
	t.Helper()
	re := regexp.MustCompile(`/helpdesk/rate/[A-Za-z0-9_-]+`)
	for _, m := range mHelpdeskMails(t, app, "employee") {
		if strings.Contains(m.Subject, tk.Number) {
			if p := re.FindString(m.Text); p != "" {
				return p
			}
		}
	}
	t.Fatalf("no rating link for %s", tk.Number)
	return ""
}

var mSigRe = regexp.MustCompile(`name="sig" value="([0-9a-f]+)"`)

// mRatingsOf counts tk's ratings.
func mRatingsOf(t *testing.T, app *kapu.App, tk *helpdesk.Ticket) []helpdesk.Rating {
	t.Helper()
	var rs []helpdesk.Rating
	if err := app.DB.R.Where("ticket_id = ?", tk.ID).Find(&rs).Error; err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestRateLink: the closing mail's link works signed out, in the reporter's
// language. Opening it shows the ticket and the mail's score ticked and
// records nothing; the signed form rates once, audited; a second press, a
// form without its link's signature, a bad score, an unknown, expired or
// reopened ticket's link each explain themselves, and none is a 500.
func TestRateLink(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		mFixClock(app, mMailDay)
		mSetLang(t, app, "employee", "en")
		tk, link := mClosedWithLink(t, app, "A monitor villog")
		visitor := kaputest.NewClient(t, app)

		res, body := visitor.Get(link + "?score=4")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, tk.Number) || !strings.Contains(body, "A monitor villog") {
			t.Fatalf("GET the link = %d; want 200 naming %s and its title\n%s", res.StatusCode, tk.Number, body)
		}
		if !regexp.MustCompile(`value="4" required checked`).MatchString(body) || strings.Contains(body, `value="3" required checked`) {
			t.Errorf("the mail's score 4 is not the one ticked:\n%s", body)
		}
		if !strings.Contains(body, "How satisfied are you") {
			t.Errorf("the page is not in the reporter's English:\n%s", body)
		}
		if n := len(mRatingsOf(t, app, tk)); n != 0 {
			t.Fatalf("opening the link recorded %d ratings; want none", n)
		}
		sig := mSigRe.FindStringSubmatch(body)
		if sig == nil {
			t.Fatalf("the form carries no signature:\n%s", body)
		}

		res, _ = visitor.Post(link, url.Values{"score": {"5"}, "sig": {"forged"}})
		if res.StatusCode != http.StatusBadRequest || len(mRatingsOf(t, app, tk)) != 0 {
			t.Errorf("POST with a foreign signature = %d; want 400 and nothing recorded", res.StatusCode)
		}
		res, body = visitor.Post(link, url.Values{"score": {"9"}, "comment": {"Gyors volt."}, "sig": {sig[1]}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Pick a score from 1 to 5") || !strings.Contains(body, "Gyors volt.") {
			t.Errorf("POST score 9 = %d; want 422 with the message and the comment kept\n%s", res.StatusCode, body)
		}

		res, _ = visitor.Post(link, url.Values{"score": {"4"}, "comment": {"Gyors és alapos munka."}, "sig": {sig[1]}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST the rating = %d; want 303", res.StatusCode)
		}
		rs := mRatingsOf(t, app, tk)
		if len(rs) != 1 || rs[0].Score != 4 || rs[0].Comment != "Gyors és alapos munka." {
			t.Fatalf("ratings = %+v; want one 4 with the comment", rs)
		}
		var audits int64
		app.DB.R.Table("audit_log").Where("action = ? AND entity_id = ?", "helpdesk.rate", web.FormatID(tk.ID)).Count(&audits)
		if audits != 1 {
			t.Errorf("audit rows of the rating = %d; want 1", audits)
		}
		_, body = visitor.Get(res.Header.Get("Location"))
		if !strings.Contains(body, "Thank you for your rating") {
			t.Errorf("after rating the page does not thank:\n%s", body)
		}

		res, body = visitor.Post(link, url.Values{"score": {"1"}, "sig": {sig[1]}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "already been rated") {
			t.Errorf("POST a second time = %d; want 409 \"already rated\"\n%s", res.StatusCode, body)
		}
		if rs := mRatingsOf(t, app, tk); len(rs) != 1 || rs[0].Score != 4 {
			t.Errorf("a second press changed the ratings: %+v", rs)
		}

		for _, bad := range []string{"/helpdesk/rate/nope", "/helpdesk/rate/" + strings.Repeat("x", 300), "/helpdesk/rate/%00%ff"} {
			if res, body := visitor.Get(bad); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Unknown rating link") {
				t.Errorf("GET %s = %d; want 404 that explains\n%s", bad, res.StatusCode, body)
			}
			if res, _ := visitor.Post(bad, url.Values{"score": {"5"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s = %d; want 404", bad, res.StatusCode)
			}
		}

		expired, elink := mClosedWithLink(t, app, "Nem indul a gép")
		app.DB.W.Model(&helpdesk.RateLink{}).Where("ticket_id = ?", expired.ID).Update("expires_at", mMailDay.Add(-time.Hour))
		res, body = visitor.Get(elink + "?score=5")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "has expired") || strings.Contains(body, `name="sig"`) {
			t.Errorf("GET an expired link = %d; want the explanation without a form\n%s", res.StatusCode, body)
		}
		if res, _ := visitor.Post(elink, url.Values{"score": {"5"}, "sig": {app.Helpdesk.RateSig(strings.TrimPrefix(elink, "/helpdesk/rate/"))}}); res.StatusCode != http.StatusConflict || len(mRatingsOf(t, app, expired)) != 0 {
			t.Errorf("POST an expired link = %d; want 409 and nothing recorded", res.StatusCode)
		}

		reopened, rlink := mClosedWithLink(t, app, "Nincs hálózat")
		app.DB.W.Model(&helpdesk.Ticket{}).Where("id = ?", reopened.ID).Update("state", helpdesk.StateInProgress)
		if res, body := visitor.Get(rlink); res.StatusCode != http.StatusOK || !strings.Contains(body, "once it is closed again") {
			t.Errorf("GET a reopened ticket's link = %d; want the explanation\n%s", res.StatusCode, body)
		}
	})
}

// TestRateLinkHungarian: a Hungarian reporter's page speaks Hungarian,
// whatever the visitor's browser says.
func TestRateLinkHungarian(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		mFixClock(app, mMailDay)
		mSetLang(t, app, "employee", "hu")
		_, link := mClosedWithLink(t, app, "Csöpög a csap")
		res, body := kaputest.NewClient(t, app).Get(link + "?score=2")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Mennyire elégedett") {
			t.Errorf("GET = %d; want the Hungarian form\n%s", res.StatusCode, body)
		}
	})
}
