package helpdesk_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// statsTickets writes three IT tickets of year y: two resolved (first
// response 10 and 30 min, resolution 1.5 and 2.5 h, the second breached)
// and one open; it returns the period's query.
func statsTickets(t *testing.T, app *kapu.App, y int) string {
	t.Helper()
	var q helpdesk.Queue
	if err := app.DB.W.Where("key = ?", helpdesk.QueueIT).First(&q).Error; err != nil {
		t.Fatal(err)
	}
	cat := helpdesk.Category{QueueID: q.ID, NameHU: "Nyomtató teszt", NameEN: "Printer test", Order: 99, Active: true}
	if err := app.DB.W.Create(&cat).Error; err != nil {
		t.Fatal(err)
	}
	emp := kaputest.Person(t, app, "employee")
	at := time.Date(y, 2, 3, 9, 0, 0, 0, app.Cfg.TZ).UTC()
	resolved := at.Add(48 * time.Hour)
	ptr := func(v int) *int { return &v }
	ts := []helpdesk.Ticket{
		{ResponseMins: ptr(10), ResolveMins: ptr(90), ResolvedAt: &resolved, State: helpdesk.StateResolved},
		{ResponseMins: ptr(30), ResolveMins: ptr(150), ResolvedAt: &resolved, State: helpdesk.StateResolved, SLABreached: true},
		{State: helpdesk.StateNew},
	}
	for i := range ts {
		ts[i].QueueID, ts[i].CategoryID, ts[i].Title, ts[i].ReporterID = q.ID, cat.ID, "Nem nyomtat", emp.ID
		ts[i].Impact, ts[i].Urgency, ts[i].Priority, ts[i].CreatedAt = helpdesk.ImpactHinders, helpdesk.UrgencyMedium, 3, at
		ts[i].WorkMins = 60
	}
	if err := app.DB.W.Create(&ts).Error; err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/helpdesk/stats?period=year&day=%d-06-01", y)
}

// TestStatsPage: IT staff see their queue's figures; the CSV and the XLSX
// hold the same numbers as the page; an employee is refused.
func TestStatsPage(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		y := kaputest.Today(t, app).Year - 1
		page := statsTickets(t, app, y)
		if res, _ := kaputest.SignedIn(t, app, "employee").Get(page); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee GET stats = %d; want 403", res.StatusCode)
		}
		c := kaputest.SignedIn(t, app, "it")
		res, body := c.Get(page + "&lang=en")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("it GET stats = %d", res.StatusCode)
		}
		// Tickets 3, resolved 2, SLA met 50 %, response median 10 and p90
		// 30 minutes, resolution 1.5 and 2.5 hours, 3 hours spent.
		row := []string{"IT", "3", "2", "50", "10", "30", "1.5", "2.5", "3"}
		for _, v := range []string{"Printer test", "<strong>50 %</strong>", ">1.5<", ">2.5<"} {
			if !strings.Contains(body, v) {
				t.Errorf("page lacks %q", v)
			}
		}
		if strings.Contains(body, "Üzemeltetés") || strings.Contains(body, ">Maintenance<") {
			t.Error("IT staff see the maintenance queue")
		}
		res, csvBody := c.Get(page + "&lang=en&format=csv&table=queues")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("CSV = %d", res.StatusCode)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\uFEFF"))).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("CSV rows = %d, %v; want head and IT", len(recs), err)
		}
		for i, want := range row {
			if got := strings.TrimSuffix(recs[1][i], "%"); got != want {
				t.Errorf("CSV %s = %q; want %q", recs[0][i], got, want)
			}
		}
		res, xl := c.Get(page + "&lang=en&format=xlsx")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("XLSX = %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(io.Reader(bytes.NewReader([]byte(xl))))
		if err != nil {
			t.Fatal(err)
		}
		cells, err := f.GetRows("Queues")
		if err != nil || len(cells) < 2 {
			t.Fatalf("XLSX Queues = %v, %v", cells, err)
		}
		for i, want := range row {
			if got := strings.TrimSuffix(cells[1][i], "%"); got != want {
				t.Errorf("XLSX %s = %q; want %q", cells[0][i], got, want)
			}
		}
	})
}
