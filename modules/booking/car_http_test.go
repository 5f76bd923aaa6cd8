package booking_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
)

// demoCar returns the demo pool car with the plate.
func demoCar(t *testing.T, app *kapu.App, plate string) booking.Resource {
	t.Helper()
	cars, err := app.Booking.Resources(context.Background(), booking.KindCar)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cars {
		if c.Plate == plate {
			return c
		}
	}
	t.Fatalf("no demo car %s among %d", plate, len(cars))
	return booking.Resource{}
}

// carForm is a car request days ahead as the form sends it.
func carForm(app *kapu.App, car booking.Resource, days int, from, to string) url.Values {
	day := calendar.Today(app.Cfg.TZ).AddDays(days).String()
	return url.Values{"car": {fmt.Sprint(car.ID)}, "start_day": {day}, "start_time": {from}, "end_day": {day},
		"end_time": {to}, "destination": {"Szeged, Kormányhivatal"}, "purpose": {"Egyeztetés"}, "passengers": {"2"}}
}

// lastBooking is the person's latest booking.
func lastBooking(t *testing.T, app *kapu.App, username string) booking.Booking {
	t.Helper()
	var b booking.Booking
	if err := app.DB.R.Where("person_id = ?", kaputest.Person(t, app, username).ID).Order("id DESC").First(&b).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

// decideByMail presses the approve or reject link of the person's latest mail.
func decideByMail(t *testing.T, app *kapu.App, username string, approve bool, comment string) string {
	t.Helper()
	mails := kaputest.MailsTo(t, app, username)
	if len(mails) == 0 {
		t.Fatalf("%s has no mail", username)
	}
	yes, no := kaputest.Links(t, mails[len(mails)-1])
	link := yes
	if !approve {
		link = no
	}
	res, body := kaputest.PostLink(kaputest.NewClient(t, app), link, kaputest.SigFor(t, app, link), comment)
	if res.StatusCode != 200 {
		t.Fatalf("%s deciding by link = %d\n%s", username, res.StatusCode, body)
	}
	return mails[len(mails)-1].Subject
}

func TestCarRequestApprovedAndRejected(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "ABC-123")
		emp := kaputest.SignedIn(t, app, "employee")
		if res, body := emp.Get("/bookings/cars/new"); res.StatusCode != 200 || !strings.Contains(body, "ABC-123") {
			t.Fatalf("GET /bookings/cars/new = %d; want the form listing the cars", res.StatusCode)
		}
		if res, _ := emp.Post("/bookings/cars/new", carForm(app, car, 1, "08:00", "12:00")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /bookings/cars/new = %d; want 303", res.StatusCode)
		}
		b := lastBooking(t, app, "employee")
		if b.Status != booking.StatusHold || b.HoldUntil == nil || b.Destination != "Szeged, Kormányhivatal" {
			t.Fatalf("request = %+v; want a hold with its destination", b)
		}
		if res, body := emp.Get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, "Waiting for approval until") {
			t.Errorf("my bookings = %d; want the hold waiting for approval", res.StatusCode)
		}

		// The same car and time by someone else while the first one holds it.
		other := kaputest.SignedIn(t, app, "manager")
		other.Get("/bookings/cars/new")
		res, body := other.Post("/bookings/cars/new", carForm(app, car, 1, "10:00", "11:00"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "this time is already booked") || !strings.Contains(body, `value="Szeged, Kormányhivatal"`) {
			t.Fatalf("requesting a held car = %d; want 422 already booked, keeping the values", res.StatusCode)
		}

		// Manager, then fleet, approve by link.
		if n := len(kaputest.MailsTo(t, app, "fleet")); n != 0 {
			t.Fatalf("fleet got %d mails before the manager decided", n)
		}
		if subj := decideByMail(t, app, "manager", true, ""); !strings.Contains(subj, "ABC") && !strings.Contains(subj, car.Name) {
			t.Errorf("manager's mail %q does not name the car", subj)
		}
		if got := lastBooking(t, app, "employee").Status; got != booking.StatusHold {
			t.Fatalf("after the manager: %s; want still hold", got)
		}
		decideByMail(t, app, "fleet", true, "")
		if got := lastBooking(t, app, "employee").Status; got != booking.StatusConfirmed {
			t.Fatalf("after fleet: %s; want confirmed", got)
		}

		// A rejected request frees the car.
		emp.Get("/bookings/cars/new")
		if res, _ := emp.Post("/bookings/cars/new", carForm(app, car, 2, "09:00", "17:00")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("second request = %d; want 303", res.StatusCode)
		}
		decideByMail(t, app, "manager", false, "Nincs rá keret")
		if got := lastBooking(t, app, "employee").Status; got != booking.StatusRejected {
			t.Fatalf("after rejection: %s; want rejected", got)
		}
		if res, _ := other.Post("/bookings/cars/new", carForm(app, car, 2, "09:00", "17:00")); res.StatusCode != http.StatusSeeOther {
			t.Errorf("requesting the car freed by the rejection = %d; want 303", res.StatusCode)
		}
	})
}

