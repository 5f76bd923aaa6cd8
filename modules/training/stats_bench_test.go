package training

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
	"kapu/modules/platform/stats"
)

// The volumes: 5,000 staff and ten years of completions (≈ 400,000).
const (
	benchStaff       = 5000
	benchDepts       = 25
	benchYears       = 10
	benchCompletions = 400000
	// benchTrainings is each year's catalogue; the first five are mandatory.
	benchTrainings = 60
	// benchSessions of a year have benchSeats enrolments each, with outcomes.
	benchSessions = 200
	benchSeats    = 40
)

// benchInsert collects rows of one table and writes them in multi-row
// INSERTs of benchBatch rows.
type benchInsert struct {
	tb    testing.TB
	tx    *gorm.DB
	table string
	cols  []string
	args  []any
	rows  int
}

const benchBatch = 500

func (w *benchInsert) add(vals ...any) {
	w.args = append(w.args, vals...)
	if w.rows++; w.rows == benchBatch {
		w.flush()
	}
}

func (w *benchInsert) flush() {
	if w.rows == 0 {
		return
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(w.cols)), ", ") + ")"
	sql := "INSERT INTO " + w.table + " (" + strings.Join(w.cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", w.rows), ", ")
	if err := w.tx.Exec(sql, w.args...).Error; err != nil {
		w.tb.Fatalf("insert into %s: %v", w.table, err)
	}
	w.args, w.rows = w.args[:0], 0
}

