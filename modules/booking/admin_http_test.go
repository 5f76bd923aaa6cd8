package booking_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
)

// roomValues is a valid room as the admin form sends it.
func roomValues(name string) url.Values {
	return url.Values{"kind": {booking.KindRoom}, "name": {name}, "location": {"Főépület, III. emelet"}, "seats": {"10"},
		"features": {"képernyő"}, "open_from": {"07:30"}, "open_to": {"19:00"}, "buffer": {"15"}, "active": {"on"}}
}

// auditCount counts the audit rows of an action on an entity.
func auditCount(t *testing.T, app *kapu.App, action string, id uint) int64 {
	t.Helper()
	var n int64
	app.DB.R.Model(&audit.Entry{}).Where("action = ? AND entity_id = ?", action, fmt.Sprint(id)).Count(&n)
	return n
}

func TestBookingAdminAccess(t *testing.T) {
	t.Parallel()
	app := kaputest.New(t, "sqlite")
	car := demoCar(t, app, "ABC-123")
	room := kaputest.Resource(t, app, "Kis tárgyaló")
	var itItem, facItem booking.Resource
	app.DB.R.Where("kind = ? AND unit = ?", booking.KindEquipment, booking.UnitIT).Order("id").First(&itItem)
	app.DB.R.Where("kind = ? AND unit = ?", booking.KindEquipment, booking.UnitFacilities).Order("id").First(&facItem)
	cases := []struct {
		user   string
		list   int
		nav    bool
		allow  []uint // resources whose form opens
		refuse []uint // resources whose form is 403
	}{
		{"employee", http.StatusForbidden, false, nil, []uint{room.ID, car.ID}},
		{"facilities", 200, true, []uint{room.ID, facItem.ID}, []uint{car.ID, itItem.ID}},
		{"it", 200, true, []uint{itItem.ID}, []uint{room.ID, car.ID, facItem.ID}},
		{"fleet", 200, true, []uint{car.ID}, []uint{room.ID, itItem.ID}},
		{"admin", 200, true, []uint{room.ID, car.ID, itItem.ID, facItem.ID}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.user, func(t *testing.T) {
			c := kaputest.NewClient(t, app)
			c.Login(tc.user, "demo")
			res, body := c.Get("/bookings/admin")
			if res.StatusCode != tc.list {
				t.Errorf("GET /bookings/admin = %d; want %d", res.StatusCode, tc.list)
			}
			for _, id := range tc.allow {
				_, form := c.Get(fmt.Sprintf("/bookings/admin/%d", id))
				body += form
			}
			if strings.Contains(body, "booking.admin.") {
				t.Errorf("a page shows an untranslated key")
			}
			if _, home := c.Get("/"); strings.Contains(home, `href="/bookings/admin"`) != tc.nav {
				t.Errorf("navigation link to the resources shown = %v; want %v", !tc.nav, tc.nav)
			}
			for _, id := range tc.allow {
				if res, _ := c.Get(fmt.Sprintf("/bookings/admin/%d", id)); res.StatusCode != 200 {
					t.Errorf("resource %d form = %d; want 200", id, res.StatusCode)
				}
			}
			for _, id := range tc.refuse {
				if res, _ := c.Get(fmt.Sprintf("/bookings/admin/%d", id)); res.StatusCode != http.StatusForbidden {
					t.Errorf("resource %d form = %d; want 403", id, res.StatusCode)
				}
			}
		})
	}
	// The list of each kind shows only what the person manages.
	fleet := kaputest.SignedIn(t, app, "fleet")
	if _, body := fleet.Get("/bookings/admin?kind=room"); !strings.Contains(body, "ABC-123") || strings.Contains(body, "Kis tárgyaló") {
		t.Errorf("fleet asking for rooms should see the cars, not the rooms")
	}
	it := kaputest.SignedIn(t, app, "it")
	if _, body := it.Get("/bookings/admin?kind=equipment"); !strings.Contains(body, itItem.Name) || strings.Contains(body, facItem.Name) {
		t.Errorf("IT's equipment list should hold IT's items only")
	}
	// IT cannot hand an item to facilities.
	it.Get(fmt.Sprintf("/bookings/admin/%d", itItem.ID))
	res, _ := it.Post(fmt.Sprintf("/bookings/admin/%d", itItem.ID), url.Values{"kind": {"equipment"}, "name": {itItem.Name},
		"unit": {booking.UnitFacilities}, "quantity": {"3"}, "active": {"on"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("IT moving an item to facilities = %d; want 403", res.StatusCode)
	}
}

func TestBookingAdminRoomForm(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		c := kaputest.SignedIn(t, app, "facilities")
		if res, body := c.Get("/bookings/admin/new?kind=room"); res.StatusCode != 200 || !strings.Contains(body, `name="open_from"`) {
			t.Fatalf("new room form = %d; want the form with bookable hours", res.StatusCode)
		}
		bad := []struct {
			name, field, value, want string
		}{
			{"no name", "name", " ", "Please fill this in."},
			{"no seats", "seats", "0", "number of seats"},
			{"seats not a number", "seats", "sok", "whole number"},
			{"hours backwards", "open_to", "07:00", "must be after their start"},
			{"hours unreadable", "open_from", "7 óra", "HH:MM"},
			{"buffer too long", "buffer", "600", "between 0 and 240 minutes"},
		}
		for _, tc := range bad {
			v := roomValues("Új tárgyaló")
			v.Set(tc.field, tc.value)
			res, body := c.Post("/bookings/admin/new", v)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) ||
				!strings.Contains(body, `id="f-`+tc.field+`-error"`) || !strings.Contains(body, `value="Főépület, III. emelet"`) {
				t.Errorf("%s: status %d; want 422 with %q next to %s and the values kept", tc.name, res.StatusCode, tc.want, tc.field)
			}
		}
		var n int64
		app.DB.R.Model(&booking.Resource{}).Where("name = ?", "Új tárgyaló").Count(&n)
		if n != 0 {
			t.Fatalf("refused forms created %d rooms", n)
		}

		v := roomValues("Új tárgyaló")
		v.Set("needs_approval", "on")
		if res, body := c.Post("/bookings/admin/new", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("valid room = %d; want 303\n%s", res.StatusCode, body)
		}
		var r booking.Resource
		if err := app.DB.R.Where("name = ?", "Új tárgyaló").First(&r).Error; err != nil {
			t.Fatal(err)
		}
		if r.OpenFrom != 7*60+30 || r.OpenTo != 19*60 || r.Seats != 10 || r.BufferMinutes != 15 || !r.NeedsApproval || r.CheckIn || !r.Active {
			t.Errorf("stored room = %+v", r)
		}
		if auditCount(t, app, "booking.resource.create", r.ID) != 1 {
			t.Errorf("creating the room wrote no audit row")
		}

		// Put it in service: nobody can book it; the admin list still shows it.
		path := fmt.Sprintf("/bookings/admin/%d", r.ID)
		c.Get(path)
		v.Del("active")
		if res, _ := c.Post(path, v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("putting the room in service = %d; want 303", res.StatusCode)
		}
		var e audit.Entry
		app.DB.R.Where("action = ? AND entity_id = ?", "booking.resource.update", fmt.Sprint(r.ID)).First(&e)
		if !strings.Contains(string(e.Before), `"Active":true`) || !strings.Contains(string(e.After), `"Active":false`) {
			t.Errorf("audit of the change = %s → %s; want active true → false", e.Before, e.After)
		}
		if _, body := c.Get("/bookings/admin?kind=room&status=inactive"); !strings.Contains(body, "Új tárgyaló") || !strings.Contains(body, "In service") {
			t.Errorf("the in-service filter does not list the room")
		}
		if _, body := c.Get("/bookings/admin?kind=room&status=active"); strings.Contains(body, "Új tárgyaló") {
			t.Errorf("the active filter lists the room in service")
		}
		emp := kaputest.SignedIn(t, app, "employee")
		if _, body := emp.Get("/bookings/new"); strings.Contains(body, "Új tárgyaló") {
			t.Errorf("the booking form offers a room in service")
		}
		form := url.Values{"resource": {fmt.Sprint(r.ID)}, "day": {kaputest.NextWorkday(t, app).String()},
			"from": {"10:00"}, "to": {"11:00"}}
		if res, _ := emp.Post("/bookings/new", form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("booking a room in service = %d; want 422", res.StatusCode)
		}

		// A room once booked is never deleted; one never booked may be.
		kis := kaputest.Resource(t, app, "Kis tárgyaló")
		form.Set("resource", fmt.Sprint(kis.ID))
		bookRoom(t, emp, form)
		emp.Post(fmt.Sprintf("/bookings/%d/cancel", lastMain(t, app, "employee").ID), nil)
		c.Get(fmt.Sprintf("/bookings/admin/%d", kis.ID))
		if res, body := c.Post(fmt.Sprintf("/bookings/admin/%d/delete", kis.ID), nil); res.StatusCode != http.StatusConflict || !strings.Contains(body, "cannot be deleted") {
			t.Errorf("deleting a room with a (cancelled) booking = %d; want 409 explained", res.StatusCode)
		}
		if kaputest.Resource(t, app, "Kis tárgyaló").ID != kis.ID {
			t.Fatalf("the booked room is gone")
		}
		if res, _ := c.Post(path+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("deleting the never-booked room = %d; want 303", res.StatusCode)
		}
		app.DB.R.Model(&booking.Resource{}).Where("id = ?", r.ID).Count(&n)
		if n != 0 || auditCount(t, app, "booking.resource.delete", r.ID) != 1 {
			t.Errorf("after delete: %d rooms, want 0 and an audit row", n)
		}
	})
}

