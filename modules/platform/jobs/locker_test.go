package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestLockerClaimsEachSlotOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newScheduler(t, d)
		clock := time.Date(2026, 3, 29, 10, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return clock }
		minutely := &job{name: "minutely", sched: schedule{every: time.Minute, loc: budapest}}
		other := &job{name: "other", sched: schedule{every: time.Minute, loc: budapest}}
		ctx := context.Background()

		steps := []struct {
			at    string
			j     *job
			taken bool
			slot  string
		}{
			{"10:00:00", minutely, false, "2026-03-29T10:00:00Z"},
			{"10:00:00", minutely, true, ""},                      // the same slot again
			{"09:59:45", minutely, true, ""},                      // a replica whose clock is 15 s behind
			{"10:00:40", minutely, false, "2026-03-29T10:01:00Z"}, // the next slot
			{"10:00:00", other, false, "2026-03-29T10:00:00Z"},    // another job's slot is its own
		}
		for _, st := range steps {
			tod, _ := time.Parse(time.TimeOnly, st.at)
			clock = time.Date(2026, 3, 29, tod.Hour(), tod.Minute(), tod.Second(), 0, time.UTC)
			lock, err := (&slotLocker{s: s, j: st.j}).Lock(ctx, st.j.name)
			if st.taken {
				if !errors.Is(err, ErrSlotTaken) {
					t.Errorf("%s %s: Lock = %v; want ErrSlotTaken", st.j.name, st.at, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s %s: Lock = %v; want the slot", st.j.name, st.at, err)
			}
			if err := lock.Unlock(ctx); err != nil {
				t.Errorf("Unlock = %v", err)
			}
			if got := st.j.claimed.take(); got != st.slot {
				t.Errorf("%s %s: claimed slot %q; want %q", st.j.name, st.at, got, st.slot)
			}
		}
		// Unlock kept the rows: they are the record of who ran each slot.
		var n int64
		must(t, d.R.Model(&SlotLock{}).Count(&n).Error)
		if n != 3 {
			t.Errorf("%d slot locks stored; want 3", n)
		}
	})
}

func TestIntervalSlots(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		every time.Duration
		at    string
		want  string
	}{
		// Nearest, not floor: small skew either way lands in the same slot.
		{time.Minute, "2026-03-29T09:59:40Z", "2026-03-29T10:00:00Z"},
		{time.Minute, "2026-03-29T10:00:20Z", "2026-03-29T10:00:00Z"},
		{time.Minute, "2026-03-29T10:00:29.999Z", "2026-03-29T10:00:00Z"},
		{time.Minute, "2026-03-29T10:00:30Z", "2026-03-29T10:01:00Z"},
		{time.Second, "2026-03-29T10:00:00.4Z", "2026-03-29T10:00:00Z"},
		{time.Second, "2026-03-29T09:59:59.6Z", "2026-03-29T10:00:00Z"},
		// The grid starts at Budapest midnight (23:00 UTC in winter), not at a UTC hour:
		// 01:05 CET is 65 min after midnight, nearest multiple of 7 min is 63 min.
		{7 * time.Minute, "2026-01-11T00:05:00Z", "2026-01-11T00:03:00Z"},
		// On the spring DST day midnight is still 23:00 UTC; 03:07:20 CEST is 2 h 7 min 20 s later.
		{15 * time.Minute, "2026-03-29T01:07:20Z", "2026-03-29T01:00:00Z"},
		// Just before midnight rounds up into the next day's first slot.
		{time.Hour, "2026-01-10T22:59:50Z", "2026-01-10T23:00:00Z"},
	}
	for _, tt := range tests {
		sc := schedule{every: tt.every, loc: budapest}
		if got := sc.slotAt(utc(tt.at)); got != tt.want {
			t.Errorf("every %s at %s: slot %s; want %s", tt.every, tt.at, got, tt.want)
		}
	}

	// The first run waits for the next point of the same grid.
	sc := schedule{every: 7 * time.Minute, loc: budapest}
	if got, want := sc.firstAfter(utc("2026-01-11T00:05:00Z")), utc("2026-01-11T00:10:00Z"); !got.Equal(want) {
		t.Errorf("firstAfter = %s; want %s", got, want)
	}
	if got, want := sc.firstAfter(utc("2026-01-11T00:10:00Z")), utc("2026-01-11T00:17:00Z"); !got.Equal(want) {
		t.Errorf("firstAfter on a grid point = %s; want the next one, %s", got, want)
	}
}

func TestDailySlots(t *testing.T) {
	tests := []struct {
		name   string
		hh, mm int
		at     string // UTC
		want   string
	}{
		{"winter, CET", 2, 30, "2026-01-15T01:30:02Z", "2026-01-15 02:30"},
		{"summer, CEST", 2, 30, "2026-07-15T00:30:02Z", "2026-07-15 02:30"},
		{"slow clock before local midnight", 0, 0, "2026-01-14T22:59:59.7Z", "2026-01-15 00:00"},
		{"UTC date is still yesterday", 0, 30, "2026-07-01T22:30:00Z", "2026-07-02 00:30"},
		// 29 March 2026: clocks jump from 02:00 to 03:00, so 02:30 never happens;
		// gocron fires an hour later and it is still that day's slot.
		{"spring DST, missing time", 2, 30, "2026-03-29T01:30:00Z", "2026-03-29 02:30"},
		{"spring DST, 03:10 CEST", 3, 10, "2026-03-29T01:10:00Z", "2026-03-29 03:10"},
		// 25 October 2026: 02:30 happens twice (CEST, then CET); both are one slot.
		{"autumn DST, first 02:30", 2, 30, "2026-10-25T00:30:00Z", "2026-10-25 02:30"},
		{"autumn DST, second 02:30", 2, 30, "2026-10-25T01:30:00Z", "2026-10-25 02:30"},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339Nano, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		sc := schedule{hour: tt.hh, minute: tt.mm, loc: budapest}
		if got := sc.slotAt(at); got != tt.want {
			t.Errorf("%s: daily %02d:%02d at %s: slot %q; want %q", tt.name, tt.hh, tt.mm, tt.at, got, tt.want)
		}
	}
}

func TestScheduleText(t *testing.T) {
	tests := map[string]schedule{
		"every 10s":   {every: 10 * time.Second},
		"every 90s":   {every: 90 * time.Second},
		"every 5m":    {every: 5 * time.Minute},
		"every 2h":    {every: 2 * time.Hour},
		"daily 02:30": {hour: 2, minute: 30},
		"daily 23:05": {hour: 23, minute: 5},
	}
	for want, sc := range tests {
		if got := sc.String(); got != want {
			t.Errorf("String() = %q; want %q", got, want)
		}
	}
}
