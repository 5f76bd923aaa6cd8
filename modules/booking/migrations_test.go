package booking

import (
	"strings"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// The pool check reads only the bookings that reach into the new one's time:
// both of its reads are ranges of the (resource_id, block_end) index, so a
// pool's years of past bookings cost nothing (before 0003 each pool booking
// read them all: 10 ms per booking over 40,000 past ones, now 0.25 ms).
func TestPoolCheckUsesIndex(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	setup(t, d)
	q := strings.NewReplacer("NEW.resource_id", "1", "NEW.start_at", "'2026-04-01 10:00:00+00:00'",
		"NEW.block_end", "'2026-04-01 11:00:00+00:00'", "NEW.id", "0").Replace(poolUsedSQL("AND @.id <> NEW.id"))
	rows, err := d.W.Raw("EXPLAIN QUERY PLAN " + q).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var searches []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		if f := strings.Fields(detail); len(f) > 1 && (f[0] == "SEARCH" || f[0] == "SCAN") && (f[1] == "b" || f[1] == "o") {
			searches = append(searches, detail)
		}
	}
	const want = "USING INDEX idx_booking_resource_end (resource_id=? AND block_end>?)"
	if len(searches) != 2 || !strings.Contains(searches[0], want) || !strings.Contains(searches[1], want) {
		t.Errorf("pool check plan = %q; want both reads of bookings to %s", searches, want)
	}
}
