package kapu

import (
	"time"

	"kapu/modules/platform/calendar"
)

// monday returns the Monday of the week-th week of a month (the leave
// module's demo has the same helper for its own weeks).
func monday(year int, month time.Month, week int) calendar.Date {
	d := calendar.NewDate(year, month, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d.AddDays(7 * (week - 1))
}