// seedTrainingStats fills f's database to the volumes in bulk:
// benchDepts departments, benchStaff people (one in five joined during the
// ten years, one in ten left, one in twenty a manager), a catalogue of
// benchTrainings a year (fire safety yearly, first aid every three years
// with a certificate, data protection once, a safety course for five
// departments, a leaders' course for managers; the rest optional with a
// cost), benchCompletions completions spread evenly over the years (the
// mandatory ones first, each person's days inside their employment and
// never after today), and benchSessions sessions a year of benchSeats
// finished enrolments (8 % no-shows) with feedback from half of those who
// came.
func seedTrainingStats(tb testing.TB, f *statsFixture, today calendar.Date) {
	tb.Helper()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	d := f.d
	rnd := rand.New(rand.NewPCG(16, 2026))
	first := today.Year - benchYears + 1
	start := calendar.NewDate(first, 1, 1)
	created := time.Date(first, 1, 1, 8, 0, 0, 0, time.UTC)

	depts := []uint{f.dept1, f.dept2}
	for i := len(depts); i < benchDepts; i++ {
		dep := people.Department{Name: fmt.Sprintf("Próba Osztály %02d", i)}
		must(d.W.Create(&dep).Error)
		depts = append(depts, dep.ID)
	}
	staff := make([]people.Person, benchStaff)
	for i := range staff {
		dep := depts[i%len(depts)]
		p := people.Person{Username: fmt.Sprintf("tbench%04d", i), Name: fmt.Sprintf("Próba %04d", i),
			Email: fmt.Sprintf("tbench%04d@kapu.test", i), DepartmentID: &dep, Active: true, JobTitle: "ügyintéző",
			Roles: []people.PersonRole{{Role: actor.Employee}}}
		switch {
		case i%5 == 1:
			p.EmployedFrom = start.AddDays(rnd.IntN(start.DaysUntil(today)))
		case i%10 == 2:
			p.EmployedUntil = start.AddDays(rnd.IntN(start.DaysUntil(today)))
			p.Active = false
		}
		if i%20 == 3 {
			p.Roles = append(p.Roles, people.PersonRole{Role: actor.Manager})
		}
		staff[i] = p
	}
	must(d.W.CreateInBatches(&staff, 500).Error)

	// The catalogues: the mandatory trainings first in each year.
	safeDepts := make([]string, 5)
	for i := range safeDepts {
		safeDepts[i] = strconv.FormatUint(uint64(depts[i*3]), 10)
	}
	mandatory := []Training{
		{Code: "FIRE", Mandatory: true, Minutes: 60, ValidMonths: 12},
		{Code: "AID", Mandatory: true, Minutes: 480, Points: 4, Certificate: true, ValidMonths: 36, CostFt: 15000},
		{Code: "GDPR", Mandatory: true, Minutes: 90, Points: 2},
		{Code: "SAFE", Mandatory: true, Minutes: 120, ValidMonths: 24, Target: TargetDepartments, TargetList: strings.Join(safeDepts, "\n")},
		{Code: "LEAD", Mandatory: true, Minutes: 960, Points: 16, Central: true, CostFt: 80000, Target: TargetRoles, TargetList: actor.Manager},
	}
	years := make([][]Training, benchYears)
	for y := range years {
		for i := range benchTrainings {
			var t Training
			if i < len(mandatory) {
				t = mandatory[i]
			} else {
				t = Training{Code: fmt.Sprintf("OPT-%02d", i), Minutes: 60 * (1 + i%16), Points: i % 9, Central: i%2 == 0,
					CostFt: int64(5000 * (i % 12)), Provider: fmt.Sprintf("Képző %d Kft.", i%7)}
			}
			t.Year = first + y
			t.TitleHU, t.TitleEN = "Képzés "+t.Code, "Training "+t.Code
			t.Kind, t.Active = KindClassroom, true
			if t.Target == "" {
				t.Target = TargetEveryone
			}
			years[y] = append(years[y], t)
		}
		must(d.W.CreateInBatches(&years[y], 100).Error)
	}

	tx := d.W.Begin()
	must(tx.Error)
	comp := &benchInsert{tb: tb, tx: tx, table: "training_completions",
		cols: []string{"person_id", "training_id", "completed_on", "minutes", "points", "certificate_no", "valid_until", "source", "recorded_by_id", "created_at"}}
	employed := func(p *people.Person, on calendar.Date) bool {
		return (p.EmployedFrom.IsZero() || !on.Before(p.EmployedFrom)) && (p.EmployedUntil.IsZero() || !on.After(p.EmployedUntil))
	}
	// dayIn is a random day of year y on which p was employed, not after today.
	dayIn := func(p *people.Person, y int) (calendar.Date, bool) {
		from, last := calendar.NewDate(y, 1, 1), calendar.NewDate(y, 12, 31)
		if last.After(today) {
			last = today
		}
		if !p.EmployedFrom.IsZero() && p.EmployedFrom.After(from) {
			from = p.EmployedFrom
		}
		if !p.EmployedUntil.IsZero() && p.EmployedUntil.Before(last) {
			last = p.EmployedUntil
		}
		if last.Before(from) {
			return calendar.Date{}, false
		}
		on := from.AddDays(rnd.IntN(from.DaysUntil(last) + 1))
		return on, employed(p, on)
	}
	addMonths := func(on calendar.Date, months int) calendar.Date {
		return calendar.NewDate(on.Year, on.Month+time.Month(months), on.Day).AddDays(-1)
	}
	certNo := 0
	// A person completes a training once a day (training_completion_once):
	// a draw that repeats one is drawn again.
	type once struct {
		person, training uint
		on               calendar.Date
	}
	done := map[once]bool{}
	complete := func(p *people.Person, t *Training, on calendar.Date) bool {
		k := once{p.ID, t.ID, on}
		if done[k] {
			return false
		}
		done[k] = true
		var until any
		cert := ""
		if t.ValidMonths > 0 {
			until = addMonths(on, t.ValidMonths)
		}
		if t.Certificate {
			certNo++
			cert = fmt.Sprintf("TB-%07d", certNo)
		}
		comp.add(p.ID, t.ID, on, t.Minutes, t.Points, cert, until, CompletionImport, 0, created)
		return true
	}
	perYear := benchCompletions / benchYears
	for y := range years {
		year, n := first+y, 0
		for i := range staff {
			p := &staff[i]
			if _, ok := dayIn(p, year); !ok {
				continue
			}
			dep := strconv.FormatUint(uint64(*p.DepartmentID), 10)
			for ti := range mandatory {
				t := &years[y][ti]
				due := false
				switch t.Code {
				case "FIRE":
					due = rnd.IntN(10) < 9
				case "AID":
					due = (year+i)%3 == 0 && rnd.IntN(10) < 8
				case "GDPR":
					due = y == 0 || (!p.EmployedFrom.IsZero() && p.EmployedFrom.Year == year)
				case "SAFE":
					due = (year+i)%2 == 0 && strings.Contains("\n"+t.TargetList+"\n", "\n"+dep+"\n")
				case "LEAD":
					due = len(p.Roles) > 1 && (year+i)%4 == 0
				}
				if on, ok := dayIn(p, year); due && ok && complete(p, t, on) {
					n++
				}
			}
		}
		for n < perYear {
			p := &staff[rnd.IntN(len(staff))]
			if on, ok := dayIn(p, year); ok && complete(p, &years[y][len(mandatory)+rnd.IntN(benchTrainings-len(mandatory))], on) {
				n++
			}
		}
	}
	comp.flush()

	// Sessions, their finished enrolments and feedback, with explicit ids.
	var sessionBase, enrolBase uint
	must(tx.Raw("SELECT COALESCE(MAX(id), 0) FROM training_sessions").Scan(&sessionBase).Error)
	must(tx.Raw("SELECT COALESCE(MAX(id), 0) FROM training_enrolments").Scan(&enrolBase).Error)
	sess := &benchInsert{tb: tb, tx: tx, table: "training_sessions",
		cols: []string{"id", "training_id", "first_day", "last_day", "from_min", "to_min", "place", "trainer", "seats", "enrolled", "status", "created_at", "updated_at"}}
	enrol := &benchInsert{tb: tb, tx: tx, table: "training_enrolments",
		cols: []string{"id", "training_id", "session_id", "person_id", "status", "source", "reason", "outcome", "created_at", "updated_at"}}
	fb := &benchInsert{tb: tb, tx: tx, table: "training_feedback", cols: []string{"enrolment_id", "score", "comment", "created_at"}}
	sid, eid := sessionBase, enrolBase
	for y := range years {
		for range benchSessions {
			t := &years[y][len(mandatory)+rnd.IntN(benchTrainings-len(mandatory))]
			on := calendar.NewDate(first+y, 1, 1).AddDays(rnd.IntN(365))
			if on.After(today) {
				continue
			}
			sid++
			sess.add(sid, t.ID, on, on, 9*60, 13*60, "Díszterem", "Próba Oktató", benchSeats, 0, SessionClosed, created, created)
			for _, i := range rnd.Perm(len(staff))[:benchSeats] {
				eid++
				outcome := OutcomeCompleted
				switch r := rnd.IntN(100); {
				case r < 8:
					outcome = OutcomeNoShow
				case r < 10:
					outcome = OutcomeFailed
				case r < 15:
					outcome = OutcomeAttended
				}
				enrol.add(eid, t.ID, sid, staff[i].ID, EnrolDone, SourceRequest, "", outcome, created, created)
				if outcome != OutcomeNoShow && rnd.IntN(2) == 0 {
					fb.add(eid, 1+rnd.IntN(5), "", created)
				}
			}
		}
	}
	sess.flush()
	enrol.flush()
	fb.flush()
	must(tx.Commit().Error)

	if d.Dialect == db.Postgres {
		for _, t := range []string{"training_sessions", "training_enrolments"} {
			must(d.W.Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))").Error)
		}
		// What autovacuum would do with so many new rows, before the timings.
		for _, t := range []string{"training_completions", "training_trainings", "training_sessions", "training_enrolments",
			"training_feedback", "people", "person_roles", "departments"} {
			must(d.W.Exec("VACUUM ANALYZE " + t).Error)
		}
	}
	must(d.Optimize(context.Background())) // as the nightly job does
}

