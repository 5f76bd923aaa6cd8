package kapu

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/booking"
	"kapu/modules/leave"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// demoMovedDays are sample bridge-day swaps an admin would copy from the
// government's yearly decree: a Friday off, paid back by a Saturday worked.
var demoMovedDays = []struct {
	date calendar.Date
	kind string
	note string
}{
	{calendar.NewDate(2026, time.January, 2), calendar.KindHoliday, "Pihenőnap (áthelyezett munkanap: január 10.)"},
	{calendar.NewDate(2026, time.January, 10), calendar.KindWorkday, "Áthelyezett munkanap (január 2. helyett)"},
	{calendar.NewDate(2026, time.August, 21), calendar.KindHoliday, "Pihenőnap (áthelyezett munkanap: augusztus 8.)"},
	{calendar.NewDate(2026, time.August, 8), calendar.KindWorkday, "Áthelyezett munkanap (augusztus 21. helyett)"},
}

func (a *App) seedDemoCalendar(ctx context.Context) error {
	return a.DB.Tx(ctx, func(tx *gorm.DB) error {
		for _, d := range demoMovedDays {
			if _, err := a.Calendar.SetOverride(ctx, tx, d.date, d.kind, d.note); err != nil {
				return err
			}
		}
		return nil
	})
}

// seedDemoLeave gives everyone allowances for last, this and next year and a
// believable history: leave taken, leave booked ahead, a few sick days, and
// requests waiting for the managers (the demo `manager` has several).
func (a *App) seedDemoLeave(ctx context.Context) error {
	today := calendar.Today(a.Cfg.TZ)
	hr, err := a.People.ByUsername(ctx, "hr")
	if err != nil {
		return err
	}
	types, err := a.Leave.Types(ctx, true)
	if err != nil {
		return err
	}
	code := map[string]uint{}
	for _, t := range types {
		code[t.Code] = t.ID
	}
	var staff []people.Person
	if err := a.DB.R.WithContext(ctx).Preload("Roles").Where("active = ?", true).Order("id").Find(&staff).Error; err != nil {
		return err
	}
	hrActor := hr.Actor()
	for i, p := range staff {
		base := 2 * (20 + i%6) // 20–25 days
		for _, y := range []int{today.Year - 1, today.Year, today.Year + 1} {
			if err := a.Leave.SetAllocation(ctx, hrActor, p.ID, y, base, "demo"); err != nil {
				return err
			}
		}
		// Last year: two weeks in summer, then what was left carried over.
		a.demoLeave(ctx, hrActor, p.ID, code["annual"], monday(today.Year-1, time.July, 1+i%4))
		if _, err := a.Leave.CarryOver(ctx, actor.System(), p.ID, today.Year-1); err != nil {
			return err
		}
		// This year: a summer week taken, a few sick days for some.
		a.demoLeave(ctx, hrActor, p.ID, code["annual"], monday(today.Year, time.August, 1+i%4))
		if i%5 == 0 {
			start := monday(today.Year, time.March, 1+i%3)
			a.Leave.Submit(ctx, hrActor, p.ID, leave.RequestInput{TypeID: code["sick"], Start: start.AddDays(1), End: start.AddDays(3)})
		}
		// This week: a few people are away right now (never an approver, so the
		// demo's approvals stay with the managers rather than their deputies).
		if i%7 == 3 && !p.Actor().Has(actor.Manager) {
			a.demoLeave(ctx, hrActor, p.ID, code["annual"], nextMonday(today).AddDays(-7))
		}
		// Ahead: approved leave for some, and requests waiting for the manager for others.
		ahead := nextMonday(today).AddDays(7 * (i % 5))
		if i%2 == 0 {
			a.demoLeave(ctx, hrActor, p.ID, code["annual"], ahead)
		} else {
			a.Leave.Submit(ctx, p.Actor(), p.ID, leave.RequestInput{TypeID: code["annual"], Start: ahead.AddDays(1), End: ahead.AddDays(3), Comment: "demo"})
		}
	}
	return nil
}

// demoLeave records a working week from monday as approved leave; a week the
// calendar or the balance does not allow is simply left out of the demo.
func (a *App) demoLeave(ctx context.Context, hr actor.Actor, personID, typeID uint, monday calendar.Date) {
	_, _ = a.Leave.Submit(ctx, hr, personID, leave.RequestInput{TypeID: typeID, Start: monday, End: monday.AddDays(4)})
}

