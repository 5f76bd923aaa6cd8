package helpdesk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
)

// mBudapestAt is the instant of a wall time in the app's zone.
func mBudapestAt(app *kapu.App, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, app.Cfg.TZ).UTC()
}

// mResolvedTicket is a ticket of employee's that IT resolved at the clock's time.
func mResolvedTicket(t *testing.T, app *kapu.App, title string) *helpdesk.Ticket {
	t.Helper()
	ctx := context.Background()
	tk := mReport(t, app, "employee", helpdesk.QueueIT, title)
	it := kaputest.Person(t, app, "it").Actor()
	if err := app.Helpdesk.Take(ctx, it, tk.ID); err != nil {
		t.Fatal(err)
	}
	if err := app.Helpdesk.Resolve(ctx, it, tk.ID, helpdesk.ResolvedAdvice, "Újraindítás után működik."); err != nil {
		t.Fatal(err)
	}
	return tk
}

// mStateOf is tk's state in the database.
func mStateOf(t *testing.T, app *kapu.App, tk *helpdesk.Ticket) string {
	t.Helper()
	got, err := app.Helpdesk.Get(context.Background(), kaputest.Person(t, app, "employee").Actor(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.State
}

// mRateMails counts the rating mails of tk the reporter got.
func mRateMails(t *testing.T, app *kapu.App, tk *helpdesk.Ticket) int {
	t.Helper()
	n := 0
	for _, m := range mHelpdeskMails(t, app, "employee") {
		if strings.Contains(m.Subject, tk.Number) && strings.Contains(m.Text, "/helpdesk/rate/") {
			n++
		}
	}
	return n
}

// TestAutoClose: a ticket resolved on Monday, with Wednesday a holiday, has
// three full working days behind it (Tuesday, Thursday, Friday) only on
// Saturday: the job leaves it on Friday and closes it then, as the system,
// with the rating mail, once however often it runs. A ticket the reporter
// reopened is not closed.
func TestAutoClose(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		if _, err := app.Calendar.SetOverride(ctx, nil, calendar.NewDate(2026, 3, 4), calendar.KindHoliday, "teszt"); err != nil {
			t.Fatal(err)
		}
		mFixClock(app, mBudapestAt(app, 2026, 3, 2, 10, 0))
		tk := mResolvedTicket(t, app, "Nem látszik a hálózati meghajtó")
		again := mResolvedTicket(t, app, "Lefagy a táblázatkezelő")

		mFixClock(app, mBudapestAt(app, 2026, 3, 3, 11, 0))
		if err := app.Helpdesk.ChangeState(ctx, kaputest.Person(t, app, "employee").Actor(), again.ID, helpdesk.StateInProgress, "Megint lefagyott."); err != nil {
			t.Fatal(err)
		}

		for _, at := range []time.Time{mBudapestAt(app, 2026, 3, 5, 23, 0), mBudapestAt(app, 2026, 3, 6, 9, 0), mBudapestAt(app, 2026, 3, 6, 23, 59)} {
			mFixClock(app, at)
			if n, err := app.Helpdesk.AutoClose(ctx); err != nil || n != 0 {
				t.Fatalf("AutoClose at %v = %d, %v; want nothing before three full working days", at, n, err)
			}
		}
		if s := mStateOf(t, app, tk); s != helpdesk.StateResolved {
			t.Fatalf("state on Friday = %s; want resolved", s)
		}

		mFixClock(app, mBudapestAt(app, 2026, 3, 7, 0, 30))
		if n, err := app.Helpdesk.AutoClose(ctx); err != nil || n != 1 {
			t.Fatalf("AutoClose on Saturday = %d, %v; want 1", n, err)
		}
		if s := mStateOf(t, app, tk); s != helpdesk.StateClosed {
			t.Errorf("state on Saturday = %s; want closed", s)
		}
		if s := mStateOf(t, app, again); s != helpdesk.StateInProgress {
			t.Errorf("the reopened ticket is %s; want it left in progress", s)
		}
		var by []uint
		app.DB.R.Model(&helpdesk.TicketEvent{}).Where("ticket_id = ? AND \"to\" = ?", tk.ID, helpdesk.StateClosed).Pluck("by_id", &by)
		if len(by) != 1 || by[0] != 0 {
			t.Errorf("closing events by %v; want one by the system (0)", by)
		}
		if n, err := app.Helpdesk.AutoClose(ctx); err != nil || n != 0 {
			t.Errorf("AutoClose again = %d, %v; want 0", n, err)
		}
		if n := mRateMails(t, app, tk); n != 1 {
			t.Errorf("rating mails = %d; want 1", n)
		}
		if n := mRateMails(t, app, again); n != 0 {
			t.Errorf("rating mails of the reopened ticket = %d; want 0", n)
		}
	})
}

// TestAutoCloseSetting: helpdesk.close_days set to 1 closes a ticket
// resolved on Friday on Tuesday (Monday the one working day after it), and
// not on Monday.
func TestAutoCloseSetting(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		if err := app.DB.SetSetting(ctx, helpdesk.SettingCloseDays, "1"); err != nil {
			t.Fatal(err)
		}
		mFixClock(app, mBudapestAt(app, 2026, 3, 6, 15, 0))
		tk := mResolvedTicket(t, app, "Nem működik a webkamera")
		mFixClock(app, mBudapestAt(app, 2026, 3, 9, 15, 0))
		if n, err := app.Helpdesk.AutoClose(ctx); err != nil || n != 0 {
			t.Fatalf("AutoClose on Monday = %d, %v; want 0", n, err)
		}
		mFixClock(app, mBudapestAt(app, 2026, 3, 10, 6, 0))
		if n, err := app.Helpdesk.AutoClose(ctx); err != nil || n != 1 || mStateOf(t, app, tk) != helpdesk.StateClosed {
			t.Fatalf("AutoClose on Tuesday = %d, %v; want the ticket closed", n, err)
		}
	})
}
