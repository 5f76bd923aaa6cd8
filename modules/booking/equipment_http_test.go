package booking_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu/kaputest"
)

func TestBookingEquipmentOverHTTP(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	ctx := context.Background()
	projector := kaputest.Resource(t, app, "Projektor")
	field := fmt.Sprintf("eq_%d", projector.ID)
	rooms, err := app.Booking.Resources(ctx, booking.KindRoom)
	if err != nil || len(rooms) < 2 {
		t.Fatalf("demo rooms: %v (%d)", err, len(rooms))
	}

	c := kaputest.SignedIn(t, app, "employee")
	if res, body := c.Get("/bookings/new"); res.StatusCode != 200 || !strings.Contains(body, `name="`+field+`"`) {
		t.Fatalf("GET /bookings/new = %d; want the projector count field %s", res.StatusCode, field)
	}
	form := bookingForm(t, app, "Vetítés", "10:00", "11:00")
	form.Set(field, "2")
	if res, body := c.Post("/bookings/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("booking a room with 2 projectors = %d; want 303\n%s", res.StatusCode, body)
	}
	var first booking.Booking
	app.DB.R.Where("person_id = ? AND parent_id IS NULL", kaputest.Person(t, app, "employee").ID).Order("id DESC").First(&first)
	var kids []booking.Booking
	app.DB.R.Where("parent_id = ?", first.ID).Find(&kids)
	if len(kids) != 1 || kids[0].ResourceID != projector.ID || kids[0].Quantity != 2 || kids[0].Status != booking.StatusConfirmed {
		t.Fatalf("equipment of the booking = %+v; want 2 projectors, confirmed", kids)
	}
	// The projectors are facilities' (the "done when"): they get the mail.
	mails := kaputest.MailsTo(t, app, "facilities")
	if len(mails) != 1 || !strings.Contains(mails[0].Text, rooms[0].Name) || !strings.Contains(mails[0].Text, "2 × Projektor") {
		t.Fatalf("facilities got %d mails; want one naming the room and the projector: %+v", len(mails), mails)
	}
	if n := len(kaputest.MailsTo(t, app, "it")); n != 0 {
		t.Errorf("IT got %d mails; want none (no IT equipment)", n)
	}
	if res, body := c.Get("/bookings/mine"); res.StatusCode != 200 || !strings.Contains(body, "2 × Projektor") {
		t.Errorf("my bookings = %d; want the projectors listed under the room", res.StatusCode)
	}
	week := first.StartAt.In(app.Cfg.TZ).Format("2006-01-02")
	if res, body := c.Get("/bookings?kind=equipment&view=day&date=" + week); res.StatusCode != 200 || !strings.Contains(body, "2 of 3 booked") {
		t.Errorf("equipment timeline = %d; want the projector pool shown as 2 of 3 booked", res.StatusCode)
	}

	// Another room at the same time with 2 more projectors: only 1 is left.
	other := kaputest.SignedIn(t, app, "manager")
	other.Get("/bookings/new")
	again := bookingForm(t, app, "Másik vetítés", "10:00", "11:00")
	again.Set("resource", fmt.Sprint(rooms[1].ID))
	again.Set(field, "2")
	res, body := other.Post("/bookings/new", again)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Projektor") {
		t.Fatalf("projector pool full = %d; want 422 naming the projector\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, `name="`+field+`" value="2"`) || !strings.Contains(body, `value="Másik vetítés"`) {
		t.Errorf("pool full page lost what was typed")
	}
	var n int64
	app.DB.R.Model(&booking.Booking{}).Where("person_id = ?", kaputest.Person(t, app, "manager").ID).
		Where("resource_id = ?", rooms[1].ID).Count(&n)
	if n != 0 {
		t.Errorf("pool full left %d room bookings behind; want none", n)
	}

	// Cancelling the first tells facilities and frees the projectors.
	c.Get("/bookings/mine")
	if res, _ := c.Post(fmt.Sprintf("/bookings/%d/cancel", first.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel = %d; want 303", res.StatusCode)
	}
	mails = kaputest.MailsTo(t, app, "facilities")
	if len(mails) != 2 || !strings.Contains(mails[1].Text, "2 × Projektor") {
		t.Fatalf("facilities got %d mails after the cancellation; want a second one about the projectors", len(mails))
	}
	bookRoom(t, other, again)
}

func TestBookingJobs(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	ctx := context.Background()
	car := demoCar(t, app, "KPU-204")
	p := kaputest.Person(t, app, "employee")
	start := time.Now().Add(20 * time.Hour).Truncate(time.Hour)
	in := booking.BookingInput{ResourceID: car.ID, Start: start, End: start.Add(3 * time.Hour), Destination: "Szeged", Purpose: "Egyeztetés", Passengers: 1}

	// A hold whose time ran out is released by the job.
	held, err := app.Booking.RequestCar(ctx, p.Actor(), in)
	if err != nil {
		t.Fatal(err)
	}
	app.DB.W.Model(&booking.Booking{}).Where("id = ?", held.ID).Update("hold_until", time.Now().UTC().Add(-time.Minute).Truncate(time.Second))
	if _, err := app.Jobs.RunNow(ctx, "booking.expire_holds"); err != nil {
		t.Fatal(err)
	}
	var b booking.Booking
	app.DB.R.First(&b, held.ID)
	if b.Status != booking.StatusExpired {
		t.Fatalf("held car after booking.expire_holds: %s; want expired", b.Status)
	}

	// A confirmed car booking starting within a day: one reminder, however often the job runs.
	before := len(kaputest.MailsTo(t, app, "employee"))
	hold, err := app.Booking.RequestCar(ctx, p.Actor(), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Booking.ConfirmHold(ctx, hold.ID); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := app.Jobs.RunNow(ctx, "booking.pickup_reminder"); err != nil {
			t.Fatal(err)
		}
	}
	mails := kaputest.MailsTo(t, app, "employee")
	if len(mails) != before+1 || !strings.Contains(mails[len(mails)-1].Text, "KPU-204") {
		t.Fatalf("employee got %d new mails; want one pickup reminder naming the car", len(mails)-before)
	}
}