func TestBookingAdminCarsAndEquipment(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		fleet := kaputest.SignedIn(t, app, "fleet")
		fleet.Get("/bookings/admin/new?kind=car")
		car := url.Values{"kind": {"car"}, "name": {"Toyota Corolla"}, "plate": {" abc-123"}, "car_model": {"Corolla TS"},
			"seats": {"5"}, "fuel": {"hibrid"}, "location": {"Városháza"}, "odometer": {"100"}, "active": {"on"}}
		res, body := fleet.Post("/bookings/admin/new", car)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Another car already has this plate") {
			t.Errorf("a second ABC-123 = %d; want 422 plate taken", res.StatusCode)
		}
		car.Set("plate", "TOY-001")
		car.Set("odometer", "-5")
		if res, body := fleet.Post("/bookings/admin/new", car); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot be negative") {
			t.Errorf("negative odometer = %d; want 422", res.StatusCode)
		}
		car.Set("odometer", "100")
		if res, _ := fleet.Post("/bookings/admin/new", car); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("new car = %d; want 303", res.StatusCode)
		}
		if c := demoCar(t, app, "TOY-001"); c.Seats != 5 || c.Odometer != 100 || c.Unit != booking.UnitFleet {
			t.Errorf("stored car = %+v", c)
		}

		it := kaputest.SignedIn(t, app, "it")
		it.Get("/bookings/admin/new?kind=equipment")
		item := url.Values{"kind": {"equipment"}, "name": {"Laptop 1"}, "tag": {"LT-0001"}, "unit": {"it"}, "quantity": {"1"}, "active": {"on"}}
		if res, _ := it.Post("/bookings/admin/new", item); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("new laptop = %d; want 303", res.StatusCode)
		}
		item.Set("name", "Laptop 2")
		if res, body := it.Post("/bookings/admin/new", item); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already has this inventory tag") {
			t.Errorf("a second LT-0001 = %d; want 422 tag taken", res.StatusCode)
		}
		item.Set("tag", "LT-0002")
		item.Set("quantity", "0")
		if res, body := it.Post("/bookings/admin/new", item); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "between 1 and") {
			t.Errorf("quantity 0 = %d; want 422", res.StatusCode)
		}
		item.Set("quantity", "1")
		item.Set("unit", "facilities")
		if res, _ := it.Post("/bookings/admin/new", item); res.StatusCode != http.StatusForbidden {
			t.Errorf("IT creating facilities' item = %d; want 403", res.StatusCode)
		}
		// The database keeps tags unique even when the service is bypassed.
		dup := booking.Resource{Kind: booking.KindEquipment, Name: "x", Unit: booking.UnitIT, Quantity: 1, Tag: "LT-0001", Active: true}
		if err := app.DB.W.Create(&dup).Error; err == nil {
			t.Errorf("the database took a second LT-0001")
		}
	})
}

