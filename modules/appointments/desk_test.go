package appointments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

var deskToday = calendar.DateOf(testNow, budapest)

func TestDeskStepsFollowTheState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 2, "08:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		book := func(h, m int) *Appointment {
			t.Helper()
			a, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: local(2026, 3, 2, h, m), Name: "Kiss Anna"})
			must(t, err)
			return a
		}
		a1, a2 := book(9, 20), book(9, 40)
		if _, err := f.s.Serve(ctx, clerk, a1.ID); !errors.Is(err, ErrDeskStep) {
			t.Errorf("Serve(booked) = %v; want ErrDeskStep", err)
		}
		if _, err := f.s.NoShow(ctx, clerk, a1.ID); !errors.Is(err, ErrDeskNotYet) {
			t.Errorf("NoShow before start = %v; want ErrDeskNotYet", err)
		}
		if _, err := f.s.Arrive(ctx, actor.Actor{ID: 9, Roles: []string{actor.Employee}}, a1.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("Arrive by an employee = %v; want ErrForbidden", err)
		}
		_, err := f.s.Arrive(ctx, clerk, a1.ID)
		must(t, err)
		got, err := f.s.Call(ctx, clerk, a1.ID, f.desks[1].ID)
		must(t, err)
		if got.Status != StatusCalled || got.CalledDeskID == nil || *got.CalledDeskID != f.desks[1].ID || got.CalledAt == nil {
			t.Errorf("Call = %+v", got)
		}
		if _, err := f.s.Undo(ctx, clerk, a1.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Call(ctx, clerk, a1.ID, f.desks[1].ID)
		must(t, err)
		got, err = f.s.Serve(ctx, clerk, a1.ID)
		must(t, err)
		if got.Status != StatusServed || got.ServedAt == nil {
			t.Errorf("Serve = %+v", got)
		}
		f.s.now = func() time.Time { return local(2026, 3, 2, 9, 41) }
		got, err = f.s.NoShow(ctx, clerk, a2.ID)
		must(t, err)
		if got.Status != StatusNoShow {
			t.Errorf("NoShow = %s", got.Status)
		}
		day, err := f.s.Day(ctx, clerk, f.office.ID, deskToday)
		must(t, err)
		if day.Counts.Served != 1 || day.Counts.NoShow != 1 || len(day.Desks) != 2 {
			t.Errorf("Day counts = %+v, desks %d", day.Counts, len(day.Desks))
		}
	})
}

func TestWalkInTakesAFreeTimeNowOrSoon(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "08:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		tests := []struct {
			hh, mm int
			want   string // the time given, "" for the waiting list
		}{
			{9, 5, "09:00"},  // 9:00–9:20 runs, 15 minutes left
			{9, 12, "09:20"}, // 9:00 is taken: the next, within ten minutes
			{9, 13, ""},      // 9:20 taken now, 9:40 too far
			{11, 59, ""},     // closing
		}
		for _, tt := range tests {
			f.s.now = func() time.Time { return local(2026, 3, 2, tt.hh, tt.mm) }
			a, err := f.s.WalkIn(ctx, clerk, f.office.ID, f.typ.ID, "")
			must(t, err)
			got := ""
			if a.StartAt != nil {
				got = a.StartAt.In(budapest).Format("15:04")
			}
			if got != tt.want || (got == "") != (a.Status == StatusWaiting) {
				t.Errorf("walk-in at %02d:%02d = %q %s; want %q", tt.hh, tt.mm, got, a.Status, tt.want)
			}
		}
	})
}

func TestWalkInTicketsNeverRepeat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// Open from 10:00 only: at 9:00 no desk is free, everyone waits.
		f := newFixture(t, d, 1, "10:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		const n = 8
		tickets := make([]int, n)
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				a, err := f.s.WalkIn(ctx, clerk, f.office.ID, f.typ.ID, "")
				if err == nil {
					tickets[i] = a.Ticket
				}
				errs[i] = err
			}(i)
		}
		wg.Wait()
		seen := map[int]bool{}
		for i, tk := range tickets {
			if errs[i] != nil {
				t.Fatalf("WalkIn: %v", errs[i])
			}
			if tk < 1 || tk > n || seen[tk] {
				t.Errorf("tickets = %v; want 1..%d each once", tickets, n)
				break
			}
			seen[tk] = true
		}
	})
}

