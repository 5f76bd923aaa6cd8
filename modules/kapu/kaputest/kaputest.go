// Package kaputest builds the whole Kapu app for tests: a fresh SQLite file or
// PostgreSQL schema, migrated, with the demo people and calendar loaded, a
// browser-like client per demo account and an SMTP sink to deliver to.
//
// It is a plain package so that every module's external tests
// (package booking_test, leave_test …) can use it. It lives under
// modules/kapu and not in the platform because it imports kapu to assemble
// every module; for the same reason a module's in-package tests cannot use it.
package kaputest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"kapu/config"
	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/notify/smtptest"
	"kapu/modules/platform/people"
)

// Option changes how New builds the app.
type Option func(*setup)

type setup struct {
	history bool
	env     map[string]string
	log     *slog.Logger
}

// WithHistory loads the demo's past too (leave, bookings, car trips), as `make run` shows it.
func WithHistory() Option { return func(s *setup) { s.history = true } }

// WithEnv sets a KAPU_* variable for the app's configuration.
func WithEnv(key, value string) Option { return func(s *setup) { s.env[key] = value } }

// BehindProxy puts the app behind a trusted reverse proxy, so each client's
// X-Forwarded-For (Client.IP) is its address (sign-in limits per address).
func BehindProxy() Option { return WithEnv("KAPU_TRUSTED_PROXIES", "0.0.0.0/0") }

// WithLog gives the app a logger instead of one that discards everything.
func WithLog(l *slog.Logger) Option { return func(s *setup) { s.log = l } }

// WithSMTP points the app's mail delivery at the sink.
func WithSMTP(sink *smtptest.Sink) Option {
	return func(s *setup) {
		s.env["KAPU_SMTP_HOST"] = "127.0.0.1"
		s.env["KAPU_SMTP_PORT"] = strconv.Itoa(sink.Port())
		s.env["KAPU_SMTP_TLS"] = "none"
	}
}

// New builds Kapu on a fresh database of the dialect with the demo people and
// calendar loaded, but none of the demo's history unless WithHistory says so,
// so tests can count days and bookings. It is closed when the test ends.
func New(t testing.TB, dialect string, opts ...Option) *kapu.App {
	t.Helper()
	s := setup{
		env: map[string]string{
			"KAPU_DATA_DIR": t.TempDir(),
			"KAPU_DB":       dbtest.DSN(t, dialect),
			"KAPU_SECRET":   strings.Repeat("s", 40),
			"KAPU_LANG":     "en",
			// bcrypt's cheapest cost: under the race detector the default
			// makes every demo seed and sign-in take most of a second.
			"KAPU_PASSWORD_COST": "4",
		},
		log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&s)
	}
	cfg, err := config.Load(func(k string) string { return s.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	app, err := kapu.Open(cfg, s.log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	ctx := context.Background()
	if err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := app.SeedDemoWith(ctx, kapu.DemoOptions{History: s.history}); err != nil {
		t.Fatal(err)
	}
	return app
}

// Each runs fn as a subtest per database dialect (dbtest.Dialects), each on a fresh app.
func Each(t *testing.T, fn func(t *testing.T, app *kapu.App), opts ...Option) {
	t.Helper()
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, New(t, d, opts...)) })
	}
}

// MustDate parses a YYYY-MM-DD date or fails the test.
func MustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Person is the person with the username, or the test fails.
func Person(t testing.TB, app *kapu.App, username string) *people.Person {
	t.Helper()
	p, err := app.People.ByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("person %s: %v", username, err)
	}
	return p
}

// MailsTo returns the queued mails of one person, oldest first.
func MailsTo(t testing.TB, app *kapu.App, username string) []notify.Mail {
	t.Helper()
	// What the delivery job would do first: write the rows queued with Later.
	if _, err := app.Outbox.ComposeDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []notify.Mail
	app.DB.R.Where("to_addr = ?", Person(t, app, username).Email).Order("id").Find(&out)
	return out
}

// Allocate gives a person base days of leave for a year as HR would.
func Allocate(t testing.TB, app *kapu.App, username string, year int, days float64) {
	t.Helper()
	hr := Person(t, app, "hr").Actor()
	if err := app.Leave.SetAllocation(context.Background(), hr, Person(t, app, username).ID, year, int(days*2), "test"); err != nil {
		t.Fatal(err)
	}
}

// Resource finds a demo resource (room, car, equipment) by its name.
func Resource(t testing.TB, app *kapu.App, name string) booking.Resource {
	t.Helper()
	var r booking.Resource
	if err := app.DB.R.Where("name = ?", name).First(&r).Error; err != nil {
		t.Fatalf("resource %q: %v", name, err)
	}
	return r
}

// Today is the day the tests count from: today, or the day in
// KAPU_TEST_TODAY (YYYY-MM-DD, not in the past), so that the tests' choice of
// dates can be checked as if they ran on a Friday or before a holiday.
func Today(t testing.TB, app *kapu.App) calendar.Date {
	t.Helper()
	today := calendar.Today(app.Cfg.TZ)
	if s := os.Getenv("KAPU_TEST_TODAY"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil || d.Before(today) {
			t.Fatalf("KAPU_TEST_TODAY=%q: want a date from today on (%v)", s, err)
		}
		return d
	}
	return today
}

// WorkdayFrom is the first working day on or after Today+n: rooms are closed
// on weekends and public holidays.
func WorkdayFrom(t testing.TB, app *kapu.App, n int) calendar.Date {
	t.Helper()
	return WorkdayOnOrAfter(t, app, Today(t, app).AddDays(n))
}

// NextWorkday is the first working day after Today.
func NextWorkday(t testing.TB, app *kapu.App) calendar.Date {
	t.Helper()
	return WorkdayFrom(t, app, 1)
}

// WorkdayOnOrAfter is the first working day on or after d.
func WorkdayOnOrAfter(t testing.TB, app *kapu.App, d calendar.Date) calendar.Date {
	t.Helper()
	w, err := app.Calendar.NextWorkday(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
