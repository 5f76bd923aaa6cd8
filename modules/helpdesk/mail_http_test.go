package helpdesk_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/notify/smtptest"
	"kapu/modules/platform/web"
)

// mMailDay is Monday 2 March 2026, 9:00 in Budapest: a working day, far from
// any holiday, the clock the mail and rating tests run at.
var mMailDay = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// mEachWithSMTP is kaputest.Each with an SMTP sink of the app's own, so a
// test counts only what its app delivered.
func mEachWithSMTP(t *testing.T, fn func(t *testing.T, app *kapu.App, sink *smtptest.Sink)) {
	t.Helper()
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			sink := smtptest.New(t)
			fn(t, kaputest.New(t, d, kaputest.WithSMTP(sink)), sink)
		})
	}
}

// mSetLang sets a demo person's own language.
func mSetLang(t *testing.T, app *kapu.App, username, lang string) {
	t.Helper()
	if err := app.DB.W.Exec("UPDATE people SET lang = ? WHERE username = ?", lang, username).Error; err != nil {
		t.Fatal(err)
	}
}

// mFixClock sets the helpdesk's clock to at.
func mFixClock(app *kapu.App, at time.Time) { app.Helpdesk.SetClock(func() time.Time { return at }) }

// mDeliver sends the outbox to the sink, as the delivery job does, and fails
// unless every queued mail arrived.
func mDeliver(t *testing.T, app *kapu.App, sink *smtptest.Sink) {
	t.Helper()
	if _, err := app.Outbox.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	var queued int64
	app.DB.R.Model(&notify.Mail{}).Where("status <> ?", notify.StatusSent).Count(&queued)
	if queued != 0 {
		t.Fatalf("%d mails were not delivered", queued)
	}
	var sent int64
	app.DB.R.Model(&notify.Mail{}).Count(&sent)
	if got := len(sink.Messages()); got != int(sent) {
		t.Fatalf("the sink got %d mails; the outbox sent %d", got, sent)
	}
}

// mHelpdeskMails are username's helpdesk mails, oldest first.
func mHelpdeskMails(t *testing.T, app *kapu.App, username string) []notify.Mail {
	t.Helper()
	var out []notify.Mail
	for _, m := range kaputest.MailsTo(t, app, username) {
		if strings.Contains(m.Key, "helpdesk/") {
			out = append(out, m)
		}
	}
	return out
}

// mWantMails fails unless username has n helpdesk mails; it returns them.
func mWantMails(t *testing.T, app *kapu.App, username string, n int, why string) []notify.Mail {
	t.Helper()
	ms := mHelpdeskMails(t, app, username)
	if len(ms) != n {
		var subj []string
		for _, m := range ms {
			subj = append(subj, m.Subject)
		}
		t.Fatalf("%s: %s has %d helpdesk mails %q; want %d", why, username, len(ms), subj, n)
	}
	return ms
}

// mWantIn fails unless every part is in the mail's subject or text.
func mWantIn(t *testing.T, m notify.Mail, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Subject, p) && !strings.Contains(m.Text, p) {
			t.Errorf("mail %q lacks %q:\n%s", m.Subject, p, m.Text)
		}
	}
}

// TestMailReportTakeComment: the reporter gets the receipt with the number
// and a link, the queue's lead hears of the new ticket, each in their own
// language; taking it tells the reporter; an internal comment mails nobody,
// a public one the reporter, and the reporter's own answer only the
// assignee. Repeating a change that cannot happen twice mails nothing more,
// and every mail reaches the SMTP server.
func TestMailReportTakeComment(t *testing.T) {
	mEachWithSMTP(t, func(t *testing.T, app *kapu.App, sink *smtptest.Sink) {
		ctx := context.Background()
		mFixClock(app, mMailDay)
		mSetLang(t, app, "employee", "hu")
		mSetLang(t, app, "it", "en")
		tk := mReport(t, app, "employee", helpdesk.QueueIT, "Nem nyomtat a nyomtató")
		link := strings.TrimRight(app.Cfg.BaseURL, "/") + "/helpdesk/tickets/" + web.FormatID(tk.ID)

		got := mWantMails(t, app, "employee", 1, "report")
		mWantIn(t, got[0], tk.Number, "Megkaptuk a bejelentését", link)
		if got[0].Lang != "hu" {
			t.Errorf("the receipt is in %q; want the reporter's hu", got[0].Lang)
		}
		lead := mWantMails(t, app, "it", 1, "report")
		mWantIn(t, lead[0], tk.Number, "New ticket", "Nem nyomtat a nyomtató", link)

		it := kaputest.Person(t, app, "it").Actor()
		if err := app.Helpdesk.Take(ctx, it, tk.ID); err != nil {
			t.Fatal(err)
		}
		got = mWantMails(t, app, "employee", 2, "take")
		mWantIn(t, got[1], tk.Number, "foglalkozik")
		mWantMails(t, app, "it", 1, "take by the lead themselves")
		if err := app.Helpdesk.Take(ctx, it, tk.ID); !errors.Is(err, helpdesk.ErrTaken) {
			t.Fatalf("take again = %v; want ErrTaken", err)
		}
		mWantMails(t, app, "employee", 2, "take again")

		if _, err := app.Helpdesk.AddComment(ctx, it, tk.ID, "Belső: a toner rendelve.", true); err != nil {
			t.Fatal(err)
		}
		mWantMails(t, app, "employee", 2, "internal comment")
		mWantMails(t, app, "it", 1, "internal comment")

		if _, err := app.Helpdesk.AddComment(ctx, it, tk.ID, "Holnap délelőtt megnézem.", false); err != nil {
			t.Fatal(err)
		}
		got = mWantMails(t, app, "employee", 3, "public comment")
		mWantIn(t, got[2], tk.Number, "Holnap délelőtt megnézem.")

		emp := kaputest.Person(t, app, "employee").Actor()
		if _, err := app.Helpdesk.AddComment(ctx, emp, tk.ID, "Köszönöm, itt leszek.", false); err != nil {
			t.Fatal(err)
		}
		mWantMails(t, app, "employee", 3, "the reporter's own comment")
		lead = mWantMails(t, app, "it", 2, "the reporter's comment")
		mWantIn(t, lead[1], tk.Number, "The reporter has answered", "Köszönöm, itt leszek.")

		mDeliver(t, app, sink)
		if n := len(sink.Messages()); n != 5 {
			t.Errorf("the SMTP server got %d helpdesk mails; want 5", n)
		}
	})
}