func TestCloseDeskMovesWhatFits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 2, "08:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		var ids []uint
		// 10:00 on both desks, 10:20 on one: closing the desk holding both
		// 10:00 and 10:20 moves 10:20 only.
		for _, at := range []time.Time{local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 20)} {
			a, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: at, Name: "Nagy Béla"})
			must(t, err)
			ids = append(ids, a.ID)
		}
		var a3 Appointment
		must(t, d.R.First(&a3, ids[2]).Error)
		moved, left, err := f.s.CloseDesk(ctx, clerk, *a3.DeskID, deskToday, "beteg")
		must(t, err)
		if moved+left != 2 || moved != 1 {
			t.Errorf("CloseDesk = %d moved, %d left; want 1, 1", moved, left)
		}
		if _, _, err := f.s.CloseDesk(ctx, clerk, *a3.DeskID, deskToday, "again"); !errors.Is(err, ErrDeskAlreadyClosed) {
			t.Errorf("second CloseDesk = %v", err)
		}
	})
}

// TestDeskDayFastWithHistory is the desk day's promise: ≤ 20 ms at the 95th
// percentile with 500,000 past appointments in the table, since it reads
// the day alone through the indexes. It seeds for a while, so it runs only
// with KAPU_TEST_BIG=1.
func TestDeskDayFastWithHistory(t *testing.T) {
	if os.Getenv("KAPU_TEST_BIG") == "" {
		t.Skip("set KAPU_TEST_BIG=1 to seed 500,000 appointments")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 6, "08:00-16:00", CaseType{Minutes: 20})
		const past = 500000
		desks := fmt.Sprintf("(%d + n %% 6)", f.desks[0].ID) // the fixture's desks have consecutive ids
		// Each row at its own desk and time, one after the other back
		// from yesterday: served, with a name, as the statistics keep them.
		var sql string
		if d.Dialect == db.Postgres {
			sql = fmt.Sprintf(`INSERT INTO appointments (code, case_type_id, office_id, desk_id, start_at, end_at, status, source,
				ticket, name, email, lang, booked_at, created_at, updated_at, moves, rating)
			SELECT 'P' || n, %d, %d, %s, ts, ts + interval '20 minutes', 'served', 'online', 0, 'Múlt ' || n, '', 'hu', ts, ts, ts, 0, 0
			FROM (SELECT n, TIMESTAMPTZ '2026-03-01 00:00:00+00' - (n / 6) * interval '20 minutes' AS ts
			      FROM generate_series(?::int, ?::int) AS n) g`, f.typ.ID, f.office.ID, desks)
		} else {
			sql = fmt.Sprintf(`INSERT INTO appointments (code, case_type_id, office_id, desk_id, start_at, end_at, status, source,
				ticket, name, email, lang, booked_at, created_at, updated_at, moves, rating)
			WITH RECURSIVE g(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM g WHERE n < ?)
			SELECT 'P' || n, %d, %d, %s,
			  strftime('%%Y-%%m-%%d %%H:%%M:%%S', '2026-03-01', '-' || ((n / 6) * 20) || ' minutes') || '+00:00',
			  strftime('%%Y-%%m-%%d %%H:%%M:%%S', '2026-03-01', '-' || ((n / 6) * 20) || ' minutes', '+20 minutes') || '+00:00',
			  'served', 'online', 0, 'Múlt ' || n, '', 'hu',
			  strftime('%%Y-%%m-%%d %%H:%%M:%%S', '2026-03-01', '-' || ((n / 6) * 20) || ' minutes') || '+00:00',
			  '2026-03-01 00:00:00+00:00', '2026-03-01 00:00:00+00:00', 0, 0
			FROM g`, f.typ.ID, f.office.ID, desks)
		}
		began := time.Now()
		const batch = 50000 // each statement well within the statement timeout
		for from := 1; from <= past; from += batch {
			must(t, d.W.Exec(sql, from, from+batch-1).Error)
		}
		if d.Dialect == db.Postgres {
			must(t, d.W.Exec("ANALYZE appointments").Error)
		} else {
			must(t, d.W.Exec("ANALYZE").Error)
		}
		t.Logf("seeded %d past appointments in %v", past, time.Since(began).Round(time.Millisecond))
		ctx := context.Background()
		for i := 0; i < 60; i++ {
			start := local(2026, 3, 2, 9+i/18, (i%3)*20)
			if _, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: start, Name: "Mai Ügyfél"}); err != nil && !errors.Is(err, ErrTaken) {
				t.Fatal(err)
			}
		}
		// The best of three rounds of 40: this machine's other work (two
		// cores shared) should not decide the figure, the queries should.
		var p95, median time.Duration
		for round := 0; round < 3; round++ {
			var times []time.Duration
			for i := 0; i < 40; i++ {
				began := time.Now()
				day, err := f.s.Day(ctx, clerk, f.office.ID, deskToday)
				must(t, err)
				times = append(times, time.Since(began))
				if day.Counts.Booked == 0 {
					t.Fatal("the day holds no appointments")
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			if p := times[len(times)*95/100]; round == 0 || p < p95 {
				p95, median = p, times[len(times)/2]
			}
		}
		t.Logf("desk day with %d past appointments: median %v, p95 %v", past, median, p95)
		if p95 > 20*time.Millisecond {
			t.Errorf("desk day p95 = %v; want ≤ 20ms", p95)
		}
	})
}

