package training

import "context"

// showRoomNames writes the Kapu room's name into the place of each of n
// sessions held in a room: such a session stores no place text (the room
// is its place), yet the catalogue, the request form and the enrolment
// pages print the place. room(i) gives the i-th session's room id and its
// place to fill; the rooms are read only when some session has one.
func (s *Service) showRoomNames(ctx context.Context, n int, room func(i int) (*uint, *string)) error {
	var rooms map[uint]string
	for i := range n {
		id, place := room(i)
		if id == nil || *place != "" || s.Rooms == nil {
			continue
		}
		if rooms == nil {
			var err error
			if rooms, err = s.roomNames(ctx); err != nil {
				return err
			}
		}
		*place = rooms[*id]
	}
	return nil
}

// showOfferRooms names the rooms of an offer's sessions.
func (s *Service) showOfferRooms(ctx context.Context, sessions []SessionOffer) error {
	return s.showRoomNames(ctx, len(sessions), func(i int) (*uint, *string) {
		return sessions[i].RoomID, &sessions[i].Place
	})
}
