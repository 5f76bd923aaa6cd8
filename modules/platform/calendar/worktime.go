package calendar

import (
	"context"
	"errors"
	"time"
)

// ErrNegativeMinutes is a negative amount of working time to add.
var ErrNegativeMinutes = errors.New("calendar: negative number of working minutes")

// Hours are one weekday's business hours, [From, To) in minutes after local
// midnight (To may be 24*60); From >= To means closed all day.
type Hours struct{ From, To int }

// BusinessHours are when a clock of working time runs (a helpdesk's SLA):
// each weekday's hours in TZ, on the calendar's working days only.
type BusinessHours struct {
	TZ   *time.Location
	Week [7]Hours // by time.Weekday
}

// OfficeHours are Hungarian public-office practice: 08:00–16:30 Monday to
// Thursday, 08:00–14:00 on Friday. A moved working day (a Saturday worked
// back) keeps Friday's hours.
func OfficeHours(tz *time.Location) BusinessHours {
	day, friday := Hours{8 * 60, 16*60 + 30}, Hours{8 * 60, 14 * 60}
	return BusinessHours{TZ: tz, Week: [7]Hours{
		time.Monday: day, time.Tuesday: day, time.Wednesday: day, time.Thursday: day,
		time.Friday: friday, time.Saturday: friday, time.Sunday: friday,
	}}
}

// window is the business time of day d as instants, or false when the office
// is closed that day. A bound that falls in the hour skipped in March moves
// to the end of that hour.
func (ds *Days) window(h BusinessHours, d Date) (open, close time.Time, ok bool) {
	hrs := h.Week[d.Weekday()]
	if hrs.From >= hrs.To || !ds.IsWorkday(d) {
		return time.Time{}, time.Time{}, false
	}
	return atOrAfter(d, hrs.From, h.TZ), atOrAfter(d, hrs.To, h.TZ), true
}

// atOrAfter is the instant of minute m of day d, or the first wall time after
// it that exists.
func atOrAfter(d Date, m int, tz *time.Location) time.Time {
	for {
		t, err := At(d, m/60, m%60, tz)
		if err == nil || m >= 24*60 {
			return t
		}
		m++
	}
}

// WorkingTime is how much of [from, to) falls within h on working days; zero
// when to is not after from. It knows only the overrides ds was given.
func (ds *Days) WorkingTime(h BusinessHours, from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	var sum time.Duration
	last := DateOf(to, h.TZ)
	for d := DateOf(from, h.TZ); !d.After(last); d = d.AddDays(1) {
		open, close, ok := ds.window(h, d)
		if !ok {
			continue
		}
		if from.After(open) {
			open = from
		}
		if to.Before(close) {
			close = to
		}
		if close.After(open) {
			sum += close.Sub(open)
		}
	}
	return sum
}

// WorkingMinutes counts the whole minutes of [from, to) within h on working
// days (weekends, public holidays and the administrators' days off do not
// count); 0 when to is not after from.
func (c *Calendar) WorkingMinutes(ctx context.Context, h BusinessHours, from, to time.Time) (int, error) {
	if !to.After(from) {
		return 0, nil
	}
	days, err := c.load(ctx, DateOf(from, h.TZ), DateOf(to, h.TZ))
	if err != nil {
		return 0, err
	}
	return int(days.WorkingTime(h, from, to) / time.Minute), nil
}

// maxSearchDays bounds AddWorkingMinutes when the calendar has no working
// time left: ten years of days off is a mistake, not a due date.
const maxSearchDays = 3660

// AddWorkingMinutes is the instant at which minutes of working time within h
// have passed since from: the due time of an SLA. It ends at a closing time
// rather than at the next opening, so WorkingMinutes(from, result) is minutes;
// 0 minutes is from itself.
func (c *Calendar) AddWorkingMinutes(ctx context.Context, h BusinessHours, from time.Time, minutes int) (time.Time, error) {
	if minutes < 0 {
		return time.Time{}, ErrNegativeMinutes
	}
	left := time.Duration(minutes) * time.Minute
	if left == 0 {
		return from, nil
	}
	first := DateOf(from, h.TZ)
	for start := first; start.DaysUntil(first) > -maxSearchDays; start = start.AddDays(searchWindow + 1) {
		end := start.AddDays(searchWindow)
		days, err := c.load(ctx, start, end)
		if err != nil {
			return time.Time{}, err
		}
		var due time.Time
		if due, left = days.spend(h, from, left, start, end); left == 0 {
			return due, nil
		}
	}
	return time.Time{}, ErrNoWorkday
}

// AddWorkingTime is AddWorkingMinutes over the days ds knows, for a caller
// that loaded them once for many due times (an SLA's clocks): the instant at
// which d of working time within h has passed since from, from itself for 0.
// Days beyond ds's span know the public holidays but not the overrides. ok
// is false when h holds less than d within maxSearchDays.
func (ds *Days) AddWorkingTime(h BusinessHours, from time.Time, d time.Duration) (due time.Time, ok bool) {
	if d <= 0 {
		return from, true
	}
	first := DateOf(from, h.TZ)
	due, left := ds.spend(h, from, d, first, first.AddDays(maxSearchDays))
	return due, left == 0
}

// spend runs the clock from from over the days start..end, which ds knows:
// the instant at which left working time has passed, or, when these days do
// not hold that much, what is still left.
func (ds *Days) spend(h BusinessHours, from time.Time, left time.Duration, start, end Date) (time.Time, time.Duration) {
	for d := start; !d.After(end); d = d.AddDays(1) {
		open, close, ok := ds.window(h, d)
		if !ok {
			continue
		}
		if from.After(open) {
			open = from
		}
		if !close.After(open) {
			continue
		}
		if avail := close.Sub(open); left > avail {
			left -= avail
			continue
		}
		return open.Add(left), 0
	}
	return time.Time{}, left
}
