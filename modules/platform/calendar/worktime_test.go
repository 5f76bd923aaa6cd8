package calendar

import (
	"context"
	"errors"
	"testing"
	"time"

	kdb "kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestAt(t *testing.T) {
	bp := budapest(t)
	tests := []struct {
		day    string
		hh, mm int
		want   string // UTC, or "" for an error
		err    error
	}{
		{"2026-03-27", 9, 0, "2026-03-27T08:00:00Z", nil},
		{"2026-03-29", 1, 59, "2026-03-29T00:59:00Z", nil}, // still winter time
		{"2026-03-29", 2, 30, "", ErrNoSuchTime},           // the skipped hour
		{"2026-03-29", 3, 0, "2026-03-29T01:00:00Z", nil},  // summer time
		{"2026-10-25", 2, 30, "2026-10-25T00:30:00Z", nil}, // twice: the first, summer time
		{"2026-10-25", 3, 0, "2026-10-25T02:00:00Z", nil},  // winter time again
		{"2026-10-25", 24, 0, "2026-10-25T23:00:00Z", nil}, // the next midnight
		{"2026-07-01", 0, 0, "2026-06-30T22:00:00Z", nil},  // summer midnight
		{"2026-07-01", 24, 1, "", ErrBadClock}, {"2026-07-01", 9, 60, "", ErrBadClock},
		{"2026-07-01", -1, 0, "", ErrBadClock},
	}
	for _, tt := range tests {
		got, err := At(d(tt.day), tt.hh, tt.mm, bp)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("At(%s %02d:%02d) error = %v; want %v", tt.day, tt.hh, tt.mm, err, tt.err)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339) != tt.want || got.Location() != time.UTC {
			t.Errorf("At(%s %02d:%02d) = %v, %v; want %s in UTC", tt.day, tt.hh, tt.mm, got, err, tt.want)
		}
	}
}

