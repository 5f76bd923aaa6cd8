package training

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/places"
)

// someRooms offers rooms but books none (the default hold, refusing every
// room), until booking's side is merged.
type someRooms struct{ places.NoHolds }

func (someRooms) Rooms(context.Context) ([]places.Room, error) {
	return []places.Room{{ID: 7, Name: "Nagy tárgyaló"}}, nil
}

// morning is a one-day session on day from 9:00 to 12:00 with the trainer.
func morning(day calendar.Date, trainer uint) SessionInput {
	return SessionInput{FirstDay: day, LastDay: day, FromMin: 9 * 60, ToMin: 12 * 60, Place: "Díszterem",
		TrainerID: &trainer, Seats: 20}
}

func TestSessionInputCheck(t *testing.T) {
	day := calendar.NewDate(2027, 1, 12)
	tests := []struct {
		name string
		edit func(in *SessionInput)
		want []error
	}{
		{"right", func(*SessionInput) {}, nil},
		{"last before first", func(in *SessionInput) { in.LastDay = day.AddDays(-1) }, []error{ErrSessionDays}},
		{"three weeks", func(in *SessionInput) { in.LastDay = day.AddDays(20) }, []error{ErrSessionTooLong}},
		{"another year", func(in *SessionInput) {
			in.FirstDay, in.LastDay = calendar.NewDate(2028, 1, 3), calendar.NewDate(2028, 1, 3)
		}, []error{ErrSessionYear}},
		{"ends before it starts", func(in *SessionInput) { in.ToMin = in.FromMin }, []error{ErrSessionHours}},
		{"till midnight", func(in *SessionInput) { in.ToMin = 24 * 60 }, nil},
		{"no place", func(in *SessionInput) { in.Place = " " }, []error{ErrSessionPlace}},
		{"a room needs no place", func(in *SessionInput) { id := uint(7); in.RoomID, in.Place = &id, "" }, nil},
		{"no trainer", func(in *SessionInput) { in.TrainerID = nil }, []error{ErrSessionTrainer}},
		{"an outside trainer", func(in *SessionInput) { in.TrainerID, in.Trainer = nil, "Dr. Szabó Anna" }, nil},
		{"no seats", func(in *SessionInput) { in.Seats = 0 }, []error{ErrSeatsRange}},
		{"too many seats", func(in *SessionInput) { in.Seats = maxSeats + 1 }, []error{ErrSeatsRange}},
	}
	for _, tt := range tests {
		in := morning(day, 1)
		tt.edit(&in)
		_, err := in.check(2027)
		if tt.want == nil && err != nil {
			t.Errorf("%s: check = %v; want nil", tt.name, err)
		}
		for _, w := range tt.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: check = %v; want %v", tt.name, err, w)
			}
		}
	}
}

// Sessions are refused in the past, in another year than their training's,
// in a room the owner would not hold, and when their trainer holds another
// session (of any training) whose days and hours overlap; a cancelled
// session frees its trainer, and seats never go below those enrolled.
func TestSessionRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newAdminFixture(t, d)
		fire := f.training(t, 2027, "TUZV")
		first := f.training(t, 2027, "ELSO")
		now := f.training(t, 2026, "MOST")
		jan12 := calendar.NewDate(2027, 1, 12)
		trainer := f.trainer.ID

		if _, err := f.s.CreateSession(ctx, f.hr, now.ID, morning(calendar.NewDate(2026, 12, 2), trainer)); !errors.Is(err, ErrSessionPast) {
			t.Errorf("a session yesterday = %v; want ErrSessionPast", err)
		}
		if _, err := f.s.CreateSession(ctx, f.hr, now.ID, morning(jan12, trainer)); !errors.Is(err, ErrSessionYear) {
			t.Errorf("a 2026 training's session in 2027 = %v; want ErrSessionYear", err)
		}
		if _, err := f.s.CreateSession(ctx, f.emp, fire.ID, morning(jan12, trainer)); !errors.Is(err, ErrNotHR) {
			t.Errorf("an employee's session = %v; want ErrNotHR", err)
		}
		a, err := f.s.CreateSession(ctx, f.hr, fire.ID, morning(jan12, trainer))
		mustA(t, err)

		// The same trainer, another training: overlapping days and hours are refused.
		long := morning(jan12.AddDays(-1), trainer)
		long.LastDay, long.FromMin, long.ToMin = jan12.AddDays(1), 11*60, 13*60
		if _, err := f.s.CreateSession(ctx, f.hr, first.ID, long); !errors.Is(err, ErrTrainerBusy) {
			t.Errorf("an overlapping session of the trainer = %v; want ErrTrainerBusy", err)
		}
		afternoon := morning(jan12, trainer)
		afternoon.FromMin, afternoon.ToMin = 12*60, 15*60
		b, err := f.s.CreateSession(ctx, f.hr, first.ID, afternoon)
		if err != nil {
			t.Errorf("the trainer's afternoon after a morning = %v; want nil", err)
		}
		outside := morning(jan12, trainer)
		outside.TrainerID, outside.Trainer = nil, "Dr. Szabó Anna"
		if _, err := f.s.CreateSession(ctx, f.hr, first.ID, outside); err != nil {
			t.Errorf("an outside trainer at the same time = %v; want nil", err)
		}
		// Moving the afternoon into the morning clashes too; the session itself does not.
		if b != nil {
			if _, err := f.s.UpdateSession(ctx, f.hr, b.ID, morning(jan12, trainer)); !errors.Is(err, ErrTrainerBusy) {
				t.Errorf("moving a session onto the trainer's other = %v; want ErrTrainerBusy", err)
			}
		}
		again := morning(jan12, trainer)
		again.Seats = 25
		if _, err := f.s.UpdateSession(ctx, f.hr, a.ID, again); err != nil {
			t.Errorf("changing a session's seats = %v; want nil", err)
		}

		// Seats never below those enrolled.
		mustA(t, d.W.Model(&Session{}).Where("id = ?", a.ID).Update("enrolled", 5).Error)
		few := morning(jan12, trainer)
		few.Seats = 4
		if _, err := f.s.UpdateSession(ctx, f.hr, a.ID, few); !errors.Is(err, ErrSeatsBelow) {
			t.Errorf("seats below the enrolled = %v; want ErrSeatsBelow", err)
		}
		mustA(t, d.W.Model(&Session{}).Where("id = ?", a.ID).Update("enrolled", 0).Error)

		// A cancelled session frees its trainer.
		mustA(t, f.s.CancelSession(ctx, f.hr, a.ID))
		if err := f.s.CancelSession(ctx, f.hr, a.ID); !errors.Is(err, ErrSessionCancelled) {
			t.Errorf("a second cancel = %v; want ErrSessionCancelled", err)
		}
		if _, err := f.s.UpdateSession(ctx, f.hr, a.ID, morning(jan12, trainer)); !errors.Is(err, ErrSessionCancelled) {
			t.Errorf("changing a cancelled session = %v; want ErrSessionCancelled", err)
		}
		if _, err := f.s.CreateSession(ctx, f.hr, first.ID, morning(jan12, trainer)); err != nil {
			t.Errorf("the trainer's morning after a cancellation = %v; want nil", err)
		}

		// Rooms: an unknown one is refused, a known one goes to its owner,
		// whose refusal is ErrRoomTaken; nothing is written.
		f.s.Rooms = someRooms{}
		room := morning(jan12.AddDays(7), trainer)
		other := uint(8)
		room.RoomID = &other
		if _, err := f.s.CreateSession(ctx, f.hr, fire.ID, room); !errors.Is(err, ErrSessionRoom) {
			t.Errorf("an unknown room = %v; want ErrSessionRoom", err)
		}
		seven := uint(7)
		room.RoomID = &seven
		if _, err := f.s.CreateSession(ctx, f.hr, fire.ID, room); !errors.Is(err, ErrRoomTaken) {
			t.Errorf("a room the owner refuses = %v; want ErrRoomTaken", err)
		}
		var n int64
		mustA(t, d.R.Model(&Session{}).Where("first_day = ?", jan12.AddDays(7)).Count(&n).Error)
		if n != 0 {
			t.Errorf("%d sessions written for a refused room", n)
		}
	})
}

