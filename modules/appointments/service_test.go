package appointments

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/history"
	"kapu/modules/platform/module"
)

var budapest = mustZone("Europe/Budapest")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// testNow is "now" in the tests: Monday 2 March 2026, 9:00 in Budapest,
// four weeks before the spring DST weekend.
var testNow = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var clerk = actor.Actor{ID: 7, Name: "Clerk", Roles: []string{actor.Frontdesk}}

// fixture is an office with desks, a case type and a service on a fresh database.
type fixture struct {
	s      *Service
	d      *db.DB
	office Office
	desks  []Desk
	typ    CaseType
}

// setup migrates a fresh database and returns a service whose clock is testNow.
func setup(t testing.TB, d *db.DB) *Service {
	t.Helper()
	models := append(append(append(Models(), audit.Models()...), history.Models()...), calendar.Models()...)
	if err := d.Migrate(context.Background(), models, Migrations()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	s := NewService(module.Deps{DB: d, Calendar: calendar.New(d.R),
		Cfg: &config.Config{TZ: budapest, Lang: "hu", Secret: "test-secret", BaseURL: "http://kapu.test"}})
	s.now = func() time.Time { return testNow }
	return s
}

// newFixture is one office with n desks, each open on hours every weekday,
// and a case type of minutes serving all of them.
func newFixture(t testing.TB, d *db.DB, n int, hours string, t0 CaseType) *fixture {
	t.Helper()
	f := &fixture{s: setup(t, d), d: d, office: Office{Name: "Okmányiroda", Address: "Fő tér 1.", Active: true}}
	must(t, d.W.Create(&f.office).Error)
	if t0.NameHU == "" {
		t0.NameHU, t0.NameEN = "Személyi igazolvány", "Identity card"
	}
	t0.Active, t0.Online = true, true
	if t0.HorizonDays == 0 {
		t0.HorizonDays = 60
	}
	if t0.MaxPerEmail == 0 {
		t0.MaxPerEmail = 1
	}
	must(t, d.W.Create(&t0).Error)
	f.typ = t0
	spans, err := ParseHoursSpans(hours)
	must(t, err)
	for i := 0; i < n; i++ {
		desk := Desk{OfficeID: f.office.ID, Name: fmt.Sprintf("%d. ablak", i+1), Active: true}
		must(t, d.W.Create(&desk).Error)
		must(t, d.W.Create(&DeskCaseType{DeskID: desk.ID, CaseTypeID: t0.ID}).Error)
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			for _, sp := range spans {
				must(t, d.W.Create(&DeskHours{DeskID: desk.ID, Weekday: wd, From: sp.From, To: sp.To}).Error)
			}
		}
		f.desks = append(f.desks, desk)
	}
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// local is the instant of a Budapest wall time.
func local(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, budapest).UTC()
}

func clocks(slots []Slot) []string {
	out := make([]string, len(slots))
	for i, sl := range slots {
		out[i] = sl.Start.In(budapest).Format("15:04")
	}
	return out
}

func TestTimesFollowHoursDurationsAndExceptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "08:00-09:00, 13:00-14:00", CaseType{Minutes: 25, LeadDays: 1})
		ctx := context.Background()
		day := calendar.NewDate(2026, 3, 4) // a Wednesday
		got, err := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
		must(t, err)
		if want := "[08:00 08:25 13:00 13:25]"; fmt.Sprint(clocks(got)) != want {
			t.Errorf("Times = %v; want %s (25 min fit twice in each hour)", clocks(got), want)
		}
		// Lead time: the citizen's first day is the next working day.
		if got, _ := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 2)); len(got) != 0 {
			t.Errorf("Times(today) = %v; want none before the lead time", clocks(got))
		}
		if got, _ := f.s.Times(ctx, clerk, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 2)); fmt.Sprint(clocks(got)) != "[13:00 13:25]" {
			t.Errorf("front desk Times(today 9:00) = %v; want the afternoon", clocks(got))
		}
		// Shorter hours, then closed; 15 March is a holiday (a Sunday in 2026).
		must(t, d.W.Create(&DeskException{DeskID: f.desks[0].ID, From: day, To: day, Kind: ExceptionHours, Hours: "10:00-10:50"}).Error)
		f.s.SetupChanged() // as the setup pages do
		got, _ = f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
		if fmt.Sprint(clocks(got)) != "[10:00 10:25]" {
			t.Errorf("Times with other hours = %v; want [10:00 10:25]", clocks(got))
		}
		must(t, d.W.Create(&DeskException{DeskID: f.desks[0].ID, From: day.AddDays(-1), To: day.AddDays(1), Kind: ExceptionClosed, Reason: "beteg"}).Error)
		f.s.SetupChanged()
		if got, _ = f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day); len(got) != 0 {
			t.Errorf("Times on a closed desk = %v; want none (the newest exception wins)", clocks(got))
		}
		month, err := f.s.Month(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 1))
		must(t, err)
		reasons := map[int]string{}
		for _, dd := range month {
			reasons[dd.Date.Day] = dd.Reason
		}
		want := map[int]string{2: DayOutside, 3: DayClosed, 4: DayClosed, 5: DayClosed, 6: DayFree, 7: DayHoliday, 16: DayFree, 17: DayFree}
		for day, r := range want {
			if reasons[day] != r {
				t.Errorf("Month: 2026-03-%02d = %q; want %q", day, reasons[day], r)
			}
		}
		if month[14].Holiday == "" {
			t.Errorf("Month: 15 March has no holiday name")
		}
	})
}

func TestTimesOnDSTWeekends(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "00:30-04:00", CaseType{Minutes: 30, LeadDays: 0, LeadMinutes: 0, HorizonDays: 300})
		ctx := context.Background()
		// Both DST Sundays made working days, so the desk opens over the change.
		for _, day := range []calendar.Date{calendar.NewDate(2026, 3, 29), calendar.NewDate(2026, 10, 25)} {
			must(t, d.W.Create(&calendar.Override{Date: day, Kind: calendar.KindWorkday}).Error)
		}
		spring, err := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 29))
		must(t, err)
		// 02:00 and 02:30 do not exist that night.
		if want := "[00:30 01:00 01:30 03:00 03:30]"; fmt.Sprint(clocks(spring)) != want {
			t.Errorf("spring Times = %v; want %s", clocks(spring), want)
		}
		// 01:30 CET lasts 30 real minutes and ends at 03:00 CEST.
		if len(spring) > 2 && spring[2].End.In(budapest).Format("15:04") != "03:00" {
			t.Errorf("spring 01:30 ends %v; want 03:00", spring[2].End.In(budapest))
		}
		autumn, err := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 10, 25))
		must(t, err)
		if want := "[00:30 01:00 01:30 02:00 02:30 03:00 03:30]"; fmt.Sprint(clocks(autumn)) != want {
			t.Errorf("autumn Times = %v; want %s", clocks(autumn), want)
		}
		// A weekday after each change opens at 8:00 local, whatever UTC says.
		if got := local(2026, 3, 30, 0, 30); spring[0].Start.Equal(got) {
			t.Errorf("spring slots are not on the 29th")
		}
		if autumn[0].Start.Hour() != 22 || spring[0].Start.Hour() != 23 {
			t.Errorf("00:30 local is %v UTC in spring and %v in autumn; want 23:30 (CET) and 22:30 (CEST)", spring[0].Start, autumn[0].Start)
		}
	})
}

func citizenInput(f *fixture, start time.Time, email string) BookInput {
	return BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: start, Name: "Kiss Anna", Email: email, Lang: "hu", IP: "192.0.2.1", Consent: true}
}

func withName(in BookInput, name string) BookInput { in.Name = name; return in }
func withNote(in BookInput, note string) BookInput { in.Note = note; return in }
func withoutConsent(in BookInput) BookInput        { in.Consent = false; return in }

func TestBookPicksFreeDesksAndRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 2, "08:00-09:00", CaseType{Minutes: 30, LeadDays: 1, MaxPerEmail: 1})
		ctx := context.Background()
		at := local(2026, 3, 4, 8, 0)
		a1, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at, "anna@example.hu"))
		must(t, err)
		a2, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at, "bela@example.hu"))
		must(t, err)
		if *a1.DeskID == *a2.DeskID {
			t.Fatalf("both at desk %d; want the second at the other desk", *a1.DeskID)
		}
		if len(a1.Code) != 7 || a1.Code[3] != '-' || a1.ManageHash == "" || a1.Status != StatusBooked {
			t.Errorf("appointment = %+v; want a code, a link and booked", a1)
		}
		tests := []struct {
			name string
			in   BookInput
			want error
		}{
			{"slot full", citizenInput(f, at, "cecil@example.hu"), ErrTaken},
			{"second for one email", citizenInput(f, local(2026, 3, 4, 8, 30), "anna@example.hu"), ErrTooMany},
			{"not on the grid", citizenInput(f, local(2026, 3, 4, 8, 10), "dora@example.hu"), ErrNotASlot},
			{"closed hour", citizenInput(f, local(2026, 3, 4, 10, 0), "dora@example.hu"), ErrNotASlot},
			{"lead time", citizenInput(f, local(2026, 3, 2, 8, 30), "dora@example.hu"), ErrTooSoon},
			{"horizon", citizenInput(f, local(2026, 6, 3, 8, 0), "dora@example.hu"), ErrTooLate},
			{"bad email", citizenInput(f, local(2026, 3, 4, 8, 30), "dora@"), ErrEmail},
			{"a stray byte in the name", withName(citizenInput(f, local(2026, 3, 4, 8, 30), "dora@example.hu"), "Kis \xffAnna"), ErrName},
			{"the notice not accepted", withoutConsent(citizenInput(f, local(2026, 3, 4, 8, 30), "dora@example.hu")), ErrConsent},
			{"a NUL in the note", withNote(citizenInput(f, local(2026, 3, 4, 8, 30), "dora@example.hu"), "a\x00b"), ErrNoteTooLong},
		}
		for _, tt := range tests {
			if _, err := f.s.Book(ctx, actor.Actor{}, tt.in); !errors.Is(err, tt.want) {
				t.Errorf("%s: Book = %v; want %v", tt.name, err, tt.want)
			}
		}
		var n int64
		d.R.Model(&Appointment{}).Count(&n)
		if n != 2 {
			t.Errorf("%d appointments; want 2 (nothing from the refused ones)", n)
		}
		// The link finds it, the code does not.
		token := f.s.linkToken(a1.LinkSalt)
		if got, err := f.s.Find(ctx, actor.Actor{}, Ref{Token: token}); err != nil || got.ID != a1.ID {
			t.Errorf("Find(link) = %v, %v; want appointment %d", got, err, a1.ID)
		}
		for _, bad := range []string{a1.Code, a1.ManageHash, token + "x"} {
			if _, err := f.s.Find(ctx, actor.Actor{}, Ref{Token: bad}); !errors.Is(err, ErrNotFound) {
				t.Errorf("Find(%q) = %v; want not found", bad, err)
			}
		}
		if _, err := f.s.Find(ctx, actor.Actor{ID: 3, Roles: []string{actor.Employee}}, Ref{ID: a1.ID}); !errors.Is(err, ErrForbidden) {
			t.Errorf("an employee's Find(id) = %v; want forbidden", err)
		}
	})
}

