package booking

import (
	"context"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
	"kapu/modules/platform/stats"
)

// statsBenchDB holds two years of bookings of 20 rooms (one per open hour on
// about half the hours) and 5 cars, with a trip per car booking.
func statsBenchDB(b *testing.B) *Service {
	d := dbtest.Open(b, db.SQLite)
	if err := d.Migrate(context.Background(), append(calendar.Models(), (&people.Module{}).Models()...), nil); err != nil {
		b.Fatal(err)
	}
	s := setup(b, d)
	var rooms, cars []*Resource
	for i := 0; i < 20; i++ {
		rooms = append(rooms, mkRes(b, d, Resource{Kind: KindRoom, Name: "Room", OpenFrom: 8 * 60, OpenTo: 18 * 60, CheckIn: i%4 == 0}))
	}
	for i := 0; i < 5; i++ {
		cars = append(cars, mkRes(b, d, Resource{Kind: KindCar, Name: "Car", Plate: "AAA-00" + string(rune('0'+i))}))
	}
	first := calendar.NewDate(2024, time.March, 1)
	var batch []Booking
	// trips[i] belongs to batch[tripOf[i]]; its booking id is known once the batch is stored.
	var trips []Trip
	var tripOf []int
	flush := func() {
		if err := d.W.CreateInBatches(&batch, 500).Error; err != nil {
			b.Fatal(err)
		}
		for i := range trips {
			trips[i].BookingID = batch[tripOf[i]].ID
		}
		if len(trips) > 0 {
			if err := d.W.CreateInBatches(&trips, 500).Error; err != nil {
				b.Fatal(err)
			}
		}
		batch, trips, tripOf = batch[:0], trips[:0], tripOf[:0]
	}
	n, nTrips := 0, 0
	odometer := make([]int, len(cars))
	for day := first; day.Before(first.AddDays(730)); day = day.AddDays(1) {
		for ri, r := range rooms {
			for h := 8; h < 18; h++ {
				if (ri+h+day.Day)%2 == 0 {
					continue
				}
				start := time.Date(day.Year, day.Month, day.Day, h, 0, 0, 0, budapest).UTC()
				st := StatusConfirmed
				if n%17 == 0 {
					st = StatusNoShow
				}
				batch = append(batch, Booking{ResourceID: r.ID, PersonID: 1, StartAt: start, EndAt: start.Add(time.Hour),
					BlockEnd: start.Add(time.Hour), Quantity: 1, Status: st, CreatedBy: 1})
				n++
			}
		}
		// Each car is out every morning and its trip is logged.
		for ci, c := range cars {
			start := time.Date(day.Year, day.Month, day.Day, 8, 0, 0, 0, budapest).UTC()
			km := 20 + (ci*7+day.Day)%80
			tripOf = append(tripOf, len(batch))
			batch = append(batch, Booking{ResourceID: c.ID, PersonID: 1, StartAt: start, EndAt: start.Add(4 * time.Hour),
				BlockEnd: start.Add(4 * time.Hour), Quantity: 1, Status: StatusConfirmed, Destination: "Town hall", Purpose: "Errand", CreatedBy: 1})
			trips = append(trips, Trip{OdometerStart: odometer[ci], OdometerEnd: odometer[ci] + km, Km: km, CreatedBy: 1})
			odometer[ci] += km
			n++
			nTrips++
		}
		if len(batch) > 5000 {
			flush()
		}
	}
	flush()
	b.Logf("%d bookings, %d trips", n, nTrips)
	return s
}

// BenchmarkStatsMonth measures the statistics of one month over two years of
// bookings (about 73,000) on SQLite.
func BenchmarkStatsMonth(b *testing.B) {
	s := statsBenchDB(b)
	p := stats.PeriodOf(stats.Month, calendar.NewDate(2025, time.October, 1))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Stats(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReleaseNoShows measures one run of the every-minute job with
// nothing to release over the same bookings.
func BenchmarkReleaseNoShows(b *testing.B) {
	s := statsBenchDB(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.ReleaseNoShows(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
