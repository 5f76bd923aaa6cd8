package helpdesk_test

import (
	"context"
	"errors"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// TestDemoQueues: the suite seeds both queues with the categories,
// 7:30–16:00 hours and the demo leads, and the history's tickets are there
// for their reporters and hidden from others.
func TestDemoQueues(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		s := app.Helpdesk
		qs, err := s.Queues(ctx)
		if err != nil {
			t.Fatal(err)
		}
		leads := map[string]string{helpdesk.QueueIT: "it", helpdesk.QueueMaintenance: "facilities"}
		if len(qs) != 2 {
			t.Fatalf("queues = %d; want 2", len(qs))
		}
		for _, q := range qs {
			lead := kaputest.Person(t, app, leads[q.Key])
			if q.LeadID == nil || *q.LeadID != lead.ID {
				t.Errorf("queue %s lead = %v; want %s", q.Key, q.LeadID, leads[q.Key])
			}
			h := q.BusinessHours(app.Cfg.TZ).Week[1]
			if h.From != 7*60+30 || h.To != 16*60 {
				t.Errorf("queue %s Monday hours = %+v; want 7:30–16:00", q.Key, h)
			}
			cs, err := s.Categories(ctx, q.ID, false)
			if err != nil || len(cs) != 6 {
				t.Errorf("queue %s categories = %d, %v; want 6", q.Key, len(cs), err)
			}
		}
		emp := kaputest.Person(t, app, "employee").Actor()
		mine, err := s.Mine(ctx, emp)
		if err != nil || len(mine) != 2 {
			t.Fatalf("employee's demo tickets = %d, %v; want 2", len(mine), err)
		}
		stranger := kaputest.Person(t, app, "hr").Actor()
		if _, err := s.Get(ctx, stranger, mine[0].ID); !errors.Is(err, helpdesk.ErrNotFound) {
			t.Errorf("hr reads the employee's ticket: %v; want ErrNotFound", err)
		}
	}, kaputest.WithHistory())
}
