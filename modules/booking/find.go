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
	day := calendar.DateOf(start, s.tz)
	days, err := s.daysOff(ctx, day, day)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(fitting))
	maxBuffer := 0
	for i, r := range fitting {
		ids[i] = r.ID
		maxBuffer = max(maxBuffer, r.BufferMinutes)
	}
	var bs []Booking
	if err := q.Select("resource_id", "start_at", "block_end").
		Where("resource_id IN ? AND block_end > ? AND start_at < ? AND status IN ?",
			ids, start, end.Add(time.Duration(maxBuffer)*time.Minute), activeStatuses).
		Find(&bs).Error; err != nil {
		return nil, err
	}
	if len(short) == 0 {
		for i := range fitting {
			r := &fitting[i]
			if !s.withinHours(r, start, end) || closedReason(r, days, day) != "" {
				continue
			}
			blockEnd := end.Add(time.Duration(r.BufferMinutes) * time.Minute)
			free := true
			for _, b := range bs {
				if b.ResourceID == r.ID && b.BlockEnd.After(start) && b.StartAt.Before(blockEnd) {
					free = false
					break
				}
			}
			if free {
				out.Rooms = append(out.Rooms, *r)
			}
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
