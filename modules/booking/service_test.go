package booking

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

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

// testNow is "now" in the tests: before both 2026 DST weekends.
var testNow = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

var (
	alice = actor.Actor{ID: 1, Name: "Alice", Roles: []string{actor.Employee}}
	bob   = actor.Actor{ID: 2, Name: "Bob", Roles: []string{actor.Employee}}
)

// setup migrates a fresh database and returns a service whose clock is testNow.
func setup(t testing.TB, d *db.DB) *Service {
	t.Helper()
	models := append(append(Models(), audit.Models()...), history.Models()...)
	if err := d.Migrate(context.Background(), models, Migrations()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	s := NewService(module.Deps{DB: d, Cfg: &config.Config{TZ: budapest, CarHold: 48 * time.Hour}})
	s.now = func() time.Time { return testNow }
	return s
}

func mkRes(t testing.TB, d *db.DB, r Resource) *Resource {
	t.Helper()
	if r.Name == "" {
		r.Name = r.Kind
	}
	if err := d.W.Create(&r).Error; err != nil {
		t.Fatalf("create resource: %v", err)
	}
	return &r
}

func room(t testing.TB, d *db.DB, buffer int) *Resource {
	return mkRes(t, d, Resource{Kind: KindRoom, Name: "Council chamber", Seats: 10, OpenFrom: 7 * 60, OpenTo: 20 * 60, BufferMinutes: buffer, Unit: UnitFacilities})
}

// at is a Budapest wall time on a day of 2026.
func at(month time.Month, day, h, m int) time.Time {
	return time.Date(2026, month, day, h, m, 0, 0, budapest)
}

func hhmm(t time.Time) string { return t.In(budapest).Format("15:04") }

func TestHalfOpenIntervals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		plain, buffered := room(t, d, 0), room(t, d, 15)
		tests := []struct {
			res      *Resource
			from, to time.Time
			want     error
		}{
			{plain, at(3, 10, 10, 0), at(3, 10, 11, 0), nil},
			{plain, at(3, 10, 11, 0), at(3, 10, 12, 0), nil},
			{plain, at(3, 10, 10, 30), at(3, 10, 11, 30), ErrTaken},
			{plain, at(3, 10, 9, 0), at(3, 10, 10, 0), nil},
			{buffered, at(3, 10, 10, 0), at(3, 10, 11, 0), nil},
			{buffered, at(3, 10, 11, 0), at(3, 10, 12, 0), ErrTaken},
			{buffered, at(3, 10, 11, 14), at(3, 10, 12, 0), ErrTaken},
			{buffered, at(3, 10, 11, 15), at(3, 10, 12, 0), nil},
			{buffered, at(3, 10, 9, 30), at(3, 10, 10, 0), ErrTaken}, // its own buffer runs into 10:00
			{buffered, at(3, 10, 9, 0), at(3, 10, 9, 45), nil},
		}
		for _, tt := range tests {
			_, err := s.Book(ctx, alice, BookingInput{ResourceID: tt.res.ID, Start: tt.from, End: tt.to, Title: "t"})
			if !errors.Is(err, tt.want) {
				t.Errorf("Book(buffer %d, %s–%s) = %v; want %v", tt.res.BufferMinutes, hhmm(tt.from), hhmm(tt.to), err, tt.want)
			}
		}
	})
}

// race runs fn from n goroutines released at once and counts the winners;
// every loser must fail with want.
func race(t *testing.T, n int, want error, fn func() error) int {
	t.Helper()
	var wins atomic.Int32
	var wg sync.WaitGroup
	gate := make(chan struct{})
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			if err := fn(); err == nil {
				wins.Add(1)
			} else {
				errs <- err
			}
		}()
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, want) {
			t.Errorf("loser got %v; want %v", err, want)
		}
	}
	return int(wins.Load())
}

