package booking

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// TestTimelineQueryUsesIndex: the timeline's bookings query is a range scan
// of the (resource_id, block_end) index, so old bookings are never read.
func TestTimelineQueryUsesIndex(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	setup(t, d)
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	query := d.R.ToSQL(func(tx *gorm.DB) *gorm.DB {
		return activeBetween(tx, []uint{1, 2, 3}, from, from.AddDate(0, 0, 7)).Find(&[]Booking{})
	})
	var plan []struct {
		Detail string
	}
	if err := d.R.Raw("EXPLAIN QUERY PLAN " + query).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range plan {
		lines = append(lines, p.Detail)
	}
	got := strings.Join(lines, "; ")
	if !strings.Contains(got, "idx_booking_resource_end (resource_id=? AND block_end>?)") {
		t.Errorf("the timeline query's plan is %q; want a search of idx_booking_resource_end on resource_id and block_end", got)
	}
}

// A week timeline opened on a weekend shows the coming week; a day view, and
// any other day, shows today.
func TestOpeningDay(t *testing.T) {
	d := func(s string) calendar.Date {
		t.Helper()
		v, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		today, view, want string
	}{
		{"2026-11-20", viewWeek, "2026-11-20"}, // Friday
		{"2026-11-21", viewWeek, "2026-11-23"}, // Saturday → Monday
		{"2026-11-22", viewWeek, "2026-11-23"}, // Sunday → Monday
		{"2026-11-22", viewDay, "2026-11-22"},
		{"2026-11-23", viewWeek, "2026-11-23"},
	} {
		if got := openingDay(d(tt.today), tt.view); got != d(tt.want) {
			t.Errorf("openingDay(%s, %s) = %s; want %s", tt.today, tt.view, got, tt.want)
		}
	}
}