// TestMailResolveClose: the resolution tells the reporter what was done
// (the note, the code's label); closing sends one rating mail with five
// one-click scores, and closing again sends nothing more.
func TestMailResolveClose(t *testing.T) {
	mEachWithSMTP(t, func(t *testing.T, app *kapu.App, sink *smtptest.Sink) {
		ctx := context.Background()
		mFixClock(app, mMailDay)
		tk := mReport(t, app, "employee", helpdesk.QueueMaintenance, "Beragad a zár")
		fac := kaputest.Person(t, app, "facilities").Actor()
		if err := app.Helpdesk.Take(ctx, fac, tk.ID); err != nil {
			t.Fatal(err)
		}
		if err := app.Helpdesk.Resolve(ctx, fac, tk.ID, helpdesk.ResolvedReplaced, "Új zárbetét került az ajtóba."); err != nil {
			t.Fatal(err)
		}
		got := mWantMails(t, app, "employee", 3, "resolve")
		mWantIn(t, got[2], tk.Number, "resolved", "replaced", "Új zárbetét került az ajtóba.")

		if err := app.Helpdesk.ChangeState(ctx, fac, tk.ID, helpdesk.StateClosed, ""); err != nil {
			t.Fatal(err)
		}
		got = mWantMails(t, app, "employee", 4, "close")
		mWantIn(t, got[3], tk.Number, "how did we do")
		links := regexp.MustCompile(`/helpdesk/rate/[^?\s]+\?score=([1-5])`).FindAllStringSubmatch(got[3].Text, -1)
		if len(links) != 5 {
			t.Fatalf("the rating mail has %d score links; want 5:\n%s", len(links), got[3].Text)
		}
		if err := app.Helpdesk.ChangeState(ctx, fac, tk.ID, helpdesk.StateClosed, ""); !errors.Is(err, helpdesk.ErrTransition) {
			t.Fatalf("close again = %v; want ErrTransition", err)
		}
		mWantMails(t, app, "employee", 4, "close again")
		mDeliver(t, app, sink)
	})
}

// TestMailAssignReopen: an assignment by the lead tells the assignee and the
// reporter (naming who is on it); handing the ticket on tells only the new
// assignee; a colleague's comment reaches the reporter and the assignee;
// the reporter's reopen tells the assignee, not themselves.
func TestMailAssignReopen(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		mFixClock(app, mMailDay)
		tk := mReport(t, app, "employee", helpdesk.QueueIT, "Nem jön a levél")
		lead := kaputest.Person(t, app, "it").Actor()
		deak, kelemen := kaputest.Person(t, app, "deak.milan"), kaputest.Person(t, app, "kelemen.petra")
		if err := app.Helpdesk.Assign(ctx, lead, tk.ID, deak.ID); err != nil {
			t.Fatal(err)
		}
		got := mWantMails(t, app, "deak.milan", 1, "assign")
		mWantIn(t, got[0], tk.Number, "assigned to you")
		got = mWantMails(t, app, "employee", 2, "assign")
		mWantIn(t, got[1], "Deák Milán")

		if err := app.Helpdesk.Assign(ctx, lead, tk.ID, kelemen.ID); err != nil {
			t.Fatal(err)
		}
		mWantMails(t, app, "kelemen.petra", 1, "hand on")
		mWantMails(t, app, "employee", 2, "hand on")

		if _, err := app.Helpdesk.AddComment(ctx, deak.Actor(), tk.ID, "Kelemen Petra átvette.", false); err != nil {
			t.Fatal(err)
		}
		mWantMails(t, app, "employee", 3, "a colleague's comment")
		mWantMails(t, app, "kelemen.petra", 2, "a colleague's comment")
		mWantMails(t, app, "deak.milan", 1, "own comment")

		if err := app.Helpdesk.Resolve(ctx, kelemen.Actor(), tk.ID, helpdesk.ResolvedAdvice, "Beállítottam a továbbítást."); err != nil {
			t.Fatal(err)
		}
		mWantMails(t, app, "employee", 4, "resolve")
		emp := kaputest.Person(t, app, "employee").Actor()
		if err := app.Helpdesk.ChangeState(ctx, emp, tk.ID, helpdesk.StateInProgress, "Még mindig nem jön."); err != nil {
			t.Fatal(err)
		}
		mWantMails(t, app, "employee", 4, "the reporter's own reopen")
		got = mWantMails(t, app, "kelemen.petra", 3, "reopen")
		mWantIn(t, got[2], "reopened", "Még mindig nem jön.")
	})
}
