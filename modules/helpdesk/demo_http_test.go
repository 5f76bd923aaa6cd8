package helpdesk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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
		mine, _, err := s.Mine(ctx, emp, helpdesk.MineQuery{Page: 1})
		if err != nil || len(mine) == 0 {
			t.Fatalf("employee's demo tickets = %d, %v; want some", len(mine), err)
		}
		stranger := kaputest.Person(t, app, "hr").Actor()
		for _, m := range mine {
			if m.ReporterID == stranger.ID {
				continue
			}
			if _, err := s.Get(ctx, stranger, m.ID); !errors.Is(err, helpdesk.ErrNotFound) {
				t.Errorf("hr reads the employee's ticket: %v; want ErrNotFound", err)
			}
			break
		}
	}, kaputest.WithHistory())
}

// TestDemoYear: the history holds a year of the helpdesk: ~300 IT assets and
// ~60 installations, ~1,200 IT and ~250 maintenance tickets with real SLA
// figures, and today's queues have open work, two near breach and one past.
func TestDemoYear(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		d := app.DB.R
		var assets int64
		d.Model(&helpdesk.Asset{}).Count(&assets)
		if assets < 330 || assets > 400 {
			t.Errorf("assets = %d; want ≈ 360", assets)
		}
		var rows []struct {
			Key                           string
			N, Resolved, Breached, Open   int
			Warned, Overdue, TodayPrinter int
		}
		now := time.Now().UTC()
		err := d.Raw(`SELECT q.key, COUNT(*) AS n,
			SUM(CASE WHEN t.resolve_mins IS NOT NULL THEN 1 ELSE 0 END) AS resolved,
			SUM(CASE WHEN t.resolve_mins IS NOT NULL AND t.sla_breached THEN 1 ELSE 0 END) AS breached,
			SUM(CASE WHEN t.state NOT IN ('resolved', 'closed') THEN 1 ELSE 0 END) AS open,
			SUM(CASE WHEN t.state NOT IN ('resolved', 'closed') AND t.sla_warn_at <= ? AND NOT t.sla_breached THEN 1 ELSE 0 END) AS warned,
			SUM(CASE WHEN t.state NOT IN ('resolved', 'closed') AND t.sla_breached THEN 1 ELSE 0 END) AS overdue
			FROM helpdesk_tickets t JOIN helpdesk_queues q ON q.id = t.queue_id GROUP BY q.key`, now).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{helpdesk.QueueIT: 1200, helpdesk.QueueMaintenance: 250}
		for _, r := range rows {
			t.Logf("queue %s: %d tickets, %d resolved, %d breached", r.Key, r.N, r.Resolved, r.Breached)
			if w := want[r.Key]; r.N < w*9/10 || r.N > w*11/10+30 {
				t.Errorf("queue %s tickets = %d; want ≈ %d", r.Key, r.N, w)
			}
			if r.Resolved < r.N*8/10 {
				t.Errorf("queue %s resolved = %d of %d; want most", r.Key, r.Resolved, r.N)
			}
			if r.Breached == 0 || r.Breached > r.Resolved/4 {
				t.Errorf("queue %s breached = %d of %d resolved; want a few", r.Key, r.Breached, r.Resolved)
			}
			if r.Open < 12 || r.Open > 25 {
				t.Errorf("queue %s open = %d; want ≈ 15", r.Key, r.Open)
			}
			if r.Warned < 2 || r.Overdue < 1 {
				t.Errorf("queue %s near breach = %d, breached = %d; want 2 and 1", r.Key, r.Warned, r.Overdue)
			}
		}
		var printer int64
		d.Model(&helpdesk.Ticket{}).Where("state = ? AND created_at > ? AND title LIKE ?", helpdesk.StateNew, now.Add(-24*time.Hour), "Papír%").Count(&printer)
		if printer == 0 {
			t.Error("no printer fault reported today")
		}
		// The queue page opens with the demo (when the queue's pages exist).
		c := kaputest.SignedIn(t, app, "it")
		if res, _ := c.Get("/helpdesk/stats"); res.StatusCode != 200 {
			t.Errorf("GET /helpdesk/stats as it = %d; want 200", res.StatusCode)
		}
	}, kaputest.WithHistory())
}

// TestDemoYearAudit: the year's tickets carry their audit trail at the
// instants of their lives: a report row naming the ticket's number, and
// comment rows naming the comment.
func TestDemoYearAudit(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		d := app.DB.R
		var tk helpdesk.Ticket
		if err := d.Where("state = ?", helpdesk.StateClosed).Order("id").First(&tk).Error; err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			Action, After string
			At            time.Time
		}
		if err := d.Raw("SELECT action, after, at FROM audit_log WHERE entity = 'helpdesk_ticket' AND entity_id = ? ORDER BY at, id",
			fmt.Sprint(tk.ID)).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) < 4 || rows[0].Action != "helpdesk.report" || !strings.Contains(rows[0].After, tk.Number) {
			t.Fatalf("audit of %s = %+v; want the report first, naming it", tk.Number, rows)
		}
		if !rows[0].At.Equal(tk.CreatedAt) {
			t.Errorf("report audited at %v; want %v", rows[0].At, tk.CreatedAt)
		}
		if last := rows[len(rows)-1]; last.Action != "helpdesk.state" || !strings.Contains(last.After, helpdesk.StateClosed) {
			t.Errorf("last audit row = %+v; want the close", last)
		}
		var bad int64
		d.Table("audit_log").Where("action = ? AND after NOT LIKE ?", "helpdesk.comment", `{"comment_id":%`).Count(&bad)
		if bad > 0 {
			t.Errorf("%d comment audit rows without the comment's id", bad)
		}
	}, kaputest.WithHistory())
}