// statsBigTables are the tables that grow with the years: the statistics
// must reach their rows through an index.
var statsBigTables = regexp.MustCompile(`(?i)\b(training_completions|training_enrolments|training_feedback)\b(?:\s+(?:AS\s+)?([a-z]\w*))?`)

// checkStatsPlans runs fn with every statement on the reader recorded, asks
// SQLite for each one's plan and fails b when one reads a growing table by
// a full scan; the plans go to the log.
func checkStatsPlans(b *testing.B, d *db.DB, fn func()) {
	b.Helper()
	if d.Dialect != db.SQLite {
		return
	}
	type stmt struct {
		sql  string
		vars []any
	}
	var mu sync.Mutex
	var seen []stmt
	on := true
	record := func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		if on && tx.Statement != nil && tx.Statement.SQL.Len() > 0 {
			seen = append(seen, stmt{tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)})
		}
	}
	cb := d.R.Callback()
	if err := errors.Join(cb.Query().After("gorm:query").Register("bench:plans", record),
		cb.Row().After("gorm:row").Register("bench:plans", record)); err != nil {
		b.Fatal(err)
	}
	fn()
	mu.Lock()
	on = false // registered for the database's life: GORM warns on every removal
	mu.Unlock()
	for _, st := range seen {
		aliases := map[string]bool{}
		for _, m := range statsBigTables.FindAllStringSubmatch(st.sql, -1) {
			aliases[strings.ToLower(m[1])] = true
			if m[2] != "" {
				aliases[strings.ToLower(m[2])] = true
			}
		}
		if len(aliases) == 0 {
			continue
		}
		rows, err := d.R.Raw("EXPLAIN QUERY PLAN "+st.sql, st.vars...).Rows()
		if err != nil {
			b.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, detail)
			if f := strings.Fields(detail); len(f) >= 2 && f[0] == "SCAN" && aliases[strings.ToLower(f[1])] && !strings.Contains(detail, "INDEX") {
				b.Errorf("a full scan of %s in\n%s", f[1], st.sql)
			}
		}
		rows.Close()
		b.Logf("%.120s\n\t%s", strings.Join(strings.Fields(st.sql), " "), strings.Join(plan, "\n\t"))
	}
}

