package training

import (
	"fmt"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
)

// When is the session's days and daily hours as lists, cards and mails tell
// them, in lang: "dec. 9–10. 09:00–15:00", "8 Dec 09:00–11:00"; the year only
// when it is not year.
func (ses *Session) When(lang string, year int) string {
	return ses.Days(lang, year) + " " + ses.Hours()
}

// Days is the session's days alone, "dec. 9–10." (the year only when it
// is not year; 0 always names it).
func (ses *Session) Days(lang string, year int) string {
	return dayRange(lang, ses.FirstDay, ses.LastDay, year)
}

// dayRange writes the days first to last in lang as lists do, the year
// only when it is not year (0: always).
func dayRange(lang string, first, last calendar.Date, year int) string {
	return i18n.FormatDateRangeIn(lang, first.Start(time.UTC), last.Start(time.UTC), year)
}

// Hours is the session's daily hours, "09:00–12:30".
func (ses *Session) Hours() string { return clock(ses.FromMin) + "–" + clock(ses.ToMin) }

// Start is the session's first instant, its first day's start in the city
// hall's zone loc. (Sessions start in office hours, never in the hour a
// clock change skips; were one to, it starts that many minutes after
// midnight.)
func (ses *Session) Start(loc *time.Location) time.Time {
	if t, err := calendar.At(ses.FirstDay, ses.FromMin/60, ses.FromMin%60, loc); err == nil {
		return t
	}
	return ses.FirstDay.Start(loc).Add(time.Duration(ses.FromMin) * time.Minute)
}

// clock writes minutes after midnight as "09:30", as lists and time inputs do.
func clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }
