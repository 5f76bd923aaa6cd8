package calendar

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the host's zoneinfo
)

func budapest(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatalf("load Europe/Budapest: %v", err)
	}
	return loc
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want Date
	}{
		{2026, time.March, 15, Date{2026, time.March, 15}},
		{2026, time.January, 32, Date{2026, time.February, 1}},
		{2026, time.March, 0, Date{2026, time.February, 28}},
		{2024, time.March, 0, Date{2024, time.February, 29}},
		{2026, time.December, 32, Date{2027, time.January, 1}},
		{2026, 13, 1, Date{2027, time.January, 1}},
	}
	for _, tt := range tests {
		if got := NewDate(tt.y, tt.m, tt.d); got != tt.want {
			t.Errorf("NewDate(%v, %v, %v) = %v; want %v", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	valid := []struct {
		in   string
		want Date
	}{
		{"2026-03-15", Date{2026, time.March, 15}},
		{"2024-02-29", Date{2024, time.February, 29}},
		{"1999-12-31", Date{1999, time.December, 31}},
	}
	for _, tt := range valid {
		got, err := ParseDate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
		}
		if s := got.String(); s != tt.in {
			t.Errorf("ParseDate(%q).String() = %q; want %q", tt.in, s, tt.in)
		}
	}

	invalid := []string{
		"2026-2-3", "2026-02-30", "", "abc", "2025-02-29", "2026-13-01",
		"2026-00-10", "2026-01-00", "2026-01-1x", "+026-01-01", "2026/01/01",
		"2026-01-01T00:00:00Z", " 2026-01-01", "2026-01-01 ",
	}
	for _, in := range invalid {
		got, err := ParseDate(in)
		if !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want error %v", in, got, err, ErrInvalidDate)
		}
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{Date{2026, time.March, 15}, "2026-03-15"},
		{Date{987, time.January, 2}, "0987-01-02"},
		{Date{}, ""},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q; want %q", tt.d, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	a := Date{2026, time.March, 15}
	tests := []struct {
		a, b                Date
		cmp                 int
		before, after, same bool
	}{
		{a, a, 0, false, false, true},
		{a, Date{2026, time.March, 16}, -1, true, false, false},
		{a, Date{2026, time.April, 1}, -1, true, false, false},
		{a, Date{2025, time.December, 31}, 1, false, true, false},
		{a, Date{2026, time.March, 14}, 1, false, true, false},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.cmp {
			t.Errorf("%v.Compare(%v) = %v; want %v", tt.a, tt.b, got, tt.cmp)
		}
		if got := tt.a.Before(tt.b); got != tt.before {
			t.Errorf("%v.Before(%v) = %v; want %v", tt.a, tt.b, got, tt.before)
		}
		if got := tt.a.After(tt.b); got != tt.after {
			t.Errorf("%v.After(%v) = %v; want %v", tt.a, tt.b, got, tt.after)
		}
		if got := tt.a.Equal(tt.b); got != tt.same {
			t.Errorf("%v.Equal(%v) = %v; want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

func TestWeekdayAndIsZero(t *testing.T) {
	tests := []struct {
		d    Date
		want time.Weekday
	}{
		{Date{2026, time.January, 1}, time.Thursday},
		{Date{2026, time.March, 29}, time.Sunday},
		{Date{2026, time.October, 25}, time.Sunday},
		{Date{2024, time.February, 29}, time.Thursday},
	}
	for _, tt := range tests {
		if got := tt.d.Weekday(); got != tt.want {
			t.Errorf("%v.Weekday() = %v; want %v", tt.d, got, tt.want)
		}
		if tt.d.IsZero() {
			t.Errorf("%v.IsZero() = true; want false", tt.d)
		}
	}
	if !(Date{}).IsZero() {
		t.Errorf("Date{}.IsZero() = false; want true")
	}
}

func TestDateOfDST(t *testing.T) {
	loc := budapest(t)
	tests := []struct {
		instant time.Time
		loc     *time.Location
		want    Date
	}{
		// 00:30 CET on the spring-forward day is still 28 March in UTC.
		{time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), loc, Date{2026, time.March, 29}},
		{time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), time.UTC, Date{2026, time.March, 28}},
		// 03:00 CEST, just after the clocks jumped.
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), loc, Date{2026, time.March, 29}},
		// 00:30 CEST on the fall-back day.
		{time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC), loc, Date{2026, time.October, 25}},
		{time.Date(2026, 10, 24, 21, 59, 59, 0, time.UTC), loc, Date{2026, time.October, 24}},
		// 23:59:59 CET, the last second of the 25-hour day.
		{time.Date(2026, 10, 25, 22, 59, 59, 0, time.UTC), loc, Date{2026, time.October, 25}},
		{time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC), loc, Date{2026, time.October, 26}},
	}
	for _, tt := range tests {
		if got := DateOf(tt.instant, tt.loc); got != tt.want {
			t.Errorf("DateOf(%v, %v) = %v; want %v", tt.instant, tt.loc, got, tt.want)
		}
	}
}

