package booking_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// rushAnswer is what one racer got back.
type rushAnswer struct {
	kind   string
	status int
	body   string
	err    error
}

// rushPost posts form to app as c, like c.Post, but safe to call from many
// goroutines at once (it neither fails the test nor keeps the CSRF token).
func rushPost(app *kapu.App, c *kaputest.Client, path string, form url.Values) (int, string, error) {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("_csrf", c.CSRF)
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test"+path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "en")
	for _, ck := range c.Cookies() {
		req.AddCookie(ck)
	}
	res, err := app.Web.App.Test(req, -1)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), nil
}

// TestBookingRushOnOneSlot sends 50 car requests for one car and 50 bookings
// of a room that needs approval for one slot, all at once, over HTTP: exactly
// one of each is held with its approval request, every other racer is told the
// time is already booked, and the server keeps answering while they run. On
// PostgreSQL this used to lock up: each waiter for the booking lock held a
// pooled connection, and the holder's approval read outside its transaction
// waited for one of them for good.
func TestBookingRushOnOneSlot(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		const racers = 50
		car := demoCar(t, app, "ABC-123")
		room := kaputest.Resource(t, app, "Polgármesteri tárgyaló")
		day := kaputest.WorkdayFrom(t, app, 2).String()
		carForm := url.Values{"car": {fmt.Sprint(car.ID)}, "start_day": {day}, "start_time": {"09:00"}, "end_day": {day},
			"end_time": {"12:00"}, "destination": {"Szeged"}, "purpose": {"Egyeztetés"}, "passengers": {"1"}}
		roomForm := url.Values{"resource": {fmt.Sprint(room.ID)}, "day": {day}, "from": {"10:00"}, "to": {"11:00"},
			"title": {"Delegáció"}, "attendees": {"4"}}
		var clients []*kaputest.Client
		for _, u := range []string{"employee", "hr", "it", "storekeeper", "frontdesk"} {
			c := kaputest.SignedIn(t, app, u)
			c.Get("/bookings/new") // the CSRF token of the session
			clients = append(clients, c)
		}

		answers := make(chan rushAnswer, 2*racers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 2*racers; i++ {
			c := clients[i%len(clients)]
			kind, path, form := "car", "/bookings/cars/new", carForm
			if i%2 == 1 {
				kind, path, form = "room", "/bookings/new", roomForm
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				status, body, err := rushPost(app, c, path, form)
				answers <- rushAnswer{kind: kind, status: status, body: body, err: err}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()

		// While the racers run, the server must keep answering: /readyz
		// (a database ping) and a page read, each within a couple of seconds.
		type probe struct {
			path   string
			status int
			took   time.Duration
			err    error
		}
		probes := make(chan probe, 1000)
		probeDone := make(chan struct{})
		reader := clients[0]
		go func() {
			defer close(probeDone)
			for n := 0; ; n++ {
				path := "/readyz"
				if n%2 == 1 {
					path = "/bookings/mine"
				}
				req, _ := http.NewRequest(http.MethodGet, "http://kapu.test"+path, nil)
				for _, ck := range reader.Cookies() {
					req.AddCookie(ck)
				}
				began := time.Now()
				res, err := app.Web.App.Test(req, 10_000)
				p := probe{path: path, took: time.Since(began), err: err}
				if err == nil {
					p.status = res.StatusCode
					res.Body.Close()
				}
				probes <- p
				select { // read first, then wait: SQLite's racers may all be done within 100 ms
				case <-done:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()

		close(start)
		select {
		case <-done:
		case <-time.After(90 * time.Second):
			t.Fatalf("the racers did not all get an answer within 90 s: the server locked up")
		}
		<-probeDone
		close(answers)
		close(probes)

		won := map[string]int{}
		for a := range answers {
			switch {
			case a.err != nil:
				t.Errorf("%s racer: %v", a.kind, a.err)
			case a.status == http.StatusSeeOther:
				won[a.kind]++
			case a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "this time is already booked"):
				t.Errorf("%s racer = %d; want 303 or 422 saying the time is already booked", a.kind, a.status)
			}
		}
		if won["car"] != 1 || won["room"] != 1 {
			t.Errorf("winners = %v; want exactly one car request and one room booking", won)
		}
		n := 0
		for p := range probes {
			n++
			if p.err != nil || p.status != http.StatusOK || p.took > 3*time.Second {
				t.Errorf("GET %s during the rush = %d after %v (%v); want 200 within a couple of seconds", p.path, p.status, p.took.Round(time.Millisecond), p.err)
			}
		}
		if n == 0 {
			t.Errorf("nothing was read while the racers ran")
		}

		// In the database: one hold each, and each with its pending approval.
		for _, r := range []booking.Resource{car, room} {
			var held []booking.Booking
			app.DB.R.Where("resource_id = ? AND status = ?", r.ID, booking.StatusHold).Find(&held)
			if len(held) != 1 {
				t.Errorf("%s: %d held bookings; want 1", r.Name, len(held))
				continue
			}
			kind := booking.KindCarApproval
			if r.Kind == booking.KindRoom {
				kind = booking.KindRoomApproval
			}
			if req := approvalOf(t, app, kind, held[0]); req.Status != "pending" {
				t.Errorf("%s: approval request %s; want pending", r.Name, req.Status)
			}
		}
	})
}
