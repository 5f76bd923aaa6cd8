package appointments

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// deskCard is the start page's front desk card for staff: today's figures
// per office and the next appointments; nil for anyone else.
func (m *Module) deskCard(c *fiber.Ctx) (*web.Card, error) {
	a := web.ActorOf(c)
	if !isStaff(a) {
		return nil, nil
	}
	s := m.svc
	today, err := s.TodayAtDesk(c.UserContext(), a, 5)
	if err != nil || today == nil {
		return nil, err
	}
	var notes []string
	for _, o := range today.Offices {
		notes = append(notes, web.T(c, "appointments.desk.card.office", "Office", o.Office.Name,
			"Booked", web.Num(c, o.Booked), "Waiting", web.Num(c, o.Waiting)))
	}
	card := &web.Card{Order: 15, Title: web.T(c, "appointments.desk.card.title"), Note: strings.Join(notes, " · "),
		Link: "/desk", LinkText: web.T(c, "appointments.desk.card.all"), Empty: web.T(c, "appointments.desk.card.empty")}
	for _, it := range today.Next {
		ap := it.Appointment
		text := ap.Code
		if ap.Name != "" {
			text += " · " + ap.Name
		}
		card.Items = append(card.Items, web.CardItem{When: deskClock(ap.StartAt, s.tz), Text: text, Detail: it.Type.Name(web.LangOf(c)),
			Link: "/desk/a/" + web.FormatID(ap.ID), Badge: web.T(c, "appointments.desk.status."+ap.Status), BadgeClass: deskBadge(ap.Status)})
	}
	return card, nil
}
