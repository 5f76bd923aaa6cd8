package calendar

import (
	"slices"
	"time"
)

// Holiday is a public holiday. Key is a stable translation key rather than
// a display name, so the UI can show it in the user's language.
type Holiday struct {
	Date Date
	Key  string
}

// Easter returns Gregorian Easter Sunday for year, using the anonymous
// Gregorian (Meeus/Jones/Butcher) computus. Computing it avoids a table of
// dates that silently runs out some year.
func Easter(year int) Date {
	a := year % 19 // position in the 19-year Metonic cycle
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30 // epact-related: days to the paschal full moon
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7 // days from the full moon to Sunday
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{Year: year, Month: time.Month(month), Day: day}
}

// PublicHolidays returns Hungary's public holidays (munkaszüneti napok) for
// year, sorted by date. Sundays such as Easter and Whit Sunday are listed
// too, so a calendar grid can name them.
//
// Good Friday is included from 2017, when it became a holiday. Christmas Eve
// is included for every year because the product spec treats 24–26 December
// as the organisation's holiday.
func PublicHolidays(year int) []Holiday {
	easter := Easter(year)
	fixed := func(m time.Month, d int, key string) Holiday {
		return Holiday{Date: Date{Year: year, Month: m, Day: d}, Key: key}
	}
	moving := func(offset int, key string) Holiday {
		return Holiday{Date: easter.AddDays(offset), Key: key}
	}

	hs := []Holiday{
		fixed(time.January, 1, "holiday.new_year"),
		fixed(time.March, 15, "holiday.national_1848"),
		moving(0, "holiday.easter_sunday"),
		moving(1, "holiday.easter_monday"),
		fixed(time.May, 1, "holiday.labour_day"),
		moving(49, "holiday.whit_sunday"),
		moving(50, "holiday.whit_monday"),
		fixed(time.August, 20, "holiday.state_foundation"),
		fixed(time.October, 23, "holiday.republic_1956"),
		fixed(time.November, 1, "holiday.all_saints"),
		fixed(time.December, 24, "holiday.christmas_eve"),
		fixed(time.December, 25, "holiday.christmas"),
		fixed(time.December, 26, "holiday.christmas_second"),
	}
	if year >= 2017 {
		hs = append(hs, moving(-2, "holiday.good_friday"))
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}
