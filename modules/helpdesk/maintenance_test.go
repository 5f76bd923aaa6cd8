package helpdesk

import (
	"context"
	"errors"
	"testing"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestAddMonths(t *testing.T) {
	cases := []struct {
		d    calendar.Date
		n    int
		want calendar.Date
	}{
		{calendar.NewDate(2026, 1, 31), 1, calendar.NewDate(2026, 2, 28)},
		{calendar.NewDate(2028, 1, 31), 1, calendar.NewDate(2028, 2, 29)},
		{calendar.NewDate(2026, 3, 3), 3, calendar.NewDate(2026, 6, 3)},
		{calendar.NewDate(2026, 11, 30), 12, calendar.NewDate(2027, 11, 30)},
		{calendar.NewDate(2026, 12, 15), 1, calendar.NewDate(2027, 1, 15)},
	}
	for _, c := range cases {
		if got := addMonths(c.d, c.n); !got.Equal(c.want) {
			t.Errorf("addMonths(%v, %d) = %v; want %v", c.d, c.n, got, c.want)
		}
	}
}

func TestMaintenanceJobOpensOneTicketOnTheDueDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		must(t, d.W.Model(&Queue{}).Where("id = ?", f.maintQueue.ID).Update("lead_id", f.fac.ID).Error)
		boiler, err := f.s.SaveAsset(ctx, f.fac, 0, AssetInput{Tag: "KAZ-1", Type: "kazán", Building: "Városháza", Floor: "pince",
			QueueKey: QueueMaintenance})
		must(t, err)
		// testNow is Monday 2 March 2026; the plan is due on the 3rd, every three months.
		plan, err := f.s.SavePlan(ctx, f.fac, boiler.ID, 0, PlanInput{Title: "Kazán éves karbantartása", CategoryID: f.maintCat,
			EveryMonths: 3, NextDue: calendar.NewDate(2026, 3, 3)})
		must(t, err)
		tickets := func() []Ticket {
			var list []Ticket
			must(t, d.W.Where("asset_id = ?", boiler.ID).Order("id").Find(&list).Error)
			return list
		}
		nextDue := func() calendar.Date {
			var p MaintenancePlan
			must(t, d.W.First(&p, plan.ID).Error)
			return p.NextDue
		}

		// The day before: nothing.
		n, err := f.s.RunMaintenance(ctx)
		must(t, err)
		if n != 0 || len(tickets()) != 0 || !nextDue().Equal(calendar.NewDate(2026, 3, 3)) {
			t.Fatalf("the day before: %d opened, %d tickets, next %v; want none, still 3 March", n, len(tickets()), nextDue())
		}
		// The due day, early in the morning in Budapest: one ticket, the date moves on.
		f.clock = time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
		n, err = f.s.RunMaintenance(ctx)
		must(t, err)
		list := tickets()
		if n != 1 || len(list) != 1 {
			t.Fatalf("the due day: %d opened, %d tickets; want 1", n, len(list))
		}
		tk := list[0]
		if tk.Title != "Kazán éves karbantartása" || tk.QueueID != f.maintQueue.ID || tk.CategoryID != f.maintCat ||
			tk.ReporterID != f.fac.ID || tk.Impact != ImpactCanWait || tk.Building != "Városháza" || tk.State != StateNew {
			t.Errorf("ticket = %+v; want the plan's title in maintenance, by the lead, can wait, at the boiler", tk)
		}
		if got := nextDue(); !got.Equal(calendar.NewDate(2026, 6, 3)) {
			t.Errorf("next due = %v; want 3 June", got)
		}
		// A second run the same day: nothing more.
		f.clock = f.clock.Add(2 * time.Hour)
		n, err = f.s.RunMaintenance(ctx)
		must(t, err)
		if n != 0 || len(tickets()) != 1 {
			t.Errorf("second run: %d opened, %d tickets; want 0, 1", n, len(tickets()))
		}
		// Down from May to late September: 3 June and 3 September were
		// missed; one ticket stands for them, the next date is after today.
		f.clock = time.Date(2026, 9, 20, 8, 0, 0, 0, time.UTC)
		n, err = f.s.RunMaintenance(ctx)
		must(t, err)
		if n != 1 || len(tickets()) != 2 || !nextDue().Equal(calendar.NewDate(2026, 12, 3)) {
			t.Errorf("after downtime: %d opened, %d tickets, next %v; want 1, 2, 3 December", n, len(tickets()), nextDue())
		}
		if c := f.count(t, &MaintenanceRun{}); c != 2 {
			t.Errorf("%d ledger rows; want 2", c)
		}
		// Planned maintenance is not a fault in the asset's history.
		h, err := f.s.AssetHistory(ctx, f.fac, boiler.ID)
		must(t, err)
		if len(h.Tickets) != 2 || h.Faults != 0 || !h.Tickets[0].Preventive() {
			t.Errorf("history: %d tickets, %d faults; want 2 listed as planned, 0 faults", len(h.Tickets), h.Faults)
		}
	})
}

func TestMaintenancePlanRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pc, err := f.s.SaveAsset(ctx, f.it1, 0, printer("NY-1")) // the IT queue, which has no lead here
		must(t, err)
		good := PlanInput{Title: "Tisztítás", CategoryID: f.itCat, EveryMonths: 6, NextDue: calendar.NewDate(2026, 3, 1)}
		for _, c := range []struct {
			name string
			edit func(*PlanInput)
			want error
		}{
			{"no title", func(p *PlanInput) { p.Title = " " }, ErrPlanTitle},
			{"zero months", func(p *PlanInput) { p.EveryMonths = 0 }, ErrPlanEvery},
			{"no date", func(p *PlanInput) { p.NextDue = calendar.Date{} }, ErrPlanDue},
			{"other queue's category", func(p *PlanInput) { p.CategoryID = f.maintCat }, ErrPlanCategory},
		} {
			in := good
			c.edit(&in)
			if _, err := f.s.SavePlan(ctx, f.it1, pc.ID, 0, in); !errors.Is(err, c.want) {
				t.Errorf("%s: %v; want %v", c.name, err, c.want)
			}
		}
		if _, err := f.s.SavePlan(ctx, f.emp, pc.ID, 0, good); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee plans: %v; want forbidden", err)
		}
		p, err := f.s.SavePlan(ctx, f.it1, pc.ID, 0, good)
		must(t, err)
		// Due, but the queue has no lead to report it: it waits, nothing breaks.
		n, err := f.s.RunMaintenance(ctx)
		must(t, err)
		if n != 0 || f.count(t, &Ticket{}) != 0 {
			t.Errorf("no lead: %d opened; want 0", n)
		}
		if _, err := f.s.SavePlan(ctx, f.it1, 999, p.ID, good); !errors.Is(err, ErrAssetNotFound) {
			t.Errorf("a plan of a missing asset: %v", err)
		}
		must(t, f.s.DeletePlan(ctx, f.it1, pc.ID, p.ID))
		if f.count(t, &MaintenancePlan{}) != 0 {
			t.Errorf("the plan is still there after its deletion")
		}
	})
}