func TestConcurrentBooking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		from, to := at(3, 10, 10, 0), at(3, 10, 11, 0)

		r := room(t, d, 0)
		if wins := race(t, 50, ErrTaken, func() error {
			_, err := s.Book(ctx, alice, BookingInput{ResourceID: r.ID, Start: from, End: to, Title: "race"})
			return err
		}); wins != 1 {
			t.Errorf("room: %d winners; want 1", wins)
		}
		next, err := s.NextFree(ctx, r.ID, from, time.Hour, 3)
		if err != nil || len(next) != 3 || !next[0].Equal(to.UTC()) {
			t.Errorf("NextFree(room) = %v, %v; want 3 times from 11:00", next, err)
		}

		car := mkRes(t, d, Resource{Kind: KindCar, Name: "ABC-123", Seats: 5, Unit: UnitFleet})
		if wins := race(t, 50, ErrTaken, func() error {
			_, err := s.RequestCar(ctx, alice, BookingInput{ResourceID: car.ID, Start: from, End: to, Destination: "Pécs"})
			return err
		}); wins != 1 {
			t.Errorf("car: %d winners; want 1", wins)
		}
		if next, err := s.NextFree(ctx, car.ID, from, time.Hour, 1); err != nil || len(next) != 1 || !next[0].Equal(to.UTC()) {
			t.Errorf("NextFree(car) = %v, %v; want [11:00]", next, err)
		}

		// Equipment goes with a room: each racer books a room of their own.
		pool := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Projector", Quantity: 3, Unit: UnitIT})
		if _, err := s.Book(ctx, bob, BookingInput{ResourceID: room(t, d, 0).ID, Start: from, End: to,
			Equipment: []EquipmentLine{{ResourceID: pool.ID, Quantity: 2}}}); err != nil {
			t.Fatalf("book 2 of 3 projectors: %v", err)
		}
		rooms := make(chan uint, 50)
		for i := 0; i < 50; i++ {
			rooms <- room(t, d, 0).ID
		}
		if wins := race(t, 50, ErrPoolFull, func() error {
			_, err := s.Book(ctx, alice, BookingInput{ResourceID: <-rooms, Start: at(3, 10, 10, 30), End: at(3, 10, 11, 30),
				Equipment: []EquipmentLine{{ResourceID: pool.ID, Quantity: 1}}})
			return err
		}); wins != 1 {
			t.Errorf("last projector: %d winners; want 1", wins)
		}
		if next, err := s.NextFree(ctx, pool.ID, from, time.Hour, 1); err != nil || len(next) != 1 || !next[0].Equal(to.UTC()) {
			t.Errorf("NextFree(pool) = %v, %v; want [11:00]", next, err)
		}
	})
}

func TestDatabaseRefusesRawInserts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		r := room(t, d, 0)
		from, to := utc(at(3, 10, 10, 0)), utc(at(3, 10, 11, 0))
		first, err := s.Book(ctx, alice, BookingInput{ResourceID: r.ID, Start: from, End: to})
		if err != nil {
			t.Fatal(err)
		}
		raw := func(b Booking) error {
			if b.Status == "" {
				b.Status = StatusConfirmed
			}
			return d.W.Create(&b).Error
		}
		over := Booking{ResourceID: r.ID, PersonID: 2, StartAt: from.Add(30 * time.Minute), EndAt: to.Add(30 * time.Minute), BlockEnd: to.Add(30 * time.Minute), CreatedBy: 2}
		if err := raw(over); !errors.Is(dbError(err), ErrTaken) {
			t.Errorf("raw overlapping insert = %v; want booking_overlap", err)
		}
		lying := over
		lying.Pooled = true // claims to be a pool to slip past the constraint
		if err := raw(lying); err == nil {
			t.Errorf("raw overlapping insert with pooled=true succeeded")
		}
		hold := over
		hold.Status = StatusHold
		if err := raw(hold); !errors.Is(dbError(err), ErrTaken) {
			t.Errorf("raw overlapping hold = %v; want booking_overlap", err)
		}
		cancelled := over
		cancelled.Status = StatusCancelled
		if err := raw(cancelled); err != nil {
			t.Errorf("raw inactive insert = %v; want nil", err)
		}
		// Reviving the cancelled row, or moving another onto the first, is refused too.
		if err := d.W.Model(&Booking{}).Where("status = ?", StatusCancelled).Update("status", StatusConfirmed).Error; !errors.Is(dbError(err), ErrTaken) {
			t.Errorf("reviving an overlapping booking = %v; want booking_overlap", err)
		}
		later := Booking{ResourceID: r.ID, PersonID: 2, Status: StatusConfirmed, StartAt: to, EndAt: to.Add(time.Hour), BlockEnd: to.Add(time.Hour), CreatedBy: 2}
		if err := d.W.Create(&later).Error; err != nil {
			t.Fatalf("raw back-to-back insert: %v", err)
		}
		if err := d.W.Model(&later).Update("start_at", first.StartAt).Error; !errors.Is(dbError(err), ErrTaken) {
			t.Errorf("moving a booking onto another = %v; want booking_overlap", err)
		}

		pool := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Chairs", Quantity: 3, Unit: UnitFacilities})
		take := func(q int, from, to time.Time) error {
			return raw(Booking{ResourceID: pool.ID, PersonID: 1, Quantity: q, Pooled: true, StartAt: from, EndAt: to, BlockEnd: to, CreatedBy: 1})
		}
		if err := take(2, from, to); err != nil {
			t.Fatalf("raw pool insert of 2: %v", err)
		}
		if err := take(1, to.Add(-time.Minute), to.Add(time.Hour)); err != nil {
			t.Fatalf("raw pool insert of 1: %v", err)
		}
		// 10:59–11:00 already has 3 in use; a booking that starts earlier but
		// reaches into that minute is refused even though its start is free.
		if err := take(1, from.Add(-time.Hour), to); !errors.Is(dbError(err), ErrPoolFull) {
			t.Errorf("raw insert overfilling the pool = %v; want booking_pool_full", err)
		}
		if err := take(1, to, to.Add(time.Hour)); err != nil {
			t.Errorf("raw pool insert after the peak = %v; want nil", err)
		}
		if err := take(4, to.Add(5*time.Hour), to.Add(6*time.Hour)); !errors.Is(dbError(err), ErrPoolFull) {
			t.Errorf("raw insert of 4 into a pool of 3 = %v; want booking_pool_full", err)
		}
	})
}

func TestRoomWithEquipmentAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		r1, r2 := room(t, d, 0), room(t, d, 0)
		proj := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Projector", Quantity: 2, Unit: UnitIT})
		speaker := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Speaker", Unit: UnitIT})
		from, to := at(3, 10, 10, 0), at(3, 10, 11, 0)

		got, err := s.Book(ctx, alice, BookingInput{ResourceID: r1.ID, Start: from, End: to, Title: "Board",
			Equipment: []EquipmentLine{{ResourceID: proj.ID, Quantity: 2}, {ResourceID: speaker.ID}}})
		if err != nil {
			t.Fatalf("room with equipment: %v", err)
		}
		var kids []Booking
		d.R.Where("parent_id = ?", got.ID).Order("id").Find(&kids)
		if len(kids) != 2 || kids[0].Quantity != 2 || kids[1].ResourceID != speaker.ID {
			t.Errorf("equipment rows = %+v; want projector×2 and speaker", kids)
		}

		// The pool is full now: the second room is not booked either.
		_, err = s.Book(ctx, bob, BookingInput{ResourceID: r2.ID, Start: from, End: to,
			Equipment: []EquipmentLine{{ResourceID: proj.ID, Quantity: 1}}})
		if !errors.Is(err, ErrPoolFull) {
			t.Errorf("room with a full pool = %v; want ErrPoolFull", err)
		}
		// A taken individual item: the same.
		_, err = s.Book(ctx, bob, BookingInput{ResourceID: r2.ID, Start: from, End: to,
			Equipment: []EquipmentLine{{ResourceID: speaker.ID}}})
		if !errors.Is(err, ErrTaken) {
			t.Errorf("room with a taken speaker = %v; want ErrTaken", err)
		}
		var n int64
		d.R.Model(&Booking{}).Where("resource_id = ?", r2.ID).Count(&n)
		if n != 0 {
			t.Errorf("room 2 has %d bookings after failed attempts; want 0", n)
		}

		// Cancelling the room gives the equipment back.
		if _, err := s.Cancel(ctx, alice, got.ID); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if _, err := s.Book(ctx, bob, BookingInput{ResourceID: r2.ID, Start: from, End: to,
			Equipment: []EquipmentLine{{ResourceID: proj.ID, Quantity: 2}, {ResourceID: speaker.ID}}}); err != nil {
			t.Errorf("book after cancel = %v; want nil", err)
		}
	})
}

func TestValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		r := room(t, d, 0)
		car := mkRes(t, d, Resource{Kind: KindCar, Name: "Car", Seats: 4, Unit: UnitFleet})
		gone := mkRes(t, d, Resource{Kind: KindRoom, Name: "Closed"})
		d.W.Model(gone).Update("active", false)
		proj := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Projector", Quantity: 3})
		laptop := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Laptop"})
		day := func(h, m int) time.Time { return at(3, 10, h, m) }
		tests := []struct {
			name string
			in   BookingInput
			car  bool
			want error
		}{
			{"end before start", BookingInput{ResourceID: r.ID, Start: day(11, 0), End: day(10, 0)}, false, ErrEndBeforeStart},
			{"zero length", BookingInput{ResourceID: r.ID, Start: day(10, 0), End: day(10, 0)}, false, ErrZeroLength},
			{"in the past", BookingInput{ResourceID: r.ID, Start: testNow.Add(-time.Hour), End: testNow.Add(time.Hour)}, false, ErrInPast},
			{"just now is fine", BookingInput{ResourceID: car.ID, Start: testNow.Add(-4 * time.Minute), End: testNow.Add(time.Hour)}, true, nil},
			{"room on a Saturday", BookingInput{ResourceID: r.ID, Start: at(3, 14, 10, 0), End: at(3, 14, 11, 0)}, false, ErrDayOff},
			{"room on Easter Monday", BookingInput{ResourceID: r.ID, Start: at(4, 6, 10, 0), End: at(4, 6, 11, 0)}, false, ErrDayOff},
			{"car on Easter Monday", BookingInput{ResourceID: car.ID, Start: at(4, 6, 10, 0), End: at(4, 6, 11, 0)}, true, nil},
			{"before opening", BookingInput{ResourceID: r.ID, Start: day(6, 30), End: day(8, 0)}, false, ErrOutsideHours},
			{"after closing", BookingInput{ResourceID: r.ID, Start: day(19, 0), End: day(20, 1)}, false, ErrOutsideHours},
			{"until closing", BookingInput{ResourceID: r.ID, Start: day(19, 0), End: day(20, 0)}, false, nil},
			{"over two days", BookingInput{ResourceID: r.ID, Start: day(8, 0), End: at(3, 11, 8, 0)}, false, ErrOutsideHours},
			{"too many attendees", BookingInput{ResourceID: r.ID, Start: day(8, 0), End: day(9, 0), Attendees: 11}, false, ErrTooManySeats},
			{"car too many passengers", BookingInput{ResourceID: car.ID, Start: day(8, 0), End: day(9, 0), Passengers: 5}, true, ErrTooManySeats},
			{"car overnight", BookingInput{ResourceID: car.ID, Start: day(22, 0), End: at(3, 11, 2, 0), Passengers: 4}, true, nil},
			{"missing resource", BookingInput{ResourceID: 9999, Start: day(8, 0), End: day(9, 0)}, false, ErrUnknownResource},
			{"inactive resource", BookingInput{ResourceID: gone.ID, Start: day(8, 0), End: day(9, 0)}, false, ErrUnknownResource},
			{"room as a car", BookingInput{ResourceID: r.ID, Start: day(12, 0), End: day(13, 0)}, true, ErrWrongKind},
			{"car on the room form", BookingInput{ResourceID: car.ID, Start: day(12, 0), End: day(13, 0)}, false, ErrWrongKind},
			{"equipment on its own", BookingInput{ResourceID: proj.ID, Start: day(12, 0), End: day(13, 0)}, false, ErrWrongKind},
			{"car with equipment", BookingInput{ResourceID: car.ID, Start: day(12, 0), End: day(13, 0), Equipment: []EquipmentLine{{ResourceID: proj.ID}}}, true, ErrWrongKind},
			{"room as equipment", BookingInput{ResourceID: r.ID, Start: day(12, 0), End: day(13, 0), Equipment: []EquipmentLine{{ResourceID: car.ID}}}, false, ErrUnknownResource},
			{"more than the pool", BookingInput{ResourceID: r.ID, Start: day(12, 0), End: day(13, 0), Equipment: []EquipmentLine{{ResourceID: proj.ID, Quantity: 4}}}, false, ErrPoolFull},
			{"two of one item", BookingInput{ResourceID: r.ID, Start: day(12, 0), End: day(13, 0), Equipment: []EquipmentLine{{ResourceID: laptop.ID, Quantity: 2}}}, false, ErrBadQuantity},
		}
		for _, tt := range tests {
			var err error
			if tt.car {
				_, err = s.RequestCar(ctx, alice, tt.in)
			} else {
				_, err = s.Book(ctx, alice, tt.in)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("%s: got %v; want %v", tt.name, err, tt.want)
			}
		}
		var n int64
		d.R.Model(&Booking{}).Count(&n)
		if n != 4 {
			t.Errorf("%d bookings after the table; want 4 (the valid ones)", n)
		}
	})
}

