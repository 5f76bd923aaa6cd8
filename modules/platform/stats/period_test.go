package stats

import (
	"net/url"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
)

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		kind, day, from, to string
	}{
		{Week, "2026-03-11", "2026-03-09", "2026-03-16"},
		{Week, "2026-03-09", "2026-03-09", "2026-03-16"}, // a Monday
		{Week, "2026-03-15", "2026-03-09", "2026-03-16"}, // a Sunday
		{Week, "2026-01-01", "2025-12-29", "2026-01-05"}, // across the new year
		{Month, "2026-12-31", "2026-12-01", "2027-01-01"},
		{Month, "2024-02-29", "2024-02-01", "2024-03-01"},
		{Year, "2026-07-04", "2026-01-01", "2027-01-01"},
		{"nonsense", "2026-07-04", "2026-07-01", "2026-08-01"},
	}
	for _, tt := range tests {
		p := PeriodOf(tt.kind, date(tt.day))
		if p.From != date(tt.from) || p.To != date(tt.to) {
			t.Errorf("PeriodOf(%q, %s) = %v – %v; want %s – %s", tt.kind, tt.day, p.From, p.To, tt.from, tt.to)
		}
	}
}

func TestPeriodPrevNext(t *testing.T) {
	tests := []struct {
		p          Period
		prev, next string // the first days
	}{
		{PeriodOf(Week, date("2026-01-01")), "2025-12-22", "2026-01-05"},
		{PeriodOf(Month, date("2026-01-15")), "2025-12-01", "2026-02-01"},
		{PeriodOf(Month, date("2026-03-31")), "2026-02-01", "2026-04-01"},
		{PeriodOf(Year, date("2026-05-05")), "2025-01-01", "2027-01-01"},
		{RangeOf(date("2026-01-05"), date("2026-01-14")), "2025-12-26", "2026-01-15"},
	}
	for _, tt := range tests {
		if got := tt.p.Prev(); got.From != date(tt.prev) || got.Kind != tt.p.Kind || got.Days() != tt.p.Days() && tt.p.Kind != Month {
			t.Errorf("%v.Prev() = %v", tt.p, got)
		}
		if got := tt.p.Next(); got.From != date(tt.next) || got.Kind != tt.p.Kind {
			t.Errorf("%v.Next() = %v", tt.p, got)
		}
	}
}

// The weeks of the DST changes are an hour shorter and longer; their days stay seven.
func TestPeriodBoundsDST(t *testing.T) {
	bud, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		day   string
		hours float64
	}{
		{"2026-03-29", 167}, // last Sunday of March
		{"2026-10-25", 169}, // last Sunday of October
		{"2026-06-10", 168},
	}
	for _, tt := range tests {
		p := PeriodOf(Week, date(tt.day))
		from, to := p.Bounds(bud)
		if got := to.Sub(from).Hours(); got != tt.hours || p.Days() != 7 {
			t.Errorf("week of %s: %v hours, %d days; want %v hours, 7 days", tt.day, got, p.Days(), tt.hours)
		}
		if from.Location() != time.UTC || from.In(bud).Hour() != 0 {
			t.Errorf("week of %s starts at %v; want local midnight in UTC", tt.day, from)
		}
	}
}

func TestPeriodName(t *testing.T) {
	for _, tt := range []struct {
		p    Period
		want string
	}{
		{PeriodOf(Week, date("2026-03-11")), "week-2026-03-09"},
		{PeriodOf(Month, date("2026-03-11")), "month-2026-03-01"},
		{PeriodOf(Year, date("2026-03-11")), "year-2026-01-01"},
		{RangeOf(date("2026-01-05"), date("2026-02-13")), "range-2026-01-05-2026-02-13"},
	} {
		if got := tt.p.Name(); got != tt.want {
			t.Errorf("Name() = %q; want %q", got, tt.want)
		}
	}
}

