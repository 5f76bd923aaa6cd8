package training

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
)

// Education is the level of education the decree ties the points
// requirement to.
type Education string

// The two levels the decree knows.
const (
	Graduate  Education = "graduate"  // felsőfokú: 128 points a period by default
	Secondary Education = "secondary" // középfokú: 64 points a period by default
)

// ErrUnknownEducation is returned by ParseEducation for text that names no
// level.
var ErrUnknownEducation = errs.New(errs.Invalid, "training: unknown education level")

// ParseEducation reads a level in English or Hungarian ("graduate",
// "felsőfokú", "secondary", "középfokú"), ignoring case and surrounding
// spaces, because it comes from forms and imported files.
func ParseEducation(s string) (Education, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "graduate", "felsőfokú":
		return Graduate, nil
	case "secondary", "középfokú":
		return Secondary, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownEducation, s)
}

// PointsRules are the study-points settings. They are settings rather than
// constants because the decree has been amended before; DefaultPointsRules
// gives the decree's figures. Shares are whole percents. The methods expect
// rules that passed Validate (a period of 0 years has no periods at all).
type PointsRules struct {
	FirstPeriodStart calendar.Date     // the first period's first day; later and earlier periods follow on from it
	PeriodYears      int               // the length of a period in years
	Required         map[Education]int // points owed in a whole period, per level
	MinYearlyShare   int               // % of the requirement to earn in each year of the period
	ByThirdYearShare int               // % of the requirement to have by the end of the third year
	InternalCapShare int               // internal trainings count up to this % of the requirement
	AmberDays        int               // a goal not met with fewer days left than this turns the light amber
}

// DefaultPointsRules are the decree's figures: 4-year periods from
// 2014-01-01, 128 points for graduates and 64 for secondary education, 15 %
// each year, 75 % by the end of the third year, internal trainings up to
// 25 %; and a 90-day warning for the compliance view.
func DefaultPointsRules() PointsRules {
	return PointsRules{
		FirstPeriodStart: calendar.NewDate(2014, time.January, 1),
		PeriodYears:      4,
		Required:         map[Education]int{Graduate: 128, Secondary: 64},
		MinYearlyShare:   15,
		ByThirdYearShare: 75,
		InternalCapShare: 25,
		AmberDays:        90,
	}
}

// ErrBadPointsRules is the kind of every Validate refusal; the wrapped text
// names the setting.
var ErrBadPointsRules = errs.New(errs.Invalid, "training: bad study points rules")

// Limits that keep the settings meaningful and the arithmetic far from
// overflowing.
const (
	maxPeriodYears = 100
	maxRequired    = 100000
	maxAmberDays   = 3660
)

// Validate refuses settings that make no sense, so a mistyped setting is
// caught when it is saved rather than showing everyone as compliant.
func (r PointsRules) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrBadPointsRules}, args...)...)
	}
	f := r.FirstPeriodStart
	switch {
	case f.IsZero() || f != calendar.NewDate(f.Year, f.Month, f.Day):
		return bad("the first period's start is not a date")
	case f.Month == time.February && f.Day == 29:
		// Periods start on the anniversaries of this day; February 29 has none
		// in most years.
		return bad("a period cannot start on February 29")
	case r.PeriodYears < 1 || r.PeriodYears > maxPeriodYears:
		return bad("the period length must be 1 to %d years, not %d", maxPeriodYears, r.PeriodYears)
	}
	for _, level := range []Education{Graduate, Secondary} {
		n, ok := r.Required[level]
		if !ok {
			return bad("no requirement for %s", level)
		}
		if n < 0 || n > maxRequired {
			return bad("the requirement for %s must be 0 to %d points, not %d", level, maxRequired, n)
		}
	}
	if len(r.Required) != 2 {
		return bad("a requirement for an unknown education level")
	}
	for _, s := range []struct {
		name  string
		share int
	}{{"yearly", r.MinYearlyShare}, {"third-year", r.ByThirdYearShare}, {"internal", r.InternalCapShare}} {
		if s.share < 0 || s.share > 100 {
			return bad("the %s share must be 0 to 100 %%, not %d", s.name, s.share)
		}
	}
	switch {
	case r.MinYearlyShare*r.PeriodYears > 100:
		return bad("%d years of %d %% each ask for more than the whole requirement", r.PeriodYears, r.MinYearlyShare)
	case r.ByThirdYearShare > 0 && r.PeriodYears < 3:
		return bad("a %d-year period has no third year for the third-year share", r.PeriodYears)
	case r.AmberDays < 0 || r.AmberDays > maxAmberDays:
		return bad("the warning must be 0 to %d days, not %d", maxAmberDays, r.AmberDays)
	}
	return nil
}

// Period is a training period, both days included.
type Period struct {
	Start, End calendar.Date
}

// Contains reports whether day falls in the period.
func (p Period) Contains(day calendar.Date) bool {
	return !day.Before(p.Start) && !day.After(p.End)
}

// Days is the period's length in days.
func (p Period) Days() int { return p.Start.DaysUntil(p.End) + 1 }