// TestCloseDeskRefusesThePastAndTakesOverOtherHours: a past day is refused
// and changes nothing; "other hours" set over the day give way to the
// closing, keeping their days before and after, so no day has two rules.
func TestCloseDeskRefusesThePastAndTakesOverOtherHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "08:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		desk := f.desks[0].ID
		count := func() int64 {
			var n int64
			must(t, d.R.Model(&DeskException{}).Count(&n).Error)
			return n
		}
		if _, _, err := f.s.CloseDesk(ctx, clerk, desk, deskToday.AddDays(-1), "beteg"); !errors.Is(err, ErrDeskPastDay) {
			t.Errorf("closing yesterday = %v; want ErrDeskPastDay", err)
		}
		if _, _, err := f.s.DeskAffected(ctx, clerk, desk, deskToday.AddDays(-1)); !errors.Is(err, ErrDeskPastDay) {
			t.Errorf("asking about yesterday = %v; want ErrDeskPastDay", err)
		}
		if n := count(); n != 0 {
			t.Errorf("a refused close left %d exceptions", n)
		}
		// Other hours over three days; the middle one is closed.
		day := deskToday.AddDays(2)
		must(t, d.W.Create(&DeskException{DeskID: desk, From: day.AddDays(-1), To: day.AddDays(1), Kind: ExceptionHours,
			Hours: "08:00-09:00", Reason: "képzés"}).Error)
		// Other hours of one day alone go when that day is closed.
		lone := deskToday.AddDays(8)
		must(t, d.W.Create(&DeskException{DeskID: desk, From: lone, To: lone, Kind: ExceptionHours, Hours: "10:00-11:00"}).Error)
		f.s.SetupChanged()
		for _, c := range []calendar.Date{day, lone} {
			if _, _, err := f.s.CloseDesk(ctx, clerk, desk, c, "beteg"); err != nil {
				t.Fatalf("closing %s over other hours = %v", c, err)
			}
		}
		var exc []DeskException
		must(t, d.R.Where("desk_id = ?", desk).Order(`"from"`).Find(&exc).Error)
		var got []string
		for _, e := range exc {
			got = append(got, fmt.Sprintf("%s..%s %s %s", e.From, e.To, e.Kind, e.Hours))
		}
		want := []string{
			fmt.Sprintf("%s..%s hours 08:00-09:00", day.AddDays(-1), day.AddDays(-1)),
			fmt.Sprintf("%s..%s closed ", day, day),
			fmt.Sprintf("%s..%s hours 08:00-09:00", day.AddDays(1), day.AddDays(1)),
			fmt.Sprintf("%s..%s closed ", lone, lone),
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("exceptions after closing = %q; want %q", got, want)
		}
		for c, n := range map[calendar.Date]int{day.AddDays(-1): 3, day: 0, day.AddDays(1): 3, lone: 0} {
			times, err := f.s.Times(ctx, clerk, &f.typ, f.office.ID, c)
			must(t, err)
			if len(times) != n {
				t.Errorf("free times on %s = %v; want %d", c, clocks(times), n)
			}
		}
	})
}
