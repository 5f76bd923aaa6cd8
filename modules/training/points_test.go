package training

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
)

// day parses a YYYY-MM-DD test date; "" is the zero Date (open-ended).
func day(t *testing.T, s string) calendar.Date {
	t.Helper()
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

func period(t *testing.T, start, end string) Period {
	return Period{Start: day(t, start), End: day(t, end)}
}

func central(t *testing.T, d string, points int) Earned {
	return Earned{Day: day(t, d), Points: points, Central: true}
}

func internal(t *testing.T, d string, points int) Earned {
	return Earned{Day: day(t, d), Points: points, Internal: true}
}

// checkSums asserts the figures that must always agree: the years add up to
// the total, the third-year goal is the first three years, the cap holds.
func checkSums(t *testing.T, s PointsStanding) {
	t.Helper()
	total := 0
	for _, y := range s.Years {
		total += y.Earned
	}
	if total != s.Counted || s.Total.Earned != s.Counted {
		t.Errorf("years add up to %d, total earned %d, counted %d; want all equal", total, s.Total.Earned, s.Counted)
	}
	third := 0
	for _, y := range s.Years[:min(3, len(s.Years))] {
		third += y.Earned
	}
	if s.ByThirdYear.Earned != third {
		t.Errorf("third-year earned %d; the first three years earned %d", s.ByThirdYear.Earned, third)
	}
	if s.InternalCounted > s.InternalCap || s.InternalCounted < 0 || s.InternalOver < 0 {
		t.Errorf("internal counted %d, over %d, cap %d", s.InternalCounted, s.InternalOver, s.InternalCap)
	}
}

func TestParseEducation(t *testing.T) {
	tests := []struct {
		in   string
		want Education
		ok   bool
	}{
		{"graduate", Graduate, true},
		{"felsőfokú", Graduate, true},
		{" Felsőfokú ", Graduate, true},
		{"GRADUATE", Graduate, true},
		{"secondary", Secondary, true},
		{"középfokú", Secondary, true},
		{"KÖZÉPFOKÚ", Secondary, true},
		{"", "", false},
		{"primary", "", false},
		{"felsofoku", "", false},
		{"graduate secondary", "", false},
	}
	for _, tt := range tests {
		got, err := ParseEducation(tt.in)
		if tt.ok {
			if err != nil || got != tt.want {
				t.Errorf("ParseEducation(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if !errors.Is(err, ErrUnknownEducation) || !errors.Is(err, errs.Invalid) {
			t.Errorf("ParseEducation(%q) = %q, %v; want an invalid-input error", tt.in, got, err)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*PointsRules)
		ok     bool
	}{
		{"the defaults", func(*PointsRules) {}, true},
		{"a 3-year period from July", func(r *PointsRules) {
			r.FirstPeriodStart = calendar.NewDate(2014, time.July, 1)
			r.PeriodYears = 3
		}, true},
		{"a 2-year period without a third-year share", func(r *PointsRules) { r.PeriodYears, r.ByThirdYearShare = 2, 0 }, true},
		{"no requirement at all", func(r *PointsRules) { r.Required = map[Education]int{Graduate: 0, Secondary: 0} }, true},
		{"every share 0 and 100", func(r *PointsRules) { r.MinYearlyShare, r.ByThirdYearShare, r.InternalCapShare = 25, 100, 0 }, true},

		{"period 0", func(r *PointsRules) { r.PeriodYears = 0 }, false},
		{"period negative", func(r *PointsRules) { r.PeriodYears = -4 }, false},
		{"period too long", func(r *PointsRules) { r.PeriodYears = 101 }, false},
		{"no first start", func(r *PointsRules) { r.FirstPeriodStart = calendar.Date{} }, false},
		{"first start not a date", func(r *PointsRules) { r.FirstPeriodStart = calendar.Date{Year: 2014, Month: time.February, Day: 30} }, false},
		{"first start on February 29", func(r *PointsRules) { r.FirstPeriodStart = calendar.NewDate(2016, time.February, 29) }, false},
		{"negative graduate requirement", func(r *PointsRules) { r.Required[Graduate] = -1 }, false},
		{"negative secondary requirement", func(r *PointsRules) { r.Required[Secondary] = -64 }, false},
		{"absurd requirement", func(r *PointsRules) { r.Required[Graduate] = 1_000_000 }, false},
		{"no secondary requirement", func(r *PointsRules) { delete(r.Required, Secondary) }, false},
		{"no requirements", func(r *PointsRules) { r.Required = nil }, false},
		{"an unknown level", func(r *PointsRules) { r.Required["primary"] = 32 }, false},
		{"yearly share over 100", func(r *PointsRules) { r.MinYearlyShare = 101 }, false},
		{"yearly share negative", func(r *PointsRules) { r.MinYearlyShare = -15 }, false},
		{"third-year share over 100", func(r *PointsRules) { r.ByThirdYearShare = 175 }, false},
		{"internal share over 100", func(r *PointsRules) { r.InternalCapShare = 125 }, false},
		{"internal share negative", func(r *PointsRules) { r.InternalCapShare = -1 }, false},
		{"the years ask for more than the whole", func(r *PointsRules) { r.MinYearlyShare = 26 }, false},
		{"a third-year share in a 2-year period", func(r *PointsRules) { r.PeriodYears = 2 }, false},
		{"warning days negative", func(r *PointsRules) { r.AmberDays = -1 }, false},
	}
	for _, tt := range tests {
		r := DefaultPointsRules()
		tt.change(&r)
		err := r.Validate()
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case !tt.ok && err == nil:
			t.Errorf("%s: accepted", tt.name)
		case !tt.ok && (!errors.Is(err, ErrBadPointsRules) || !errors.Is(err, errs.Invalid)):
			t.Errorf("%s: %v is not an invalid-rules error", tt.name, err)
		}
	}
}

func TestDefaultsAreTheDecrees(t *testing.T) {
	r := DefaultPointsRules()
	if r.FirstPeriodStart != calendar.NewDate(2014, time.January, 1) || r.PeriodYears != 4 ||
		r.Required[Graduate] != 128 || r.Required[Secondary] != 64 ||
		r.MinYearlyShare != 15 || r.ByThirdYearShare != 75 || r.InternalCapShare != 25 || r.AmberDays != 90 {
		t.Errorf("defaults %+v", r)
	}
	// Each call is a fresh copy: changing one caller's map changes no other's.
	r.Required[Graduate] = 1
	if DefaultPointsRules().Required[Graduate] != 128 {
		t.Error("DefaultPointsRules shares its requirement map between callers")
	}
}

func TestPeriodOf(t *testing.T) {
	july3 := DefaultPointsRules()
	july3.FirstPeriodStart, july3.PeriodYears = calendar.NewDate(2014, time.July, 1), 3
	yearly := DefaultPointsRules()
	yearly.PeriodYears, yearly.ByThirdYearShare, yearly.MinYearlyShare = 1, 0, 100
	tests := []struct {
		rules      PointsRules
		day        string
		start, end string
	}{
		{DefaultPointsRules(), "2014-01-01", "2014-01-01", "2017-12-31"},
		{DefaultPointsRules(), "2016-02-29", "2014-01-01", "2017-12-31"},
		{DefaultPointsRules(), "2017-12-31", "2014-01-01", "2017-12-31"},
		{DefaultPointsRules(), "2018-01-01", "2018-01-01", "2021-12-31"},
		{DefaultPointsRules(), "2026-12-03", "2026-01-01", "2029-12-31"},
		{DefaultPointsRules(), "2029-12-31", "2026-01-01", "2029-12-31"},
		{DefaultPointsRules(), "2030-01-01", "2030-01-01", "2033-12-31"},
		// Before the first period, periods run backwards by the same length.
		{DefaultPointsRules(), "2013-12-31", "2010-01-01", "2013-12-31"},
		{DefaultPointsRules(), "2010-01-01", "2010-01-01", "2013-12-31"},
		{DefaultPointsRules(), "2001-06-15", "1998-01-01", "2001-12-31"},
		// A start that is not January 1.
		{july3, "2014-07-01", "2014-07-01", "2017-06-30"},
		{july3, "2017-06-30", "2014-07-01", "2017-06-30"},
		{july3, "2017-07-01", "2017-07-01", "2020-06-30"},
		{july3, "2014-06-30", "2011-07-01", "2014-06-30"},
		{july3, "2011-01-01", "2008-07-01", "2011-06-30"},
		{yearly, "2020-02-29", "2020-01-01", "2020-12-31"},
		{yearly, "2013-03-01", "2013-01-01", "2013-12-31"},
	}
	for _, tt := range tests {
		if err := tt.rules.Validate(); err != nil {
			t.Fatalf("test rules refused: %v", err)
		}
		got := tt.rules.PeriodOf(day(t, tt.day))
		if want := period(t, tt.start, tt.end); got != want {
			t.Errorf("PeriodOf(%s) from %s every %d years = %s..%s; want %s..%s",
				tt.day, tt.rules.FirstPeriodStart, tt.rules.PeriodYears, got.Start, got.End, tt.start, tt.end)
		}
		if !got.Contains(day(t, tt.day)) {
			t.Errorf("the period of %s does not contain it", tt.day)
		}
	}
}

func TestPeriodYears(t *testing.T) {
	s := DefaultPointsRules().Standing(Graduate, calendar.Date{}, calendar.Date{}, nil, period(t, "2026-01-01", "2029-12-31"), day(t, "2026-12-03"))
	want := [][2]string{{"2026-01-01", "2026-12-31"}, {"2027-01-01", "2027-12-31"}, {"2028-01-01", "2028-12-31"}, {"2029-01-01", "2029-12-31"}}
	if len(s.Years) != len(want) {
		t.Fatalf("%d years; want %d", len(s.Years), len(want))
	}
	for i, y := range s.Years {
		if y.Year != i+1 || y.From != day(t, want[i][0]) || y.To != day(t, want[i][1]) {
			t.Errorf("year %d: #%d %s..%s; want %s..%s", i+1, y.Year, y.From, y.To, want[i][0], want[i][1])
		}
	}
	if s.ByThirdYear.By != day(t, "2028-12-31") || s.Total.By != day(t, "2029-12-31") {
		t.Errorf("third-year goal by %s, total by %s", s.ByThirdYear.By, s.Total.By)
	}
}

func TestRequirement(t *testing.T) {
	current := period(t, "2026-01-01", "2029-12-31") // 1461 days
	yearly := DefaultPointsRules()
	yearly.FirstPeriodStart, yearly.PeriodYears, yearly.ByThirdYearShare = calendar.NewDate(2015, time.January, 1), 1, 0
	yearly.Required[Graduate] = 365
	tests := []struct {
		name     string
		rules    PointsRules
		level    Education
		from, to string
		p        Period
		want     int
	}{
		{"graduate all period", DefaultPointsRules(), Graduate, "", "", current, 128},
		{"secondary all period", DefaultPointsRules(), Secondary, "", "", current, 64},
		{"joined before the period", DefaultPointsRules(), Graduate, "2020-05-01", "", current, 128},
		{"left after the period", DefaultPointsRules(), Graduate, "", "2031-01-31", current, 128},
		// 2027-07-01..2029-12-31 is 184+366+365 = 915 days: 128×915/1461 = 80.2 → 81.
		{"graduate joiner 2027-07-01", DefaultPointsRules(), Graduate, "2027-07-01", "", current, 81},
		// 64×915/1461 = 40.1 → 41.
		{"secondary joiner 2027-07-01", DefaultPointsRules(), Secondary, "2027-07-01", "", current, 41},
		// 2026-01-01..2027-06-30 is 365+181 = 546 days: 128×546/1461 = 47.8 → 48.
		{"leaver 2027-06-30", DefaultPointsRules(), Graduate, "", "2027-06-30", current, 48},
		// 365 days: 128×365/1461 = 31.98 → 32.
		{"joined and left within", DefaultPointsRules(), Graduate, "2027-01-01", "2027-12-31", current, 32},
		{"one day owes a whole point", DefaultPointsRules(), Graduate, "2029-12-31", "", current, 1},
		{"left before the period", DefaultPointsRules(), Graduate, "2010-01-01", "2025-12-31", current, 0},
		{"joins after the period", DefaultPointsRules(), Graduate, "2030-01-01", "", current, 0},
		{"leaving before joining", DefaultPointsRules(), Graduate, "2027-05-01", "2027-04-30", current, 0},
		{"a level the rules do not know", DefaultPointsRules(), Education("primary"), "", "", current, 0},
		// 365 × 184 / 365 is exactly 184: rounding up adds nothing to a whole number.
		{"an exact share is not rounded", yearly, Graduate, "2015-07-01", "", period(t, "2015-01-01", "2015-12-31"), 184},
	}
	for _, tt := range tests {
		got := tt.rules.Requirement(tt.level, day(t, tt.from), day(t, tt.to), tt.p)
		if got != tt.want {
			t.Errorf("%s: Requirement = %d; want %d", tt.name, got, tt.want)
		}
	}
}

func TestInternalCap(t *testing.T) {
	current := period(t, "2026-01-01", "2029-12-31")
	tests := []struct {
		name                  string
		from                  string
		rows                  []Earned
		counted, intern, over int
		cap                   int
		years                 [4]int
	}{
		{
			// The brief's case: 10 central + 40 internal, 128 required → 32 internal count, 8 over.
			// The rows are out of order on purpose: the cap is taken in date order.
			name: "10 central and 40 internal",
			rows: []Earned{
				internal(t, "2027-02-01", 10),
				central(t, "2026-05-10", 10),
				internal(t, "2026-03-01", 30),
			},
			counted: 42, intern: 32, over: 8, cap: 32, years: [4]int{40, 2, 0, 0},
		},
		{
			name:    "one big internal row",
			rows:    []Earned{internal(t, "2028-06-01", 40), central(t, "2026-01-01", 10)},
			counted: 42, intern: 32, over: 8, cap: 32, years: [4]int{10, 0, 32, 0},
		},
		{
			name: "internal after the cap counts nothing in a later year",
			rows: []Earned{
				internal(t, "2029-03-01", 5),
				internal(t, "2026-02-01", 32),
				central(t, "2029-03-01", 20),
			},
			counted: 52, intern: 32, over: 5, cap: 32, years: [4]int{32, 0, 0, 20},
		},
		{
			name:    "internal and central at once is internal",
			rows:    []Earned{{Day: day(t, "2026-09-01"), Points: 40, Internal: true, Central: true}},
			counted: 32, intern: 32, over: 8, cap: 32, years: [4]int{32, 0, 0, 0},
		},
		{
			name:    "under the cap all counts",
			rows:    []Earned{internal(t, "2026-09-01", 12), internal(t, "2027-09-01", 20)},
			counted: 32, intern: 32, over: 0, cap: 32, years: [4]int{12, 20, 0, 0},
		},
		{
			// A joiner owes 81: the cap is 25 % of 81 = 20.25, rounded down to 20.
			name:    "a joiner's cap is of the share",
			from:    "2027-07-01",
			rows:    []Earned{internal(t, "2027-09-01", 30)},
			counted: 20, intern: 20, over: 10, cap: 20, years: [4]int{0, 20, 0, 0},
		},
	}
	for _, tt := range tests {
		s := DefaultPointsRules().Standing(Graduate, day(t, tt.from), calendar.Date{}, tt.rows, current, day(t, "2026-12-03"))
		if s.Counted != tt.counted || s.InternalCounted != tt.intern || s.InternalOver != tt.over || s.InternalCap != tt.cap {
			t.Errorf("%s: counted %d, internal %d, over %d, cap %d; want %d, %d, %d, %d",
				tt.name, s.Counted, s.InternalCounted, s.InternalOver, s.InternalCap, tt.counted, tt.intern, tt.over, tt.cap)
		}
		for i, y := range s.Years {
			if y.Earned != tt.years[i] {
				t.Errorf("%s: year %d earned %d; want %d", tt.name, y.Year, y.Earned, tt.years[i])
			}
		}
		checkSums(t, s)
	}
}

func TestRowsThatDoNotCount(t *testing.T) {
	current := period(t, "2026-01-01", "2029-12-31")
	tests := []struct {
		name    string
		rows    []Earned
		counted int
		years   [4]int
	}{
		{
			name: "outside the period",
			rows: []Earned{
				central(t, "2025-12-31", 50),
				central(t, "2026-01-01", 5),
				central(t, "2029-12-31", 7),
				central(t, "2030-01-01", 50),
				internal(t, "2025-06-01", 30),
			},
			counted: 12, years: [4]int{5, 0, 0, 7},
		},
		{
			name:    "neither central nor internal",
			rows:    []Earned{{Day: day(t, "2026-05-01"), Points: 50}, central(t, "2026-06-01", 3)},
			counted: 3, years: [4]int{3, 0, 0, 0},
		},
		{
			name:    "negative points",
			rows:    []Earned{central(t, "2027-05-01", -20), central(t, "2027-06-01", 4), internal(t, "2027-07-01", -5)},
			counted: 4, years: [4]int{0, 4, 0, 0},
		},
		{
			name:    "no rows",
			counted: 0,
		},
	}
	for _, tt := range tests {
		s := DefaultPointsRules().Standing(Graduate, calendar.Date{}, calendar.Date{}, tt.rows, current, day(t, "2026-12-03"))
		if s.Counted != tt.counted {
			t.Errorf("%s: counted %d; want %d", tt.name, s.Counted, tt.counted)
		}
		if s.InternalCounted != 0 || s.InternalOver != 0 {
			t.Errorf("%s: internal counted %d, over %d; want none", tt.name, s.InternalCounted, s.InternalOver)
		}
		for i, y := range s.Years {
			if y.Earned != tt.years[i] {
				t.Errorf("%s: year %d earned %d; want %d", tt.name, y.Year, y.Earned, tt.years[i])
			}
		}
		checkSums(t, s)
	}
}

func TestStates(t *testing.T) {
	current := period(t, "2026-01-01", "2029-12-31")
	type want struct {
		required    int
		years       [4]State
		needed      [4]int
		third       State
		thirdNeeded int
		total       State
		light       Light
	}
	tests := []struct {
		name     string
		from, to string
		rows     []Earned
		today    string
		want     want
	}{
		{
			// 128 required: 20 a year (19.2 rounded up), 96 by the end of 2028.
			name:  "whole period: met, missed, on track, future",
			rows:  []Earned{central(t, "2026-04-01", 20), central(t, "2027-04-01", 10)},
			today: "2028-03-01",
			want: want{128, [4]State{Met, Missed, OnTrack, OnTrack}, [4]int{20, 20, 20, 20},
				OnTrack, 96, OnTrack, Red},
		},
		{
			name:  "everything met early",
			rows:  []Earned{central(t, "2026-04-01", 100), central(t, "2027-04-01", 20), central(t, "2028-04-01", 20), central(t, "2029-01-04", 20)},
			today: "2029-02-01",
			want: want{128, [4]State{Met, Met, Met, Met}, [4]int{20, 20, 20, 20},
				Met, 96, Met, Green},
		},
		{
			name:  "the last day of a year is not over",
			rows:  []Earned{central(t, "2026-04-01", 19)},
			today: "2026-12-31",
			want: want{128, [4]State{OnTrack, OnTrack, OnTrack, OnTrack}, [4]int{20, 20, 20, 20},
				OnTrack, 96, OnTrack, Amber},
		},
		{
			name:  "the day after it is",
			rows:  []Earned{central(t, "2026-04-01", 19)},
			today: "2027-01-01",
			want: want{128, [4]State{Missed, OnTrack, OnTrack, OnTrack}, [4]int{20, 20, 20, 20},
				OnTrack, 96, OnTrack, Red},
		},
		{
			// A joiner owes 81: 13 a year (12.15 up), 61 by the end of 2028 (60.75 up).
			// Points brought from before joining count, in a year that owes nothing.
			name:  "joiner 2027-07-01",
			from:  "2027-07-01",
			rows:  []Earned{central(t, "2026-06-01", 5), central(t, "2027-09-01", 13)},
			today: "2028-03-01",
			want: want{81, [4]State{NotDue, Met, OnTrack, OnTrack}, [4]int{0, 13, 13, 13},
				OnTrack, 61, OnTrack, Green},
		},
		{
			// A leaver owes 48: 8 a year (7.2 up), 36 by the end of 2028.
			name:  "leaver 2027-06-30 after the period",
			to:    "2027-06-30",
			rows:  []Earned{central(t, "2026-06-01", 8), central(t, "2027-03-01", 8)},
			today: "2030-02-01",
			want: want{48, [4]State{Met, Met, NotDue, NotDue}, [4]int{8, 8, 0, 0},
				Missed, 36, Missed, Red},
		},
		{
			// 2029-03-01..2029-12-31 is 306 days: 128×306/1461 = 26.8 → 27; 5 for the year (4.05 up).
			name:  "joiner in the fourth year",
			from:  "2029-03-01",
			today: "2029-05-01",
			want: want{27, [4]State{NotDue, NotDue, NotDue, OnTrack}, [4]int{0, 0, 0, 5},
				NotDue, 0, OnTrack, Green},
		},
		{
			name:  "not employed in the period",
			to:    "2025-06-30",
			rows:  []Earned{central(t, "2026-06-01", 8)},
			today: "2030-02-01",
			want: want{0, [4]State{NotDue, NotDue, NotDue, NotDue}, [4]int{0, 0, 0, 0},
				NotDue, 0, NotDue, Green},
		},
	}
	for _, tt := range tests {
		s := DefaultPointsRules().Standing(Graduate, day(t, tt.from), day(t, tt.to), tt.rows, current, day(t, tt.today))
		w := tt.want
		if s.Required != w.required {
			t.Errorf("%s: required %d; want %d", tt.name, s.Required, w.required)
		}
		for i, y := range s.Years {
			if y.State != w.years[i] || y.Needed != w.needed[i] {
				t.Errorf("%s: year %d %s needing %d; want %s needing %d", tt.name, y.Year, y.State, y.Needed, w.years[i], w.needed[i])
			}
		}
		if s.ByThirdYear.State != w.third || s.ByThirdYear.Needed != w.thirdNeeded {
			t.Errorf("%s: by the third year %s needing %d; want %s needing %d", tt.name, s.ByThirdYear.State, s.ByThirdYear.Needed, w.third, w.thirdNeeded)
		}
		if s.Total.State != w.total || s.Total.Needed != w.required {
			t.Errorf("%s: total %s needing %d; want %s needing %d", tt.name, s.Total.State, s.Total.Needed, w.total, w.required)
		}
		if s.Light != w.light {
			t.Errorf("%s: light %s; want %s", tt.name, s.Light, w.light)
		}
		checkSums(t, s)
	}
}

func TestLight(t *testing.T) {
	current := period(t, "2026-01-01", "2029-12-31")
	noWarning := DefaultPointsRules()
	noWarning.AmberDays = 0
	// Only the total is still open: every year has its 20, 100 by the third year.
	onlyTotal := []Earned{central(t, "2026-04-01", 60), central(t, "2027-04-01", 20), central(t, "2028-04-01", 20), central(t, "2029-04-01", 20)}
	tests := []struct {
		name  string
		rules PointsRules
		rows  []Earned
		today string
		want  Light
	}{
		{"a year's end exactly 90 days ahead", DefaultPointsRules(), nil, "2026-10-02", Green},
		{"89 days ahead", DefaultPointsRules(), nil, "2026-10-03", Amber},
		{"its last day", DefaultPointsRules(), nil, "2026-12-31", Amber},
		{"the day after", DefaultPointsRules(), nil, "2027-01-01", Red},
		{"met close to the end", DefaultPointsRules(), []Earned{central(t, "2026-03-01", 20)}, "2026-12-03", Green},
		{"internal over the cap does not meet a year", DefaultPointsRules(), []Earned{internal(t, "2026-03-01", 32), internal(t, "2027-03-01", 20)}, "2027-12-03", Amber},
		{"the total exactly 90 days ahead", DefaultPointsRules(), onlyTotal, "2029-10-02", Green},
		{"the total 89 days ahead", DefaultPointsRules(), onlyTotal, "2029-10-03", Amber},
		{"the total missed", DefaultPointsRules(), onlyTotal, "2030-01-01", Red},
		{"no warning days", noWarning, nil, "2026-12-31", Green},
	}
	for _, tt := range tests {
		s := tt.rules.Standing(Graduate, calendar.Date{}, calendar.Date{}, tt.rows, current, day(t, tt.today))
		if s.Light != tt.want {
			t.Errorf("%s: light %s; want %s (years %+v, third %+v, total %+v)", tt.name, s.Light, tt.want, s.Years, s.ByThirdYear, s.Total)
		}
	}
}

// TestStandingProperties runs random ledgers, employments and days through
// Standing and checks what must hold for any of them.
func TestStandingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(273, 2012))
	randomDay := func(from calendar.Date, span int) calendar.Date { return from.AddDays(rng.IntN(span)) }
	for run := range 3000 {
		rules := DefaultPointsRules()
		rules.PeriodYears = 3 + rng.IntN(4)
		rules.MinYearlyShare = rng.IntN(100/rules.PeriodYears + 1)
		rules.ByThirdYearShare = rng.IntN(101)
		rules.InternalCapShare = rng.IntN(101)
		rules.AmberDays = rng.IntN(200)
		rules.Required[Graduate] = rng.IntN(300)
		if err := rules.Validate(); err != nil {
			t.Fatalf("run %d: random rules refused: %v", run, err)
		}
		level := []Education{Graduate, Secondary}[rng.IntN(2)]
		p := rules.PeriodOf(randomDay(calendar.NewDate(2000, time.January, 1), 40*366))
		around := p.Start.AddDays(-500)
		span := p.Days() + 1000
		var from, to calendar.Date
		if rng.IntN(3) > 0 {
			from = randomDay(around, span)
		}
		if rng.IntN(3) > 0 {
			to = randomDay(around, span)
		}
		rows := make([]Earned, rng.IntN(40))
		counting, centralOnly, internalIn := 0, 0, 0
		for i := range rows {
			rows[i] = Earned{Day: randomDay(around, span), Points: rng.IntN(45) - 4, Internal: rng.IntN(3) == 0, Central: rng.IntN(2) == 0}
			r := rows[i]
			if r.Points <= 0 || !p.Contains(r.Day) {
				continue
			}
			switch {
			case r.Internal:
				internalIn += r.Points
				counting += r.Points
			case r.Central:
				centralOnly += r.Points
				counting += r.Points
			}
		}
		today := randomDay(around, span)
		s := rules.Standing(level, from, to, rows, p, today)

		checkSums(t, s)
		if s.Counted > counting {
			t.Errorf("run %d: counted %d of %d counting points", run, s.Counted, counting)
		}
		if s.Counted != centralOnly+s.InternalCounted || s.InternalCounted+s.InternalOver != internalIn {
			t.Errorf("run %d: counted %d = central %d + internal %d? internal %d + over %d = %d?",
				run, s.Counted, centralOnly, s.InternalCounted, s.InternalCounted, s.InternalOver, internalIn)
		}
		if s.InternalCap != s.Required*rules.InternalCapShare/100 {
			t.Errorf("run %d: cap %d of %d required at %d %%", run, s.InternalCap, s.Required, rules.InternalCapShare)
		}
		if _, employed := overlap(from, to, p); s.Required > rules.Required[level] || (s.Required > 0) != (employed && rules.Required[level] > 0) {
			t.Errorf("run %d: required %d of %d, employed %s..%s in %s..%s", run, s.Required, rules.Required[level], from, to, p.Start, p.End)
		}
		if len(s.Years) != rules.PeriodYears || s.Years[0].From != p.Start || s.Years[len(s.Years)-1].To != p.End {
			t.Errorf("run %d: %d years over %s..%s", run, len(s.Years), p.Start, p.End)
		}
		missed := s.ByThirdYear.State == Missed || s.Total.State == Missed
		for _, y := range s.Years {
			missed = missed || y.State == Missed
		}
		if (s.Light == Red) != missed {
			t.Errorf("run %d: light %s with a missed goal: %t", run, s.Light, missed)
		}

		// The order of the rows changes nothing.
		shuffled := append([]Earned(nil), rows...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if again := rules.Standing(level, from, to, shuffled, p, today); !reflect.DeepEqual(again, s) {
			t.Errorf("run %d: shuffled rows give %+v; want %+v", run, again, s)
		}
	}
}