// local is a Budapest wall time, for the tables below.
func local(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, budapest(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWorkingMinutes(t *testing.T) {
	bp := budapest(t)
	office := OfficeHours(bp)
	allDay := BusinessHours{TZ: bp}
	for i := range allDay.Week {
		allDay.Week[i] = Hours{0, 24 * 60}
	}
	night := BusinessHours{TZ: bp}
	night.Week[time.Sunday] = Hours{2*60 + 30, 4 * 60} // starts in March's skipped hour
	ds := NewDays(d("2026-01-01"), d("2026-12-31"), bridgeSwap)
	// The round-the-clock rows work the DST Sundays, to see their length.
	dst := NewDays(d("2026-01-01"), d("2026-12-31"), []Override{{Date: d("2026-03-29"), Kind: KindWorkday}, {Date: d("2026-10-25"), Kind: KindWorkday}})
	tests := []struct {
		name     string
		h        BusinessHours
		from, to string
		want     int
	}{
		{"within a day", office, "2026-03-24 09:00", "2026-03-24 10:15", 75},
		{"before opening to after closing", office, "2026-03-24 06:00", "2026-03-24 20:00", 510},
		{"Friday closes at two", office, "2026-03-27 13:00", "2026-03-30 09:00", 120},
		{"over a weekend", office, "2026-03-27 08:00", "2026-03-30 16:30", 360 + 510},
		{"Easter Monday and Good Friday are off", office, "2026-04-02 16:00", "2026-04-07 08:30", 30 + 30},
		{"the bridge day is off, its Saturday worked", office, "2026-01-01 00:00", "2026-01-11 00:00", 4*510 + 2*360},
		{"zero range", office, "2026-03-24 09:00", "2026-03-24 09:00", 0},
		{"negative range", office, "2026-03-24 10:00", "2026-03-24 09:00", 0},
		{"seconds are cut to whole minutes", office, "2026-03-24 09:00", "2026-03-24 09:00", 0},
		{"March DST Sunday lasts 23 hours", allDay, "2026-03-29 00:00", "2026-03-30 00:00", 23 * 60},
		{"October DST Sunday lasts 25 hours", allDay, "2026-10-25 00:00", "2026-10-26 00:00", 25 * 60},
		{"a bound in the skipped hour moves to its end", night, "2026-03-29 00:00", "2026-03-29 12:00", 60},
		{"23 October off, and the DST weekend moves no office hour", office, "2026-10-22 08:00", "2026-10-26 16:30", 510 + 510},
	}
	for _, tt := range tests {
		from, to := local(t, tt.from), local(t, tt.to)
		if tt.name == "seconds are cut to whole minutes" {
			to = to.Add(59 * time.Second)
		}
		days := ds
		if tt.h != office {
			days = dst
		}
		if got := int(days.WorkingTime(tt.h, from, to) / time.Minute); got != tt.want {
			t.Errorf("%s: WorkingTime(%s, %s) = %d min; want %d", tt.name, tt.from, tt.to, got, tt.want)
		}
		if tt.h == office && !to.Before(from) {
			end, left := ds.spend(tt.h, from, time.Duration(tt.want)*time.Minute, DateOf(from, bp), d("2026-12-31"))
			if tt.want > 0 && (left != 0 || ds.WorkingTime(tt.h, from, end) != time.Duration(tt.want)*time.Minute) {
				t.Errorf("%s: spending %d min from %s ends %v (%v left), which is not %d working minutes later", tt.name, tt.want, tt.from, end, left, tt.want)
			}
		}
	}
}

func TestCalendarWorkingMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		seed(t, c, db, bridgeSwap)
		h := OfficeHours(budapest(t))

		got, err := c.WorkingMinutes(ctx, h, local(t, "2026-01-01 00:00"), local(t, "2026-01-11 00:00"))
		if want := 4*510 + 2*360; err != nil || got != want {
			t.Errorf("WorkingMinutes(1–10 Jan 2026) = %d, %v; want %d (2 Jan off, Saturday 10 Jan worked)", got, err, want)
		}

		tests := []struct {
			from    string
			minutes int
			want    string
		}{
			{"2026-03-24 09:00", 0, "2026-03-24 09:00"},
			{"2026-03-24 09:00", 60, "2026-03-24 10:00"},
			{"2026-03-24 06:00", 60, "2026-03-24 09:00"},          // the clock starts at opening
			{"2026-03-24 15:30", 60, "2026-03-24 16:30"},          // due at closing, not next morning
			{"2026-03-24 15:30", 61, "2026-03-25 08:01"},          // the rest on the next working day
			{"2026-03-27 13:00", 180, "2026-03-30 10:00"},         // Friday closes at two; DST Sunday between
			{"2026-10-22 16:00", 60, "2026-10-26 08:30"},          // 23 October off, then the October DST weekend
			{"2026-04-02 16:00", 60, "2026-04-07 08:30"},          // Good Friday and Easter Monday off
			{"2026-01-01 10:00", 2*510 + 361, "2026-01-07 14:01"}, // 1 and 2 Jan off
			{"2026-01-09 13:00", 120, "2026-01-10 09:00"},         // the worked Saturday counts
			{"2026-12-31 15:00", 120, "2027-01-04 08:30"},         // a new year's overrides are loaded too
		}
		// The same days loaded once give the same due times (an SLA's clocks).
		span, err := c.Span(ctx, NewDate(2026, 1, 1), NewDate(2027, 1, 31))
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			from := local(t, tt.from)
			got, err := c.AddWorkingMinutes(ctx, h, from, tt.minutes)
			if want := local(t, tt.want); err != nil || !got.Equal(want) {
				t.Errorf("AddWorkingMinutes(%s, %d) = %v, %v; want %s", tt.from, tt.minutes, got.In(h.TZ), err, tt.want)
				continue
			}
			if due, ok := span.AddWorkingTime(h, from, time.Duration(tt.minutes)*time.Minute); !ok || !due.Equal(got) {
				t.Errorf("Days.AddWorkingTime(%s, %d min) = %v, %v; want %s as AddWorkingMinutes", tt.from, tt.minutes, due.In(h.TZ), ok, tt.want)
			}
			if n, err := c.WorkingMinutes(ctx, h, from, got); err != nil || n != tt.minutes {
				t.Errorf("WorkingMinutes(%s, AddWorkingMinutes(%d)) = %d, %v; want %d", tt.from, tt.minutes, n, err, tt.minutes)
			}
		}
		if _, err := c.AddWorkingMinutes(ctx, h, local(t, "2026-03-24 09:00"), -1); !errors.Is(err, ErrNegativeMinutes) {
			t.Errorf("AddWorkingMinutes(-1) error = %v; want ErrNegativeMinutes", err)
		}
		if _, ok := span.AddWorkingTime(BusinessHours{TZ: h.TZ}, local(t, "2026-03-24 09:00"), time.Minute); ok {
			t.Errorf("Days.AddWorkingTime with no business hours at all is ok; want false")
		}
		if _, err := c.AddWorkingMinutes(ctx, BusinessHours{TZ: h.TZ}, local(t, "2026-03-24 09:00"), 1); !errors.Is(err, ErrNoWorkday) {
			t.Errorf("AddWorkingMinutes with no business hours at all: error = %v; want ErrNoWorkday", err)
		}
	})
}
