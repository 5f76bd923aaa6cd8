package booking

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// A booking that gives up waiting for its resource's lock (PostgreSQL's
// lock_timeout; others are booking that resource right now) is told the time
// was just taken, ErrBusy, rather than failing; once the lock is free the
// same booking works.
func TestLockTimeoutIsJustTaken(t *testing.T) {
	if os.Getenv("KAPU_TEST_POSTGRES") == "" {
		t.Skip("KAPU_TEST_POSTGRES is not set")
	}
	d, err := db.Open(dbtest.DSN(t, db.Postgres) + "&lock_timeout=200ms")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	s := setup(t, d)
	ctx := context.Background()
	r := room(t, d, 0)
	car := mkRes(t, d, Resource{Kind: KindCar, Name: "ABC-123", Seats: 4, Unit: UnitFleet})
	from, to := at(3, 10, 10, 0), at(3, 10, 11, 0)
	tests := []struct {
		name string
		res  *Resource
		book func() error
	}{
		{"room", r, func() error {
			_, err := s.Book(ctx, alice, BookingInput{ResourceID: r.ID, Start: from, End: to})
			return err
		}},
		{"car", car, func() error {
			_, err := s.RequestCar(ctx, alice, BookingInput{ResourceID: car.ID, Start: from, End: to, Destination: "Pécs"})
			return err
		}},
	}
	for _, tt := range tests {
		holder := d.W.WithContext(ctx).Begin() // someone else booking it, slowly
		if err := holder.Exec("SELECT pg_advisory_xact_lock(?, ?)", poolLockKey, int32(tt.res.ID)).Error; err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		err := tt.book()
		if !errors.Is(err, ErrBusy) || !errors.Is(err, ErrTaken) || time.Since(began) > 5*time.Second {
			t.Errorf("%s: book while its lock is held = %v after %v; want ErrBusy (just taken) soon", tt.name, err, time.Since(began))
		}
		holder.Rollback()
		if err := tt.book(); err != nil {
			t.Errorf("%s: book once the lock is free = %v; want it booked", tt.name, err)
		}
	}
}
