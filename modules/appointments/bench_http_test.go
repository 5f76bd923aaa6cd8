package appointments_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/appointments"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
)

// seedPastAppointments writes n served appointments at the demo's first
// office, all before today, in multi-row INSERTs with the overlap triggers
// on: each desk's appointments follow one another back from yesterday,
// 15 minutes apart, like two years of a busy city's front desks.
func seedPastAppointments(b *testing.B, app *kapu.App, n int) (office uint) {
	b.Helper()
	ctx := context.Background()
	var desks []appointments.Desk
	if err := app.DB.R.Order("id").Find(&desks).Error; err != nil || len(desks) == 0 {
		b.Fatalf("desks: %v (%d)", err, len(desks))
	}
	var typ appointments.CaseType
	if err := app.DB.R.Order("id").First(&typ).Error; err != nil {
		b.Fatal(err)
	}
	const cols = "(code, case_type_id, office_id, desk_id, start_at, end_at, status, source, ticket, name, email, phone, note, lang, ip, link_salt, manage_hash, booked_at, arrived_at, called_at, served_at, moves, rating, cancel_reason, rating_note, created_at, updated_at)"
	const row = "(?, ?, ?, ?, ?, ?, 'served', 'online', 0, 'Minta Ügyfél', ?, '', '', 'hu', '192.0.2.9', '', '', ?, ?, ?, ?, 0, 0, '', '', ?, ?)"
	const per = 13 // placeholders in row
	const batch = 300
	stmt := func(rows int) string {
		return "INSERT INTO appointments " + cols + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
	}
	loc := app.Cfg.TZ
	end := calendar.Today(loc).Start(loc).Add(-14 * time.Hour) // yesterday 10:00
	args := make([]any, 0, batch*per)
	flush := func() {
		if len(args) == 0 {
			return
		}
		if err := app.DB.W.WithContext(ctx).Exec(stmt(len(args)/per), args...).Error; err != nil {
			b.Fatalf("insert: %v", err)
		}
		args = args[:0]
	}
	for i := 0; i < n; i++ {
		desk := desks[i%len(desks)]
		k := i / len(desks)
		// Back from the demo's own past (5 weeks) so the two never meet.
		start := end.Add(-40 * 24 * time.Hour).Add(-time.Duration(k+1) * 15 * time.Minute).UTC()
		stop := start.Add(15 * time.Minute)
		args = append(args, fmt.Sprintf("Z%06d", i), typ.ID, desk.OfficeID, desk.ID, start, stop,
			fmt.Sprintf("c%d@example.hu", i%5000), start.Add(-72*time.Hour),
			start.Add(-5*time.Minute), start.Add(time.Minute), stop, start, start)
		if len(args) == batch*per {
			flush()
		}
	}
	flush()
	if err := app.DB.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	return desks[0].OfficeID
}

// BenchmarkPublicAndDeskPages measures, with 500,000 past appointments in
// the table, the public month view, a day's free times and the front desk's
// day of the busiest office, through the whole Fiber stack (app.Test), as
// p50/p95 over b.N requests each.
func BenchmarkPublicAndDeskPages(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			app := kaputest.New(b, dialect, kaputest.WithHistory())
			office := seedPastAppointments(b, app, 500_000)
			var typ appointments.CaseType
			if err := app.DB.R.Where("online = ? AND active = ? AND id IN (SELECT dc.case_type_id FROM appt_desk_case_types dc JOIN appt_desks d ON d.id = dc.desk_id WHERE d.office_id = ?)", true, true, office).
				Order("id").First(&typ).Error; err != nil {
				b.Fatal(err)
			}
			citizen := kaputest.NewClient(b, app)
			clerk := kaputest.SignedIn(b, app, "frontdesk")
			day := kaputest.WorkdayFrom(b, app, 3)
			today := kaputest.Today(b, app)
			month := fmt.Sprintf("/appointments/t/%d/o/%d?month=%04d-%02d", typ.ID, office, day.Year, day.Month)
			dayPath := fmt.Sprintf("/appointments/t/%d/o/%d/d/%s", typ.ID, office, day)
			// Cold: the one-second cache of busy times forgotten before each
			// request (SetClock forgets it), so every page reads the database.
			pages := []struct {
				name string
				c    *kaputest.Client
				path string
				cold bool
			}{
				{"month-cold", citizen, month, true},
				{"month-warm", citizen, month, false},
				{"day-cold", citizen, dayPath, true},
				{"day-warm", citizen, dayPath, false},
				{"desk-day", clerk, fmt.Sprintf("/desk?office=%d&date=%s", office, today), false},
			}
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					took := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						if p.cold {
							app.Appointments.SetClock(func() time.Time { return time.Now().UTC() })
						}
						t0 := time.Now()
						res, _ := p.c.Get(p.path)
						took = append(took, time.Since(t0))
						if res.StatusCode != http.StatusOK {
							b.Fatalf("GET %s = %d", p.path, res.StatusCode)
						}
					}
					dbtest.ReportLatency(b, took)
				})
			}
		})
	}
}
