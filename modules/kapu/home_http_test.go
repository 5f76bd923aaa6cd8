package kapu_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"kapu/modules/booking"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/leave"
	"kapu/modules/platform/calendar"
)

// The start page is "my day": my bookings today, my leave ahead and where it
// stands, what waits for my decision, and who of my team is away; services
// not built yet are tiles that cannot be opened.
func TestStartPageIsMyDay(t *testing.T) {
	t.Parallel()
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		ctx := context.Background()
		emp, hr := kaputest.Person(t, app, "employee"), kaputest.Person(t, app, "hr")
		tz := app.Cfg.TZ
		today := calendar.Today(tz)

		// A booking under way today, whatever the hour the test runs.
		dayStart, _ := calendar.At(today, 0, 0, tz)
		dayEnd, _ := calendar.At(today.AddDays(1), 0, 0, tz)
		now := time.Now()
		room := kaputest.Resource(t, app, "Kis tárgyaló")
		b := booking.Booking{ResourceID: room.ID, PersonID: emp.ID, Title: "Ügyféltalálkozó",
			StartAt: dayStart.Add(now.Sub(dayStart) / 2).UTC(), EndAt: now.Add(dayEnd.Sub(now) / 2).UTC(),
			Quantity: 1, Status: booking.StatusConfirmed}
		b.BlockEnd = b.EndAt
		if err := app.DB.W.Create(&b).Error; err != nil {
			t.Fatal(err)
		}

		types, err := app.Leave.Types(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		var annual leave.Type
		for _, ty := range types {
			if ty.Code == "annual" {
				annual = ty
			}
		}
		year := today.Year
		for _, p := range []string{"employee", "simon.reka"} {
			if err := app.Leave.SetAllocation(ctx, hr.Actor(), kaputest.Person(t, app, p).ID, year, 40, "test"); err != nil {
				t.Fatal(err)
			}
		}
		ahead := kaputest.WorkdayOnOrAfter(t, app, today.AddDays(20))
		if _, err := app.Leave.Submit(ctx, emp.Actor(), emp.ID, leave.RequestInput{TypeID: annual.ID, Start: ahead, End: ahead}); err != nil {
			t.Fatal(err)
		}
		away := kaputest.WorkdayOnOrAfter(t, app, today)
		if away.After(today.AddDays(5)) {
			t.Fatalf("no working day this week from %v", today)
		}
		reka := kaputest.Person(t, app, "simon.reka")
		if _, err := app.Leave.Submit(ctx, hr.Actor(), reka.ID, leave.RequestInput{TypeID: annual.ID, Start: away, End: away}); err != nil {
			t.Fatal(err)
		}

		res, body := kaputest.SignedIn(t, app, "employee").Get("/")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET / = %d", res.StatusCode)
		}
		manager := kaputest.Person(t, app, "manager").Name
		for _, want := range []string{
			"My bookings today", "Kis tárgyaló", "Ügyféltalálkozó",
			"My leave", "Waiting for " + manager + " (step 1 of 1)",
			"Away from my team in the next 7 days", reka.Name,
			`class="tile" href="/training"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the employee's start page lacks %q", want)
			}
		}
		if strings.Contains(body, "Waiting for my decision") {
			t.Errorf("an employee who decides nothing sees an empty approvals card")
		}

		_, body = kaputest.SignedIn(t, app, "manager").Get("/")
		if !strings.Contains(body, "Waiting for my decision") || !strings.Contains(body, emp.Name) {
			t.Errorf("the manager's start page does not list the employee's request waiting for them")
		}
	})
}
