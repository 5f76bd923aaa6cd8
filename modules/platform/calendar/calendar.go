package calendar

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/cache"
	"kapu/modules/platform/errs"
)

// Override kinds.
const (
	KindHoliday = "holiday" // an extra day off (e.g. the non-working day of a bridge swap)
	KindWorkday = "workday" // a moved working day (e.g. a Saturday that becomes a workday)
)

// Reason keys for days off that are not public holidays.
const (
	ReasonWeekend      = "calendar.weekend"
	ReasonExtraHoliday = "calendar.extra_holiday"
)

// MaxNoteLen is the longest override note, in characters; it matches the
// column size so PostgreSQL never rejects what we accepted.
const MaxNoteLen = 200

// searchWindow is how many days beyond the strictly needed span NextWorkday
// and AddWorkdays load, so that long runs of holidays are still covered by
// a single query.
const searchWindow = 60

// Typed errors, so handlers can map them to form messages or HTTP codes.
var (
	ErrInvalidKind  = errs.New(errs.Invalid, "calendar: invalid override kind")
	ErrNoteTooLong  = errs.New(errs.Invalid, "calendar: override note too long")
	ErrNotFound     = errs.New(errs.NotFound, "calendar: override not found")
	ErrNegativeDays = errors.New("calendar: negative number of working days")
	ErrNoWorkday    = errors.New("calendar: no working day within search window")
)