func TestLocalTimesDST(t *testing.T) {
	day := func(s string) calendar.Date {
		d, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		day, from, to string
		want          time.Duration
		startUTC      string
		err           error
	}{
		{"2026-03-29", "01:30", "03:30", time.Hour, "2026-03-29T00:30:00Z", nil}, // 02:00–03:00 does not exist
		{"2026-03-29", "00:00", "24:00", 23 * time.Hour, "2026-03-28T23:00:00Z", nil},
		{"2026-03-29", "02:30", "04:00", 0, "", ErrNoSuchTime},
		{"2026-10-25", "02:30", "02:30", 0, "2026-10-25T00:30:00Z", nil}, // first occurrence both: zero length
		{"2026-10-25", "02:00", "03:00", 2 * time.Hour, "2026-10-25T00:00:00Z", nil},
		{"2026-10-25", "01:30", "03:30", 3 * time.Hour, "2026-10-24T23:30:00Z", nil},
		{"2026-10-25", "00:00", "24:00", 25 * time.Hour, "2026-10-24T22:00:00Z", nil},
		{"2026-03-10", "10:00", "11:00", time.Hour, "2026-03-10T09:00:00Z", nil},
		{"2026-07-10", "10:00", "11:00", time.Hour, "2026-07-10T08:00:00Z", nil},
		{"2026-07-10", "10:0", "11:00", 0, "", errors.New("bad")},
		{"2026-07-10", "25:00", "11:00", 0, "", errors.New("bad")},
	}
	for _, tt := range tests {
		start, end, err := LocalTimes(day(tt.day), tt.from, tt.to, budapest)
		if tt.err != nil {
			if err == nil || (errors.Is(tt.err, ErrNoSuchTime) && !errors.Is(err, ErrNoSuchTime)) {
				t.Errorf("LocalTimes(%s %s–%s) error = %v; want %v", tt.day, tt.from, tt.to, err, tt.err)
			}
			continue
		}
		if err != nil || end.Sub(start) != tt.want || start.Format(time.RFC3339) != tt.startUTC {
			t.Errorf("LocalTimes(%s %s–%s) = %s, %v, %v; want start %s lasting %v", tt.day, tt.from, tt.to,
				start.Format(time.RFC3339), end.Sub(start), err, tt.startUTC, tt.want)
		}
	}
}

