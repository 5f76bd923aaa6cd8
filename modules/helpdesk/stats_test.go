package helpdesk

import (
	"context"
	"errors"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/stats"
)

// statsSet writes a small known year: ten resolved IT tickets in January
// and early February (responses 10…100 min, resolutions 1…10 h, two
// breached), two open from February and one from March 1; a maintenance
// ticket; faults on three assets of two models; three ratings.
func statsSet(t *testing.T, f *fixture) {
	t.Helper()
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, budapest).UTC() }
	ptr := func(v int) *int { return &v }
	tp := func(v time.Time) *time.Time { return &v }
	hp := Asset{Tag: "IT-PRN-0001", Type: "nyomtató", Model: "HP LaserJet P2055dn", State: AssetInUse}
	hp2 := Asset{Tag: "IT-PRN-0002", Type: "nyomtató", Model: "HP LaserJet P2055dn", State: AssetInUse}
	pc := Asset{Tag: "IT-PC-0001", Type: "asztali számítógép", Model: "Dell OptiPlex 7050", State: AssetInUse}
	must(t, f.d.W.Create(&[]*Asset{&hp, &hp2, &pc}).Error)
	assetOf := []*uint{&hp.ID, &hp.ID, &hp.ID, &hp.ID, &hp.ID, &pc.ID, &pc.ID, &pc.ID, &hp2.ID, nil}
	var ts []Ticket
	for i := range 10 {
		created, resolved := day(time.January, 10, 9), day(time.January, 20, 9)
		if i >= 8 {
			created, resolved = day(time.January, 25, 9), day(time.February, 5, 9)
		}
		ts = append(ts, Ticket{QueueID: f.itQueue.ID, CategoryID: f.itCat, Title: "Nem nyomtat", ReporterID: f.emp.ID,
			Building: "Városháza", Impact: ImpactHinders, Urgency: UrgencyMedium, Priority: 3, State: StateClosed,
			ResponseMins: ptr(10 * (i + 1)), ResolveMins: ptr(60 * (i + 1)), SLABreached: i == 3 || i == 7,
			AssetID: assetOf[i], WorkMins: 30, CreatedAt: created, ResolvedAt: tp(resolved), ClosedAt: tp(resolved.Add(120 * time.Hour))})
	}
	for _, c := range []time.Time{day(time.February, 10, 10), day(time.February, 11, 10), day(time.March, 1, 10)} {
		ts = append(ts, Ticket{QueueID: f.itQueue.ID, CategoryID: f.itCat, Title: "Lassú", ReporterID: f.other.ID,
			Impact: ImpactHinders, Urgency: UrgencyMedium, Priority: 3, State: StateNew, CreatedAt: c})
	}
	ts = append(ts, Ticket{QueueID: f.maintQueue.ID, CategoryID: f.maintCat, Title: "Hideg van", ReporterID: f.emp.ID,
		Building: "Okmányiroda", Impact: ImpactHinders, Urgency: UrgencyMedium, Priority: 3, State: StateResolved,
		ResponseMins: ptr(5), ResolveMins: ptr(30), WorkMins: 45, CreatedAt: day(time.February, 3, 8), ResolvedAt: tp(day(time.February, 3, 9))})
	must(t, f.d.W.Create(&ts).Error)
	for i, score := range []int{5, 4, 4} {
		must(t, f.d.W.Create(&Rating{TicketID: ts[i].ID, Score: score, CreatedAt: day(time.January, 22, 10)}).Error)
	}
}

func TestStatsFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		statsSet(t, f)
		ctx := context.Background()
		year := stats.PeriodOf(stats.Year, calendar.NewDate(2026, 1, 1))
		st, err := f.s.Stats(ctx, f.it1, year)
		must(t, err)
		if len(st.Queues) != 1 || st.Queues[0].Queue.Key != QueueIT {
			t.Fatalf("IT staff see %d queues; want IT only", len(st.Queues))
		}
		q := st.Queues[0]
		if q.Tickets != 13 || q.Resolved != 10 || q.Breached != 2 {
			t.Errorf("tickets, resolved, breached = %d, %d, %d; want 13, 10, 2", q.Tickets, q.Resolved, q.Breached)
		}
		if v, ok := q.Compliance(); !ok || v != 80 {
			t.Errorf("compliance = %v, %v; want 80", v, ok)
		}
		for _, c := range []struct {
			name string
			d    stats.Dist
			p    float64
			want int
		}{{"response median", q.Response, 50, 50}, {"response p90", q.Response, 90, 90},
			{"resolution median", q.Resolve, 50, 300}, {"resolution p90", q.Resolve, 90, 540}} {
			if got, ok := c.d.P(c.p); !ok || got != c.want {
				t.Errorf("%s = %d, %v; want %d", c.name, got, ok, c.want)
			}
		}
		if q.WorkMins != 300 {
			t.Errorf("work = %d min; want 300", q.WorkMins)
		}
		if avg, ok := q.Ratings.Average(); !ok || q.Ratings.Count() != 3 || avg < 4.33 || avg > 4.34 {
			t.Errorf("ratings = %d, avg %v; want 3, 4.33", q.Ratings.Count(), avg)
		}
		// Months: 10 in January, 2 in February, 1 in March.
		want := map[time.Month]int{time.January: 10, time.February: 2, time.March: 1}
		if !st.Monthly || len(st.Days) != 12 {
			t.Fatalf("days = %d, monthly %v; want 12 months", len(st.Days), st.Monthly)
		}
		for _, p := range st.Days {
			if got := p.ByQueue[f.itQueue.ID]; got != want[p.Day.Month] {
				t.Errorf("%s: %d tickets; want %d", p.Day, got, want[p.Day.Month])
			}
		}
		// Backlog: two open at January's end (resolved on 5 February), two at
		// February's, three now (2 March).
		var backlog []int
		for _, p := range st.Backlog {
			backlog = append(backlog, p.ByQueue[f.itQueue.ID])
		}
		if len(backlog) != 3 || backlog[0] != 2 || backlog[1] != 2 || backlog[2] != 3 {
			t.Errorf("backlog = %v; want [2 2 3]", backlog)
		}
		if len(st.Models) == 0 || st.Models[0].Model != "HP LaserJet P2055dn" || st.Models[0].N != 6 || st.Models[0].Assets != 2 {
			t.Errorf("top model = %+v; want the HP LaserJet with 6 faults on 2 assets", st.Models)
		}
		if len(st.Assets) == 0 || st.Assets[0].Tag != "IT-PRN-0001" || st.Assets[0].N != 5 {
			t.Errorf("top asset = %+v; want IT-PRN-0001 with 5", st.Assets)
		}
		if len(st.Buildings) == 0 || st.Buildings[0].Name != "Városháza" || st.Buildings[0].N != 10 {
			t.Errorf("buildings = %+v; want Városháza 10 first", st.Buildings)
		}

		// Facilities see their queue only; an admin both; an employee none.
		fs, err := f.s.Stats(ctx, f.fac, year)
		must(t, err)
		if len(fs.Queues) != 1 || fs.Total.Tickets != 1 || fs.Total.WorkMins != 45 {
			t.Errorf("facilities: %d queues, %d tickets; want maintenance's 1", len(fs.Queues), fs.Total.Tickets)
		}
		admin := actor.Actor{ID: 999, Name: "Admin", Roles: []string{actor.Admin}}
		as, err := f.s.Stats(ctx, admin, year)
		must(t, err)
		if len(as.Queues) != 2 || as.Total.Tickets != 14 || as.Total.Resolved != 11 {
			t.Errorf("admin: %d queues, %d tickets, %d resolved; want 2, 14, 11", len(as.Queues), as.Total.Tickets, as.Total.Resolved)
		}
		if _, err := f.s.Stats(ctx, f.emp, year); !errors.Is(err, ErrForbidden) {
			t.Errorf("employee's statistics: %v; want ErrForbidden", err)
		}
		// A month's figures are per day.
		feb, err := f.s.Stats(ctx, f.it1, stats.PeriodOf(stats.Month, calendar.NewDate(2026, 2, 1)))
		must(t, err)
		if feb.Monthly || len(feb.Days) != 28 || feb.Total.Tickets != 2 {
			t.Errorf("February: monthly %v, %d days, %d tickets; want daily, 28, 2", feb.Monthly, len(feb.Days), feb.Total.Tickets)
		}
	})
}
