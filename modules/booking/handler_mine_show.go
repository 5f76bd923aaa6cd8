package booking

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// mineSince is how far back "my bookings" shows bookings already over.
const mineSince = 7 * 24 * time.Hour

// MineItem is one of my bookings as the template shows it.
type MineItem struct {
	ID           uint
	Resource     string
	Start        time.Time
	To           string
	Title        string
	Status       string
	StatusClass  string
	Cancellable  bool
	TimelineWeek string
	Car          bool       // a car request: no room timeline; plate and destination shown
	HoldUntil    *time.Time // a held car request waits for approval until then
	CanLogTrip   bool       // a started, confirmed car booking whose trip is not logged yet
	Equipment    []string   // booked with the room, "2 × Projector"
	Series       bool       // an occurrence of a recurring booking
	Exception    bool       // an occurrence changed on its own
	Editable     bool       // still ahead or under way: /bookings/:id/edit
	Holder       string     // the service holding the room for its event: changed there, not here
	CanCheckIn   bool       // a check-in room whose check-in window is open now
	CheckInFrom  string     // a check-in room not yet open for check-in: from when (HH:MM)
	CheckedIn    string     // HH:MM of the check-in
	Private      bool       // others see only that the room is taken
}

// handleMineShow lists my bookings from last week on, with a cancel button on those still ahead.
func (m *Module) handleMineShow(c *fiber.Ctx) error {
	now := time.Now()
	rows, err := m.svc.Mine(c.UserContext(), web.ViewerOf(c).ID, now.Add(-mineSince))
	if err != nil {
		return err
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.Booking.ID
	}
	eq, err := m.svc.EquipmentOf(c.UserContext(), ids)
	if err != nil {
		return err
	}
	items := make([]MineItem, len(rows))
	for i, r := range rows {
		b := r.Booking
		items[i] = MineItem{
			ID: b.ID, Resource: r.Resource.Name, Start: b.StartAt, To: clock(b.EndAt, m.svc.tz), Title: b.Title,
			Status: b.Status, StatusClass: statusClass(b.Status), Cancellable: b.Active() && b.EndAt.After(now) && b.Holder == "",
			TimelineWeek: mondayOf(dateIn(b.StartAt, m.svc.tz)).String(), Equipment: eq[b.ID],
			Series: b.SeriesID != nil, Exception: b.SeriesException, Editable: b.Active() && b.EndAt.After(now) && b.Holder == "",
			Private: b.Private, Holder: b.Holder,
		}
		if r.Resource.CheckIn {
			it := &items[i]
			it.CanCheckIn = CanCheckIn(&b, &r.Resource, now)
			if b.CheckedInAt != nil {
				it.CheckedIn = clock(*b.CheckedInAt, m.svc.tz)
			}
			if b.Status == StatusConfirmed && b.CheckedInAt == nil && now.Before(CheckInOpens(b.StartAt)) {
				it.CheckInFrom = clock(CheckInOpens(b.StartAt), m.svc.tz)
			}
		}
		if r.Resource.Kind == KindCar {
			it := &items[i]
			it.Car, it.HoldUntil = true, b.HoldUntil
			it.Resource = r.Resource.Name + " (" + r.Resource.Plate + ")"
			it.Title = b.Destination
			it.To = i18n.FormatDateTime(web.LangOf(c), b.EndAt, m.svc.tz)
			it.CanLogTrip = b.Status == StatusConfirmed && !b.StartAt.After(now) && !r.Logged
		}
	}
	feed, err := m.feed.URL(c, web.ViewerOf(c).ID)
	if err != nil {
		return err
	}
	return web.Render(c, "booking/mine", web.Page{Title: "booking.mine_title", Data: fiber.Map{"Items": items, "FeedURL": feed}})
}

func statusClass(s string) string {
	switch s {
	case StatusConfirmed:
		return "badge-success"
	case StatusHold:
		return "badge-warning"
	}
	return "badge-muted"
}

func itoa(n uint) string { return web.FormatID(n) }
