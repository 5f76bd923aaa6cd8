package stats

import (
	"strconv"
	"time"

	"kapu/modules/platform/calendar"
)

// The kinds of period a statistics page may offer.
const (
	Week  = "week"  // Monday to Sunday
	Month = "month" // a calendar month
	Year  = "year"  // a calendar year
	Range = "range" // any run of days, from–to
)

// Period is a run of whole local days [From, To): a week, month, year or range.
type Period struct {
	Kind     string
	From, To calendar.Date // To is the day after the last
}

// PeriodOf is the week, month or year that contains day; any other kind means month.
func PeriodOf(kind string, day calendar.Date) Period {
	switch kind {
	case Week:
		from := day.AddDays(-((int(day.Weekday()) + 6) % 7))
		return Period{Kind: Week, From: from, To: from.AddDays(7)}
	case Year:
		return Period{Kind: Year, From: calendar.NewDate(day.Year, time.January, 1), To: calendar.NewDate(day.Year+1, time.January, 1)}
	}
	from := calendar.NewDate(day.Year, day.Month, 1)
	return Period{Kind: Month, From: from, To: calendar.NewDate(day.Year, day.Month+1, 1)}
}

// RangeOf is the days from first to last, both included.
func RangeOf(first, last calendar.Date) Period {
	return Period{Kind: Range, From: first, To: last.AddDays(1)}
}

// Last is the period's last day.
func (p Period) Last() calendar.Date { return p.To.AddDays(-1) }

// Days is how many days the period has.
func (p Period) Days() int { return p.From.DaysUntil(p.To) }

// Prev is the period before p: the previous week, month or year, or for a
// range the same number of days just before it.
func (p Period) Prev() Period {
	if p.Kind == Range {
		return Period{Kind: Range, From: p.From.AddDays(-p.Days()), To: p.From}
	}
	return PeriodOf(p.Kind, p.From.AddDays(-1))
}

// Next is the period after p.
func (p Period) Next() Period {
	if p.Kind == Range {
		return Period{Kind: Range, From: p.To, To: p.To.AddDays(p.Days())}
	}
	return PeriodOf(p.Kind, p.To)
}

// Bounds are the instants the period starts and ends in loc, in UTC; a week
// with a DST change is an hour shorter or longer than 7×24 hours.
func (p Period) Bounds(loc *time.Location) (from, to time.Time) {
	return p.From.Start(loc).UTC(), p.To.Start(loc).UTC()
}

// Name is the period in a file name: "week-2026-03-09", "range-2026-01-05-2026-02-13".
func (p Period) Name() string {
	if p.Kind == Range {
		return Range + "-" + p.From.String() + "-" + p.Last().String()
	}
	return p.Kind + "-" + p.From.String()
}

// query is the period as the picker's query parameters; years says the year
// comes from a year select rather than a day.
func (p Period) query(years bool) map[string]string {
	switch {
	case p.Kind == Range:
		return map[string]string{"period": Range, "from": p.From.String(), "to": p.Last().String()}
	case p.Kind == Year && years:
		return map[string]string{"period": Year, "year": strconv.Itoa(p.From.Year)}
	}
	return map[string]string{"period": p.Kind, "day": p.From.String()}
}
