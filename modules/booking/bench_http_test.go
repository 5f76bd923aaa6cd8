package booking_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// BenchmarkBookApp measures room bookings per second the way the app makes them
// (Booking.Book: the checks, the no-double-booking triggers, the audit row
// and the outbox row of the booker's confirmation, all in one transaction),
// from dbtest.LoadLevels clients at once. On the same SQLite file, with the same
// pragmas and in the same run, it then measures bare single-row insert
// transactions, one at a time and from as many clients, and reports the
// bookings' rate against the faster of the two: the issue asks for at least
// 0.5. Last, it writes the queued confirmations (mail and .ics) as the
// delivery job does, and reports that rate too: the mail work the booking no
// longer does inside its transaction, measured rather than hidden.
func BenchmarkBookApp(b *testing.B) {
	for _, n := range dbtest.LoadLevels {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) { benchBook(b, n) })
	}
}

// benchBook is BenchmarkBookApp with n clients.
func benchBook(b *testing.B, n int) {
	app := kaputest.New(b, db.SQLite)
	ctx := context.Background()
	var rooms []booking.Resource
	app.DB.R.Where("kind = ? AND needs_approval = ?", booking.KindRoom, false).Order("id").Find(&rooms)
	who := kaputest.Person(b, app, "employee").Actor()
	// Free hours: each room, each working day from next month on, 08:00–18:00.
	const hours = 10
	days := workdays(b, app, calendar.Today(app.Cfg.TZ).AddDays(31), b.N/(len(rooms)*hours)+1)
	var next atomic.Int64
	b.ResetTimer()
	dbtest.Clients(n, func() {
		for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
			room, hour, day := rooms[i%len(rooms)], 8+(i/len(rooms))%hours, days[i/(len(rooms)*hours)]
			start := time.Date(day.Year, day.Month, day.Day, hour, 0, 0, 0, app.Cfg.TZ)
			in := booking.BookingInput{ResourceID: room.ID, Start: start, End: start.Add(time.Hour), Title: "Bench", Attendees: 2}
			if _, err := app.Booking.Book(ctx, who, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	book := float64(b.N) / b.Elapsed().Seconds()
	rows := max(b.N, 500)
	bare := max(dbtest.BareInsertRate(b, app.DB, rows, 1), dbtest.BareInsertRate(b, app.DB, rows, n))
	began := time.Now()
	composed, err := app.Outbox.ComposeDue(ctx)
	if err != nil || composed != b.N {
		b.Fatalf("composed %d confirmations of %d bookings: %v", composed, b.N, err)
	}
	b.ReportMetric(float64(composed)/time.Since(began).Seconds(), "mails_composed/s")
	b.ReportMetric(book, "bookings/s")
	b.ReportMetric(bare, "bare_inserts/s")
	b.ReportMetric(book/bare, "ratio")
}

// workdays returns n working days from from on.
func workdays(b *testing.B, app *kapu.App, from calendar.Date, n int) []calendar.Date {
	out := make([]calendar.Date, 0, n)
	for d := from; len(out) < n; d = d.AddDays(1) {
		ok, err := app.Calendar.IsWorkday(context.Background(), d)
		if err != nil {
			b.Fatal(err)
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}
