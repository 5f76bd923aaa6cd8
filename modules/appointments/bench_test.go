package appointments

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
)

// seedPast writes n served appointments of f's case type spread over f's
// desks, all before today, in multi-row INSERTs with the overlap triggers
// on: each desk's appointments follow one another back from yesterday, 15
// minutes apart, like two years of a busy office.
func seedPast(tb testing.TB, f *fixture, n int) {
	tb.Helper()
	ctx := context.Background()
	const cols = "(code, case_type_id, office_id, desk_id, start_at, end_at, status, source, ticket, name, email, phone, note, lang, ip, link_salt, manage_hash, booked_at, moves, rating, cancel_reason, rating_note, created_at, updated_at)"
	const row = "(?, ?, ?, ?, ?, ?, 'served', 'online', 0, 'Minta Ügyfél', ?, '', '', 'hu', '192.0.2.9', '', '', ?, 0, 0, '', '', ?, ?)"
	const batch = 400
	stmt := func(rows int) string {
		return "INSERT INTO appointments " + cols + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
	}
	end := calendar.DateOf(f.s.now(), f.s.tz).Start(f.s.tz).Add(-14 * time.Hour) // yesterday 10:00
	const per = 10                                                               // placeholders in row
	args := make([]any, 0, batch*per)
	flush := func() {
		if len(args) == 0 {
			return
		}
		if err := f.d.W.WithContext(ctx).Exec(stmt(len(args)/per), args...).Error; err != nil {
			tb.Fatalf("insert: %v", err)
		}
		args = args[:0]
	}
	for i := 0; i < n; i++ {
		desk := f.desks[i%len(f.desks)].ID
		k := i / len(f.desks)
		start := end.Add(-time.Duration(k+1) * 15 * time.Minute).UTC()
		stop := start.Add(15 * time.Minute)
		args = append(args, fmt.Sprintf("P%06d", i), f.typ.ID, f.office.ID, desk, start, stop,
			fmt.Sprintf("c%d@example.hu", i%5000), start.Add(-72*time.Hour), start, start)
		if len(args) == batch*per {
			flush()
		}
	}
	flush()
	if err := f.d.Optimize(ctx); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkSlots measures the month view and a day's times of one office
// with 500,000 past appointments in the table, as p50/p95 per call.
func BenchmarkSlots(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			f := newFixture(b, dbtest.Open(b, dialect), 10, "08:00-12:00, 13:00-18:00", CaseType{Minutes: 20, HorizonDays: 30})
			f.s.now = func() time.Time { return time.Now().UTC() }
			seedPast(b, f, 500_000)
			ctx := context.Background()
			day := calendar.DateOf(time.Now(), f.s.tz).AddDays(3)
			for _, tt := range []struct {
				name string
				fn   func() error
			}{
				{"month", func() error {
					_, err := f.s.Month(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
					return err
				}},
				{"times", func() error {
					_, err := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
					return err
				}},
			} {
				b.Run(tt.name, func(b *testing.B) {
					took := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						t0 := time.Now()
						if err := tt.fn(); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
					}
					dbtest.ReportLatency(b, took)
				})
			}
		})
	}
}
