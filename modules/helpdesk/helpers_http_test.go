package helpdesk_test

import (
	"context"
	"strconv"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// The helpdesk's HTTP tests share these: a queue by key, a ticket reported
// through the service, an id as the path writes it.

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

func queueOf(t *testing.T, app *kapu.App, key string) helpdesk.Queue {
	t.Helper()
	qs, err := app.Helpdesk.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Key == key {
			return q
		}
	}
	t.Fatalf("no queue %s", key)
	return helpdesk.Queue{}
}

// reportIn files in as username: in its queue's first category unless it
// names one, "hinders me" unless it says.
func reportIn(t *testing.T, app *kapu.App, username string, in helpdesk.ReportInput) *helpdesk.Ticket {
	t.Helper()
	ctx := context.Background()
	if in.CategoryID == 0 {
		cs, err := app.Helpdesk.Categories(ctx, queueOf(t, app, in.QueueKey).ID, false)
		if err != nil || len(cs) == 0 {
			t.Fatalf("categories of %s = %d, %v", in.QueueKey, len(cs), err)
		}
		in.CategoryID = cs[0].ID
	}
	if in.Impact == "" {
		in.Impact = helpdesk.ImpactHinders
	}
	tk, err := app.Helpdesk.Report(ctx, kaputest.Person(t, app, username).Actor(), in)
	if err != nil {
		t.Fatalf("report %q: %v", in.Title, err)
	}
	return tk
}

// reportAs files a fault with only a title in queue as username.
func reportAs(t *testing.T, app *kapu.App, username, queue, title string) *helpdesk.Ticket {
	t.Helper()
	return reportIn(t, app, username, helpdesk.ReportInput{QueueKey: queue, Title: title})
}

// mReport is reportAs with a description and a place, as the mails show them.
func mReport(t *testing.T, app *kapu.App, username, queue, title string) *helpdesk.Ticket {
	t.Helper()
	return reportIn(t, app, username, helpdesk.ReportInput{QueueKey: queue, Title: title,
		Description: "Reggel óta nem működik.", Building: "Városháza", Floor: "2", Room: "214"})
}

// reportIT is an IT fault with a title in a building, as username.
func reportIT(t *testing.T, app *kapu.App, username, title, building string) *helpdesk.Ticket {
	t.Helper()
	return reportIn(t, app, username, helpdesk.ReportInput{QueueKey: helpdesk.QueueIT, Title: title, Building: building})
}
