package booking

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

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