func TestPickerChoose(t *testing.T) {
	today := date("2026-03-11")
	pk := Picker{Kinds: []string{Week, Month, Year, Range}, Default: Month, Today: today}
	tests := []struct {
		query    string
		from, to string // the period's first and last day
		kind     string
		errField string // "" for none
		errKey   string
	}{
		{"", "2026-03-01", "2026-03-31", Month, "", ""},
		{"period=week", "2026-03-09", "2026-03-15", Week, "", ""},
		{"period=week&day=2026-03-29", "2026-03-23", "2026-03-29", Week, "", ""},
		{"period=week&day=2027-01-01", "2026-12-28", "2027-01-03", Week, "", ""},
		{"period=year&day=2024-02-29", "2024-01-01", "2024-12-31", Year, "", ""},
		{"period=month&day=2025-12-31", "2025-12-01", "2025-12-31", Month, "", ""},
		{"period=fortnight&day=2026-05-05", "2026-05-01", "2026-05-31", Month, "", ""},
		{"period=range&from=2026-01-05&to=2026-02-13", "2026-01-05", "2026-02-13", Range, "", ""},
		{"period=range&from=2026-01-05&to=2026-01-05", "2026-01-05", "2026-01-05", Range, "", ""},
		{"period=range", "2026-03-01", "2026-03-31", Range, "", ""},
		{"period=range&from=2024-01-01&to=2026-12-31", "2024-01-01", "2026-12-31", Range, "", ""}, // three years exactly
		// Hostile or mistaken: the default period, and a message against the field.
		{"period=week&day=2026-02-30", "2026-03-01", "2026-03-31", Month, "day", "validation.date"},
		{"period=week&day=1999-12-31", "2026-03-01", "2026-03-31", Month, "day", "validation.date"},
		{"period=week&day=99999-01-01", "2026-03-01", "2026-03-31", Month, "day", "validation.date"},
		{"day=%00%ff", "2026-03-01", "2026-03-31", Month, "day", "validation.date"},
		{"day=2026-3-1", "2026-03-01", "2026-03-31", Month, "day", "validation.date"},
		{"period=range&from=2026-02-13&to=2026-01-05", "2026-03-01", "2026-03-31", Month, "to", "stats.error.order"},
		{"period=range&from=2024-01-01&to=2027-01-01", "2026-03-01", "2026-03-31", Month, "to", "stats.error.too_long"},
		{"period=range&from=2000-01-01&to=2100-12-31", "2026-03-01", "2026-03-31", Month, "to", "stats.error.too_long"},
		{"period=range&from=nonsense&to=2026-01-05", "2026-03-01", "2026-03-31", Month, "from", "validation.date"},
		{"period=range&from=2026-01-05", "2026-03-01", "2026-03-31", Month, "to", "validation.date"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		p, _, errs := pk.Choose(q)
		if p.From != date(tt.from) || p.Last() != date(tt.to) || p.Kind != tt.kind {
			t.Errorf("Choose(%q) = %s %v – %v; want %s %s – %s", tt.query, p.Kind, p.From, p.Last(), tt.kind, tt.from, tt.to)
		}
		if tt.errField == "" && len(errs) > 0 {
			t.Errorf("Choose(%q) errors = %v; want none", tt.query, errs)
		}
		if tt.errField != "" && errs[tt.errField].Key != tt.errKey {
			t.Errorf("Choose(%q) errors = %v; want %s on %s", tt.query, errs, tt.errKey, tt.errField)
		}
	}
}

// What was typed comes back in the form; a good period fills the range fields.
func TestPickerChooseForm(t *testing.T) {
	pk := Picker{Kinds: []string{Week, Month, Range}, Today: date("2026-03-11")}
	q, _ := url.ParseQuery("period=range&from=2026-02-13&to=2026-01-05")
	_, f, _ := pk.Choose(q)
	if f.Kind != Range || f.From != "2026-02-13" || f.To != "2026-01-05" || f.Day != "2026-03-11" {
		t.Errorf("form after an error = %+v; want the fields as typed", f)
	}
	q, _ = url.ParseQuery("period=month&day=2026-05-20")
	_, f, _ = pk.Choose(q)
	if f.Day != "2026-05-20" || f.From != "2026-05-01" || f.To != "2026-05-31" {
		t.Errorf("form of a month = %+v; want the day as typed and the month as the range", f)
	}
}

// A page that picks its year from a list falls back to this year, without
// a message, for any year it does not offer.
func TestPickerChooseYears(t *testing.T) {
	pk := Picker{Kinds: []string{Year}, Years: []int{2027, 2026, 2025}, Today: date("2026-03-11")}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"", 2026}, {"year=2025", 2025}, {"year=2027", 2027}, {"year=-1", 2026}, {"year=2015", 2026},
		{"year=99999999999999999999", 2026}, {"year=%ff", 2026}, {"period=week&year=2025", 2025},
	} {
		q, _ := url.ParseQuery(tt.query)
		p, f, errs := pk.Choose(q)
		if p.Kind != Year || p.From.Year != tt.want || len(errs) > 0 || f.Year != p.From.String()[:4] {
			t.Errorf("Choose(%q) = %v, %+v, %v; want the year %d", tt.query, p, f, errs, tt.want)
		}
	}
}

func TestChoiceLink(t *testing.T) {
	ch := Choice{Path: "/x", keep: url.Values{"dept": {"3"}}}
	if got := ch.Link(PeriodOf(Week, date("2026-03-11")), url.Values{"format": {"csv"}}); got != "/x?day=2026-03-09&dept=3&format=csv&period=week" {
		t.Errorf("Link(week) = %q", got)
	}
	if got := ch.Link(RangeOf(date("2026-01-05"), date("2026-02-13")), nil); got != "/x?dept=3&from=2026-01-05&period=range&to=2026-02-13" {
		t.Errorf("Link(range) = %q", got)
	}
	ch.single, ch.yearFromYears = true, true
	if got := ch.Link(PeriodOf(Year, date("2026-03-11")), nil); got != "/x?dept=3&year=2026" {
		t.Errorf("Link(year of a one-kind page) = %q", got)
	}
}
