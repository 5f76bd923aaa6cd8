package booking

import (
	"context"
	"time"
)

// mineLimit bounds the "my bookings" list.
const mineLimit = 200

// MineRow is one of a person's bookings with its resource.
type MineRow struct {
	Booking  Booking
	Resource Resource
	Logged   bool // a car booking whose trip is already logged
}

// Mine returns the person's own bookings (not the equipment booked along with
// them) that end after since, earliest first.
func (s *Service) Mine(ctx context.Context, personID uint, since time.Time) ([]MineRow, error) {
	q := s.db.R.WithContext(ctx)
	var bs []Booking
	if err := q.Where("person_id = ? AND parent_id IS NULL AND end_at > ?", personID, utc(since)).
		Order("start_at, id").Limit(mineLimit).Find(&bs).Error; err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, nil
	}
	ids := make([]uint, 0, len(bs))
	for _, b := range bs {
		ids = append(ids, b.ResourceID)
	}
	var rs []Resource
	if err := q.Where("id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]Resource, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
	}
	bids := make([]uint, len(bs))
	for i, b := range bs {
		bids[i] = b.ID
	}
	var logged []uint
	if err := q.Model(&Trip{}).Where("booking_id IN ?", bids).Pluck("booking_id", &logged).Error; err != nil {
		return nil, err
	}
	done := make(map[uint]bool, len(logged))
	for _, id := range logged {
		done[id] = true
	}
	out := make([]MineRow, len(bs))
	for i, b := range bs {
		out[i] = MineRow{Booking: b, Resource: byID[b.ResourceID], Logged: done[b.ID]}
	}
	return out, nil
}
