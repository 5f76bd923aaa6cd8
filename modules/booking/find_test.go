package booking

import (
	"context"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// slotText writes a slot as "2026-03-10 10:30–11:30 <room>" for messages.
func slotText(s Slot, ok bool, names map[uint]string) string {
	if !ok {
		return "none"
	}
	return calendar.DateOf(s.Start, budapest).String() + " " + hhmm(s.Start) + "–" + hhmm(s.End) + " " + names[s.RoomID]
}

// TestDefaultSlot: the booking form's default is the next half hour from now
// that is free and within the hours; after the day's hours, the first half
// hour of the next working day, holidays and the admins' days off skipped.
func TestDefaultSlot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		if err := d.W.AutoMigrate(calendar.Models()...); err != nil {
			t.Fatal(err)
		}
		s.cal = calendar.New(d.R)
		// An extra day off the admins set: Wednesday 2026-04-15.
		if _, err := s.cal.SetOverride(ctx, d.W, calendar.Date{Year: 2026, Month: 4, Day: 15}, calendar.KindHoliday, "Takarítás"); err != nil {
			t.Fatal(err)
		}
		// Rooms open 07:00–20:00; "Buffered" keeps 15 minutes after each booking.
		plain := mkRes(t, d, Resource{Kind: KindRoom, Name: "A plain", Seats: 10, OpenFrom: 7 * 60, OpenTo: 20 * 60, Unit: UnitFacilities})
		buffered := mkRes(t, d, Resource{Kind: KindRoom, Name: "B buffered", Seats: 10, OpenFrom: 7*60 + 15, OpenTo: 20 * 60, BufferMinutes: 15, Unit: UnitFacilities})
		names := map[uint]string{plain.ID: plain.Name, buffered.ID: buffered.Name}
		book := func(r *Resource, from, to time.Time) {
			t.Helper()
			s.now = func() time.Time { return from.Add(-time.Hour) }
			if _, err := s.Book(ctx, alice, BookingInput{ResourceID: r.ID, Start: from, End: to, Title: "t"}); err != nil {
				t.Fatalf("book %s %s: %v", r.Name, hhmm(from), err)
			}
		}
		// Tuesday 10 March: plain is booked 10:30–11:30, buffered 10:00–11:30 (blocked until 11:45).
		book(plain, at(3, 10, 10, 30), at(3, 10, 11, 30))
		book(buffered, at(3, 10, 10, 0), at(3, 10, 11, 30))
		// Thursday 12 March: plain is booked all morning.
		book(plain, at(3, 12, 7, 0), at(3, 12, 12, 0))

		tests := []struct {
			name string
			now  time.Time
			room *Resource // nil: any room
			day  calendar.Date
			want string
		}{
			{"before opening", at(3, 10, 6, 0), plain, calendar.Date{}, "2026-03-10 07:00–08:00 A plain"},
			{"on a half hour", at(3, 9, 10, 0), plain, calendar.Date{}, "2026-03-09 10:00–11:00 A plain"},
			{"just after a half hour", at(3, 9, 10, 1), plain, calendar.Date{}, "2026-03-09 10:30–11:30 A plain"},
			{"an hour fits only before the booking", at(3, 10, 9, 10), plain, calendar.Date{}, "2026-03-10 09:30–10:30 A plain"},
			{"after the booking", at(3, 10, 10, 10), plain, calendar.Date{}, "2026-03-10 11:30–12:30 A plain"},
			{"after the booking and its buffer", at(3, 10, 9, 40), buffered, calendar.Date{}, "2026-03-10 12:00–13:00 B buffered"},
			{"the first free room", at(3, 12, 8, 10), nil, calendar.Date{}, "2026-03-12 08:30–09:30 B buffered"},
			{"the first room when both are free", at(3, 12, 12, 10), nil, calendar.Date{}, "2026-03-12 12:30–13:30 A plain"},
			{"an hour no longer fits today", at(3, 10, 19, 10), plain, calendar.Date{}, "2026-03-11 07:00–08:00 A plain"},
			{"first half hour of a late opening", at(3, 10, 19, 10), buffered, calendar.Date{}, "2026-03-11 07:30–08:30 B buffered"},
			{"Friday evening: Monday", at(3, 13, 20, 0), plain, calendar.Date{}, "2026-03-16 07:00–08:00 A plain"},
			{"Easter: Good Friday to Easter Monday skipped", at(4, 2, 21, 0), plain, calendar.Date{}, "2026-04-07 07:00–08:00 A plain"},
			{"the admins' day off skipped", at(4, 14, 20, 30), plain, calendar.Date{}, "2026-04-16 07:00–08:00 A plain"},
			{"a later day asked for", at(3, 10, 10, 10), plain, calendar.Date{Year: 2026, Month: 3, Day: 12}, "2026-03-12 12:00–13:00 A plain"},
			{"a past day asked for", at(3, 10, 10, 10), plain, calendar.Date{Year: 2026, Month: 3, Day: 2}, "2026-03-10 11:30–12:30 A plain"},
		}
		for _, tt := range tests {
			s.now = func() time.Time { return tt.now.UTC() }
			var id uint
			if tt.room != nil {
				id = tt.room.ID
			}
			slot, ok, err := s.DefaultSlot(ctx, id, tt.day, time.Hour)
			if got := slotText(slot, ok, names); err != nil || got != tt.want {
				t.Errorf("%s: DefaultSlot(now %s %s) = %s, %v; want %s", tt.name, tt.now.Format("2006-01-02"), hhmm(tt.now), got, err, tt.want)
			}
		}

		// No such room (a car's id, say): nothing to offer, and the form keeps its old default.
		car := mkRes(t, d, Resource{Kind: KindCar, Name: "Car", Seats: 5})
		if slot, ok, err := s.DefaultSlot(ctx, car.ID, calendar.Date{}, time.Hour); ok || err != nil {
			t.Errorf("DefaultSlot(a car) = %s, %v; want none", slotText(slot, ok, names), err)
		}
	})
}

