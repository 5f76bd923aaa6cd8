package booking

import (
	"context"
	"sort"
	"strings"
	"time"

	"kapu/modules/platform/calendar"
)

// findSuggestions is how many nearest free times an empty search offers.
const findSuggestions = 3

// FindInput is "find me a room": a time, the seats needed, built-in features
// (free text, every word must appear) and equipment from the pools.
type FindInput struct {
	Start, End time.Time
	Seats      int
	Features   string
	Equipment  []EquipmentLine
}

// FindResult is the rooms free for the whole time with the seats, the
// features and the equipment; when there are none, the nearest free times of
// the rooms that would fit otherwise, and the equipment that is short.
type FindResult struct {
	Rooms       []Resource
	Suggestions []FreeRoom
	Short       []string // equipment that is not free then, by name
}

// FreeRoom is a suggested start time for a room.
type FreeRoom struct {
	Room  Resource
	Start time.Time
}

// equipmentTries is how many of a room's free times a search checks for its
// equipment before it gives up on suggesting that room.
const equipmentTries = 8

// FindRooms answers "find me a room". It reads the rooms, their bookings and
// the equipment's bookings in one query each, whatever the number of rooms;
// only when nothing fits does it ask each fitting room for its next free time.
func (s *Service) FindRooms(ctx context.Context, in FindInput) (*FindResult, error) {
	norm, err := s.normalise(BookingInput{Start: in.Start, End: in.End})
	if err != nil {
		return nil, err
	}
	start, end := utc(norm.Start), utc(norm.End)
	q := s.db.R.WithContext(ctx)
	out := &FindResult{}

	short, _, err := s.equipmentShort(ctx, in.Equipment, start, end)
	if err != nil {
		return nil, err
	}
	out.Short = short

	var rooms []Resource
	if err := q.Where("kind = ? AND active = ? AND seats >= ?", KindRoom, true, in.Seats).Order("name, id").Find(&rooms).Error; err != nil {
		return nil, err
	}
	words := strings.FieldsFunc(strings.ToLower(in.Features), func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
	fitting := rooms[:0]
	for _, r := range rooms {
		if hasAll(strings.ToLower(r.Features), words) {
			fitting = append(fitting, r)
		}
	}
	if len(fitting) == 0 {
		return out, nil
	}
	if len(short) == 0 {
		if out.Rooms, err = s.freeFor(ctx, fitting, start, end); err != nil {
			return nil, err
		}
	}
	if len(out.Rooms) > 0 {
		return out, nil
	}
	// Nothing fits: the nearest time each fitting room is free for as long,
	// with the equipment free then too.
	d := end.Sub(start)
	for _, r := range fitting {
		from := start
		for range equipmentTries {
			free, err := s.NextFree(ctx, r.ID, from, d, 1)
			if err != nil {
				return nil, err
			}
			if len(free) == 0 {
				break
			}
			missing, back, err := s.equipmentShort(ctx, in.Equipment, free[0], free[0].Add(d))
			if err != nil {
				return nil, err
			}
			if len(missing) == 0 {
				out.Suggestions = append(out.Suggestions, FreeRoom{Room: r, Start: free[0]})
				break
			}
			from = back // the room again, from when some of the equipment is back
		}
	}
	sort.SliceStable(out.Suggestions, func(i, j int) bool { return out.Suggestions[i].Start.Before(out.Suggestions[j].Start) })
	if len(out.Suggestions) > findSuggestions {
		out.Suggestions = out.Suggestions[:findSuggestions]
	}
	return out, nil
}

// freeFor keeps the rooms that may be booked for [start, end): within their
// hours, open that day and free, their buffer included. It reads the rooms'
// bookings in one query, however many rooms there are.
func (s *Service) freeFor(ctx context.Context, rooms []Resource, start, end time.Time) ([]Resource, error) {
	if len(rooms) == 0 {
		return nil, nil
	}
	day := calendar.DateOf(start, s.tz)
	days, err := s.daysOff(ctx, day, day)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(rooms))
	maxBuffer := 0
	for i, r := range rooms {
		ids[i] = r.ID
		maxBuffer = max(maxBuffer, r.BufferMinutes)
	}
	var bs []Booking
	if err := s.db.R.WithContext(ctx).Select("resource_id", "start_at", "block_end").
		Where("resource_id IN ? AND block_end > ? AND start_at < ? AND status IN ?",
			ids, start, end.Add(time.Duration(maxBuffer)*time.Minute), activeStatuses).
		Find(&bs).Error; err != nil {
		return nil, err
	}
	var out []Resource
	for i := range rooms {
		r := &rooms[i]
		if s.withinHours(r, start, end) && closedReason(r, days, day) == "" && isFree(r, bs, start, end) {
			out = append(out, *r)
		}
	}
	return out, nil
}

// isFree reports whether none of bs (bookings of any resources) keeps r
// from being booked for [start, end) and its buffer after.
func isFree(r *Resource, bs []Booking, start, end time.Time) bool {
	blockEnd := end.Add(time.Duration(r.BufferMinutes) * time.Minute)
	for _, b := range bs {
		if b.ResourceID == r.ID && b.BlockEnd.After(start) && b.StartAt.Before(blockEnd) {
			return false
		}
	}
	return true
}

// otherRooms is how many other free rooms an "already booked" answer offers.
const otherRooms = 5

