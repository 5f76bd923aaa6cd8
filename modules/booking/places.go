package booking

import (
	"context"
	"strings"

	"kapu/modules/platform/places"
)

// Rooms are the active bookable rooms as the kernel's places name them, for
// modules that ask "where" (the helpdesk's report form). The location
// "Főépület, I. emelet" is read as building, then floor.
func (s *Service) Rooms(ctx context.Context) ([]places.Room, error) {
	var rs []Resource
	err := s.db.R.WithContext(ctx).Where("kind = ? AND active = ?", KindRoom, true).
		Order(s.db.ByName("name") + ", id").Find(&rs).Error
	if err != nil {
		return nil, err
	}
	out := make([]places.Room, len(rs))
	for i, r := range rs {
		building, floor, _ := strings.Cut(r.Location, ",")
		out[i] = places.Room{ID: r.ID, Name: r.Name, Building: strings.TrimSpace(building), Floor: strings.TrimSpace(floor)}
	}
	return out, nil
}

var _ places.Rooms = (*Service)(nil)
