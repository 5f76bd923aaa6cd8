package booking

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
)

// demoHistoryWeeks is how many past weeks of bookings the whole demo has, so
// the statistics page has something to show.
const demoHistoryWeeks = 10

// demoDrivers book the pool cars in the demo's history; they come from
// several departments so the km per department differ.
var demoDrivers = []string{"employee", "manager", "lakatos.bence", "varga.eszter", "nemeth.agnes", "fekete.noemi", "hr", "toth.balazs"}

// demoRejections are reasons approvers gave in the demo's history.
var demoRejections = []string{"Nincs rá keret ebben a hónapban.", "Az autó aznap szervizben lesz.", "Tömegközlekedéssel is megoldható.", "Nincs rá keret ebben a hónapban."}

// demoSlots are the meeting times rooms are booked at, local minutes.
var demoSlots = [][2]int{{9 * 60, 10 * 60}, {10*60 + 30, 12 * 60}, {13 * 60, 14 * 60}, {14*60 + 30, 16 * 60}}

// demoRand is a small fixed-seed generator, so every demo has the same history.
type demoRand uint32

func (r *demoRand) intn(n int) int {
	*r = *r*1664525 + 1013904223
	return int(uint32(*r)>>8) % n
}

// seedDemoBookingHistory writes the past weeks' room bookings (with a few
// no-shows in the room that asks for a check-in, and equipment), car trips
// with their logs, and some rejected and expired car requests. Rows are
// written directly because they are in the past.
func (s *Service) seedDemoBookingHistory(ctx context.Context) error {
	today := calendar.Today(s.tz)
	monday := mondayOf(today)
	first := monday.AddDays(-7 * demoHistoryWeeks)
	days, err := s.cal.Span(ctx, first, monday.AddDays(-1))
	if err != nil {
		return err
	}
	var drivers []uint
	for _, u := range demoDrivers {
		if p, err := s.people.ByUsername(ctx, u); err == nil {
			drivers = append(drivers, p.ID)
		}
	}
	if len(drivers) == 0 {
		return nil
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var rs []Resource
		if err := tx.Order("id").Find(&rs).Error; err != nil {
			return err
		}
		var rooms, cars []Resource
		eq := map[string]Resource{}
		for _, r := range rs {
			switch r.Kind {
			case KindRoom:
				rooms = append(rooms, r)
			case KindCar:
				cars = append(cars, r)
			case KindEquipment:
				eq[r.Name] = r
			}
		}
		rnd := demoRand(20260315)
		at := func(d calendar.Date, minute int) time.Time { return localAt(d, minute, s.tz) }
		insert := func(r Resource, who uint, title string, start, end time.Time, status string, qty int, parent *uint) (Booking, error) {
			b := Booking{ResourceID: r.ID, PersonID: who, Title: title, StartAt: start, EndAt: end,
				BlockEnd: end.Add(time.Duration(r.BufferMinutes) * time.Minute), Quantity: qty, Pooled: r.Pooled(),
				Status: status, ParentID: parent, CreatedBy: who, CreatedAt: start.Add(-72 * time.Hour), UpdatedAt: start.Add(-24 * time.Hour)}
			if status == StatusConfirmed && r.CheckIn {
				in := start.Add(time.Duration(rnd.intn(10)) * time.Minute)
				b.CheckedInAt = &in
			}
			return b, tx.Create(&b).Error
		}
		titles := []string{"Osztályértekezlet", "Ügyfélegyeztetés", "Projektmegbeszélés", "Beszerzési egyeztetés", "Képzés", "Vezetői értekezlet"}
		type trip struct {
			car      int
			b        Booking
			km, fuel int
		}
		var trips []trip
		for d := first; d.Before(monday); d = d.AddDays(1) {
			if !days.IsWorkday(d) {
				continue
			}
			for ri, room := range rooms {
				for _, sl := range demoSlots {
					if rnd.intn(100) >= 35+(10*ri)%30 {
						continue
					}
					who := drivers[rnd.intn(len(drivers))]
					status := StatusConfirmed
					switch {
					case room.CheckIn && rnd.intn(100) < 18:
						status = StatusNoShow
					case rnd.intn(100) < 8:
						status = StatusCancelled
					}
					b, err := insert(room, who, titles[rnd.intn(len(titles))], at(d, sl[0]), at(d, sl[1]), status, 1, nil)
					if err != nil {
						return err
					}
					// Projectors go with the council chamber and the large meeting room (at most 3 at once).
					if (ri == 0 || ri == 2) && rnd.intn(100) < 50 {
						if _, err := insert(eq["Projektor"], who, "", b.StartAt, b.EndAt, status, 1, &b.ID); err != nil {
							return err
						}
					}
					if ri == 4 && rnd.intn(100) < 40 {
						if _, err := insert(eq["Flipchart"], who, "", b.StartAt, b.EndAt, status, 1, &b.ID); err != nil {
							return err
						}
					}
				}
			}
			for ci, car := range cars {
				if rnd.intn(100) >= 45 {
					continue
				}
				who := drivers[rnd.intn(len(drivers))]
				from, to := 7*60+30+15*rnd.intn(8), 12*60+30*rnd.intn(12)
				start, end := at(d, from), at(d, to)
				switch n := rnd.intn(100); {
				case n < 7:
					b, err := insert(car, who, "", start, end, StatusRejected, 1, nil)
					if err != nil {
						return err
					}
					if err := tx.Model(&b).Update("reject_reason", demoRejections[rnd.intn(len(demoRejections))]).Error; err != nil {
						return err
					}
					continue
				case n < 10:
					if _, err := insert(car, who, "", start, end, StatusExpired, 1, nil); err != nil {
						return err
					}
					continue
				}
				b, err := insert(car, who, "", start, end, StatusConfirmed, 1, nil)
				if err != nil {
					return err
				}
				dest := []string{"Szeged, Kormányhivatal", "Gyula, Megyeháza", "Békéscsaba, Járási Hivatal", "Budapest, Belügyminisztérium", "Helyszíni szemle, Ipari park"}[rnd.intn(5)]
				if err := tx.Model(&b).Updates(map[string]any{"destination": dest, "purpose": "Hivatalos út"}).Error; err != nil {
					return err
				}
				trips = append(trips, trip{car: ci, b: b, km: 20 + rnd.intn(280), fuel: 10 * rnd.intn(4) * 10})
			}
		}
		// Trip logs climb to each car's odometer as it is now.
		left := make([]int, len(cars))
		for _, t := range trips {
			left[t.car] += t.km
		}
		reading := make([]int, len(cars))
		for i, c := range cars {
			reading[i] = max(c.Odometer-left[i], 0)
		}
		for _, t := range trips {
			start := reading[t.car]
			reading[t.car] += t.km
			row := Trip{BookingID: t.b.ID, OdometerStart: start, OdometerEnd: start + t.km, Km: t.km,
				FuelDecilitres: t.fuel, CreatedBy: t.b.PersonID, CreatedAt: t.b.EndAt.Add(time.Hour)}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// demoCarTrips are the coming days' car bookings: which car (by plate), on the
// how-manieth working day from tomorrow, hours, driver, destination; the last
// one is still waiting for its approvals.
var demoCarTrips = []struct {
	plate       string
	day         int
	from, to    int
	driver      string
	destination string
	purpose     string
}{
	{"ABC-123", 0, 8, 12, "manager", "Megyeháza", "Egyeztetés a megyei hivatallal"},
	{"KPU-204", 1, 9, 15, "fleet", "Kormányablak, Szentendre", "Ügyfélfogadás kihelyezve"},
	{"BUS-509", 2, 7, 17, "hr", "Budapest, Nemzeti Közszolgálati Egyetem", "Csoportos továbbképzés"},
	{"HVL-317", 3, 10, 13, "it", "Szerviz", "Nyomtatók átvétele"},
	{"MUS-482", 2, 13, 16, "employee", "Helyszíni szemle, Ipari park", "Építéshatósági szemle"},
}

// seedDemoCarTrips books the coming days' car trips the way people do, so the
// car timeline is not empty and the manager has a car request to decide.
func (s *Service) seedDemoCarTrips(ctx context.Context) error {
	day, err := s.cal.NextWorkday(ctx, calendar.Today(s.tz).AddDays(1))
	if err != nil {
		return err
	}
	days := []calendar.Date{day}
	for len(days) < 4 {
		if day, err = s.cal.NextWorkday(ctx, day.AddDays(1)); err != nil {
			return err
		}
		days = append(days, day)
	}
	for i, t := range demoCarTrips {
		var car Resource
		if err := s.db.R.WithContext(ctx).Where("kind = ? AND plate = ?", KindCar, t.plate).Take(&car).Error; err != nil {
			return err
		}
		p, err := s.people.ByUsername(ctx, t.driver)
		if err != nil {
			return err
		}
		d := days[t.day]
		start := time.Date(d.Year, d.Month, d.Day, t.from, 0, 0, 0, s.tz)
		in := BookingInput{ResourceID: car.ID, Start: start, End: start.Add(time.Duration(t.to-t.from) * time.Hour),
			Destination: t.destination, Purpose: t.purpose, Passengers: 1}
		if i == len(demoCarTrips)-1 {
			_, err = s.RequestCarApproval(ctx, p.Actor(), in)
		} else { // already approved: held, then confirmed (Book takes rooms only)
			var held *Booking
			if held, err = s.RequestCar(ctx, p.Actor(), in); err == nil {
				_, err = s.ConfirmHold(ctx, held.ID)
			}
		}
		if err != nil {
			return fmt.Errorf("demo car trip %s: %w", t.plate, err)
		}
	}
	return nil
}