// monday returns the Monday of the week-th week of a month.
func monday(year int, month time.Month, week int) calendar.Date {
	d := calendar.NewDate(year, month, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d.AddDays(7 * (week - 1))
}

func nextMonday(d calendar.Date) calendar.Date {
	d = d.AddDays(1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}

// demoRooms are the city hall's meeting rooms and the council chamber.
var demoRooms = []booking.Resource{
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
func (a *App) seedDemoRooms(ctx context.Context, withBookings bool) error {
	return a.DB.Tx(ctx, func(tx *gorm.DB) error {
		rooms := make([]booking.Resource, len(demoRooms))
		for i, r := range demoRooms {
			r.Kind, r.OpenFrom, r.OpenTo, r.Unit, r.Quantity, r.Active = booking.KindRoom, 8*60, 18*60, booking.UnitFacilities, 1, true
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
		today := calendar.Today(a.Cfg.TZ)
		monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
		for i := range 2 * len(demoRoomBookings) { // this week and the next
			d := demoRoomBookings[i%len(demoRoomBookings)]
			p, err := a.People.ByUsername(ctx, d.user)
			if err != nil {
				return err
			}
			day := monday.AddDays(d.weekday + 7*(i/len(demoRoomBookings)))
			start := time.Date(day.Year, day.Month, day.Day, d.from/60, d.from%60, 0, 0, a.Cfg.TZ).UTC()
			end := time.Date(day.Year, day.Month, day.Day, d.to/60, d.to%60, 0, 0, a.Cfg.TZ).UTC()
			b := booking.Booking{ResourceID: rooms[d.room].ID, PersonID: p.ID, Title: d.title, StartAt: start, EndAt: end,
				BlockEnd: end, Quantity: 1, Status: booking.StatusConfirmed, Attendees: 2, CreatedBy: p.ID}
			if err := tx.Create(&b).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// demoCars are the city hall's pool cars, all at the town hall's car park.
var demoCars = []booking.Resource{
	{Name: "Skoda Octavia", CarModel: "Skoda Octavia Combi 1.5 TSI", Plate: "ABC-123", Seats: 5, Fuel: "benzin", Odometer: 48210},
	{Name: "Suzuki Vitara", CarModel: "Suzuki Vitara 1.4 Hybrid", Plate: "KPU-204", Seats: 5, Fuel: "hibrid", Odometer: 31575},
	{Name: "Dacia Jogger", CarModel: "Dacia Jogger 1.0 TCe", Plate: "HVL-317", Seats: 7, Fuel: "benzin", Odometer: 12940},
	{Name: "Ford Transit Custom", CarModel: "Ford Transit Custom 2.0 EcoBlue", Plate: "MUS-482", Seats: 2, Fuel: "dízel", Odometer: 96300},
	{Name: "Opel Vivaro kisbusz", CarModel: "Opel Vivaro Combi 2.0", Plate: "BUS-509", Seats: 9, Fuel: "dízel", Odometer: 74855},
}

// seedDemoCars adds the pool cars, bookable round the clock and handled by
// fleet, and the equipment rooms are booked with.
func (a *App) seedDemoCars(ctx context.Context) error {
	return a.DB.Tx(ctx, func(tx *gorm.DB) error {
		for _, c := range demoCars {
			c.Kind, c.Unit, c.Quantity, c.Active = booking.KindCar, booking.UnitFleet, 1, true
			c.Location = "Városháza, udvari parkoló"
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
		}
		for _, e := range demoEquipment {
			e.Kind, e.Active = booking.KindEquipment, true
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
var demoEquipment = []booking.Resource{
	{Name: "Projektor", Location: "Gondnokság, földszint", Unit: booking.UnitFacilities, Quantity: 3},
	{Name: "Videokonferencia-készlet 1", Location: "Informatika, II. emelet", Unit: booking.UnitIT, Quantity: 1},
	{Name: "Videokonferencia-készlet 2", Location: "Informatika, II. emelet", Unit: booking.UnitIT, Quantity: 1},
	{Name: "Flipchart", Location: "Gondnokság, földszint", Unit: booking.UnitFacilities, Quantity: 6},
	{Name: "Hangosítás (hangfalszett)", Location: "Gondnokság, földszint", Unit: booking.UnitFacilities, Quantity: 4},
}
