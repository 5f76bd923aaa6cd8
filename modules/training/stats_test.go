package training

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
	"kapu/modules/platform/stats"
)

// statsStaff are the fixture's five people: Antal keeps the records (HR)
// and with Bea and Edit (who left on 31 March) works in the first
// department; Csaba and Dóra (who joined on 1 March) in the second.
type statsStaff struct {
	antal, bea, csaba, dora, edit *people.Person
}

func newStatsStaff(t *testing.T, f *statsFixture) statsStaff {
	var s statsStaff
	s.antal = f.person(t, "antal", "Antal Anna", f.dept1, actor.HR)
	s.bea = f.person(t, "bea", "Bea Béla", f.dept1)
	s.csaba = f.person(t, "csaba", "Csaba Cecília", f.dept2)
	s.dora = f.person(t, "dora", "Dóra Dénes", f.dept2)
	s.edit = f.person(t, "edit", "Edit Elek", f.dept1)
	statsMust(t, f.d.W.Model(s.dora).Update("employed_from", statsDay(t, "2026-03-01")).Error)
	statsMust(t, f.d.W.Model(s.edit).Updates(map[string]any{"employed_until": statsDay(t, "2026-03-31"), "active": false}).Error)
	return s
}

func statsYear(t *testing.T, y string) stats.Period {
	return stats.PeriodOf(stats.Year, statsDay(t, y+"-01-01"))
}

// A year's hours, points and cost add the completions' own minutes and
// points (not the training's) and the training's cost per completion, per
// person, department, year and training; the year before stays out, and a
// department filter keeps only its people.
func TestStatsEfforts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newStatsFixture(t, d)
		p := newStatsStaff(t, f)
		ctx := context.Background()
		excel := f.training(t, Training{Year: 2026, Code: "EXCEL", Minutes: 480, Points: 8, CostFt: 30000})
		ethics := f.training(t, Training{Year: 2026, Code: "ETHICS", Minutes: 60, Points: 2})
		old := f.training(t, Training{Year: 2025, Code: "EXCEL", Minutes: 480, Points: 8, CostFt: 25000})
		f.complete(t, p.antal, excel, "2026-03-02", 450, 8, "")
		f.complete(t, p.antal, ethics, "2026-05-04", 60, 2, "")
		f.complete(t, p.csaba, excel, "2026-06-01", 480, 7, "")
		f.complete(t, p.bea, old, "2025-12-31", 480, 8, "") // the year before

		st, err := f.s.Stats(ctx, p.antal.Actor(), StatsFilter{Period: statsYear(t, "2026")})
		statsMust(t, err)
		if want := (Effort{Completions: 3, Minutes: 990, Points: 17, CostFt: 60000}); st.Total != want || st.Trained != 2 {
			t.Errorf("total = %+v, %d trained; want %+v, 2", st.Total, st.Trained, want)
		}
		if len(st.People) != 2 || st.People[0].PersonID != p.antal.ID || st.People[0].Minutes != 510 || st.People[0].CostFt != 30000 ||
			st.People[1].PersonID != p.csaba.ID || st.People[1].Points != 7 || st.People[1].Department != "Hatósági Osztály" {
			t.Errorf("people = %+v; want Antal 510 min 30000 Ft, then Csaba 7 points", st.People)
		}
		// Departments in Hungarian name order, their active staff now.
		if len(st.Depts) != 2 || st.Depts[0].DepartmentID != f.dept2 || st.Depts[0].Staff != 2 || st.Depts[0].Minutes != 480 ||
			st.Depts[1].DepartmentID != f.dept1 || st.Depts[1].Staff != 2 || st.Depts[1].Trained != 1 || st.Depts[1].Completions != 2 {
			t.Errorf("departments = %+v; want Hatósági (2 staff, 480 min), Pénzügyi (2 staff, 1 trained, 2 completions)", st.Depts)
		}
		if len(st.Years) != 1 || st.Years[0].Year != 2026 || st.Years[0].Effort != st.Total || st.Years[0].Trained != 2 {
			t.Errorf("years = %+v; want 2026 = the total", st.Years)
		}
		if len(st.Trainings) != 2 || st.Trainings[0].Training.ID != excel.ID || st.Trainings[0].Completions != 2 {
			t.Errorf("trainings = %+v; want EXCEL 2026 first with 2 completions", st.Trainings)
		}

		// A range of two years has a row per year; the department filter keeps its people.
		st, err = f.s.Stats(ctx, p.antal.Actor(), StatsFilter{Period: stats.RangeOf(statsDay(t, "2025-01-01"), statsDay(t, "2026-12-31")), DepartmentID: f.dept1})
		statsMust(t, err)
		if len(st.Years) != 2 || st.Years[0].Completions != 1 || st.Years[0].CostFt != 25000 || st.Years[1].Completions != 2 {
			t.Errorf("years of Pénzügyi 2025–2026 = %+v; want 1 (25000 Ft) and 2", st.Years)
		}
		if len(st.Depts) != 1 || st.Depts[0].DepartmentID != f.dept1 || st.Total.Completions != 3 {
			t.Errorf("Pénzügyi alone: departments %+v, total %+v; want one department, 3 completions", st.Depts, st.Total)
		}
	})
}