// OtherFreeRooms lists the other active resources of the booked one's kind
// (the other rooms) that are free for the whole of in's time, with the seats
// for its attendees: what an "already booked" answer offers instead. The
// smallest rooms that fit come first, as they are the likeliest choice.
func (s *Service) OtherFreeRooms(ctx context.Context, in BookingInput) ([]Resource, error) {
	start, end := utc(in.Start), utc(in.End)
	var rooms []Resource
	err := s.db.R.WithContext(ctx).
		Where("kind = (SELECT kind FROM booking_resources WHERE id = ?) AND id <> ? AND active = ? AND (seats >= ? OR seats = 0)",
			in.ResourceID, in.ResourceID, true, in.Attendees).
		Order("seats, name, id").Find(&rooms).Error
	if err != nil {
		return nil, err
	}
	free, err := s.freeFor(ctx, rooms, start, end)
	if len(free) > otherRooms {
		free = free[:otherRooms]
	}
	return free, err
}

// Slot is a time a new booking form offers, and the room it is free in.
type Slot struct {
	RoomID     uint
	Start, End time.Time
}

// slotStep is the grid of the booking form's default start times.
const slotStep = 30

// DefaultSlot is what a new room booking form offers: the first half hour
// from now (and not before day) at which a booking of d lies within a room's
// bookable hours on a day the room is open, and the room is free for it,
// its buffer included. When today's hours are over that is the next open
// day's first bookable half hour. With roomID 0 any active room will do
// (the first free one, by name); otherwise only that room. ok is false when
// there is no room or nothing is free in the next two weeks.
func (s *Service) DefaultSlot(ctx context.Context, roomID uint, day calendar.Date, d time.Duration) (Slot, bool, error) {
	q := s.db.R.WithContext(ctx).Where("kind = ? AND active = ?", KindRoom, true)
	if roomID != 0 {
		q = q.Where("id = ?", roomID)
	}
	var rooms []Resource
	if err := q.Order("name, id").Find(&rooms).Error; err != nil || len(rooms) == 0 || d <= 0 {
		return Slot{}, false, err
	}
	now := s.now()
	first := calendar.DateOf(now, s.tz)
	if day.After(first) {
		first = day
	}
	last := first.AddDays(int(nextFreeHorizon / (24 * time.Hour)))
	days, err := s.daysOff(ctx, first, last)
	if err != nil {
		return Slot{}, false, err
	}
	ids := make([]uint, len(rooms))
	opens, closes, maxBuffer := 24*60, 0, 0
	for i, r := range rooms {
		ids[i] = r.ID
		opens, closes = min(opens, r.OpenFrom), max(closes, r.openTo())
		maxBuffer = max(maxBuffer, r.BufferMinutes)
	}
	opens = (opens + slotStep - 1) / slotStep * slotStep // the first half hour on the grid
	for x := first; !x.After(last); x = x.AddDays(1) {
		var open []*Resource
		for i := range rooms {
			if closedReason(&rooms[i], days, x) == "" {
				open = append(open, &rooms[i])
			}
		}
		if len(open) == 0 {
			continue
		}
		// One day's bookings at a time: the answer is nearly always today's
		// or the next open day's.
		dayStart := time.Date(x.Year, x.Month, x.Day, 0, 0, 0, 0, s.tz)
		dayEnd := time.Date(x.Year, x.Month, x.Day+1, 0, 0, 0, 0, s.tz)
		var bs []Booking
		if err := s.db.R.WithContext(ctx).Select("resource_id", "start_at", "block_end").
			Where("resource_id IN ? AND block_end > ? AND start_at < ? AND status IN ?",
				ids, utc(dayStart), utc(dayEnd.Add(d+time.Duration(maxBuffer)*time.Minute)), activeStatuses).
			Find(&bs).Error; err != nil {
			return Slot{}, false, err
		}
		for m := opens; m < closes && m < 24*60; m += slotStep {
			start, err := calendar.At(x, m/60, m%60, s.tz)
			if err != nil || start.Before(now) { // a skipped hour, or gone
				continue
			}
			end := start.Add(d)
			for _, r := range open {
				if s.withinHours(r, start, end) && isFree(r, bs, start, end) {
					return Slot{RoomID: r.ID, Start: utc(start), End: utc(end)}, true, nil
				}
			}
		}
	}
	return Slot{}, false, nil
}

// hasAll reports whether every word occurs in text.
func hasAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// equipmentShort names the wanted equipment that is not free for [start, end),
// and says when the first booking of it that is in the way ends.
func (s *Service) equipmentShort(ctx context.Context, want []EquipmentLine, start, end time.Time) ([]string, time.Time, error) {
	var back time.Time
	if len(want) == 0 {
		return nil, back, nil
	}
	q := s.db.R.WithContext(ctx)
	ids := make([]uint, len(want))
	for i, e := range want {
		ids[i] = e.ResourceID
	}
	var rs []Resource
	if err := q.Where("id IN ? AND kind = ? AND active = ?", ids, KindEquipment, true).Find(&rs).Error; err != nil {
		return nil, back, err
	}
	byID := make(map[uint]*Resource, len(rs))
	for i := range rs {
		byID[rs[i].ID] = &rs[i]
	}
	var bs []Booking
	if err := q.Select("resource_id", "start_at", "block_end", "quantity").
		Where("resource_id IN ? AND block_end > ? AND start_at < ? AND status IN ?", ids, start, end, activeStatuses).
		Find(&bs).Error; err != nil {
		return nil, back, err
	}
	var out []string
	for _, e := range want {
		r := byID[e.ResourceID]
		if r == nil {
			return nil, back, ErrUnknownResource
		}
		var rows []Booking
		for _, b := range bs {
			if b.ResourceID == r.ID {
				rows = append(rows, b)
			}
		}
		blockEnd := end.Add(time.Duration(r.BufferMinutes) * time.Minute)
		if maxUsed(rows, start, blockEnd)+max(e.Quantity, 1) > max(r.Quantity, 1) {
			out = append(out, r.Name)
			for _, b := range rows {
				if back.IsZero() || b.BlockEnd.Before(back) {
					back = b.BlockEnd
				}
			}
		}
	}
	return out, back, nil
}
