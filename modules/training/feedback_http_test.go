package training_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

var (
	fbLinkRe = regexp.MustCompile(`/training/feedback/[A-Za-z0-9_-]+`)
	fbSigRe  = regexp.MustCompile(`name="sig" value="([0-9a-f]+)"`)
)

// fbLinkOf is the rating link's path in username's feedback mail of code.
func fbLinkOf(t *testing.T, app *kapu.App, username, subject string) string {
	t.Helper()
	ms := fxMails(t, app, username, subject)
	if len(ms) != 1 {
		t.Fatalf("%s has %d feedback mails %q; want 1", username, len(ms), subject)
	}
	p := fbLinkRe.FindString(ms[0].Text)
	if p == "" || !strings.Contains(ms[0].Text, p+"?score=5") {
		t.Fatalf("the feedback mail has no one-click links:\n%s", ms[0].Text)
	}
	return p
}

// TestFeedbackLink: after a session the job mails each participant (not a
// no-show, not before the session is over) a link of their own, once. The
// link works signed out, in the participant's language; a GET ticks the
// mail's score and records nothing; the signed form records once (audited);
// a second press is 409, an unsigned form 400, a bad score 422 with the form
// again, an unknown link 404.
func TestFeedbackLink(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		today := kaputest.Today(t, app)
		fxClock(t, app, today) // 10:00
		tr := fxTraining(t, app, today.Year, "FB")
		done := fxSession(t, app, tr, today.AddDays(-2), today.AddDays(-1), training.SessionScheduled)
		later := fxSession(t, app, tr, today, today, training.SessionScheduled) // ends at 13:00
		mine := fxEnrol(t, app, done, "employee", training.EnrolDone, training.OutcomeCompleted)
		fxEnrol(t, app, done, "simon.reka", training.EnrolDone, training.OutcomeNoShow)
		fxEnrol(t, app, later, "manager", training.EnrolEnrolled, "")

		runTwice(t, "feedback", app.Training.SendFeedbackLinks)
		link := fbLinkOf(t, app, "employee", "How was the training? Course FB")
		if n := len(kaputest.MailsTo(t, app, "simon.reka")) + len(kaputest.MailsTo(t, app, "manager")); n != 0 {
			t.Errorf("a no-show or a session not over yet was asked for feedback (%d mails)", n)
		}

		visitor := kaputest.NewClient(t, app)
		res, body := visitor.Get(link + "?score=4")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Course FB") || !strings.Contains(body, `value="4" required checked`) {
			t.Fatalf("GET the link = %d; want 200 with the training and 4 ticked\n%s", res.StatusCode, body)
		}
		var n int64
		app.DB.R.Model(&training.Feedback{}).Count(&n)
		if n != 0 {
			t.Fatalf("opening the link stored %d ratings", n)
		}
		sig := fbSigRe.FindStringSubmatch(body)
		if sig == nil {
			t.Fatal("the form carries no signature")
		}

		if res, _ := visitor.Post(link, url.Values{"score": {"4"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("an unsigned form = %d; want 400", res.StatusCode)
		}
		res, body = visitor.Post(link, url.Values{"score": {"9"}, "comment": {"Hasznos volt"}, "sig": {sig[1]}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Pick a score from 1 to 5.") || !strings.Contains(body, "Hasznos volt") {
			t.Errorf("a bad score = %d; want 422 with the message and the comment kept", res.StatusCode)
		}
		res, _ = visitor.Post(link, url.Values{"score": {"4"}, "comment": {"Hasznos volt"}, "sig": {sig[1]}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rating = %d; want 303", res.StatusCode)
		}
		var fs []training.Feedback
		app.DB.R.Find(&fs)
		if len(fs) != 1 || fs[0].EnrolmentID != mine.ID || fs[0].Score != 4 || fs[0].Comment != "Hasznos volt" {
			t.Fatalf("stored ratings %+v; want the employee's 4 with the comment", fs)
		}
		var audits int64
		app.DB.R.Model(&audit.Entry{}).Where("action = ? AND entity_id = ?", "training.feedback", fmt.Sprint(mine.ID)).Count(&audits)
		if audits != 1 {
			t.Errorf("%d audit rows for the rating; want 1", audits)
		}
		res, body = visitor.Post(link, url.Values{"score": {"2"}, "sig": {sig[1]}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "already been rated") {
			t.Errorf("a second rating = %d; want 409 saying it is rated", res.StatusCode)
		}
		if res, _ := visitor.Get("/training/feedback/nosuchtoken"); res.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown link = %d; want 404", res.StatusCode)
		}

		// A Hungarian participant reads the page in Hungarian.
		if err := app.DB.W.Model(&people.Person{}).Where("id = ?", kaputest.Person(t, app, "employee").ID).Update("lang", "hu").Error; err != nil {
			t.Fatal(err)
		}
		if _, body := visitor.Get(link); !strings.Contains(body, "Képzés FB") || !strings.Contains(body, "Ezt a képzést már értékelte.") {
			t.Errorf("the page is not in the participant's language")
		}
	})
}