// TestStoredInstants checks that instants come back as typed and compare as
// time across midnight and both DST changes, on the database itself.
func TestStoredInstants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		open := mkRes(t, d, Resource{Kind: KindRoom, Name: "Open room"}) // round the clock, like a car
		mar := calendar.NewDate(2026, time.March, 29)
		oct := calendar.NewDate(2026, time.October, 25)
		lt := func(day calendar.Date, from, to string) (time.Time, time.Time) {
			a, b, err := LocalTimes(day, from, to, budapest)
			if err != nil {
				t.Fatal(err)
			}
			return a, b
		}
		book := func(a, b time.Time) (*Booking, error) {
			return s.Book(ctx, alice, BookingInput{ResourceID: open.ID, Start: a, End: b})
		}
		a, b := lt(mar, "01:30", "03:30")
		got, err := book(a, b)
		if err != nil {
			t.Fatal(err)
		}
		var back Booking
		d.R.First(&back, got.ID)
		if back.EndAt.Sub(back.StartAt) != time.Hour || !back.StartAt.Equal(a) {
			t.Errorf("spring booking read back %v–%v; want one hour from %v", back.StartAt, back.EndAt, a)
		}
		if d.Dialect == db.SQLite {
			var text string
			d.R.Raw("SELECT CAST(start_at AS TEXT) FROM bookings WHERE id = ?", got.ID).Scan(&text)
			if text != "2026-03-29 00:30:00+00:00" {
				t.Errorf("stored start_at = %q; want UTC text", text)
			}
		}
		autumnFrom, autumnTo := lt(oct, "02:00", "03:00")
		tests := []struct {
			name string
			from time.Time
			to   time.Time
			want error
		}{
			{"after the skipped hour, overlapping", at(3, 29, 3, 0), at(3, 29, 4, 0), ErrTaken},
			{"from the end across the change", b, at(3, 29, 5, 0), nil},
			{"autumn repeated hour", autumnFrom, autumnTo, nil}, // two real hours
			{"second 02:30 is inside it", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC), ErrTaken},
			{"after it", time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC), nil},
			{"across midnight", at(3, 12, 23, 0), at(3, 13, 1, 0), nil},
			{"overlapping after midnight", at(3, 13, 0, 30), at(3, 13, 2, 0), ErrTaken},
			{"overlapping before midnight", at(3, 12, 22, 0), at(3, 12, 23, 30), ErrTaken},
			{"back to back after midnight", at(3, 13, 1, 0), at(3, 13, 2, 0), nil},
			// 9:00 UTC sorts after 10:00+01:00 as text if zones were mixed.
			{"zone given by the caller", time.Date(2026, 3, 14, 10, 0, 0, 0, budapest), time.Date(2026, 3, 14, 11, 0, 0, 0, budapest), nil},
			{"same slot in UTC", time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC), ErrTaken},
		}
		for _, tt := range tests {
			if _, err := book(tt.from, tt.to); !errors.Is(err, tt.want) {
				t.Errorf("%s: Book = %v; want %v", tt.name, err, tt.want)
			}
		}
		a = autumnFrom
		var autumn Booking
		if err := d.R.Where("resource_id = ? AND start_at = ?", open.ID, a).First(&autumn).Error; err != nil {
			t.Fatalf("autumn booking: %v", err)
		}
		if autumn.EndAt.Sub(autumn.StartAt) != 2*time.Hour {
			t.Errorf("autumn 02:00–03:00 lasts %v; want 2h", autumn.EndAt.Sub(autumn.StartAt))
		}
		// A raw write in a non-UTC zone would compare wrongly as text: SQLite refuses it.
		if d.Dialect == db.SQLite {
			err := d.W.Exec("INSERT INTO bookings (resource_id, person_id, start_at, end_at, block_end, quantity, pooled, status, created_by) VALUES (?, 1, ?, ?, ?, 1, 0, 'confirmed', 1)",
				open.ID, "2026-05-01 10:00:00+02:00", "2026-05-01 11:00:00+02:00", "2026-05-01 11:00:00+02:00").Error
			if err == nil {
				t.Errorf("non-UTC raw insert accepted")
			}
		}
	})
}

func TestHolds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		car := mkRes(t, d, Resource{Kind: KindCar, Name: "Car", Seats: 4, NeedsApproval: true})
		in := BookingInput{ResourceID: car.ID, Start: at(3, 20, 8, 0), End: at(3, 20, 16, 0), Destination: "Szeged"}
		h, err := s.RequestCar(ctx, alice, in)
		if err != nil {
			t.Fatal(err)
		}
		if h.Status != StatusHold || h.HoldUntil == nil || !h.HoldUntil.Equal(testNow.Add(48*time.Hour)) {
			t.Errorf("hold = %s until %v; want hold until now+48h", h.Status, h.HoldUntil)
		}
		if _, err := s.RequestCar(ctx, bob, in); !errors.Is(err, ErrTaken) {
			t.Errorf("second request while held = %v; want ErrTaken", err)
		}
		if n, err := s.ExpireHolds(ctx); n != 0 || err != nil {
			t.Errorf("ExpireHolds before the time = %d, %v; want 0", n, err)
		}
		s.now = func() time.Time { return testNow.Add(49 * time.Hour) }
		if _, err := s.ConfirmHold(ctx, h.ID); !errors.Is(err, ErrHoldExpired) {
			t.Errorf("confirm after the hold time = %v; want ErrHoldExpired", err)
		}
		if n, err := s.ExpireHolds(ctx); n != 1 || err != nil {
			t.Errorf("ExpireHolds = %d, %v; want 1", n, err)
		}
		if n, _ := s.ExpireHolds(ctx); n != 0 {
			t.Errorf("ExpireHolds again = %d; want 0", n)
		}
		if _, err := s.ConfirmHold(ctx, h.ID); !errors.Is(err, ErrNotHeld) {
			t.Errorf("confirm an expired hold = %v; want ErrNotHeld", err)
		}
		h2, err := s.RequestCar(ctx, bob, in)
		if err != nil {
			t.Fatalf("request after expiry: %v", err)
		}
		c, err := s.ConfirmHold(ctx, h2.ID)
		if err != nil || c.Status != StatusConfirmed {
			t.Fatalf("ConfirmHold = %v, %v; want confirmed", c, err)
		}
		if _, err := s.ConfirmHold(ctx, h2.ID); !errors.Is(err, ErrNotHeld) {
			t.Errorf("confirm twice = %v; want ErrNotHeld", err)
		}
		if n, _ := s.ExpireHolds(ctx); n != 0 {
			t.Errorf("ExpireHolds touched a confirmed booking")
		}
		var entries int64
		d.R.Model(&audit.Entry{}).Where("entity = ? AND action IN ?", "booking", []string{"booking.expire", "booking.confirm"}).Count(&entries)
		if entries != 2 {
			t.Errorf("%d audit rows for expire+confirm; want 2", entries)
		}
	})
}