// TestOtherFreeRooms: a booked room's alternatives are the other rooms free
// for the whole time, within their hours, with the seats, smallest first.
func TestOtherFreeRooms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := context.Background()
		mk := func(name string, seats, from, to, buffer int) *Resource {
			return mkRes(t, d, Resource{Kind: KindRoom, Name: name, Seats: seats, OpenFrom: from * 60, OpenTo: to * 60, BufferMinutes: buffer, Unit: UnitFacilities, Active: true})
		}
		asked := mk("Asked", 10, 7, 20, 0)
		big := mk("Big", 40, 7, 20, 0)
		small := mk("Small", 6, 7, 20, 0)
		tiny := mk("Tiny", 2, 7, 20, 0)          // too few seats for 4
		early := mk("Early", 8, 7, 10, 0)        // closes at 10:00, before the meeting ends
		busy := mk("Busy", 8, 7, 20, 0)          // booked 11:00–12:00
		buffered := mk("Buffered", 8, 7, 20, 30) // booked until 09:40, its buffer runs to 10:10
		gone := mk("Gone", 8, 7, 20, 0)
		d.W.Model(gone).Update("active", false)
		mkRes(t, d, Resource{Kind: KindCar, Name: "Car", Seats: 5, Active: true})

		for _, b := range []struct {
			r        *Resource
			from, to time.Time
		}{
			{asked, at(3, 10, 10, 0), at(3, 10, 11, 0)},
			{busy, at(3, 10, 10, 30), at(3, 10, 12, 0)},
			{buffered, at(3, 10, 8, 0), at(3, 10, 9, 40)}, // blocked until 10:10
		} {
			if _, err := s.Book(ctx, alice, BookingInput{ResourceID: b.r.ID, Start: b.from, End: b.to, Title: "t"}); err != nil {
				t.Fatalf("book %s: %v", b.r.Name, err)
			}
		}
		got, err := s.OtherFreeRooms(ctx, BookingInput{ResourceID: asked.ID, Start: at(3, 10, 10, 0), End: at(3, 10, 11, 0), Attendees: 4})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range got {
			names = append(names, r.Name)
		}
		want := []string{small.Name, big.Name}
		if len(names) != len(want) || names[0] != want[0] || names[1] != want[1] {
			t.Errorf("OtherFreeRooms(Asked 10:00–11:00, 4 people) = %v; want %v (not %s, %s, %s, %s, %s)",
				names, want, tiny.Name, early.Name, busy.Name, buffered.Name, gone.Name)
		}
	})
}
