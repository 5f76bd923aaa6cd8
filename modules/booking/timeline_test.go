package booking

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// clockAt is 2026-03-10 (a Tuesday) at hh:mm UTC: the layout code works on instants.
func clockAt(hhmm string) time.Time {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return time.Date(2026, 3, 10, h, m, 0, 0, time.UTC)
}

func booked(id uint, from, to string, qty int) Booking {
	return Booking{ID: id, StartAt: clockAt(from), EndAt: clockAt(to), BlockEnd: clockAt(to), Quantity: qty}
}

// quarters are the column bounds of 08:00–12:00 in quarter hours.
func quarters() []time.Time {
	var out []time.Time
	for t := clockAt("08:00"); !t.After(clockAt("12:00")); t = t.Add(15 * time.Minute) {
		out = append(out, t)
	}
	return out
}

// Every booking gets a block of its own, however its times fall on the
// columns: touching bookings off the quarter hour do not share a column, a
// five-minute booking still gets one, and one with no column left is named
// on the block before it rather than lost.
func TestPlaceBookings(t *testing.T) {
	for _, tt := range []struct {
		name     string
		bookings []Booking
		want     string // id:from-to[+more ids] per block, columns from 0
	}{
		{"on the quarter hours", []Booking{booked(1, "09:00", "10:30", 1)}, "1:4-10"},
		{"off the quarter hours", []Booking{booked(1, "09:05", "09:55", 1)}, "1:4-8"},
		{"touching off the quarter", []Booking{booked(1, "09:00", "10:05", 1), booked(2, "10:05", "11:00", 1)}, "1:4-9 2:9-12"},
		{"five minutes after a block", []Booking{booked(1, "09:00", "09:50", 1), booked(2, "09:50", "09:55", 1)}, "1:4-8 2:8-9"},
		{"started before the hours", []Booking{booked(1, "07:00", "08:30", 1)}, "1:0-2"},
		{"runs past the hours", []Booking{booked(1, "11:30", "13:00", 1)}, "1:14-16"},
		{"outside the hours", []Booking{booked(1, "06:00", "07:00", 1), booked(2, "12:00", "13:00", 1)}, ""},
		{"no column left", []Booking{booked(1, "11:00", "11:55", 1), booked(2, "11:55", "11:58", 1), booked(3, "11:58", "12:00", 1)}, "1:12-16+2+3"},
	} {
		var got []string
		for _, p := range placeBookings(tt.bookings, quarters()) {
			s := fmt.Sprintf("%d:%d-%d", p.Booking.ID, p.From, p.To)
			for _, m := range p.More {
				s += fmt.Sprintf("+%d", m.ID)
			}
			got = append(got, s)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s: placeBookings = %q; want %q", tt.name, g, tt.want)
		}
	}
}

// Free ranges are the bookable hours minus the bookings (buffers included),
// from now on, rounded up to five minutes as the booking links are; a pool
// says how many are left, and crumbs under five minutes are not offered.
func TestFreeRanges(t *testing.T) {
	item := &Resource{Quantity: 1}
	pool := &Resource{Quantity: 3}
	buffered := booked(1, "09:00", "10:00", 1)
	buffered.BlockEnd = clockAt("10:15")
	for _, tt := range []struct {
		name     string
		r        *Resource
		bookings []Booking
		now      string
		want     string
	}{
		{"a free morning", item, nil, "07:00", "08:00-12:00×1"},
		{"around a booking and its buffer", item, []Booking{buffered}, "07:00", "08:00-09:00×1 10:15-12:00×1"},
		{"from now, rounded up", item, nil, "09:02", "09:05-12:00×1"},
		{"all past", item, nil, "12:30", ""},
		{"a crumb between bookings", item, []Booking{booked(1, "08:00", "09:00", 1), booked(2, "09:03", "12:00", 1)}, "07:00", ""},
		{"a pool counts down", pool, []Booking{booked(1, "09:00", "11:00", 2), booked(2, "10:00", "10:30", 1)}, "07:00",
			"08:00-09:00×3 09:00-10:00×1 10:30-11:00×1 11:00-12:00×3"},
	} {
		var got []string
		for _, f := range freeRanges(tt.r, tt.bookings, clockAt("08:00"), clockAt("12:00"), clockAt(tt.now)) {
			got = append(got, fmt.Sprintf("%s-%s×%d", f.From.Format("15:04"), f.To.Format("15:04"), f.Free))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s: freeRanges = %q; want %q", tt.name, g, tt.want)
		}
	}
}