// spareRoom is a new room open round the clock, so that each booking of
// equipment (which goes with a room) has a room of its own.
func spareRoom(t *testing.T, app *kapu.App) booking.Resource {
	t.Helper()
	r, err := app.Booking.CreateResource(context.Background(), kaputest.Person(t, app, "admin").Actor(), booking.KindRoom,
		booking.ResourceInput{Name: fmt.Sprintf("Tárgyaló %d", time.Now().UnixNano()), Seats: 8, OpenTo: 24 * 60, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return *r
}

// bookEquipment books n of the item with a spare room, days ahead, from–to.
func bookEquipment(t *testing.T, app *kapu.App, item booking.Resource, n, days int, from, to string) (*booking.Booking, error) {
	t.Helper()
	a := kaputest.Person(t, app, "employee").Actor()
	start, end, err := booking.LocalTimes(kaputest.Today(t, app).AddDays(days), from, to, app.Cfg.TZ)
	if err != nil {
		t.Fatal(err)
	}
	return app.Booking.Book(context.Background(), a, booking.BookingInput{ResourceID: spareRoom(t, app).ID, Start: start, End: end,
		Equipment: []booking.EquipmentLine{{ResourceID: item.ID, Quantity: n}}})
}

func TestBookingAdminQuantity(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		a := kaputest.Person(t, app, "admin").Actor()
		item, err := app.Booking.CreateResource(ctx, a, booking.KindEquipment, booking.ResourceInput{
			Name: "Hangfal", Unit: booking.UnitFacilities, Quantity: 1, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bookEquipment(t, app, *item, 1, 2, "10:00", "12:00"); err != nil {
			t.Fatal(err)
		}
		pooled := func() []bool {
			var out []bool
			app.DB.R.Model(&booking.Booking{}).Where("resource_id = ?", item.ID).Order("id").Pluck("pooled", &out)
			return out
		}
		in := booking.ResourceInput{Name: "Hangfal", Unit: booking.UnitFacilities, Quantity: 3, Active: true}

		// An item becomes a pool of 3: its booking is now a pool booking, and two more fit.
		if _, err := app.Booking.UpdateResource(ctx, a, item.ID, in); err != nil {
			t.Fatalf("item → pool of 3: %v", err)
		}
		if got := pooled(); len(got) != 1 || !got[0] {
			t.Fatalf("pooled flags after item → pool = %v; want [true]", got)
		}
		if _, err := bookEquipment(t, app, *item, 2, 2, "11:00", "13:00"); err != nil {
			t.Fatalf("2 more of the pool of 3: %v", err)
		}

		// 3 are booked at 11:00 the day after tomorrow: 2 is refused, naming when.
		c := kaputest.SignedIn(t, app, "facilities")
		path := fmt.Sprintf("/bookings/admin/%d", item.ID)
		c.Get(path)
		form := url.Values{"kind": {"equipment"}, "name": {"Hangfal"}, "unit": {"facilities"}, "quantity": {"2"}, "active": {"on"}}
		res, body := c.Post(path, form)
		when := kaputest.Today(t, app).AddDays(2)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "3 are already booked at") ||
			!strings.Contains(body, "11:00") || !strings.Contains(body, `id="f-quantity-error"`) {
			t.Errorf("lowering the pool below what is booked = %d; want 422 naming %s 11:00\n%s", res.StatusCode, when, body)
		}
		var after booking.Resource
		app.DB.R.First(&after, item.ID)
		if after.Quantity != 3 {
			t.Fatalf("quantity after the refusal = %d; want 3", after.Quantity)
		}

		// Back to one item is refused while two bookings overlap; once one is
		// cancelled it works and the flags follow.
		in.Quantity = 1
		var qe *booking.QuantityError
		if _, err := app.Booking.UpdateResource(ctx, a, item.ID, in); !errors.As(err, &qe) || qe.Used != 3 {
			t.Fatalf("pool → item with 3 booked at once: %v; want a QuantityError of 3", err)
		}
		var second booking.Booking
		app.DB.R.Where("resource_id = ? AND quantity = 2", item.ID).First(&second)
		emp := kaputest.Person(t, app, "employee")
		if _, err := app.Booking.Cancel(ctx, actor.Actor{ID: emp.ID}, second.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Booking.UpdateResource(ctx, a, item.ID, in); err != nil {
			t.Fatalf("pool → item once nothing overlaps: %v", err)
		}
		if got := pooled(); len(got) != 2 || got[0] || got[1] {
			t.Errorf("pooled flags after pool → item = %v; want [false false]", got)
		}
		// The item is one again: the database refuses a second booking at the same time.
		if _, err := bookEquipment(t, app, *item, 1, 2, "11:30", "12:30"); err == nil {
			t.Errorf("a second booking of the single item at the same time was taken")
		}
		if n := auditCount(t, app, "booking.resource.update", item.ID); n != 2 {
			t.Errorf("audit rows of the quantity changes = %d; want 2", n)
		}
	})
}

// tinyPNG is a small valid PNG picture.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBookingAdminPhoto(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := kaputest.Resource(t, app, "Nagy tárgyaló")
		if room.Photo == "" {
			t.Errorf("the demo room has no drawn photo")
		}
		c := kaputest.SignedIn(t, app, "facilities")
		path := fmt.Sprintf("/bookings/admin/%d", room.ID)
		c.Get(path)
		bad := []struct {
			name, file string
			data       []byte
			want       string
		}{
			{"text named .png", "room.png", []byte("this is not a picture at all"), "not a JPEG, PNG or WebP"},
			{"over 2 MB", "big.png", append(tinyPNG(t), make([]byte, 2<<20)...), "larger than 2 MB"},
			{"empty", "none.png", nil, "Please choose a photo"},
		}
		for _, tc := range bad {
			if res, body := c.PostFile(path+"/photo", "photo", tc.file, tc.data); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("%s: upload = %d; want 422 %q", tc.name, res.StatusCode, tc.want)
			}
		}
		pic := tinyPNG(t)
		if res, body := c.PostFile(path+"/photo", "photo", "terem.jpg", pic); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload = %d; want 303\n%s", res.StatusCode, body)
		}
		var r booking.Resource
		app.DB.R.First(&r, room.ID)
		if r.Photo == room.Photo || r.Photo == "" {
			t.Fatalf("photo tag unchanged after the upload")
		}
		if auditCount(t, app, "booking.resource.photo", room.ID) != 1 {
			t.Errorf("the upload wrote no audit row")
		}

		// Anyone signed in sees it, typed by its content, with cache headers.
		emp := kaputest.SignedIn(t, app, "employee")
		photo := fmt.Sprintf("/bookings/resources/%d/photo", room.ID)
		res, body := emp.Get(photo)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || body != string(pic) {
			t.Fatalf("GET photo = %d %s; want 200 image/png with the bytes", res.StatusCode, res.Header.Get("Content-Type"))
		}
		etag := res.Header.Get("ETag")
		if etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age") {
			t.Errorf("photo headers ETag %q Cache-Control %q; want both", etag, res.Header.Get("Cache-Control"))
		}
		req, _ := http.NewRequest(http.MethodGet, "http://kapu.test"+photo, nil)
		req.Header.Set("If-None-Match", etag)
		if res, _ := emp.Do(req); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET photo with its ETag = %d; want 304", res.StatusCode)
		}
		if _, body := emp.Get(fmt.Sprintf("/bookings/new?resource=%d", room.ID)); !strings.Contains(body, photo+"?v="+r.Photo) {
			t.Errorf("the booking form does not show the room's photo")
		}
		if _, body := c.Get("/bookings/admin?kind=room"); !strings.Contains(body, photo+"?v="+r.Photo) {
			t.Errorf("the admin list does not show the room's photo")
		}
		if res, _ := kaputest.NewClient(t, app).Get(photo); res.StatusCode != http.StatusSeeOther {
			t.Errorf("photo for a visitor = %d; want 303 to the login", res.StatusCode)
		}
		// Removing it: the URL is gone.
		c.Get(path)
		if res, _ := c.Post(path+"/photo/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove photo = %d; want 303", res.StatusCode)
		}
		if res, _ := emp.Get(photo); res.StatusCode != http.StatusNotFound {
			t.Errorf("removed photo = %d; want 404", res.StatusCode)
		}
		// Cars have no photo to upload.
		car := demoCar(t, app, "ABC-123")
		admin := kaputest.SignedIn(t, app, "admin")
		admin.Get("/bookings/admin")
		if res, _ := admin.PostFile(fmt.Sprintf("/bookings/admin/%d/photo", car.ID), "photo", "car.png", pic); res.StatusCode != http.StatusNotFound {
			t.Errorf("a car photo = %d; want 404", res.StatusCode)
		}
	})
}