// Override is an admin decision that changes a single date: a moved
// working day or an extra day off. Hungary announces these bridge-day swaps
// by decree each year, so they cannot be computed.
type Override struct {
	ID        uint   `gorm:"primaryKey"`
	Date      Date   `gorm:"uniqueIndex;not null"`
	Kind      string `gorm:"size:16;not null"`
	Note      string `gorm:"size:200"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps the table name stable and module-prefixed.
func (Override) TableName() string { return "calendar_overrides" }

// Models lists the tables this package owns, for the migration runner.
func Models() []any { return []any{&Override{}} }

// norm normalises an out-of-range Date literal (e.g. Day 32), so map
// lookups by date match; the zero Date stays zero.
func (d Date) norm() Date {
	if d.IsZero() {
		return d
	}
	return NewDate(d.Year, d.Month, d.Day)
}

// Days answers working-day questions from already loaded data, with no
// database access, so it is cheap to test and safe for concurrent use.
// It only knows the overrides it was given.
type Days struct {
	fromYear, toYear int
	holidays         map[Date]string
	overrides        map[Date]Override
}

// NewDays builds a Days with the public holidays of the years from..to and
// the given overrides. Dates outside those years still work: their public
// holidays are computed on demand.
func NewDays(from, to Date, overrides []Override) *Days {
	from, to = from.norm(), to.norm()
	if to.Before(from) {
		from, to = to, from
	}
	ds := &Days{
		fromYear:  from.Year,
		toYear:    to.Year,
		holidays:  make(map[Date]string),
		overrides: make(map[Date]Override, len(overrides)),
	}
	for y := from.Year; y <= to.Year; y++ {
		for _, h := range PublicHolidays(y) {
			ds.holidays[h.Date] = h.Key
		}
	}
	for _, o := range overrides {
		ds.overrides[o.Date.norm()] = o
	}
	return ds
}

// holiday returns the public holiday key of d, or "".
func (ds *Days) holiday(d Date) string {
	if d.Year >= ds.fromYear && d.Year <= ds.toYear {
		return ds.holidays[d]
	}
	for _, h := range PublicHolidays(d.Year) {
		if h.Date == d {
			return h.Key
		}
	}
	return ""
}

// Override returns the override set for d, if any.
func (ds *Days) Override(d Date) (Override, bool) {
	o, ok := ds.overrides[d.norm()]
	return o, ok
}

// Reason returns the translation key explaining why d is a day off, or ""
// when it is a working day. A workday override beats everything; a public
// holiday is named even when it falls on a weekend.
func (ds *Days) Reason(d Date) string {
	d = d.norm()
	o, hasOverride := ds.overrides[d]
	if hasOverride && o.Kind == KindWorkday {
		return ""
	}
	if key := ds.holiday(d); key != "" {
		return key
	}
	if hasOverride && o.Kind == KindHoliday {
		return ReasonExtraHoliday
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return ReasonWeekend
	}
	return ""
}

// IsWorkday reports whether d is a working day.
func (ds *Days) IsWorkday(d Date) bool {
	return ds.Reason(d) == ""
}

// WorkdaysBetween counts working days in the inclusive range [a, b]; it is
// 0 when b is before a.
func (ds *Days) WorkdaysBetween(a, b Date) int {
	a, b = a.norm(), b.norm()
	n := 0
	for d := a; !d.After(b); d = d.AddDays(1) {
		if ds.IsWorkday(d) {
			n++
		}
	}
	return n
}

// Day is one cell of the admin month grid.
type Day struct {
	Date     Date
	Workday  bool
	Reason   string
	Override *Override
}

// Calendar is the database-backed calendar. Each question is answered with
// Days from the overrides of the years involved, which are kept in memory:
// every booking asks whether its day is off, and overrides change a few
// times a year.
type Calendar struct {
	db    *gorm.DB
	years *cache.Map[int, []Override] // a year's overrides, by date
}

// yearsTTL is how long another replica may answer with a year's overrides
// after an administrator changed them; this process forgets them at once.
const yearsTTL = 10 * time.Second

// New returns a Calendar using db.
func New(db *gorm.DB) *Calendar {
	return &Calendar{db: db, years: cache.New[int, []Override](yearsTTL)}
}

var dateColumn = clause.Column{Name: "date"}

// Span answers many day questions about [from, to] from one query, for callers
// that walk a range day by day (leave counting, month grids).
func (c *Calendar) Span(ctx context.Context, from, to Date) (*Days, error) {
	return c.load(ctx, from, to)
}

// load builds a Days for [from, to] from the overrides of its years.
func (c *Calendar) load(ctx context.Context, from, to Date) (*Days, error) {
	if to.Year-from.Year > 2 { // a long span is read as it is, not year by year
		rows, err := c.between(ctx, c.db, from, to)
		if err != nil {
			return nil, err
		}
		return NewDays(from, to, rows), nil
	}
	var rows []Override
	for y := from.Year; y <= to.Year; y++ {
		year, err := c.years.Load(y, func() ([]Override, error) { return c.Overrides(ctx, y) })
		if err != nil {
			return nil, err
		}
		for _, o := range year {
			if !o.Date.Before(from) && !o.Date.After(to) {
				rows = append(rows, o)
			}
		}
	}
	return NewDays(from, to, rows), nil
}

// between returns the overrides in [from, to], ordered by date. The column
// holds ISO text, so string comparison is date comparison.
func (c *Calendar) between(ctx context.Context, db *gorm.DB, from, to Date) ([]Override, error) {
	var rows []Override
	err := db.WithContext(ctx).
		Where(clause.Gte{Column: dateColumn, Value: from}).
		Where(clause.Lte{Column: dateColumn, Value: to}).
		Order(clause.OrderByColumn{Column: dateColumn}).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("calendar: load overrides: %w", err)
	}
	return rows, nil
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(ctx context.Context, d Date) (bool, error) {
	if d.IsZero() {
		return false, ErrInvalidDate
	}
	d = d.norm()
	days, err := c.load(ctx, d, d)
	if err != nil {
		return false, err
	}
	return days.IsWorkday(d), nil
}

// WorkdaysBetween counts working days in the inclusive range [a, b]; it is
// 0 when b is before a.
func (c *Calendar) WorkdaysBetween(ctx context.Context, a, b Date) (int, error) {
	if a.IsZero() || b.IsZero() {
		return 0, ErrInvalidDate
	}
	a, b = a.norm(), b.norm()
	if b.Before(a) {
		return 0, nil
	}
	days, err := c.load(ctx, a, b)
	if err != nil {
		return 0, err
	}
	return days.WorkdaysBetween(a, b), nil
}

// Month returns every day of the month with its status, for the admin grid.
func (c *Calendar) Month(ctx context.Context, year int, month time.Month) ([]Day, error) {
	if month < time.January || month > time.December {
		return nil, fmt.Errorf("%w: month %d", ErrInvalidDate, month)
	}
	first := Date{Year: year, Month: month, Day: 1}
	last := Date{Year: year, Month: month, Day: daysIn(year, month)}
	days, err := c.load(ctx, first, last)
	if err != nil {
		return nil, err
	}
	out := make([]Day, 0, last.Day)
	for d := first; !d.After(last); d = d.AddDays(1) {
		reason := days.Reason(d)
		day := Day{Date: d, Workday: reason == "", Reason: reason}
		if o, ok := days.Override(d); ok {
			day.Override = &o
		}
		out = append(out, day)
	}
	return out, nil
}

// Overrides returns the overrides of a year, ordered by date.
func (c *Calendar) Overrides(ctx context.Context, year int) ([]Override, error) {
	return c.between(ctx, c.db, Date{Year: year, Month: time.January, Day: 1}, Date{Year: year, Month: time.December, Day: 31})
}

// conn picks the caller's transaction so the change commits or rolls back
// together with the caller's audit entry; nil falls back to the Calendar's db.
func (c *Calendar) conn(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = c.db
	}
	return tx.WithContext(ctx)
}

// Changed forgets the overrides kept for year. SetOverride and DeleteOverride
// call it; a caller whose transaction commits later calls it again after the
// commit, since a question asked in between kept the year as it was.
func (c *Calendar) Changed(year int) { c.years.Forget(year) }

// SetOverride creates or updates the override of date d inside tx. There is
// at most one override per date, so setting it again replaces kind and note.
func (c *Calendar) SetOverride(ctx context.Context, tx *gorm.DB, d Date, kind, note string) (Override, error) {
	if d.IsZero() {
		return Override{}, ErrInvalidDate
	}
	if kind != KindHoliday && kind != KindWorkday {
		return Override{}, fmt.Errorf("%w: %q", ErrInvalidKind, kind)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLen {
		return Override{}, ErrNoteTooLong
	}
	d = d.norm()
	db := c.conn(ctx, tx)

	var row Override
	res := db.Where(clause.Eq{Column: dateColumn, Value: d}).Limit(1).Find(&row)
	if res.Error != nil {
		return Override{}, fmt.Errorf("calendar: find override: %w", res.Error)
	}
	row.Date, row.Kind, row.Note = d, kind, note
	var err error
	if res.RowsAffected == 0 {
		err = db.Create(&row).Error
	} else {
		err = db.Save(&row).Error
	}
	if err != nil {
		return Override{}, fmt.Errorf("calendar: save override: %w", err)
	}
	c.Changed(d.Year)
	return row, nil
}

// DeleteOverride deletes the override with id inside tx and returns the
// deleted row, so the caller can record what was removed in the audit log.
func (c *Calendar) DeleteOverride(ctx context.Context, tx *gorm.DB, id uint) (Override, error) {
	db := c.conn(ctx, tx)
	var row Override
	res := db.Where("id = ?", id).Limit(1).Find(&row)
	if res.Error != nil {
		return Override{}, fmt.Errorf("calendar: find override: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Override{}, ErrNotFound
	}
	res = db.Delete(&Override{}, row.ID)
	if res.Error != nil {
		return Override{}, fmt.Errorf("calendar: delete override: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Override{}, ErrNotFound
	}
	c.Changed(row.Date.Year)
	return row, nil
}

// NextWorkday returns the first working day on or after d.
func (c *Calendar) NextWorkday(ctx context.Context, d Date) (Date, error) {
	if d.IsZero() {
		return Date{}, ErrInvalidDate
	}
	d = d.norm()
	end := d.AddDays(searchWindow)
	days, err := c.load(ctx, d, end)
	if err != nil {
		return Date{}, err
	}
	for x := d; !x.After(end); x = x.AddDays(1) {
		if days.IsWorkday(x) {
			return x, nil
		}
	}
	return Date{}, ErrNoWorkday
}

// AddWorkdays returns the date n working days after d: the n-th working day
// strictly after d (so a Friday plus 1 is normally Monday). n == 0 returns
// d unchanged.
func (c *Calendar) AddWorkdays(ctx context.Context, d Date, n int) (Date, error) {
	if d.IsZero() {
		return Date{}, ErrInvalidDate
	}
	if n < 0 {
		return Date{}, ErrNegativeDays
	}
	d = d.norm()
	if n == 0 {
		return d, nil
	}
	// About 5 of 7 days are working days; 2n plus the window is generous.
	start, end := d.AddDays(1), d.AddDays(2*n+searchWindow)
	days, err := c.load(ctx, start, end)
	if err != nil {
		return Date{}, err
	}
	for x := start; !x.After(end); x = x.AddDays(1) {
		if days.IsWorkday(x) {
			n--
			if n == 0 {
				return x, nil
			}
		}
	}
	return Date{}, ErrNoWorkday
}
