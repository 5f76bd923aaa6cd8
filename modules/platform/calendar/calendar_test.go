package calendar

import (
	"context"
	"errors"
	kdb "kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// openTestDB prepares this package's tables on a fresh database of one dialect.
func openTestDB(t *testing.T, kd *kdb.DB) *gorm.DB {
	t.Helper()
	if err := kd.W.AutoMigrate(Models()...); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return kd.W
}

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// bridgeSwap is the January 2026 example: Friday 2 January is given off
// and worked back on Saturday 10 January.
var bridgeSwap = []Override{
	{Date: d("2026-01-02"), Kind: KindHoliday, Note: "bridge day"},
	{Date: d("2026-01-10"), Kind: KindWorkday, Note: "worked back for 2 Jan"},
}

func TestDaysIsWorkday(t *testing.T) {
	plain := NewDays(d("2026-01-01"), d("2026-12-31"), nil)
	swapped := NewDays(d("2026-01-01"), d("2026-12-31"), bridgeSwap)
	tests := []struct {
		date              string
		plain, swapped    bool
		plainWhy, swapWhy string
	}{
		{"2026-01-01", false, false, "holiday.new_year", "holiday.new_year"},
		{"2026-01-02", true, false, "", ReasonExtraHoliday},
		{"2026-01-03", false, false, ReasonWeekend, ReasonWeekend},
		{"2026-01-05", true, true, "", ""},
		{"2026-01-10", false, true, ReasonWeekend, ""},
		{"2026-01-11", false, false, ReasonWeekend, ReasonWeekend},
		{"2026-04-03", false, false, "holiday.good_friday", "holiday.good_friday"},
		{"2026-04-05", false, false, "holiday.easter_sunday", "holiday.easter_sunday"},
		{"2026-12-24", false, false, "holiday.christmas_eve", "holiday.christmas_eve"},
	}
	for _, tt := range tests {
		if got := plain.IsWorkday(d(tt.date)); got != tt.plain {
			t.Errorf("plain.IsWorkday(%v) = %v; want %v", tt.date, got, tt.plain)
		}
		if got := swapped.IsWorkday(d(tt.date)); got != tt.swapped {
			t.Errorf("swapped.IsWorkday(%v) = %v; want %v", tt.date, got, tt.swapped)
		}
		if got := plain.Reason(d(tt.date)); got != tt.plainWhy {
			t.Errorf("plain.Reason(%v) = %q; want %q", tt.date, got, tt.plainWhy)
		}
		if got := swapped.Reason(d(tt.date)); got != tt.swapWhy {
			t.Errorf("swapped.Reason(%v) = %q; want %q", tt.date, got, tt.swapWhy)
		}
	}
}

func TestDaysOverridePrecedence(t *testing.T) {
	ds := NewDays(d("2026-01-01"), d("2026-12-31"), []Override{
		{Date: d("2026-12-24"), Kind: KindWorkday}, // a public holiday made a workday
		{Date: d("2026-12-25"), Kind: KindHoliday}, // redundant: still named as Christmas
	})
	tests := []struct {
		date string
		want string
	}{
		{"2026-12-24", ""},
		{"2026-12-25", "holiday.christmas"},
		{"2027-01-01", "holiday.new_year"}, // outside the built years: computed on demand
		{"2025-12-26", "holiday.christmas_second"},
	}
	for _, tt := range tests {
		if got := ds.Reason(d(tt.date)); got != tt.want {
			t.Errorf("Reason(%v) = %q; want %q", tt.date, got, tt.want)
		}
	}
}

func TestDaysWorkdaysBetween(t *testing.T) {
	plain := NewDays(d("2026-01-01"), d("2026-12-31"), nil)
	swapped := NewDays(d("2026-01-01"), d("2026-12-31"), bridgeSwap)
	tests := []struct {
		a, b           string
		plain, swapped int
	}{
		// 1 Jan (Thu) is New Year; 2 Jan (Fri) works unless swapped off;
		// 3–4 weekend; 5–9 Mon–Fri work; 10 (Sat) works only when swapped; 11 Sun.
		// Plain: 2 Jan + 5..9 Jan = 6. Swapped: 5..9 Jan + 10 Jan = 6.
		{"2026-01-01", "2026-01-11", 6, 6},
		{"2026-01-01", "2026-01-04", 1, 0},
		{"2026-01-10", "2026-01-11", 0, 1},
		{"2026-01-05", "2026-01-05", 1, 1},
		{"2026-01-11", "2026-01-01", 0, 0}, // reversed range
		// Easter week 2026: Fri 3 Apr and Mon 6 Apr off; 30 Mar–2 Apr and 7–10 Apr work.
		{"2026-03-30", "2026-04-10", 8, 8},
		// Whole year 2026: 261 weekdays minus 9 holidays on weekdays
		// (1 Jan, 3 Apr, 6 Apr, 1 May, 25 May, 20 Aug, 23 Oct, 24 Dec, 25 Dec; 15 Mar,
		// 1 Nov, 26 Dec fall on weekends) = 252.
		{"2026-01-01", "2026-12-31", 252, 252},
	}
	for _, tt := range tests {
		if got := plain.WorkdaysBetween(d(tt.a), d(tt.b)); got != tt.plain {
			t.Errorf("plain.WorkdaysBetween(%v, %v) = %v; want %v", tt.a, tt.b, got, tt.plain)
		}
		if got := swapped.WorkdaysBetween(d(tt.a), d(tt.b)); got != tt.swapped {
			t.Errorf("swapped.WorkdaysBetween(%v, %v) = %v; want %v", tt.a, tt.b, got, tt.swapped)
		}
	}
}

func seed(t *testing.T, c *Calendar, db *gorm.DB, ovs []Override) {
	t.Helper()
	for _, o := range ovs {
		if _, err := c.SetOverride(context.Background(), db, o.Date, o.Kind, o.Note); err != nil {
			t.Fatalf("SetOverride(%v, %v) = %v; want nil", o.Date, o.Kind, err)
		}
	}
}

func TestCalendarIsWorkdayAndBetween(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		seed(t, c, db, bridgeSwap)

		days := []struct {
			date string
			want bool
		}{
			{"2026-01-01", false},
			{"2026-01-02", false},
			{"2026-01-09", true},
			{"2026-01-10", true},
			{"2026-01-11", false},
			{"2026-05-25", false},
		}
		for _, tt := range days {
			got, err := c.IsWorkday(ctx, d(tt.date))
			if err != nil || got != tt.want {
				t.Errorf("IsWorkday(%v) = %v, %v; want %v, nil", tt.date, got, err, tt.want)
			}
		}

		ranges := []struct {
			a, b string
			want int
		}{
			{"2026-01-01", "2026-01-11", 6},
			{"2026-01-01", "2026-01-04", 0},
			{"2026-01-10", "2026-01-10", 1},
			{"2026-01-11", "2026-01-01", 0},
			{"2025-12-29", "2026-01-02", 3}, // across the year: 29–31 Dec work, 1–2 Jan off
		}
		for _, tt := range ranges {
			got, err := c.WorkdaysBetween(ctx, d(tt.a), d(tt.b))
			if err != nil || got != tt.want {
				t.Errorf("WorkdaysBetween(%v, %v) = %v, %v; want %v, nil", tt.a, tt.b, got, err, tt.want)
			}
		}

		if _, err := c.IsWorkday(ctx, Date{}); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("IsWorkday(%v) error = %v; want %v", Date{}, err, ErrInvalidDate)
		}
	})
}

