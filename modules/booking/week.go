package booking

import (
	"context"
	"time"

	"kapu/modules/platform/calendar"
)

// Timeline is a week of one kind of resource: the rows of the timeline page.
type Timeline struct {
	Kind string
	From time.Time // the week's first local midnight, as an instant
	To   time.Time // seven local days later (not always 168 hours: DST)
	Rows []TimelineRow
}

// TimelineRow is one resource and its active bookings that touch the week.
type TimelineRow struct {
	Resource Resource
	Bookings []Booking
}

// Week returns every active resource of kind with its active bookings that
// overlap the week starting on weekStart's local day. It reads the bookings of
// all resources in one query, so the page costs the same for 5 rooms or 50.
func (s *Service) Week(ctx context.Context, kind string, weekStart time.Time) (*Timeline, error) {
	day := calendar.DateOf(weekStart, s.tz)
	from, to := day.Start(s.tz).UTC(), day.AddDays(7).Start(s.tz).UTC()
	q := s.db.R.WithContext(ctx)
	out := &Timeline{Kind: kind, From: from, To: to}
	var rs []Resource
	if err := q.Where("kind = ? AND active = ?", kind, true).Order("name, id").Find(&rs).Error; err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return out, nil
	}
	ids := make([]uint, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	var bs []Booking
	// block_end > from uses the (resource_id, block_end) index per resource, so
	// old bookings are never read however many there are.
	if err := q.Where("resource_id IN ? AND status IN ? AND block_end > ? AND start_at < ?", ids, activeStatuses, from, to).
		Order("resource_id, start_at").Find(&bs).Error; err != nil {
		return nil, err
	}
	rows := make(map[uint]int, len(rs))
	out.Rows = make([]TimelineRow, len(rs))
	for i, r := range rs {
		out.Rows[i].Resource = r
		rows[r.ID] = i
	}
	for _, b := range bs {
		i := rows[b.ResourceID]
		out.Rows[i].Bookings = append(out.Rows[i].Bookings, b)
	}
	return out, nil
}
