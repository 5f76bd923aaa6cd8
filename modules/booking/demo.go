package booking

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/demo"
)

// Demo adds the city hall's rooms (with their drawn photos), pool cars and
// equipment; with the demo's history also bookings of this week and the
// next, the past weeks' bookings and car trips, and the coming days' car
// trips, one of them waiting for its approvals. It needs the demo people
// and calendar.
func (m *Module) Demo(ctx context.Context, o demo.Options) error {
	s := m.svc
	if err := s.seedDemoRooms(ctx, o.History); err != nil {
		return fmt.Errorf("rooms: %w", err)
	}
	if err := s.seedDemoCars(ctx); err != nil {
		return fmt.Errorf("cars: %w", err)
	}
	if !o.History {
		return nil
	}
	if err := s.seedDemoBookingHistory(ctx); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if err := s.seedDemoCarTrips(ctx); err != nil {
		return fmt.Errorf("car trips: %w", err)
	}
	return nil
}

// demoRooms are the city hall's meeting rooms and the council chamber.
var demoRooms = []Resource{
	{Name: "Díszterem (képviselő-testületi ülésterem)", Location: "Főépület, I. emelet", Seats: 60, Features: "projektor, hangosítás, szavazórendszer"},
	{Name: "Kis tárgyaló", Location: "Főépület, földszint", Seats: 6, Features: "képernyő", CheckIn: true},
	{Name: "Nagy tárgyaló", Location: "Főépület, II. emelet", Seats: 20, Features: "projektor, videokonferencia"},
	{Name: "Polgármesteri tárgyaló", Location: "Főépület, I. emelet", Seats: 12, Features: "képernyő", NeedsApproval: true},
	{Name: "Ügyfélszolgálati tárgyaló", Location: "Ügyfélszolgálati épület, földszint", Seats: 8, Features: "flipchart", CheckIn: true},
}

// demoRoomBookings are a few bookings of this week: room index, weekday
// (0 = Monday), from and to (minutes after midnight), title, demo account.
var demoRoomBookings = []struct {
	room, weekday, from, to int
	title, user             string
}{
	{1, 0, 9 * 60, 10 * 60, "Heti vezetői értekezlet", "manager"},
	{2, 1, 10 * 60, 12 * 60, "Költségvetési egyeztetés", "admin"},
	{0, 2, 14 * 60, 17 * 60, "Képviselő-testületi ülés", "admin"},
	{3, 3, 8*60 + 30, 9*60 + 30, "Lakossági fogadóóra előkészítése", "manager"},
	{4, 3, 13 * 60, 14 * 60, "Ügyfélszolgálati csapatmegbeszélés", "employee"},
	{1, 4, 11 * 60, 11*60 + 30, "Új kolléga bemutatása", "hr"},
	{2, 4, 9 * 60, 10 * 60, "Beszerzési bizottság", "manager"},
}

// seedDemoRooms adds the rooms, bookable 08:00–18:00, and with the whole demo
// a few bookings this week and the next so the timeline looks alive. The demo's bookings
// are written directly, because some of them are already past.
func (s *Service) seedDemoRooms(ctx context.Context, withBookings bool) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		rooms := make([]Resource, len(demoRooms))
		for i, r := range demoRooms {
			r.Kind, r.OpenFrom, r.OpenTo, r.Unit, r.Quantity, r.Active = KindRoom, 8*60, 18*60, UnitFacilities, 1, true
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
			if err := seedRoomPhoto(tx, &r, i); err != nil {
				return err
			}
			rooms[i] = r
		}
		if !withBookings {
			return nil
		}
		today := calendar.Today(s.tz)
		monday := mondayOf(today)
		for i := range 2 * len(demoRoomBookings) { // this week and the next
			d := demoRoomBookings[i%len(demoRoomBookings)]
			p, err := s.people.ByUsername(ctx, d.user)
			if err != nil {
				return err
			}
			day := monday.AddDays(d.weekday + 7*(i/len(demoRoomBookings)))
			start, end := localAt(day, d.from, s.tz), localAt(day, d.to, s.tz)
			b := Booking{ResourceID: rooms[d.room].ID, PersonID: p.ID, Title: d.title, StartAt: start, EndAt: end,
				BlockEnd: end, Quantity: 1, Status: StatusConfirmed, Attendees: 2, CreatedBy: p.ID}
			if err := tx.Create(&b).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// demoCars are the city hall's pool cars, all at the town hall's car park.
var demoCars = []Resource{
	{Name: "Skoda Octavia", CarModel: "Skoda Octavia Combi 1.5 TSI", Plate: "ABC-123", Seats: 5, Fuel: "benzin", Odometer: 48210},
	{Name: "Suzuki Vitara", CarModel: "Suzuki Vitara 1.4 Hybrid", Plate: "KPU-204", Seats: 5, Fuel: "hibrid", Odometer: 31575},
	{Name: "Dacia Jogger", CarModel: "Dacia Jogger 1.0 TCe", Plate: "HVL-317", Seats: 7, Fuel: "benzin", Odometer: 12940},
	{Name: "Ford Transit Custom", CarModel: "Ford Transit Custom 2.0 EcoBlue", Plate: "MUS-482", Seats: 2, Fuel: "dízel", Odometer: 96300},
	{Name: "Opel Vivaro kisbusz", CarModel: "Opel Vivaro Combi 2.0", Plate: "BUS-509", Seats: 9, Fuel: "dízel", Odometer: 74855},
}

// seedDemoCars adds the pool cars, bookable round the clock and handled by
// fleet, and the equipment rooms are booked with.
func (s *Service) seedDemoCars(ctx context.Context) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, c := range demoCars {
			c.Kind, c.Unit, c.Quantity, c.Active = KindCar, UnitFleet, 1, true
			c.Location = "Városháza, udvari parkoló"
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
		}
		for _, e := range demoEquipment {
			e.Kind, e.Active = KindEquipment, true
			if err := tx.Create(&e).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// demoEquipment is what rooms can be booked with: pools where the items are
// interchangeable, single items where each one is set up on its own. Seeded
// with the cars so every demo, small or whole, has it.
var demoEquipment = []Resource{
	{Name: "Projektor", Location: "Gondnokság, földszint", Unit: UnitFacilities, Quantity: 3},
	{Name: "Videokonferencia-készlet 1", Location: "Informatika, II. emelet", Unit: UnitIT, Quantity: 1},
	{Name: "Videokonferencia-készlet 2", Location: "Informatika, II. emelet", Unit: UnitIT, Quantity: 1},
	{Name: "Flipchart", Location: "Gondnokság, földszint", Unit: UnitFacilities, Quantity: 6},
	{Name: "Hangosítás (hangfalszett)", Location: "Gondnokság, földszint", Unit: UnitFacilities, Quantity: 4},
}