func TestCalendarMonth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		seed(t, c, db, bridgeSwap)
		seed(t, c, db, []Override{{Date: d("2026-02-02"), Kind: KindHoliday}})

		grid, err := c.Month(ctx, 2026, time.January)
		if err != nil {
			t.Fatalf("Month(2026, January) error = %v; want nil", err)
		}
		if len(grid) != 31 {
			t.Fatalf("len(Month(2026, January)) = %v; want %v", len(grid), 31)
		}
		tests := []struct {
			day         int
			workday     bool
			reason      string
			hasOverride bool
		}{
			{1, false, "holiday.new_year", false},
			{2, false, ReasonExtraHoliday, true},
			{3, false, ReasonWeekend, false},
			{5, true, "", false},
			{10, true, "", true},
			{31, false, ReasonWeekend, false},
		}
		for _, tt := range tests {
			got := grid[tt.day-1]
			if got.Date != (Date{2026, time.January, tt.day}) || got.Workday != tt.workday ||
				got.Reason != tt.reason || (got.Override != nil) != tt.hasOverride {
				t.Errorf("Month(2026, January)[%v] = %v %v %q override=%v; want workday=%v %q override=%v",
					tt.day, got.Date, got.Workday, got.Reason, got.Override != nil, tt.workday, tt.reason, tt.hasOverride)
			}
		}
		if o := grid[9].Override; o == nil || o.Kind != KindWorkday || o.Note != "worked back for 2 Jan" || o.ID == 0 {
			t.Errorf("Month(2026, January)[10].Override = %+v; want the workday override", o)
		}

		feb, err := c.Month(ctx, 2026, time.February)
		if err != nil || len(feb) != 28 || feb[1].Reason != ReasonExtraHoliday {
			t.Errorf("Month(2026, February) = %v days, %v; want 28 days with 2 Feb off", len(feb), err)
		}
		if _, err := c.Month(ctx, 2026, 13); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("Month(2026, 13) error = %v; want %v", err, ErrInvalidDate)
		}
	})
}