// Cancelling leaves everyone enrolled or waiting approved without a seat
// and empties the session.
func TestCancelSessionFreesEnrolments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newAdminFixture(t, d)
		fire := f.training(t, 2027, "TUZV")
		x, err := f.s.CreateSession(ctx, f.hr, fire.ID, morning(calendar.NewDate(2027, 2, 2), f.trainer.ID))
		mustA(t, err)
		since := adminNow
		held := []Enrolment{
			{TrainingID: fire.ID, SessionID: &x.ID, PersonID: f.emp.ID, Status: EnrolEnrolled, Source: SourceRequest},
			{TrainingID: fire.ID, SessionID: &x.ID, PersonID: f.trainer.ID, Status: EnrolWaiting, Source: SourceRequest, WaitingSince: &since},
		}
		mustA(t, d.W.Create(&held).Error)
		mustA(t, d.W.Model(&Session{}).Where("id = ?", x.ID).Update("enrolled", 1).Error)
		if n, err := f.s.HeldCount(ctx, f.hr, x.ID); err != nil || n != 2 {
			t.Errorf("HeldCount = %d, %v; want 2", n, err)
		}
		mustA(t, f.s.CancelSession(ctx, f.hr, x.ID))
		var after []Enrolment
		mustA(t, d.R.Order("id").Find(&after).Error)
		for _, e := range after {
			if e.Status != EnrolApproved || e.SessionID != nil || e.WaitingSince != nil {
				t.Errorf("after the cancel an enrolment is %s on %v (waiting since %v); want approved without a session", e.Status, e.SessionID, e.WaitingSince)
			}
		}
		got, _, err := f.s.AdminSession(ctx, f.hr, x.ID)
		mustA(t, err)
		if got.Status != SessionCancelled || got.Enrolled != 0 {
			t.Errorf("the session is %s with %d enrolled; want cancelled with 0", got.Status, got.Enrolled)
		}
	})
}

// Of thirty overlapping sessions for one trainer asked for at once, each of
// another training, exactly one is scheduled.
func TestTrainerOverlapUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newAdminFixture(t, d)
		const n = 30
		ids := make([]uint, n)
		for i := range ids {
			ids[i] = f.training(t, 2027, "T-"+strconv.Itoa(i)).ID
		}
		day := calendar.NewDate(2027, 3, 3)
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range ids {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = f.s.CreateSession(ctx, f.hr, ids[i], morning(day, f.trainer.ID))
			}(i)
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, ErrTrainerBusy) && !db.IsLockTimeout(err):
				t.Errorf("CreateSession = %v; want nil or ErrTrainerBusy", err)
			}
		}
		var stored int64
		mustA(t, d.R.Model(&Session{}).Where("trainer_id = ?", f.trainer.ID).Count(&stored).Error)
		if won != 1 || stored != 1 {
			t.Errorf("%d sessions won, %d stored; want exactly one", won, stored)
		}
	})
}
