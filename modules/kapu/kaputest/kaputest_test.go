package kaputest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
	"kapu/modules/platform/notify/smtptest"
)

// WithSMTP points the app's delivery at the sink: a mail the app queues
// arrives there over a real SMTP dialogue.
func TestWithSMTPDeliversToTheSink(t *testing.T) {
	t.Parallel()
	sink := smtptest.New(t)
	app := kaputest.New(t, db.SQLite, kaputest.WithSMTP(sink))
	emp := kaputest.Person(t, app, "employee")
	admin := kaputest.SignedIn(t, app, "admin")
	admin.Get(fmt.Sprintf("/admin/people/%d", emp.ID))
	if res, body := admin.Post(fmt.Sprintf("/admin/people/%d/password-link", emp.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send a password link = %d; want 303\n%s", res.StatusCode, body)
	}
	if _, err := app.Outbox.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sink.Messages()
	if len(got) != 1 || got[0].To() != emp.Email {
		t.Fatalf("the sink received %d messages; want the link to %s", len(got), emp.Email)
	}
}