// Compliance at each month's end: the people a mandatory training covers
// (everyone, a department, a role) and on the staff then, and of them those
// with a valid completion of its code from any year; the month now running
// ends today and the months to come have no figures.
func TestStatsCompliance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newStatsFixture(t, d)
		p := newStatsStaff(t, f)
		fire25 := f.training(t, Training{Year: 2025, Code: "FIRE", Mandatory: true, ValidMonths: 12})
		fire := f.training(t, Training{Year: 2026, Code: "FIRE", Mandatory: true, ValidMonths: 12})
		gdpr := f.training(t, Training{Year: 2026, Code: "GDPR", Mandatory: true, Target: TargetDepartments, TargetList: statsItoa(f.dept2)})
		lead := f.training(t, Training{Year: 2026, Code: "LEAD", Mandatory: true, Target: TargetRoles, TargetList: actor.HR})
		f.training(t, Training{Year: 2026, Code: "EXCEL"}) // optional: not in the figures
		f.complete(t, p.antal, fire25, "2025-02-10", 240, 0, "2026-02-09")
		f.complete(t, p.bea, fire, "2026-04-15", 240, 0, "2027-04-14")
		f.complete(t, p.csaba, gdpr, "2019-05-05", 60, 0, "") // valid for ever
		f.complete(t, p.csaba, gdpr, "2022-05-05", 60, 0, "")
		f.complete(t, p.antal, lead, "2026-06-16", 60, 0, "") // tomorrow: not yet

		st, err := f.s.Stats(context.Background(), p.antal.Actor(), StatsFilter{Period: statsYear(t, "2026")})
		statsMust(t, err)
		if len(st.Mandatory) != 3 || st.Mandatory[0].Code != "FIRE" || st.Mandatory[0].Training.ID != fire.ID || st.Mandatory[1].Code != "GDPR" || st.Mandatory[2].Code != "LEAD" {
			t.Fatalf("mandatory = %+v; want FIRE (2026), GDPR, LEAD", st.Mandatory)
		}
		if len(st.Compliance) != 12 {
			t.Fatalf("%d months; want 12", len(st.Compliance))
		}
		for _, tt := range []struct {
			month            int
			fire, gdpr, lead Coverage
		}{
			{1, Coverage{4, 1}, Coverage{1, 1}, Coverage{1, 0}}, // Dóra not yet, Edit still
			{2, Coverage{4, 0}, Coverage{1, 1}, Coverage{1, 0}}, // Antal's certificate ran out on 9 February
			{3, Coverage{5, 0}, Coverage{2, 1}, Coverage{1, 0}}, // Dóra from 1 March, Edit until 31 March
			{4, Coverage{4, 1}, Coverage{2, 1}, Coverage{1, 0}},
			{6, Coverage{4, 1}, Coverage{2, 1}, Coverage{1, 0}},
		} {
			cm := st.Compliance[tt.month-1]
			want := []Coverage{tt.fire, tt.gdpr, tt.lead}
			for i := range want {
				if cm.Codes[i] != want[i] {
					t.Errorf("month %d %s = %+v; want %+v", tt.month, st.Mandatory[i].Code, cm.Codes[i], want[i])
				}
			}
			all := Coverage{tt.fire.Covered + tt.gdpr.Covered + tt.lead.Covered, tt.fire.Valid + tt.gdpr.Valid + tt.lead.Valid}
			if cm.All != all {
				t.Errorf("month %d all = %+v; want %+v", tt.month, cm.All, all)
			}
		}
		if jun := st.Compliance[5]; !jun.Now || jun.End != statsDay(t, "2026-06-15") || jun.Future {
			t.Errorf("June = %+v; want now, ending today", jun)
		}
		if jul := st.Compliance[6]; !jul.Future || jul.All.Covered != 0 {
			t.Errorf("July = %+v; want to come, no figures", jul)
		}
		if v, ok := st.Compliance[0].Codes[0].Share(); !ok || v != 25 {
			t.Errorf("January's FIRE share = %v, %v; want 25 %%", v, ok)
		}

		// The second department alone: FIRE covers Csaba (and Dóra from March).
		st, err = f.s.Stats(context.Background(), p.antal.Actor(), StatsFilter{Period: statsYear(t, "2026"), DepartmentID: f.dept2})
		statsMust(t, err)
		if got := st.Compliance[0].Codes[0]; got != (Coverage{1, 0}) {
			t.Errorf("Hatósági, January FIRE = %+v; want 1 covered, 0 valid", got)
		}
		if got := st.Compliance[0].Codes[2]; got != (Coverage{}) {
			t.Errorf("Hatósági, January LEAD = %+v; want nobody covered", got)
		}
	})
}