// years splits the period into its years: each starts on an anniversary of
// the period's start, the last ends with the period.
func (p Period) years() []Period {
	var ys []Period
	for from := p.Start; !from.After(p.End); {
		next := addYears(from, 1)
		ys = append(ys, Period{Start: from, End: minDate(next.AddDays(-1), p.End)})
		from = next
	}
	return ys
}

// PeriodOf is the period containing day. Periods follow one another every
// PeriodYears years from FirstPeriodStart, and extend backwards the same
// way: with the defaults, 2013-12-31 lies in 2010-01-01..2013-12-31. That
// way past completions imported from before the first period still land in
// a period of their own instead of in the first one.
func (r PointsRules) PeriodOf(day calendar.Date) Period {
	k := floorDiv(day.Year-r.FirstPeriodStart.Year, r.PeriodYears)
	start := r.periodStart(k)
	if day.Before(start) { // only in the start's own year, before its month and day
		k--
		start = r.periodStart(k)
	}
	return Period{Start: start, End: r.periodStart(k + 1).AddDays(-1)}
}

// periodStart is the first day of the k-th period (0 is the first period,
// negative ones are before it).
func (r PointsRules) periodStart(k int) calendar.Date {
	return addYears(r.FirstPeriodStart, k*r.PeriodYears)
}

// Requirement is what a person of the level owes in the period: the level's
// requirement scaled to the days employed in the period (employed days /
// period days) and rounded up to a whole point, since a fraction of a point
// cannot be earned; 0 when not employed in the period at all. A zero
// employedFrom means employed since before the period (people.Person's
// "before records"), a zero employedTo still employed. A level the rules do
// not know owes nothing; ParseEducation lets only the known ones in.
func (r PointsRules) Requirement(level Education, employedFrom, employedTo calendar.Date, p Period) int {
	employed, ok := overlap(employedFrom, employedTo, p)
	if !ok {
		return 0
	}
	return ceilShare(r.Required[level], employed.Days(), p.Days())
}

// Earned is one row of a person's points ledger.
type Earned struct {
	Day      calendar.Date // the day the training was completed
	Points   int           // whole points, never negative
	Internal bool          // an internal training: counts only up to the internal cap
	Central  bool          // on the central programme list
}

// State is where a person stands against one goal (a year's share, the
// third-year share or the whole requirement).
type State string

// The states of a goal.
const (
	Met     State = "met"      // earned at least what is needed, whenever that was
	OnTrack State = "on_track" // not met yet, but its last day has not passed
	Missed  State = "missed"   // its last day has passed and it was not met
	NotDue  State = "not_due"  // the person was not employed on any day it covers
)

// Light is the compliance view's traffic light for a person.
type Light string

// The lights, from good to bad.
const (
	Green Light = "green" // nothing missed, nothing close to its deadline and not met
	Amber Light = "amber" // nothing missed, but a goal not met has fewer than AmberDays left
	Red   Light = "red"   // a goal was missed
)

// YearStanding is one year of the period against the yearly share.
type YearStanding struct {
	Year     int           // 1 for the period's first year
	From, To calendar.Date // the year's first and last day
	Earned   int           // points earned in the year that count (after the internal cap)
	Needed   int           // the yearly share of the requirement, rounded up; 0 when not due
	State    State
}

// Goal is a share of the requirement due by a day: the third-year share or
// the whole requirement.
type Goal struct {
	By     calendar.Date // the last day to earn it
	Needed int
	Earned int // counted points from the period's start to By
	State  State
}

// PointsStanding is a person's standing in a period, as the person's page
// and the compliance view show it.
type PointsStanding struct {
	Period          Period
	Required        int // Requirement for the person and period
	Counted         int // the points that count, after the internal cap
	InternalCap     int // the most internal points that count: InternalCapShare % of Required, rounded down
	InternalCounted int // internal points within the cap
	InternalOver    int // internal points over the cap, which do not count
	Years           []YearStanding
	ByThirdYear     Goal // ByThirdYearShare % of Required by the end of year 3
	Total           Goal // Required by the end of the period; Total.Earned is Counted
	Light           Light
}