func TestCarTripLog(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "KPU-204")
		emp := kaputest.Person(t, app, "employee")
		start := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
		b := booking.Booking{ResourceID: car.ID, PersonID: emp.ID, StartAt: start, EndAt: start.Add(time.Hour),
			BlockEnd: start.Add(time.Hour), Quantity: 1, Status: booking.StatusConfirmed, Destination: "Gyula", CreatedBy: emp.ID}
		if err := app.DB.W.Create(&b).Error; err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/bookings/%d/trip", b.ID)

		other := kaputest.SignedIn(t, app, "manager")
		if res, _ := other.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("someone else's trip page = %d; want 403", res.StatusCode)
		}

		c := kaputest.SignedIn(t, app, "employee")
		if res, body := c.Get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, path) {
			t.Errorf("my bookings = %d; want a link to log the trip", res.StatusCode)
		}
		res, body := c.Get(path)
		if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`value="%d"`, car.Odometer)) {
			t.Fatalf("GET %s = %d; want the form starting at the car's odometer", path, res.StatusCode)
		}
		below := url.Values{"odometer_start": {fmt.Sprint(car.Odometer - 10)}, "odometer_end": {fmt.Sprint(car.Odometer + 50)}}
		if res, body := c.Post(path, below); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "odometer already reads") {
			t.Errorf("odometer below the car's = %d; want 422 explained", res.StatusCode)
		}
		ok := url.Values{"odometer_start": {fmt.Sprint(car.Odometer)}, "odometer_end": {fmt.Sprint(car.Odometer + 143)},
			"fuel": {"32,5"}, "remarks": {"Rendben"}}
		if res, _ := c.Post(path, ok); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("valid trip = %d; want 303", res.StatusCode)
		}
		var after booking.Resource
		app.DB.R.First(&after, car.ID)
		if after.Odometer != car.Odometer+143 {
			t.Errorf("car odometer = %d; want %d", after.Odometer, car.Odometer+143)
		}
		var trip booking.Trip
		if err := app.DB.R.Where("booking_id = ?", b.ID).First(&trip).Error; err != nil || trip.Km != 143 || trip.FuelDecilitres != 325 {
			t.Errorf("trip = %+v (%v); want 143 km and 325 dl", trip, err)
		}

		fleet := kaputest.SignedIn(t, app, "fleet")
		trips := fmt.Sprintf("/bookings/cars/%d/trips", car.ID)
		if res, body := fleet.Get(trips); res.StatusCode != 200 || !strings.Contains(body, emp.Name) || !strings.Contains(body, "Gyula") {
			t.Errorf("fleet's trips page = %d; want the trip with its driver", res.StatusCode)
		}
		if res, _ := c.Get(trips); res.StatusCode != http.StatusForbidden {
			t.Errorf("employee on the trips page = %d; want 403", res.StatusCode)
		}
	})
}

// The whole demo has car trips in the coming days and one car request waiting
// for the demo manager, so the car timeline and the approval flow can be tried.
func TestDemoCarTrips(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite", kaputest.WithHistory())
	now := time.Now().UTC()
	var confirmed, held int64
	app.DB.R.Model(&booking.Booking{}).Joins("JOIN booking_resources r ON r.id = bookings.resource_id").
		Where("r.kind = ? AND bookings.status = ? AND bookings.start_at > ?", booking.KindCar, booking.StatusConfirmed, now).Count(&confirmed)
	app.DB.R.Model(&booking.Booking{}).Where("status = ? AND start_at > ?", booking.StatusHold, now).Count(&held)
	if confirmed != 4 || held != 1 {
		t.Errorf("demo car bookings ahead: %d confirmed, %d held; want 4 and 1", confirmed, held)
	}
	c := kaputest.SignedIn(t, app, "manager")
	if res, body := c.Get("/approvals"); res.StatusCode != 200 || !strings.Contains(body, "Ford Transit Custom") {
		t.Errorf("the demo manager's approvals = %d; want the car request for the Ford Transit", res.StatusCode)
	}
}
