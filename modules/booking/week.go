package booking

import (
	"context"
	"slices"
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

// dayWindow is the part of local day d in which r can be booked: its hours,
// or the whole day for a round-the-clock resource.
func dayWindow(r *Resource, d calendar.Date, tz *time.Location) (time.Time, time.Time) {
	return localAt(d, r.OpenFrom, tz), localAt(d, r.openTo(), tz)
}

// freeRange is a stretch of time in which Free items of a resource are not
// booked (Free is 1 for anything but a counted pool).
type freeRange struct {
	From, To time.Time
	Free     int
}

// minFree is the shortest free range worth offering: less cannot be booked
// usefully, and rounding now up leaves such crumbs.
const minFree = 5 * time.Minute

// freeRanges is when r has something left to book in [from, to), not before
// now (rounded up as the booking links are): a sweep over the bookings'
// starts and block ends, which are the only moments the free count changes.
// bookings are r's active bookings, in any order.
func freeRanges(r *Resource, bookings []Booking, from, to, now time.Time) []freeRange {
	if from.Before(now) {
		from = freeStart(from, now)
	}
	if !to.After(from) {
		return nil
	}
	cuts := []time.Time{from, to}
	for _, b := range bookings {
		for _, t := range []time.Time{b.StartAt, b.BlockEnd} {
			if t.After(from) && t.Before(to) {
				cuts = append(cuts, t)
			}
		}
	}
	slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
	cuts = slices.CompactFunc(cuts, func(a, b time.Time) bool { return a.Equal(b) })
	var out []freeRange
	for i := 0; i+1 < len(cuts); i++ {
		a, z := cuts[i], cuts[i+1]
		free := r.Quantity
		for _, b := range bookings {
			if b.StartAt.Before(z) && b.BlockEnd.After(a) {
				free -= b.Quantity
			}
		}
		if free <= 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].To.Equal(a) && out[n-1].Free == free {
			out[n-1].To = z
			continue
		}
		out = append(out, freeRange{From: a, To: z, Free: free})
	}
	return slices.DeleteFunc(out, func(f freeRange) bool { return f.To.Sub(f.From) < minFree })
}

// placed is a booking on a day band's columns [From, To); More are bookings
// too short to get a column of their own after it, named in its tooltip.
type placed struct {
	Booking  *Booking
	From, To int
	More     []*Booking
}

// placeBookings lays the bookings of one item (never a pool: they do not
// overlap) on the columns cut at bounds, where column i is [bounds[i],
// bounds[i+1]). A booking covers every column it touches, at least one, and
// starts where the one before it ends, so each gets its own block however
// the times are rounded. bookings must be in start order.
func placeBookings(bookings []Booking, bounds []time.Time) []placed {
	n := len(bounds) - 1
	if n <= 0 {
		return nil
	}
	var out []placed
	next := 0 // the first column still free
	for i := range bookings {
		b := &bookings[i]
		if !b.StartAt.Before(bounds[n]) || !b.BlockEnd.After(bounds[0]) {
			continue
		}
		from := 0
		for from < n && !bounds[from+1].After(b.StartAt) {
			from++
		}
		to := from
		for to < n && bounds[to].Before(b.BlockEnd) {
			to++
		}
		from = max(from, next)
		if from >= n {
			if len(out) > 0 {
				out[len(out)-1].More = append(out[len(out)-1].More, b)
			}
			continue
		}
		to = max(to, from+1)
		out = append(out, placed{Booking: b, From: from, To: to})
		next = to
	}
	return out
}
