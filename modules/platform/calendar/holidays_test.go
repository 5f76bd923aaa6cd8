package calendar

import (
	"slices"
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2000, "2000-04-23"},
		{2008, "2008-03-23"},
		{2011, "2011-04-24"},
		{2016, "2016-03-27"},
		{2019, "2019-04-21"},
		{2024, "2024-03-31"},
		{2025, "2025-04-20"},
		{2026, "2026-04-05"},
		{2027, "2027-03-28"},
		{2038, "2038-04-25"},
		{2285, "2285-03-22"}, // earliest possible date
	}
	for _, tt := range tests {
		if got := Easter(tt.year).String(); got != tt.want {
			t.Errorf("Easter(%v) = %v; want %v", tt.year, got, tt.want)
		}
		if wd := Easter(tt.year).Weekday(); wd != time.Sunday {
			t.Errorf("Easter(%v).Weekday() = %v; want %v", tt.year, wd, time.Sunday)
		}
	}
}

func holidayMap(year int) map[string]string {
	m := make(map[string]string)
	for _, h := range PublicHolidays(year) {
		m[h.Key] = h.Date.String()
	}
	return m
}

func TestPublicHolidays2026(t *testing.T) {
	want := []struct{ date, key string }{
		{"2026-01-01", "holiday.new_year"},
		{"2026-03-15", "holiday.national_1848"},
		{"2026-04-03", "holiday.good_friday"},
		{"2026-04-05", "holiday.easter_sunday"},
		{"2026-04-06", "holiday.easter_monday"},
		{"2026-05-01", "holiday.labour_day"},
		{"2026-05-24", "holiday.whit_sunday"},
		{"2026-05-25", "holiday.whit_monday"},
		{"2026-08-20", "holiday.state_foundation"},
		{"2026-10-23", "holiday.republic_1956"},
		{"2026-11-01", "holiday.all_saints"},
		{"2026-12-24", "holiday.christmas_eve"},
		{"2026-12-25", "holiday.christmas"},
		{"2026-12-26", "holiday.christmas_second"},
	}
	got := PublicHolidays(2026)
	if len(got) != len(want) {
		t.Fatalf("len(PublicHolidays(%v)) = %v; want %v", 2026, len(got), len(want))
	}
	for i, w := range want {
		if got[i].Date.String() != w.date || got[i].Key != w.key {
			t.Errorf("PublicHolidays(%v)[%v] = %v %v; want %v %v", 2026, i, got[i].Date, got[i].Key, w.date, w.key)
		}
	}
}

func TestGoodFriday(t *testing.T) {
	tests := []struct {
		year int
		want string // "" means not a holiday that year
	}{
		{2016, ""},
		{2017, "2017-04-14"},
		{2025, "2025-04-18"},
		{2026, "2026-04-03"},
	}
	for _, tt := range tests {
		if got := holidayMap(tt.year)["holiday.good_friday"]; got != tt.want {
			t.Errorf("good friday(%v) = %q; want %q", tt.year, got, tt.want)
		}
	}
}

func TestPublicHolidaysSorted(t *testing.T) {
	for year := 1990; year <= 2100; year++ {
		hs := PublicHolidays(year)
		sorted := slices.IsSortedFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
		if !sorted {
			t.Errorf("PublicHolidays(%v) sorted = %v; want %v", year, sorted, true)
		}
		for _, h := range hs {
			if h.Date.Year != year {
				t.Errorf("PublicHolidays(%v) has %v (%v); want year %v", year, h.Date, h.Key, year)
			}
		}
	}
}