func TestCancel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		r := room(t, d, 0)
		in := BookingInput{ResourceID: r.ID, Start: at(3, 10, 10, 0), End: at(3, 10, 11, 0)}
		b, err := s.Book(ctx, alice, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Cancel(ctx, bob, b.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("someone else cancels = %v; want ErrForbidden", err)
		}
		if _, err := s.Cancel(ctx, actor.Actor{ID: 3, Roles: []string{actor.IT}}, b.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("another unit cancels = %v; want ErrForbidden", err)
		}
		if _, err := s.Cancel(ctx, bob, 9999); !errors.Is(err, ErrNotFound) {
			t.Errorf("cancel a missing booking = %v; want ErrNotFound", err)
		}
		if _, err := s.Cancel(ctx, alice, b.ID); err != nil {
			t.Fatalf("own cancel: %v", err)
		}
		if _, err := s.Cancel(ctx, alice, b.ID); !errors.Is(err, ErrNotCancellable) {
			t.Errorf("cancel twice = %v; want ErrNotCancellable", err)
		}
		b2, err := s.Book(ctx, bob, in)
		if err != nil {
			t.Fatalf("slot not freed: %v", err)
		}
		if _, err := s.Cancel(ctx, actor.Actor{ID: 3, Roles: []string{actor.Facilities}}, b2.ID); err != nil {
			t.Errorf("facilities cancels = %v; want nil", err)
		}
	})
}

func TestWeekQueryCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		var queries atomic.Int32
		if err := d.R.Callback().Query().Before("gorm:query").Register("booking_test:count", func(*gorm.DB) { queries.Add(1) }); err != nil {
			t.Fatal(err)
		}
		mon := at(3, 9, 0, 0)
		for _, n := range []int{3, 12} {
			for len(roomsOf(t, d)) < n {
				// Round the clock, so the weekend days can be booked too.
				r := mkRes(t, d, Resource{Kind: KindRoom, Name: "Open room"})
				for day := 0; day < 9; day++ { // a day before and after the week too
					start := at(3, 8+day, 9, 0)
					if _, err := s.Book(ctx, alice, BookingInput{ResourceID: r.ID, Start: start, End: start.Add(time.Hour)}); err != nil {
						t.Fatal(err)
					}
				}
			}
			queries.Store(0)
			tl, err := s.Week(ctx, KindRoom, mon.Add(13*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if q := queries.Load(); q != 2 {
				t.Errorf("Week with %d rooms ran %d queries; want 2", n, q)
			}
			if len(tl.Rows) != n {
				t.Errorf("Week has %d rows; want %d", len(tl.Rows), n)
			}
			for _, row := range tl.Rows {
				if len(row.Bookings) != 7 {
					t.Errorf("room %d has %d bookings in the week; want 7", row.Resource.ID, len(row.Bookings))
				}
			}
			if !tl.From.Equal(mon) || !tl.To.Equal(at(3, 16, 0, 0)) {
				t.Errorf("Week spans %v–%v; want Monday to Monday", tl.From, tl.To)
			}
		}
	})
}