// approvalOf is the approval request of a booking.
func approvalOf(t *testing.T, app *kapu.App, kind string, b booking.Booking) approval.Request {
	t.Helper()
	var r approval.Request
	if err := app.DB.R.Where("kind = ? AND subject_id = ?", kind, fmt.Sprint(b.ID)).First(&r).Error; err != nil {
		t.Fatalf("approval request of booking %d: %v", b.ID, err)
	}
	return r
}

func TestBookingRoomNeedsApproval(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		room := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
		projector := kaputest.Resource(t, app, "Projektor")
		emp := kaputest.SignedIn(t, app, "employee")
		res, body := emp.Get(fmt.Sprintf("/bookings/new?resource=%d", room.ID))
		if res.StatusCode != 200 || !strings.Contains(body, "This room needs approval") {
			t.Errorf("the booking form does not say the room needs approval")
		}
		first := kaputest.WorkdayFrom(t, app, 3)
		day := first.String()
		form := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Testvárosi delegáció"}, "attendees": {"6"}, fmt.Sprintf("eq_%d", projector.ID): {"1"}}
		if res, _ := emp.Post("/bookings/new", form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/bookings/mine" {
			t.Fatalf("booking a room that needs approval = %d → %s; want 303 to my bookings", res.StatusCode, res.Header.Get("Location"))
		}
		b := lastMain(t, app, "employee")
		if b.Status != booking.StatusHold || b.HoldUntil == nil {
			t.Fatalf("booking = %s; want a hold", b.Status)
		}
		if _, body := emp.Get("/bookings/mine"); !strings.Contains(body, "Waiting for approval") || !strings.Contains(body, "waiting for approval; the room is held") {
			t.Errorf("my bookings does not show the room waiting for approval")
		}
		var kid booking.Booking
		app.DB.R.Where("parent_id = ?", b.ID).First(&kid)
		if kid.Status != booking.StatusHold {
			t.Errorf("the projector = %s; want held with the room", kid.Status)
		}
		prepare := func() int { // facilities' mails about equipment to prepare (it also approves)
			n := 0
			for _, m := range kaputest.MailsTo(t, app, "facilities") {
				if strings.HasPrefix(m.Subject, "Equipment to prepare") {
					n++
				}
			}
			return n
		}
		if n := prepare(); n != 0 {
			t.Errorf("facilities got %d mails about the projector before the approval; want 0", n)
		}
		// The held room is not free for someone else meanwhile.
		other := kaputest.SignedIn(t, app, "manager")
		other.Get("/bookings/new")
		if res, _ := other.Post("/bookings/new", url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day}, "from": {"10:30"}, "to": {"11:30"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("booking the held room = %d; want 422 just taken", res.StatusCode)
		}

		// Facilities approves by the email link: room and projector confirmed,
		// facilities told what to prepare, the booker told the outcome.
		req := approvalOf(t, app, booking.KindRoomApproval, b)
		if subj := decideByMail(t, app, "facilities", true, ""); !strings.Contains(subj, room.Name) {
			t.Errorf("facilities' mail %q does not name the room", subj)
		}
		b, kid = booking.Booking{}, booking.Booking{ID: kid.ID}
		app.DB.R.Where("id = ?", lastMain(t, app, "employee").ID).First(&b)
		app.DB.R.First(&kid, kid.ID)
		if b.Status != booking.StatusConfirmed || kid.Status != booking.StatusConfirmed || b.HoldUntil != nil {
			t.Fatalf("after approval: room %s, projector %s; want both confirmed", b.Status, kid.Status)
		}
		if n := prepare(); n == 0 {
			t.Errorf("facilities got no mail about the projector after the approval")
		}
		if m := kaputest.MailsTo(t, app, "employee"); len(m) == 0 || !strings.Contains(m[len(m)-1].Text, room.Name) {
			t.Errorf("the booker got no mail about the decision")
		}
		app.DB.R.First(&req, req.ID)
		if req.Status != approval.StatusApproved {
			t.Errorf("request = %s; want approved", req.Status)
		}

		// A second request rejected in the app frees the room.
		form.Set("day", kaputest.WorkdayOnOrAfter(t, app, first.AddDays(1)).String())
		bookRoom(t, emp, form)
		b2 := lastMain(t, app, "employee")
		req2 := approvalOf(t, app, booking.KindRoomApproval, b2)
		fac := kaputest.SignedIn(t, app, "facilities")
		fac.Get(fmt.Sprintf("/approvals/%d", req2.ID))
		if res, _ := fac.Post(fmt.Sprintf("/approvals/%d", req2.ID), url.Values{"decision": {"reject"}, "comment": {"Polgármesteri program"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rejecting in the app = %d; want 303", res.StatusCode)
		}
		app.DB.R.First(&b2, b2.ID)
		var kid2 booking.Booking
		app.DB.R.Where("parent_id = ?", b2.ID).First(&kid2)
		if b2.Status != booking.StatusRejected || kid2.Status != booking.StatusRejected {
			t.Errorf("after rejection: room %s, projector %s; want both rejected", b2.Status, kid2.Status)
		}
		other.Get("/bookings/new")
		form.Del(fmt.Sprintf("eq_%d", projector.ID))
		form.Del("_csrf") // the booker's
		if res, _ := other.Post("/bookings/new", form); res.StatusCode != http.StatusSeeOther || lastBooking(t, app, "manager").Status != booking.StatusHold {
			t.Errorf("booking the room freed by the rejection = %d; want 303 and a new hold", res.StatusCode)
		}
	})
}

