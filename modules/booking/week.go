package booking

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// Timeline is some days of one kind of resource: the rows of the timeline page.
type Timeline struct {
	Kind string
	From time.Time // the first day's local midnight, as an instant
	To   time.Time // the local midnight after the last day (not always 24 h × days: DST)
	Rows []TimelineRow
	// Days knows the days off of the span: rooms are closed on them.
	Days *calendar.Days
}

// TimelineRow is one resource and its active bookings that touch the span.
// Resources out of service are rows too, so people see why they cannot book them.
type TimelineRow struct {
	Resource Resource
	Bookings []Booking
}

// Week is Span for the seven days starting on weekStart's local day.
func (s *Service) Week(ctx context.Context, kind string, weekStart time.Time) (*Timeline, error) {
	return s.Span(ctx, kind, calendar.DateOf(weekStart, s.tz), 7)
}

// Span returns every resource of kind with its active bookings that overlap
// the days days from first. It reads the bookings of all resources in one
// query, so the page costs the same for 5 rooms or 50.
func (s *Service) Span(ctx context.Context, kind string, first calendar.Date, days int) (*Timeline, error) {
	from, to := first.Start(s.tz).UTC(), first.AddDays(days).Start(s.tz).UTC()
	q := s.db.R.WithContext(ctx)
	out := &Timeline{Kind: kind, From: from, To: to}
	var err error
	if out.Days, err = s.daysOff(ctx, first, first.AddDays(days-1)); err != nil {
		return nil, err
	}
	var rs []Resource
	if err := q.Where("kind = ?", kind).Order("name, id").Find(&rs).Error; err != nil {
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
	if err := activeBetween(q, ids, from, to).Find(&bs).Error; err != nil {
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

// Names returns the names of the people who booked, in one query: the
// timeline's blocks say who holds the room.
func (s *Service) Names(ctx context.Context, tl *Timeline) (map[uint]string, error) {
	seen := map[uint]bool{}
	var ids []uint
	for _, row := range tl.Rows {
		for _, b := range row.Bookings {
			if !seen[b.PersonID] {
				seen[b.PersonID] = true
				ids = append(ids, b.PersonID)
			}
		}
	}
	out := make(map[uint]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var ps []people.Person
	if err := s.db.R.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.ID] = p.Name
	}
	return out, nil
}

// activeBetween selects the active bookings of the resources that overlap
// [from, to). resource_id IN (…) AND block_end > from is a range scan of the
// (resource_id, block_end) index per resource, so past bookings are never read
// however many there are; start_at < to only filters what is left.
func activeBetween(q *gorm.DB, ids []uint, from, to time.Time) *gorm.DB {
	return q.Where("resource_id IN ? AND block_end > ? AND start_at < ? AND status IN ?", ids, from, to, activeStatuses).
		Order("resource_id, start_at")
}