// BenchmarkTrainingStats measures Service.Stats over the volumes
// (seedTrainingStats, built once per database and run) as p50/p95 of b.N
// sequential readings: this year for everyone (the page's default), the
// last closed year, this year for one department, and three years; first,
// on SQLite, no statement of a year's reading may scan a growing table. The
// issue's target: a year's statistics p95 ≤ 300 ms. On PostgreSQL too
// when KAPU_TEST_POSTGRES is set.
func BenchmarkTrainingStats(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			f := newStatsFixture(b, dbtest.Open(b, dialect))
			f.s.SetClock(func() time.Time { return time.Now().UTC() })
			today := f.s.today()
			began := time.Now()
			seedTrainingStats(b, f, today)
			var n int64
			if err := f.d.R.Table("training_completions").Count(&n).Error; err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d people, %d completions in %v", dialect, benchStaff, n, time.Since(began).Round(time.Second))
			hr := f.person(b, "tbenchhr", "Próba HR", f.dept1, actor.HR).Actor()
			ctx := context.Background()
			thisYear := stats.PeriodOf(stats.Year, today)
			checkStatsPlans(b, f.d, func() {
				if _, err := f.s.Stats(ctx, hr, StatsFilter{Period: thisYear}); err != nil {
					b.Fatal(err)
				}
			})
			for _, tt := range []struct {
				name   string
				filter StatsFilter
			}{
				{"year", StatsFilter{Period: thisYear}},
				{"last-year", StatsFilter{Period: thisYear.Prev()}},
				{"year-department", StatsFilter{Period: thisYear, DepartmentID: f.dept2}},
				{"three-years", StatsFilter{Period: stats.RangeOf(thisYear.From.AddDays(-730), thisYear.Last())}},
			} {
				b.Run(tt.name, func(b *testing.B) {
					took := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						t0 := time.Now()
						st, err := f.s.Stats(ctx, hr, tt.filter)
						if err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
						if st.Total.Completions == 0 {
							b.Fatal("no completions in the period")
						}
					}
					dbtest.ReportLatency(b, took)
				})
			}
		})
	}
}