// lastMain is the person's latest booking that is not equipment booked with a room.
func lastMain(t *testing.T, app *kapu.App, username string) booking.Booking {
	t.Helper()
	var b booking.Booking
	if err := app.DB.R.Where("person_id = ? AND parent_id IS NULL", kaputest.Person(t, app, username).ID).Order("id DESC").First(&b).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

// expireHold makes a booking's hold run out, as if its time had passed.
func expireHold(t *testing.T, app *kapu.App, id uint) {
	t.Helper()
	past := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	if err := app.DB.W.Model(&booking.Booking{}).Where("id = ?", id).Update("hold_until", past).Error; err != nil {
		t.Fatal(err)
	}
}

func TestApprovalRefusedWhenHoldExpired(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		car := demoCar(t, app, "HVL-317")
		emp := kaputest.SignedIn(t, app, "employee")
		request := func(days int) (booking.Booking, approval.Request) {
			emp.Get("/bookings/cars/new")
			if res, _ := emp.Post("/bookings/cars/new", carForm(app, car, days, "08:00", "12:00")); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("car request = %d; want 303", res.StatusCode)
			}
			b := lastBooking(t, app, "employee")
			decideByMail(t, app, "manager", true, "") // the line manager's step
			return b, approvalOf(t, app, booking.KindCarApproval, b)
		}

		// In the app: fleet approves after the hold ran out.
		b, req := request(1)
		expireHold(t, app, b.ID)
		fleet := kaputest.SignedIn(t, app, "fleet")
		path := fmt.Sprintf("/approvals/%d", req.ID)
		fleet.Get(path)
		res, body := fleet.Post(path, url.Values{"decision": {"approve"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "its hold expired") {
			t.Errorf("approving an expired hold in the app = %d; want 409 explaining the hold expired\n%s", res.StatusCode, body)
		}
		app.DB.R.First(&b, b.ID)
		app.DB.R.First(&req, req.ID)
		if b.Status == booking.StatusConfirmed || req.Status != approval.StatusWithdrawn {
			t.Errorf("after the refusal: booking %s, request %s; want not confirmed, withdrawn", b.Status, req.Status)
		}

		// By the email link: the same words, and the link is spent.
		b2, req2 := request(2)
		expireHold(t, app, b2.ID)
		mails := kaputest.MailsTo(t, app, "fleet")
		yes, _ := kaputest.Links(t, mails[len(mails)-1])
		res, body = kaputest.PostLink(kaputest.NewClient(t, app), yes, kaputest.SigFor(t, app, yes), "")
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "its hold expired") {
			t.Errorf("approving an expired hold by link = %d; want 409 explaining the hold expired\n%s", res.StatusCode, body)
		}
		app.DB.R.First(&b2, b2.ID)
		app.DB.R.First(&req2, req2.ID)
		if b2.Status == booking.StatusConfirmed || req2.Status != approval.StatusWithdrawn {
			t.Errorf("after the link refusal: booking %s, request %s; want not confirmed, withdrawn", b2.Status, req2.Status)
		}
		if res, _ := kaputest.PostLink(kaputest.NewClient(t, app), yes, kaputest.SigFor(t, app, yes), ""); res.StatusCode == http.StatusInternalServerError {
			t.Errorf("pressing the link again = 500")
		}
	})
}

