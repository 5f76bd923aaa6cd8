package i18n

import (
	"fmt"
	"time"
)

// huMonths are the Hungarian month abbreviations of the Akadémiai helyesírás.
var huMonths = [...]string{"jan.", "febr.", "márc.", "ápr.", "máj.", "jún.", "júl.", "aug.", "szept.", "okt.", "nov.", "dec."}

// noYear makes a range name its year always: no date falls in year 0.
const noYear = 0

// FormatDateRange writes the days from..to (their calendar dates; the clock is
// ignored) as briefly as stays clear, with the year:
//
//	en: "12 Jan 2027", "12–14 Jan 2027", "30 Jan – 3 Feb 2027", "29 Dec 2026 – 2 Jan 2027"
//	hu: "2027. jan. 12.", "2027. jan. 12–14.", "2027. jan. 30. – febr. 3.", "2026. dec. 29. – 2027. jan. 2."
func FormatDateRange(lang string, from, to time.Time) string {
	return FormatDateRangeIn(lang, from, to, noYear)
}

// FormatDateRangeIn is FormatDateRange for lists and email subjects: when both
// days fall in year (usually the current one) the year is left out, "12–14 Jan"
// or "jan. 12–14."; otherwise it is written as FormatDateRange does.
func FormatDateRangeIn(lang string, from, to time.Time, year int) string {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	if ty < fy || ty == fy && (tm < fm || tm == fm && td < fd) {
		fy, fm, fd, ty, tm, td = ty, tm, td, fy, fm, fd
	}
	withYear := fy != year || ty != year
	if lang == "en" {
		yr := ""
		if withYear {
			yr = fmt.Sprintf(" %d", ty)
		}
		switch {
		case fy == ty && fm == tm && fd == td:
			return fmt.Sprintf("%d %s%s", fd, enMonths[fm-1], yr)
		case fy == ty && fm == tm:
			return fmt.Sprintf("%d–%d %s%s", fd, td, enMonths[fm-1], yr)
		case fy == ty:
			return fmt.Sprintf("%d %s – %d %s%s", fd, enMonths[fm-1], td, enMonths[tm-1], yr)
		}
		return fmt.Sprintf("%d %s %d – %d %s %d", fd, enMonths[fm-1], fy, td, enMonths[tm-1], ty)
	}
	yr := ""
	if withYear {
		yr = fmt.Sprintf("%d. ", fy)
	}
	switch {
	case fy == ty && fm == tm && fd == td:
		return fmt.Sprintf("%s%s %d.", yr, huMonths[fm-1], fd)
	case fy == ty && fm == tm:
		return fmt.Sprintf("%s%s %d–%d.", yr, huMonths[fm-1], fd, td)
	case fy == ty:
		return fmt.Sprintf("%s%s %d. – %s %d.", yr, huMonths[fm-1], fd, huMonths[tm-1], td)
	}
	return fmt.Sprintf("%d. %s %d. – %d. %s %d.", fy, huMonths[fm-1], fd, ty, huMonths[tm-1], td)
}

// FormatTimeRangeIn writes a stretch of time in loc the way a booking is told:
// one day with its clock times, "3 Mar 09:00–11:00" or "márc. 3. 09:00–11:00",
// or two ends each with its day, "3 Mar 09:00 – 4 Mar 17:00". The year is
// written when either end falls outside year. An end at midnight closes the
// day before ("09:00–24:00").
func FormatTimeRangeIn(lang string, from, to time.Time, loc *time.Location, year int) string {
	from, to = from.In(loc), to.In(loc)
	endDay, endClock := to, to.Format("15:04")
	if to.After(from) && endClock == "00:00" {
		endDay, endClock = to.Add(-time.Minute), "24:00"
	}
	fy, fm, fd := from.Date()
	ty, tm, td := endDay.Date()
	if fy == ty && fm == tm && fd == td {
		return FormatDateRangeIn(lang, from, from, year) + " " + from.Format("15:04") + "–" + endClock
	}
	if fy != ty || fy != year {
		year = noYear // both ends name their year, or neither does
	}
	return FormatDateRangeIn(lang, from, from, year) + " " + from.Format("15:04") + " – " +
		FormatDateRangeIn(lang, endDay, endDay, year) + " " + endClock
}