func TestCalendarSetOverride(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)

		first, err := c.SetOverride(ctx, db, d("2026-01-02"), KindHoliday, "  bridge  ")
		if err != nil || first.ID == 0 || first.Note != "bridge" {
			t.Fatalf("SetOverride = %+v, %v; want saved row with trimmed note", first, err)
		}
		// Setting the same date again updates the row instead of adding one.
		second, err := c.SetOverride(ctx, db, d("2026-01-02"), KindWorkday, "changed")
		if err != nil || second.ID != first.ID || second.Kind != KindWorkday {
			t.Errorf("SetOverride again = %+v, %v; want ID %v kind %v", second, err, first.ID, KindWorkday)
		}
		var count int64
		db.Model(&Override{}).Count(&count)
		if count != 1 {
			t.Errorf("override count = %v; want %v", count, 1)
		}
		if ok, _ := c.IsWorkday(ctx, d("2026-01-02")); !ok {
			t.Errorf("IsWorkday(2026-01-02) = %v; want %v", ok, true)
		}

		// The unique index itself refuses a second row for a date.
		dup := Override{Date: d("2026-01-02"), Kind: KindHoliday}
		quiet := db.Session(&gorm.Session{Logger: logger.Default.LogMode(logger.Silent)})
		if err := quiet.Create(&dup).Error; err == nil {
			t.Errorf("Create duplicate date error = nil; want unique violation")
		}

		bad := []struct {
			date Date
			kind string
			note string
			want error
		}{
			{d("2026-01-03"), "vacation", "", ErrInvalidKind},
			{d("2026-01-03"), "", "", ErrInvalidKind},
			{d("2026-01-03"), KindHoliday, strings.Repeat("á", MaxNoteLen+1), ErrNoteTooLong},
			{Date{}, KindHoliday, "", ErrInvalidDate},
		}
		for _, tt := range bad {
			if _, err := c.SetOverride(ctx, db, tt.date, tt.kind, tt.note); !errors.Is(err, tt.want) {
				t.Errorf("SetOverride(%v, %q, %d chars) error = %v; want %v", tt.date, tt.kind, len(tt.note), err, tt.want)
			}
		}
		long := strings.Repeat("á", MaxNoteLen)
		if o, err := c.SetOverride(ctx, db, d("2026-01-03"), KindWorkday, long); err != nil || o.Note != long {
			t.Errorf("SetOverride(200 chars) = %v; want nil", err)
		}

		// Inside a transaction that rolls back, nothing is kept.
		errRollback := errors.New("rollback")
		err = db.Transaction(func(tx *gorm.DB) error {
			if _, err := c.SetOverride(ctx, tx, d("2026-03-16"), KindHoliday, ""); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("Transaction error = %v; want %v", err, errRollback)
		}
		if ok, _ := c.IsWorkday(ctx, d("2026-03-16")); !ok {
			t.Errorf("IsWorkday(2026-03-16) after rollback = %v; want %v", ok, true)
		}
	})
}

func TestCalendarOverridesAndDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		seed(t, c, db, []Override{
			{Date: d("2026-12-31"), Kind: KindHoliday},
			{Date: d("2025-12-31"), Kind: KindHoliday},
			{Date: d("2026-01-10"), Kind: KindWorkday},
			{Date: d("2026-01-02"), Kind: KindHoliday, Note: "bridge"},
			{Date: d("2027-01-01"), Kind: KindWorkday},
		})

		got, err := c.Overrides(ctx, 2026)
		var dates []string
		for _, o := range got {
			dates = append(dates, o.Date.String())
		}
		want := "2026-01-02 2026-01-10 2026-12-31"
		if err != nil || strings.Join(dates, " ") != want {
			t.Errorf("Overrides(2026) = %v, %v; want %v, nil", dates, err, want)
		}

		deleted, err := c.DeleteOverride(ctx, db, got[0].ID)
		if err != nil || deleted.Date != d("2026-01-02") || deleted.Note != "bridge" || deleted.Kind != KindHoliday {
			t.Errorf("DeleteOverride(%v) = %+v, %v; want the 2026-01-02 row", got[0].ID, deleted, err)
		}
		if ok, _ := c.IsWorkday(ctx, d("2026-01-02")); !ok {
			t.Errorf("IsWorkday(2026-01-02) after delete = %v; want %v", ok, true)
		}
		if _, err := c.DeleteOverride(ctx, db, got[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteOverride(%v) again error = %v; want %v", got[0].ID, err, ErrNotFound)
		}
		if _, err := c.DeleteOverride(ctx, nil, 9999); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteOverride(9999) error = %v; want %v", err, ErrNotFound)
		}
	})
}

func TestCalendarNextAndAddWorkdays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		seed(t, c, db, bridgeSwap)

		next := []struct{ in, want string }{
			{"2026-01-05", "2026-01-05"},
			{"2026-01-01", "2026-01-05"}, // 1 Jan holiday, 2 Jan override, weekend
			{"2026-01-10", "2026-01-10"}, // worked Saturday
			{"2026-12-24", "2026-12-28"}, // 24–26 Dec holidays, 27 Sunday
			{"2026-04-03", "2026-04-07"}, // Good Friday to Tuesday after Easter Monday
		}
		for _, tt := range next {
			got, err := c.NextWorkday(ctx, d(tt.in))
			if err != nil || got != d(tt.want) {
				t.Errorf("NextWorkday(%v) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		}

		add := []struct {
			in   string
			n    int
			want string
		}{
			{"2026-01-09", 0, "2026-01-09"},
			{"2026-01-09", 1, "2026-01-10"}, // the worked Saturday counts
			{"2026-01-09", 2, "2026-01-12"},
			{"2025-12-31", 1, "2026-01-05"},
			{"2026-12-23", 1, "2026-12-28"},
			{"2026-03-02", 15, "2026-03-23"}, // 15 Mar falls on a Sunday, so no day is lost
			{"2026-01-01", 252, "2026-12-31"},
		}
		for _, tt := range add {
			got, err := c.AddWorkdays(ctx, d(tt.in), tt.n)
			if err != nil || got != d(tt.want) {
				t.Errorf("AddWorkdays(%v, %v) = %v, %v; want %v, nil", tt.in, tt.n, got, err, tt.want)
			}
		}
		if _, err := c.AddWorkdays(ctx, d("2026-01-01"), -1); !errors.Is(err, ErrNegativeDays) {
			t.Errorf("AddWorkdays(2026-01-01, -1) error = %v; want %v", err, ErrNegativeDays)
		}
	})
}

func TestNoWorkdayInWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		start := d("2026-07-01")
		var ovs []Override
		for i := 0; i <= searchWindow; i++ {
			ovs = append(ovs, Override{Date: start.AddDays(i), Kind: KindHoliday})
		}
		seed(t, c, db, ovs)
		if got, err := c.NextWorkday(ctx, start); !errors.Is(err, ErrNoWorkday) {
			t.Errorf("NextWorkday(%v) = %v, %v; want %v", start, got, err, ErrNoWorkday)
		}
	})
}

// datedRow has an optional Date, to check that the zero Date stores NULL.
type datedRow struct {
	ID     uint
	Starts Date `gorm:"not null"`
	Ends   Date
}

func TestDateColumnRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		db := openTestDB(t, kd)
		if err := db.AutoMigrate(&datedRow{}); err != nil {
			t.Fatalf("AutoMigrate(datedRow) error = %v", err)
		}
		// Migrating again must not try to alter the column.
		if err := db.AutoMigrate(append(Models(), &datedRow{})...); err != nil {
			t.Fatalf("second AutoMigrate error = %v", err)
		}

		rows := []datedRow{
			{Starts: d("2026-03-29")},
			{Starts: d("2024-02-29"), Ends: d("2026-10-25")},
		}
		if err := db.Create(&rows).Error; err != nil {
			t.Fatalf("Create error = %v", err)
		}
		for _, want := range rows {
			var got datedRow
			if err := db.First(&got, want.ID).Error; err != nil || got != want {
				t.Errorf("First(%v) = %+v, %v; want %+v, nil", want.ID, got, err, want)
			}
			var raw struct {
				Starts  string
				EndsNil bool
			}
			db.Raw("SELECT starts, ends IS NULL AS ends_nil FROM dated_rows WHERE id = ?", want.ID).Scan(&raw)
			if raw.Starts != want.Starts.String() || raw.EndsNil != want.Ends.IsZero() {
				t.Errorf("stored(%v) = %q null=%v; want %q null=%v", want.ID, raw.Starts, raw.EndsNil, want.Starts, want.Ends.IsZero())
			}
		}

		// A Date query parameter compares as ISO text.
		var n int64
		db.Model(&datedRow{}).Where("starts < ?", d("2025-01-01")).Count(&n)
		if n != 1 {
			t.Errorf("count(starts < 2025-01-01) = %v; want %v", n, 1)
		}
	})
}

// The calendar keeps a year's overrides in memory; a change through it is
// answered at once, in its own year and beside the other years it keeps.
func TestCalendarChangeSeenAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, kd *kdb.DB) {
		ctx := context.Background()
		db := openTestDB(t, kd)
		c := New(db)
		day := d("2026-03-10") // a Tuesday
		workday := func() bool {
			t.Helper()
			ok, err := c.IsWorkday(ctx, day)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !workday() {
			t.Fatal("10 March 2026 is not a workday before any override")
		}
		c.Span(ctx, d("2025-12-01"), d("2027-01-31")) // keeps three years
		o, err := c.SetOverride(ctx, db, day, KindHoliday, "city day")
		if err != nil {
			t.Fatal(err)
		}
		if workday() {
			t.Error("a holiday set through the calendar is not seen at once")
		}
		if _, err := c.DeleteOverride(ctx, db, o.ID); err != nil {
			t.Fatal(err)
		}
		if !workday() {
			t.Error("a holiday deleted through the calendar is still seen")
		}
		days, err := c.Span(ctx, d("2025-12-20"), d("2026-01-10"))
		if err != nil || days.IsWorkday(d("2026-01-01")) || !days.IsWorkday(d("2025-12-22")) {
			t.Errorf("a span over two kept years answers wrongly (err %v)", err)
		}
	})
}
