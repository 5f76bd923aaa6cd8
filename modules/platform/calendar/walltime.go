package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Errors of wall-clock times.
var (
	ErrNoSuchTime = errors.New("calendar: that wall time does not exist on that day")
	ErrBadClock   = errors.New("calendar: not a time of day")
)

// At is the instant of the wall-clock time hh:mm of day d in tz, in UTC, so
// that what a person typed means the same on a DST weekend. A wall time that
// does not exist (the skipped hour in March) is ErrNoSuchTime. One that exists
// twice (the repeated hour in October) means its first occurrence, summer
// time. 24:00 is the next midnight.
func At(d Date, hh, mm int, tz *time.Location) (time.Time, error) {
	if hh == 24 && mm == 0 {
		d, hh = d.AddDays(1), 0
	}
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return time.Time{}, fmt.Errorf("%w: %02d:%02d", ErrBadClock, hh, mm)
	}
	d = d.norm()
	// The wall time read as if it were UTC; the real instant is that minus the
	// zone's offset, which is one of the offsets in force around that day.
	naive := time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, time.UTC)
	var found []time.Time
	for _, probe := range []time.Time{naive.Add(-12 * time.Hour), naive.Add(12 * time.Hour)} {
		_, off := probe.In(tz).Zone()
		t := naive.Add(-time.Duration(off) * time.Second)
		lt := t.In(tz)
		if lt.Hour() == hh && lt.Minute() == mm && DateOf(t, tz) == d {
			found = append(found, t.UTC())
		}
	}
	if len(found) == 0 {
		return time.Time{}, ErrNoSuchTime
	}
	if len(found) == 2 && found[1].Before(found[0]) {
		return found[1], nil
	}
	return found[0], nil
}