func TestAddDaysAndDaysUntil(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2026, time.March, 28}, 1, Date{2026, time.March, 29}},
		{Date{2026, time.March, 28}, 2, Date{2026, time.March, 30}},
		{Date{2026, time.March, 30}, -2, Date{2026, time.March, 28}},
		{Date{2026, time.October, 24}, 2, Date{2026, time.October, 26}},
		{Date{2026, time.January, 1}, 365, Date{2027, time.January, 1}},
		{Date{2024, time.February, 28}, 1, Date{2024, time.February, 29}},
		{Date{2026, time.March, 15}, 0, Date{2026, time.March, 15}},
	}
	for _, tt := range tests {
		if got := tt.d.AddDays(tt.n); got != tt.want {
			t.Errorf("%v.AddDays(%v) = %v; want %v", tt.d, tt.n, got, tt.want)
		}
		if got := tt.d.DaysUntil(tt.want); got != tt.n {
			t.Errorf("%v.DaysUntil(%v) = %v; want %v", tt.d, tt.want, got, tt.n)
		}
	}
}

func TestStartAcrossDST(t *testing.T) {
	loc := budapest(t)
	tests := []struct {
		a, b Date
		want time.Duration
	}{
		{Date{2026, time.March, 29}, Date{2026, time.March, 30}, 23 * time.Hour},
		{Date{2026, time.October, 25}, Date{2026, time.October, 26}, 25 * time.Hour},
		{Date{2026, time.June, 1}, Date{2026, time.June, 2}, 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := tt.b.Start(loc).Sub(tt.a.Start(loc)); got != tt.want {
			t.Errorf("%v.Start - %v.Start = %v; want %v", tt.b, tt.a, got, tt.want)
		}
		if got := tt.a.DaysUntil(tt.b); got != 1 {
			t.Errorf("%v.DaysUntil(%v) = %v; want %v", tt.a, tt.b, got, 1)
		}
		if got := DateOf(tt.a.Start(loc), loc); got != tt.a {
			t.Errorf("DateOf(%v.Start(loc)) = %v; want %v", tt.a, got, tt.a)
		}
	}
	// Midnight Budapest on 29 March 2026 is 23:00 UTC the day before.
	want := time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC)
	if got := (Date{2026, time.March, 29}).Start(loc); !got.Equal(want) {
		t.Errorf("Start(%v) = %v; want %v", loc, got, want)
	}
}

func TestValuerScanner(t *testing.T) {
	d := Date{2026, time.March, 15}
	v, err := d.Value()
	if err != nil || v != "2026-03-15" {
		t.Errorf("%v.Value() = %v, %v; want %v, nil", d, v, err, "2026-03-15")
	}
	if v, err := (Date{}).Value(); err != nil || v != nil {
		t.Errorf("Date{}.Value() = %v, %v; want nil, nil", v, err)
	}

	tests := []struct {
		src  any
		want Date
	}{
		{"2026-03-15", d},
		{[]byte("2026-03-15"), d},
		{v, d},
		{nil, Date{}},
		// Taken as stored: no conversion to another zone.
		{time.Date(2026, 3, 15, 23, 30, 0, 0, time.FixedZone("x", -5*3600)), d},
		{time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), d},
	}
	for _, tt := range tests {
		got := Date{1999, time.January, 1}
		if err := got.Scan(tt.src); err != nil || got != tt.want {
			t.Errorf("Scan(%v) = %v, %v; want %v, nil", tt.src, got, err, tt.want)
		}
	}

	for _, src := range []any{"2026-02-30", 42, []byte("x")} {
		var got Date
		if err := got.Scan(src); err == nil {
			t.Errorf("Scan(%v) = %v, nil; want error", src, got)
		}
	}
}

func TestTextAndJSON(t *testing.T) {
	type form struct {
		From Date `json:"from"`
		To   Date `json:"to"`
	}
	in := form{From: Date{2026, time.March, 15}}
	b, err := json.Marshal(in)
	if want := `{"from":"2026-03-15","to":""}`; err != nil || string(b) != want {
		t.Errorf("json.Marshal(%v) = %s, %v; want %s, nil", in, b, err, want)
	}
	var out form
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("json.Unmarshal(%s) = %v, %v; want %v, nil", b, out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"from":"2026-02-30"}`), &out); err == nil {
		t.Errorf("json.Unmarshal(2026-02-30) = %v, nil; want error", out)
	}
}

func TestToday(t *testing.T) {
	loc := budapest(t)
	before := DateOf(time.Now(), loc)
	got := Today(loc)
	after := DateOf(time.Now(), loc)
	if got.Before(before) || got.After(after) {
		t.Errorf("Today(%v) = %v; want between %v and %v", loc, got, before, after)
	}
}