// Standing is a person's standing in period p on day today from their
// ledger rows. The rules it applies, the same for every figure:
//   - Only rows inside the period count; a row neither on the central list
//     nor internal counts 0, and a row with no (or negative) points counts 0.
//   - A row marked both internal and central is internal: the cap is about
//     who held the training, not which list it is on.
//   - The internal cap is taken in date order: the first internal points
//     count until InternalCap is used up, later ones are InternalOver. So a
//     year's Earned is what counted of that year's rows, and the years add
//     up to Counted. The cap is rounded down (it is a "most"), what is owed
//     is rounded up (it is a "least").
//   - Each year owes MinYearlyShare % of the person's Required, rounded up,
//     if the person was employed on any day of it, even a joiner's first
//     part-year; a year the person was not employed at all is NotDue and
//     owes nothing. The third-year goal is NotDue when the person was not
//     employed in the first three years, the total when not in the period.
//     (For a share of a point or so, the rounded-up yearly goals can add up
//     to more than Required, e.g. 1 point in each of two years for a 1-point
//     share over New Year; each year's least is kept as it is.)
//   - Deadlines are the calendar ones (a year's last day, the third year's
//     last day, the period's last day), also for a leaver: the leaver's
//     Required is already cut to the days employed.
//   - A goal is over when today is after its last day. The light is Red when
//     any goal is Missed; else Amber when a goal is OnTrack and its last day
//     is fewer than AmberDays days after today (today.DaysUntil(last day),
//     so exactly AmberDays left is still Green); else Green.
func (r PointsRules) Standing(level Education, employedFrom, employedTo calendar.Date, rows []Earned, p Period, today calendar.Date) PointsStanding {
	required := r.Requirement(level, employedFrom, employedTo, p)
	s := PointsStanding{Period: p, Required: required, InternalCap: required * r.InternalCapShare / 100}

	years := p.years()
	earned := make([]int, len(years))
	for _, row := range countingRows(rows, p) {
		points := row.Points
		if row.Internal {
			points = min(points, s.InternalCap-s.InternalCounted)
			s.InternalCounted += points
			s.InternalOver += row.Points - points
		}
		earned[yearOf(years, row.Day)] += points
		s.Counted += points
	}

	yearlyNeed := ceilShare(required, r.MinYearlyShare, 100)
	for i, y := range years {
		_, employed := overlap(employedFrom, employedTo, y)
		need := 0
		if employed {
			need = yearlyNeed
		}
		s.Years = append(s.Years, YearStanding{
			Year: i + 1, From: y.Start, To: y.End, Earned: earned[i], Needed: need,
			State: goalState(employed, earned[i], need, y.End, today),
		})
	}

	// A period of fewer than three years (only with a third-year share of 0)
	// has its third-year goal at its end.
	third := min(3, len(years))
	thirdSpan := p
	if third > 0 {
		thirdSpan.End = years[third-1].End
	}
	_, employedByThird := overlap(employedFrom, employedTo, thirdSpan)
	s.ByThirdYear = newGoal(employedByThird, sum(earned[:third]), ceilShare(required, r.ByThirdYearShare, 100), thirdSpan.End, today)
	_, employedInPeriod := overlap(employedFrom, employedTo, p)
	s.Total = newGoal(employedInPeriod, s.Counted, required, p.End, today)

	s.Light = r.light(s, today)
	return s
}

// countingRows are the rows that can count in the period, in date order
// (a stable sort, though rows of one day fall in one year, so their order
// changes no figure).
func countingRows(rows []Earned, p Period) []Earned {
	var out []Earned
	for _, row := range rows {
		if row.Points > 0 && (row.Internal || row.Central) && p.Contains(row.Day) {
			out = append(out, row)
		}
	}
	slices.SortStableFunc(out, func(a, b Earned) int { return a.Day.Compare(b.Day) })
	return out
}

// yearOf is the index of the year containing day, which must be in the period.
func yearOf(years []Period, day calendar.Date) int {
	for i, y := range years {
		if y.Contains(day) {
			return i
		}
	}
	panic("training: a day outside the period's years")
}

// newGoal builds a goal; a goal the person owes nothing for is not due.
func newGoal(employed bool, earned, needed int, by, today calendar.Date) Goal {
	if !employed {
		needed = 0
	}
	return Goal{By: by, Needed: needed, Earned: earned, State: goalState(employed, earned, needed, by, today)}
}

func goalState(employed bool, earned, needed int, last, today calendar.Date) State {
	switch {
	case !employed:
		return NotDue
	case earned >= needed:
		return Met
	case today.After(last):
		return Missed
	}
	return OnTrack
}

// light is the traffic light over every goal of the standing.
func (r PointsRules) light(s PointsStanding, today calendar.Date) Light {
	goals := []Goal{s.ByThirdYear, s.Total}
	for _, y := range s.Years {
		goals = append(goals, Goal{By: y.To, State: y.State})
	}
	light := Green
	for _, g := range goals {
		switch {
		case g.State == Missed:
			return Red
		case g.State == OnTrack && today.DaysUntil(g.By) < r.AmberDays:
			light = Amber
		}
	}
	return light
}

// overlap is the part of period p in which a person employed from..to
// (zero: open-ended) was employed, and whether there is any.
func overlap(from, to calendar.Date, p Period) (Period, bool) {
	o := p
	if !from.IsZero() && from.After(o.Start) {
		o.Start = from
	}
	if !to.IsZero() && to.Before(o.End) {
		o.End = to
	}
	return o, !o.End.Before(o.Start)
}

// ceilShare is whole × part / of, rounded up; for non-negative inputs and of > 0.
func ceilShare(whole, part, of int) int {
	return (whole*part + of - 1) / of
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func addYears(d calendar.Date, n int) calendar.Date {
	return calendar.NewDate(d.Year+n, d.Month, d.Day)
}

func minDate(a, b calendar.Date) calendar.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