// TestBookingAdminQuantityRace lowers a pool while people book it at the same
// time: whichever comes first, what is booked never exceeds the quantity the
// pool ends up with.
func TestBookingAdminQuantityRace(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		a := kaputest.Person(t, app, "admin").Actor()
		for round := 0; round < 3; round++ {
			pool, err := app.Booking.CreateResource(ctx, a, booking.KindEquipment, booking.ResourceInput{
				Name: fmt.Sprintf("Széksor %d", round), Unit: booking.UnitFacilities, Quantity: 5, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			const bookers = 12
			booker := kaputest.Person(t, app, "employee").Actor()
			from, to, err := booking.LocalTimes(kaputest.Today(t, app).AddDays(3), "09:00", "10:00", app.Cfg.TZ)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, bookers+1)
			start := make(chan struct{})
			for i := 0; i < bookers; i++ {
				room := spareRoom(t, app) // equipment goes with a room
				go func() {
					<-start
					_, err := app.Booking.Book(ctx, booker, booking.BookingInput{ResourceID: room.ID, Start: from, End: to,
						Equipment: []booking.EquipmentLine{{ResourceID: pool.ID, Quantity: 1}}})
					done <- err
				}()
			}
			go func() {
				<-start
				_, err := app.Booking.UpdateResource(ctx, a, pool.ID, booking.ResourceInput{
					Name: pool.Name, Unit: booking.UnitFacilities, Quantity: 3, Active: true})
				done <- err
			}()
			close(start)
			for i := 0; i < bookers+1; i++ {
				if err := <-done; err != nil && !errors.Is(err, booking.ErrPoolFull) {
					var qe *booking.QuantityError
					if !errors.As(err, &qe) {
						t.Errorf("round %d: unexpected error %v", round, err)
					}
				}
			}
			var final booking.Resource
			app.DB.R.First(&final, pool.ID)
			var booked int64
			app.DB.R.Model(&booking.Booking{}).Where("resource_id = ? AND status IN ?", pool.ID,
				[]string{booking.StatusConfirmed, booking.StatusHold}).Select("COALESCE(SUM(quantity), 0)").Scan(&booked)
			if booked > int64(final.Quantity) || booked == 0 {
				t.Errorf("round %d: %d booked with the pool at %d", round, booked, final.Quantity)
			}
		}
	})
}
