// Package calendar is the organisation's working-day calendar: Hungarian
// public holidays plus admin-edited overrides (moved working days, extra
// days off). Leave day-counting, appointment opening days and SLA business
// hours all ask it whether a given date is a working day.
package calendar

import (
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"kapu/modules/platform/errs"
)

// Date is a civil calendar date with no time of day and no zone. Leave days
// and holidays are plain dates, not instants; keeping them apart from
// time.Time avoids the classic off-by-one around midnight and DST changes.
// The zero Date means "no date" and is stored as NULL.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalidDate is returned for text that is not a valid YYYY-MM-DD date
// and for operations that need a non-zero date.
var ErrInvalidDate = errs.New(errs.Invalid, "calendar: invalid date")

const secondsPerDay = 24 * 60 * 60

// NewDate builds a date, normalising out-of-range values the way time.Date
// does (January 32 becomes February 1), so callers can do month arithmetic
// without edge cases.
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), time.UTC)
}

// ParseDate parses exactly "YYYY-MM-DD". It is strict on purpose: a lenient
// parser would quietly turn "2026-02-30" into March 2 in a leave request.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%w: %q", ErrInvalidDate, s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, fmt.Errorf("%w: %q", ErrInvalidDate, s)
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// digits parses a fixed-width run of ASCII digits; strconv.Atoi would also
// accept signs, which we do not want inside a date.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn reports the number of days in the given month.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf returns the civil date of instant t as seen in loc. The same
// instant can be a different date in Budapest and in UTC, so the zone must
// be explicit.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{Year: y, Month: m, Day: d}
}

// Today returns the current date in loc.
func Today(loc *time.Location) Date {
	return DateOf(time.Now(), loc)
}

// utc is the date's midnight in UTC. UTC has no DST, so every day is exactly
// 24 hours long there, which makes it safe for day arithmetic.
func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// dayNumber counts days since 1970-01-01.
func (d Date) dayNumber() int {
	return int(d.utc().Unix() / secondsPerDay)
}

// Civil returns the year, month and day, for formatters that must not import this package.
func (d Date) Civil() (int, time.Month, int) { return d.Year, d.Month, d.Day }

// String formats the date as "YYYY-MM-DD"; the zero Date formats as "" so
// that empty form fields and JSON stay empty rather than showing 0000-00-00.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool {
	return d == Date{}
}

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date {
	return NewDate(d.Year, d.Month, d.Day+n)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	return d.utc().Weekday()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Equal reports whether d and o are the same date.
func (d Date) Equal(o Date) bool { return d.Compare(o) == 0 }

// DaysUntil returns o minus d in days. It works on day numbers, so a DST
// change (23- or 25-hour local day) never skews the result.
func (d Date) DaysUntil(o Date) int {
	return o.dayNumber() - d.dayNumber()
}

// Start returns the instant the date begins in loc (local midnight). Use it
// to turn a date range into an instant range for timestamp queries.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Value stores the date as "YYYY-MM-DD" text, which sorts and compares
// correctly as a string on every database; the zero Date stores NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column. time.Time is accepted because some drivers hand
// back typed dates; its Y-M-D is taken as stored, without zone conversion,
// because converting would shift the date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	case time.Time:
		y, m, day := v.Date()
		*d = Date{Year: y, Month: m, Day: day}
		return nil
	}
	return fmt.Errorf("%w: cannot scan %T", ErrInvalidDate, src)
}

func (d *Date) scanText(s string) error {
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// GormDataType tells GORM the generic type, so it does not guess one from
// the struct's fields.
func (Date) GormDataType() string { return string(schema.String) }

// GormDBDataType makes the column text on every dialect (SQLite and
// PostgreSQL alike), so ISO strings compare and index consistently.
func (Date) GormDBDataType(*gorm.DB, *schema.Field) string { return "varchar(10)" }

// MarshalText makes Date work with encoding/json and form decoders.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses "YYYY-MM-DD". Unlike ParseDate it accepts "" as the
// zero Date, because an optional date field submitted empty means "none".
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	return d.scanText(string(b))
}