func TestDatabaseRefusesOverlapAtOneDesk(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "08:00-12:00", CaseType{Minutes: 30})
		desk := f.desks[0].ID
		mk := func(code string, from, to time.Time, status string) error {
			return d.W.Create(&Appointment{Code: code, CaseTypeID: f.typ.ID, OfficeID: f.office.ID, DeskID: &desk,
				StartAt: &from, EndAt: &to, Status: status, Source: SourcePhone, Lang: "hu"}).Error
		}
		must(t, mk("AAA-001", local(2026, 3, 4, 8, 0), local(2026, 3, 4, 8, 40), StatusBooked))
		tests := []struct {
			code     string
			from, to time.Time
			status   string
			ok       bool
		}{
			{"AAA-002", local(2026, 3, 4, 8, 20), local(2026, 3, 4, 8, 30), StatusBooked, false}, // inside
			{"AAA-003", local(2026, 3, 4, 7, 50), local(2026, 3, 4, 8, 10), StatusPending, false},
			{"AAA-004", local(2026, 3, 4, 8, 40), local(2026, 3, 4, 9, 0), StatusBooked, true}, // back to back
			{"AAA-005", local(2026, 3, 4, 8, 10), local(2026, 3, 4, 8, 30), StatusCancelled, true},
		}
		for _, tt := range tests {
			err := mk(tt.code, tt.from, tt.to, tt.status)
			if tt.ok != (err == nil) || (err != nil && !db.IsConstraint(err, "appt_overlap")) {
				t.Errorf("insert %s %v–%v %s = %v; want ok=%v (appt_overlap otherwise)", tt.code, tt.from, tt.to, tt.status, err, tt.ok)
			}
		}
		// Reviving the cancelled one over the booked one is refused too.
		err := d.W.Model(&Appointment{}).Where("code = ?", "AAA-005").Update("status", StatusBooked).Error
		if !db.IsConstraint(err, "appt_overlap") {
			t.Errorf("update into an overlap = %v; want appt_overlap", err)
		}
	})
}

// TestSlotRush: 1,000 citizens at once after 100 free slots: each slot is
// won once, everyone else hears "just taken", nothing fails, and the next
// free times offered to the losers are really free.
func TestSlotRush(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// 5 desks × 20 slots of 15 min on one morning = 100 slots.
		f := newFixture(t, d, 5, "08:00-13:00", CaseType{Minutes: 15, MaxPerEmail: 1, HorizonDays: 3})
		ctx := context.Background()
		day := calendar.NewDate(2026, 3, 4)
		slots, err := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
		must(t, err)
		if len(slots) != 20 {
			t.Fatalf("%d times; want 20", len(slots))
		}
		// Only that morning is bookable: the desks close on the other days.
		for _, desk := range f.desks {
			must(t, d.W.Create(&DeskException{DeskID: desk.ID, From: day.AddDays(-2), To: day.AddDays(-1), Kind: ExceptionClosed}).Error)
			must(t, d.W.Create(&DeskException{DeskID: desk.ID, From: day.AddDays(1), To: day.AddDays(9), Kind: ExceptionClosed}).Error)
		}
		f.s.SetupChanged()
		var won, taken, offered atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 1000; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				at := slots[i%len(slots)].Start
				_, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at, fmt.Sprintf("c%d@example.hu", i)))
				switch {
				case err == nil:
					won.Add(1)
				case errors.Is(err, ErrTaken):
					taken.Add(1)
					next, err := f.s.NextFree(ctx, actor.Actor{}, &f.typ, f.office.ID, at, 3)
					if err != nil {
						t.Errorf("NextFree: %v", err)
					}
					offered.Add(int64(len(next)))
				default:
					t.Errorf("Book: %v", err)
				}
			}(i)
		}
		wg.Wait()
		if won.Load() != 100 || taken.Load() != 900 {
			t.Errorf("won %d, just taken %d; want 100 and 900, no errors", won.Load(), taken.Load())
		}
		var clashes, booked int64
		d.R.Raw(`SELECT COUNT(*) FROM appointments a JOIN appointments b ON a.desk_id = b.desk_id AND a.id < b.id
			AND a.start_at < b.end_at AND b.start_at < a.end_at`).Scan(&clashes)
		d.R.Model(&Appointment{}).Count(&booked)
		if clashes != 0 || booked != 100 {
			t.Errorf("%d overlapping pairs, %d rows; want 0 and 100", clashes, booked)
		}
		if left, _ := f.s.NextFree(ctx, actor.Actor{}, &f.typ, f.office.ID, testNow, 3); len(left) != 0 {
			t.Errorf("after the rush NextFree = %v; want nothing left", clocks(left))
		}
	})
}

func TestCancelMoveConfirmRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "08:00-10:00", CaseType{Minutes: 30, MustConfirm: true, HoldMinutes: 60, BlockMinutes: 30})
		ctx := context.Background()
		at := local(2026, 3, 4, 8, 0)
		a, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at, "anna@example.hu"))
		must(t, err)
		if a.Status != StatusPending || a.HoldUntil == nil || !a.HoldUntil.Equal(testNow.Add(time.Hour)) {
			t.Fatalf("booked %s hold %v; want pending for an hour", a.Status, a.HoldUntil)
		}
		ref := Ref{Token: f.s.linkToken(a.LinkSalt)}
		if a, err = f.s.Confirm(ctx, actor.Actor{}, ref); err != nil || a.Status != StatusBooked {
			t.Fatalf("Confirm = %v, %v; want booked", a, err)
		}
		// Move to 9:00: the code stays; the old time stays blocked for 30
		// minutes, as a cancelled one (TestMoveKeepsTheOldTimeBlocked).
		moved, err := f.s.Move(ctx, actor.Actor{}, ref, local(2026, 3, 4, 9, 0), "")
		must(t, err)
		if !moved.StartAt.Equal(local(2026, 3, 4, 9, 0)) || moved.Code != a.Code || moved.Moves != 1 {
			t.Errorf("moved = %v %s %d; want 9:00, same code, 1 move", moved.StartAt, moved.Code, moved.Moves)
		}
		times, _ := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 4))
		if fmt.Sprint(clocks(times)) != "[08:30 09:30]" {
			t.Errorf("after the move Times = %v; want 8:00 blocked, 9:00 taken", clocks(times))
		}
		// A move to a taken time changes nothing.
		other, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: local(2026, 3, 4, 8, 30), Name: "Nagy Béla"})
		must(t, err)
		if _, err := f.s.Move(ctx, actor.Actor{}, ref, local(2026, 3, 4, 8, 30), ""); !errors.Is(err, ErrTaken) {
			t.Errorf("move onto a taken time = %v; want ErrTaken", err)
		}
		// Cancel: the slot stays blocked for 30 minutes.
		if _, err := f.s.Cancel(ctx, actor.Actor{}, ref, ""); err != nil {
			t.Fatal(err)
		}
		times, _ = f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 4))
		if fmt.Sprint(clocks(times)) != "[09:30]" {
			t.Errorf("after cancelling Times = %v; want 9:00 blocked (and 8:00, moved from)", clocks(times))
		}
		f.s.SetClock(func() time.Time { return testNow.Add(31 * time.Minute) })
		times, _ = f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, calendar.NewDate(2026, 3, 4))
		if fmt.Sprint(clocks(times)) != "[08:00 09:00 09:30]" {
			t.Errorf("31 min after cancelling Times = %v; want 9:00 free", clocks(times))
		}
		if _, err := f.s.Cancel(ctx, actor.Actor{}, ref, ""); !errors.Is(err, ErrNotActive) {
			t.Errorf("second cancel = %v; want ErrNotActive", err)
		}
		if _, err := f.s.Cancel(ctx, clerk, Ref{ID: other.ID}, ""); !errors.Is(err, ErrReason) {
			t.Errorf("front desk cancel without a reason = %v; want ErrReason", err)
		}
		// Rating: only served, only once.
		if _, err := f.s.Rate(ctx, actor.Actor{}, Ref{Token: f.s.linkToken(other.LinkSalt)}, 5, ""); !errors.Is(err, ErrNotServed) {
			t.Errorf("rate before served = %v; want ErrNotServed", err)
		}
		must(t, d.W.Model(&Appointment{}).Where("id = ?", other.ID).Update("status", StatusServed).Error)
		oref := Ref{Token: f.s.linkToken(other.LinkSalt)}
		if _, err := f.s.Rate(ctx, actor.Actor{}, oref, 6, ""); !errors.Is(err, ErrRating) {
			t.Errorf("rate 6 = %v; want ErrRating", err)
		}
		if _, err := f.s.Rate(ctx, actor.Actor{}, oref, 4, "Gyors volt"); err != nil {
			t.Errorf("rate = %v", err)
		}
		if _, err := f.s.Rate(ctx, actor.Actor{}, oref, 1, ""); !errors.Is(err, ErrRated) {
			t.Errorf("second rating = %v; want ErrRated", err)
		}
	})
}

