package booking

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// todayCard is the start page's list of my bookings and trips today.
func (m *Module) todayCard(c *fiber.Ctx) (*web.Card, error) {
	s := m.svc
	today := calendar.Today(s.tz)
	start, err := calendar.At(today, 0, 0, s.tz)
	if err != nil {
		return nil, err
	}
	end, err := calendar.At(today.AddDays(1), 0, 0, s.tz)
	if err != nil {
		return nil, err
	}
	rows, err := s.Mine(c.UserContext(), web.ViewerOf(c).ID, start)
	if err != nil {
		return nil, err
	}
	card := &web.Card{Order: 10, Title: web.T(c, "booking.card.title"), Link: "/bookings/mine",
		LinkText: web.T(c, "booking.card.all"), Empty: web.T(c, "booking.card.empty")}
	for _, r := range rows {
		b := r.Booking
		if !b.StartAt.Before(end) {
			break // Mine is in start order
		}
		if !b.Active() {
			continue
		}
		item := web.CardItem{
			When: clock(b.StartAt, s.tz) + "–" + endClock(b.StartAt, b.EndAt, s.tz),
			Text: r.Resource.Name, Detail: b.Title, Link: "/bookings/mine",
			Badge: web.T(c, "booking.status."+b.Status), BadgeClass: statusClass(b.Status),
		}
		if r.Resource.Kind == KindCar {
			item.Detail = b.Destination
		}
		card.Items = append(card.Items, item)
	}
	return card, nil
}