// The no-show rate is the no_show outcomes over every recorded outcome of
// the period's sessions; feedback averages per training and per provider.
func TestStatsSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newStatsFixture(t, d)
		p := newStatsStaff(t, f)
		excel := f.training(t, Training{Year: 2026, Code: "EXCEL", Provider: "Oktatás Kft."})
		word := f.training(t, Training{Year: 2026, Code: "WORD", Provider: "Oktatás Kft."})
		s1 := f.session(t, excel, "2026-03-10")
		f.enrolment(t, p.antal, s1, OutcomeCompleted, 5)
		f.enrolment(t, p.bea, s1, OutcomeNoShow, 0)
		f.enrolment(t, p.csaba, s1, OutcomeAttended, 4)
		f.enrolment(t, p.dora, s1, "", 0) // no outcome yet
		s2 := f.session(t, word, "2026-04-10")
		f.enrolment(t, p.antal, s2, OutcomeCompleted, 2)
		old := f.session(t, excel, "2025-11-10")
		f.enrolment(t, p.dora, old, OutcomeNoShow, 1)

		st, err := f.s.Stats(context.Background(), p.antal.Actor(), StatsFilter{Period: statsYear(t, "2026")})
		statsMust(t, err)
		if st.NoShow.Outcomes != 4 || st.NoShow.NoShows != 1 {
			t.Errorf("no-shows = %+v; want 1 of 4", st.NoShow)
		}
		if len(st.NoShows) != 2 || st.NoShows[0].Training.ID != excel.ID || st.NoShows[0].Outcomes != 3 {
			t.Errorf("per training = %+v; want EXCEL 1 of 3 first", st.NoShows)
		}
		if r, ok := st.NoShows[0].Rate(); !ok || r < 33.3 || r > 33.4 {
			t.Errorf("EXCEL's no-show rate = %v; want 33.3 %%", r)
		}
		if len(st.Ratings) != 2 || st.Ratings[0].Training.ID != excel.ID || st.Ratings[0].Scores.Count() != 2 {
			t.Fatalf("ratings = %+v; want EXCEL (2) first", st.Ratings)
		}
		if avg, _ := st.Ratings[0].Scores.Average(); avg != 4.5 {
			t.Errorf("EXCEL's average = %v; want 4.5", avg)
		}
		if len(st.Providers) != 1 || st.Providers[0].Provider != "Oktatás Kft." || st.Providers[0].Scores.Count() != 3 {
			t.Errorf("providers = %+v; want Oktatás Kft. with 3 ratings", st.Providers)
		}
	})
}

// The expiring certificates are the active people's valid until today to
// 90 days ahead, soonest first, without those a later completion renewed.
func TestStatsExpiring(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newStatsFixture(t, d)
		p := newStatsStaff(t, f)
		aid := f.training(t, Training{Year: 2024, Code: "AID", Certificate: true, ValidMonths: 24})
		aid26 := f.training(t, Training{Year: 2026, Code: "AID", Certificate: true, ValidMonths: 24})
		want := f.complete(t, p.bea, aid, "2024-07-01", 240, 0, "2026-07-01")
		last := f.complete(t, p.dora, aid, "2024-09-13", 240, 0, "2026-09-13")                                    // the 90th day
		f.complete(t, p.antal, aid, "2024-08-01", 240, 0, "2026-08-01")                                           // renewed:
		f.complete(t, p.antal, aid26, "2026-06-01", 240, 0, "2028-06-01")                                         // …here
		f.complete(t, p.edit, aid, "2024-07-02", 240, 0, "2026-07-02")                                            // left
		f.complete(t, p.csaba, aid, "2024-06-14", 240, 0, "2026-06-14")                                           // ran out yesterday
		f.complete(t, p.csaba, f.training(t, Training{Year: 2024, Code: "X"}), "2024-10-01", 60, 0, "2026-09-14") // day 91

		st, err := f.s.Stats(context.Background(), p.antal.Actor(), StatsFilter{Period: statsYear(t, "2025")})
		statsMust(t, err)
		if len(st.Expiring) != 2 || st.Expiring[0].CompletionID != want.ID || st.Expiring[0].DaysLeft != 16 ||
			st.Expiring[0].Department != "Pénzügyi Osztály" || st.Expiring[1].CompletionID != last.ID || st.Expiring[1].DaysLeft != 90 {
			t.Errorf("expiring = %+v; want Bea's (16 days), then Dóra's (90 days)", st.Expiring)
		}
	})
}

// Only HR and the administrators read the statistics.
func TestStatsForbidden(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newStatsFixture(t, d)
		p := newStatsStaff(t, f)
		admin := f.person(t, "root", "Rendszergazda", 0, actor.Admin)
		for _, tt := range []struct {
			who  actor.Actor
			want error
		}{
			{p.bea.Actor(), ErrStatsForbidden},
			{actor.Actor{Roles: []string{actor.HR}}, ErrStatsForbidden}, // nobody
			{admin.Actor(), nil},
			{p.antal.Actor(), nil},
		} {
			_, err := f.s.Stats(context.Background(), tt.who, StatsFilter{Period: statsYear(t, "2026")})
			if !errors.Is(err, tt.want) {
				t.Errorf("Stats as %v = %v; want %v", tt.who.Roles, err, tt.want)
			}
		}
	})
}

func statsItoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