// TestMoveKeepsTheOldTimeBlocked: a time given up by a move is blocked for
// BlockMinutes as a cancelled one is (no trading appointments by moving
// into a friend's booking), for the citizen's booking and the front desk's
// alike; afterwards it is free. The move counts as no cancellation.
func TestMoveKeepsTheOldTimeBlocked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 1, "08:00-10:00", CaseType{Minutes: 30, BlockMinutes: 30, MaxPerEmail: 2})
		ctx := context.Background()
		day := calendar.NewDate(2026, 3, 4)
		at8, at9 := local(2026, 3, 4, 8, 0), local(2026, 3, 4, 9, 0)
		a, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at8, "anna@example.hu"))
		must(t, err)
		if _, err := f.s.Move(ctx, actor.Actor{}, Ref{Token: f.s.linkToken(a.LinkSalt)}, at9, ""); err != nil {
			t.Fatal(err)
		}
		times, err := f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
		must(t, err)
		if got := fmt.Sprint(clocks(times)); got != "[08:30 09:30]" {
			t.Errorf("after the move Times = %v; want 8:00 blocked and 9:00 taken", got)
		}
		if _, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at8, "barat@example.hu")); !errors.Is(err, ErrTaken) {
			t.Errorf("a friend booking the moved-away 8:00 = %v; want ErrTaken", err)
		}
		if _, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: at8, Name: "Nagy Béla"}); !errors.Is(err, ErrTaken) {
			t.Errorf("the front desk booking the moved-away 8:00 = %v; want ErrTaken", err)
		}
		var cancelled, rows int64
		must(t, d.R.Model(&Appointment{}).Where("status = ?", StatusCancelled).Count(&cancelled).Error)
		must(t, d.R.Model(&Appointment{}).Count(&rows).Error)
		if cancelled != 0 || rows != 1 {
			t.Errorf("after a move: %d cancelled of %d appointments; want 0 of 1", cancelled, rows)
		}
		// 31 minutes later the block has passed.
		f.s.SetClock(func() time.Time { return testNow.Add(31 * time.Minute) })
		times, err = f.s.Times(ctx, actor.Actor{}, &f.typ, f.office.ID, day)
		must(t, err)
		if got := fmt.Sprint(clocks(times)); got != "[08:00 08:30 09:30]" {
			t.Errorf("31 min after the move Times = %v; want 8:00 free again", got)
		}
		if _, err := f.s.Book(ctx, actor.Actor{}, citizenInput(f, at8, "barat@example.hu")); err != nil {
			t.Errorf("booking 8:00 after the block = %v", err)
		}
		// The daily erasure clears the blocks that have passed.
		if _, err := f.s.Erase(ctx); err != nil {
			t.Fatal(err)
		}
		var blocks int64
		must(t, d.R.Model(&Block{}).Count(&blocks).Error)
		if blocks != 0 {
			t.Errorf("%d blocks left after the erasure; want the passed one gone", blocks)
		}
	})
}