func roomsOf(t *testing.T, d *db.DB) []Resource {
	var rs []Resource
	d.W.Where("kind = ?", KindRoom).Find(&rs)
	return rs
}

// TestDatabaseAloneUnderRace bypasses the service (no pre-check, no lock of its
// own): the constraint and the pool trigger alone must let exactly one through.
func TestDatabaseAloneUnderRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		setup(t, d)
		from, to := utc(at(3, 10, 10, 0)), utc(at(3, 10, 11, 0))
		insert := func(r *Resource, q int) func() error {
			return func() error {
				b := Booking{ResourceID: r.ID, PersonID: 1, Quantity: q, Pooled: r.Pooled(), Status: StatusConfirmed,
					StartAt: from, EndAt: to, BlockEnd: to, CreatedBy: 1}
				return dbError(d.W.Create(&b).Error)
			}
		}
		r := room(t, d, 0)
		if wins := race(t, 50, ErrTaken, insert(r, 1)); wins != 1 {
			t.Errorf("raw room inserts: %d winners; want 1", wins)
		}
		pool := mkRes(t, d, Resource{Kind: KindEquipment, Name: "Projector", Quantity: 3})
		if err := insert(pool, 2)(); err != nil {
			t.Fatal(err)
		}
		if wins := race(t, 50, ErrPoolFull, insert(pool, 1)); wins != 1 {
			t.Errorf("raw pool inserts: %d winners; want 1", wins)
		}
	})
}

// Bookings check a resource kept in memory; a change by an administrator
// is seen by the next booking, not after the cache expires.
func TestResourceChangeSeenAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		r := room(t, d, 0)
		fac := actor.Actor{ID: 3, Name: "Facilities", Roles: []string{actor.Facilities}}
		book := func(hour, people int) error {
			_, err := s.Book(ctx, alice, BookingInput{ResourceID: r.ID, Start: at(3, 10, hour, 0), End: at(3, 10, hour+1, 0), Attendees: people})
			return err
		}
		change := func(seats int, active bool) {
			t.Helper()
			in := ResourceInput{Name: r.Name, Seats: seats, OpenFrom: r.OpenFrom, OpenTo: r.OpenTo, Active: active}
			if _, err := s.UpdateResource(ctx, fac, r.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if err := book(9, 4); err != nil {
			t.Fatal(err)
		}
		change(10, false)
		if err := book(10, 4); !errors.Is(err, ErrUnknownResource) {
			t.Errorf("booking a room just put in service = %v; want %v", err, ErrUnknownResource)
		}
		change(3, true)
		if err := book(11, 4); !errors.Is(err, ErrTooManySeats) {
			t.Errorf("booking 4 people in a room just cut to 3 seats = %v; want %v", err, ErrTooManySeats)
		}
		if err := book(12, 3); err != nil {
			t.Errorf("booking 3 people = %v; want nil", err)
		}
	})
}

// TestPastStartSaysWhichPart: a start on an earlier day is ErrDayPast (the
// form puts it on the day), one earlier today plain ErrInPast (on the time);
// both are ErrInPast to every other caller.
func TestPastStartSaysWhichPart(t *testing.T) {
	s := NewService(module.Deps{Cfg: &config.Config{TZ: budapest}})
	s.now = func() time.Time { return at(3, 10, 0, 30).UTC() } // 00:30 in Budapest, 23:30 UTC the day before
	tests := []struct {
		start   time.Time
		want    error
		dayPast bool
	}{
		{at(3, 9, 23, 0), ErrInPast, true},
		{at(3, 9, 23, 59), ErrInPast, true},
		{at(3, 10, 0, 0), ErrInPast, false},
		{at(3, 10, 0, 26), nil, false}, // within the slack
		{at(3, 11, 9, 0), nil, false},
	}
	for _, tt := range tests {
		err := s.checkTimes(tt.start, tt.start.Add(time.Hour))
		if !errors.Is(err, tt.want) || errors.Is(err, ErrDayPast) != tt.dayPast {
			t.Errorf("checkTimes(%s %s) = %v; want %v (an earlier day: %v)", tt.start.Format("01-02"), hhmm(tt.start), err, tt.want, tt.dayPast)
		}
	}
}
