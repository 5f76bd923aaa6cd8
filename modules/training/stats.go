package training

import (
	"context"
	"sort"
	"strconv"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
	"kapu/modules/platform/stats"
)

// statsKinds are the periods the statistics page offers; a year is the
// default, as the catalogue and the points are yearly.
var statsKinds = []string{stats.Month, stats.Year, stats.Range}

// statsTop bounds the page's lists of people and trainings; the exports
// carry every row.
const statsTop = 20

// ExpiringDays is how far ahead the statistics list expiring certificates.
const ExpiringDays = 90

// StatsRoles may read the training statistics: HR and the administrators.
// Reading figures changes no record, so the admins' role is enough here.
var StatsRoles = []string{StaffRole, actor.Admin}

// ErrStatsForbidden refuses the statistics to anyone outside StatsRoles.
var ErrStatsForbidden = errs.New(errs.Forbidden, "training: the statistics are HR's")

// mayReadStats reports whether a may read the statistics.
func mayReadStats(a actor.Actor) bool { return a.ID != 0 && a.Has(StatsRoles...) }

// StatsFilter is what the statistics are of: a period, and one department
// (by the people's department now) or, with 0, everyone.
type StatsFilter struct {
	Period       stats.Period
	DepartmentID uint
}

// Effort is what completions added up to: their own minutes and points
// (copied when recorded), and their cost at the training's cost per person.
type Effort struct {
	Completions int
	Minutes     int
	Points      int
	CostFt      int64
}

// Hours is the effort's length in hours.
func (e Effort) Hours() float64 { return float64(e.Minutes) / 60 }

// PersonEffort is one person's completions in the period.
type PersonEffort struct {
	PersonID     uint
	Name         string
	DepartmentID uint // 0: no department
	Department   string
	Effort
	rank int // the person's place in the names' Hungarian order
}

// DeptEffort is a department's completions: Staff is how many active
// people it has now, Trained how many of its people completed something.
type DeptEffort struct {
	DepartmentID uint // 0: people without a department
	Name         string
	Staff        int
	Trained      int
	Effort
	rank int
}

// YearEffort is the completions of one calendar year of the period.
type YearEffort struct {
	Year    int
	Trained int
	Effort
}

// TrainingEffort is one training's completions in the period.
type TrainingEffort struct {
	Training *Training
	Effort
}

// NoShows counts a training's enrolments with an outcome and those that
// did not come, of the sessions that began in the period.
type NoShows struct {
	Training *Training // nil for the total
	Outcomes int
	NoShows  int
}

// Rate is the no-show rate in per cent; ok is false without outcomes.
func (n NoShows) Rate() (float64, bool) {
	if n.Outcomes == 0 {
		return 0, false
	}
	return 100 * float64(n.NoShows) / float64(n.Outcomes), true
}

// Rating is the feedback of a training or a provider's trainings.
type Rating struct {
	Training *Training // nil for a provider's
	Provider string    // "" for a training without one
	Scores   stats.Scores
}

// Mandatory is one mandatory training's code in the period, with the row
// (the latest year's in the period) whose title the page shows.
type Mandatory struct {
	Code     string
	Training *Training
}

// Coverage is how many people a mandatory training covered at a month's
// end and how many of them held a valid completion of its code.
type Coverage struct {
	Covered, Valid int
}

// Share is the covered people's share with a valid completion in per
// cent; ok is false when the training covered nobody (or was not
// mandatory in that year).
func (c Coverage) Share() (float64, bool) {
	if c.Covered == 0 {
		return 0, false
	}
	return 100 * float64(c.Valid) / float64(c.Covered), true
}

// ComplianceMonth is one month of the period: the coverage of each
// mandatory code (by Stats.Mandatory's index) and of them all, at End, the
// month's last day, today for the month now running (Now); a month still
// to come (Future) has no figures.
type ComplianceMonth struct {
	Month       calendar.Date // the first day
	End         calendar.Date
	Now, Future bool
	Codes       []Coverage
	All         Coverage
}

// Expiring is a certificate whose validity ends within ExpiringDays and
// that no later completion of the same code renews.
type Expiring struct {
	CompletionID  uint
	PersonID      uint
	Person        string
	Department    string
	Training      *Training
	CertificateNo string
	ValidUntil    calendar.Date
	DaysLeft      int
}

// Stats are the training figures of a period: the page and its exports
// read this one value.
type Stats struct {
	Filter    StatsFilter
	Today     calendar.Date
	Total     Effort
	Trained   int // people with a completion in the period
	People    []PersonEffort
	Depts     []DeptEffort
	Years     []YearEffort
	Trainings []TrainingEffort
	NoShows   []NoShows
	NoShow    NoShows // the total
	Ratings   []Rating
	Providers []Rating
	Mandatory []Mandatory
	// Compliance is per month of the period.
	Compliance []ComplianceMonth
	Expiring   []Expiring
}

// staffMember is what the figures need of a person.
type staffMember struct {
	ID            uint
	Name          string
	DepartmentID  *uint
	JobTitle      string
	EmployedFrom  calendar.Date
	EmployedUntil calendar.Date
	Active        bool
}

// employedOn reports whether the person was on the staff on day: within
// the employment's dates, and an inactive person only up to a recorded
// leaving day.
func (p *staffMember) employedOn(day calendar.Date) bool {
	if !p.EmployedFrom.IsZero() && day.Before(p.EmployedFrom) {
		return false
	}
	if !p.EmployedUntil.IsZero() {
		return !day.After(p.EmployedUntil)
	}
	return p.Active
}

func (p *staffMember) dept() uint {
	if p.DepartmentID == nil {
		return 0
	}
	return *p.DepartmentID
}

// statsBase is what every figure of one reading shares: the people in
// scope in name order, the departments' names and every year's trainings.
type statsBase struct {
	q         *gorm.DB
	f         StatsFilter
	staff     []staffMember
	byID      map[uint]int // person id → index in staff
	deptNames map[uint]string
	deptRank  map[uint]int // a department's place in the names' Hungarian order
	trainings map[uint]*Training
}

// inScope narrows a query of rows with a person_id column to the filter's department.
func (b *statsBase) inScope(q *gorm.DB, col string) *gorm.DB {
	if b.f.DepartmentID == 0 {
		return q
	}
	return q.Where(col+" IN (SELECT id FROM people WHERE department_id = ?)", b.f.DepartmentID)
}

// Stats are the training figures of f's period and department, for HR and
// the administrators: hours, points and cost per person, department and
// year; compliance with the mandatory trainings at each month's end;
// completions, no-shows and feedback per training (and provider); and the
// certificates expiring in the next ExpiringDays days from today.
func (s *Service) Stats(ctx context.Context, a actor.Actor, f StatsFilter) (*Stats, error) {
	if !mayReadStats(a) {
		return nil, ErrStatsForbidden
	}
	b := &statsBase{q: s.db.R.WithContext(ctx), f: f, byID: map[uint]int{}, trainings: map[uint]*Training{}}
	if err := b.load(s); err != nil {
		return nil, err
	}
	st := &Stats{Filter: f, Today: s.today()}
	// Each figure reads its own rows on its own reader and fills its own
	// fields of st, so they run at once.
	err := stats.Parallel(
		func() error { return b.efforts(st) },
		func() error { return b.compliance(st) },
		func() error { return b.noShows(st) },
		func() error { return b.ratings(st) },
		func() error { return b.expiring(st) },
	)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// load reads the people in scope (in Hungarian name order), the
// departments and the trainings of every year.
func (b *statsBase) load(s *Service) error {
	q := b.q.Model(&people.Person{}).Select("id, name, department_id, job_title, employed_from, employed_until, active")
	if b.f.DepartmentID != 0 {
		q = q.Where("department_id = ?", b.f.DepartmentID)
	}
	if err := q.Order(s.db.ByName("name") + ", id").Find(&b.staff).Error; err != nil {
		return err
	}
	for i := range b.staff {
		b.byID[b.staff[i].ID] = i
	}
	var depts []people.Department
	if err := b.q.Select("id, name").Order(s.db.ByName("name") + ", id").Find(&depts).Error; err != nil {
		return err
	}
	b.deptNames = make(map[uint]string, len(depts))
	b.deptRank = make(map[uint]int, len(depts))
	for i, d := range depts {
		b.deptNames[d.ID], b.deptRank[d.ID] = d.Name, i
	}
	b.deptRank[0] = len(depts) // no department: last
	var ts []Training
	if err := b.q.Order("year, code").Find(&ts).Error; err != nil {
		return err
	}
	for i := range ts {
		b.trainings[ts[i].ID] = &ts[i]
	}
	return nil
}

// effortSum is a group of completions as the database adds them up.
type effortSum struct {
	Grp     string // the group's key: a person's or training's id, a year
	N       int
	People  int
	Minutes int
	Points  int
	Cost    int64
}

// effortSums adds up the period's completions grouped by key (an SQL
// expression over c, the completions, and t, their trainings): how many,
// by how many people (when people is set), their minutes, points and cost. The database does
// the adding, so a year of rows comes back as one row per group.
func (b *statsBase) effortSums(key string, people bool) ([]effortSum, error) {
	var out []effortSum
	// Counting distinct people makes the database sort every row, so only
	// the groups that show them ask for it.
	distinct := "0"
	if people {
		distinct = "COUNT(DISTINCT c.person_id)"
	}
	q := b.q.Table("training_completions c").
		Select(key+" AS grp, COUNT(*) AS n, "+distinct+" AS people, COALESCE(SUM(c.minutes), 0) AS minutes, "+
			"COALESCE(SUM(c.points), 0) AS points, COALESCE(SUM(t.cost_ft), 0) AS cost").
		Joins("LEFT JOIN training_trainings t ON t.id = c.training_id").
		Where("c.completed_on >= ? AND c.completed_on < ?", b.f.Period.From, b.f.Period.To).
		Group(key)
	err := b.inScope(q, "c.person_id").Scan(&out).Error
	return out, err
}

func (e effortSum) effort() Effort {
	return Effort{Completions: e.N, Minutes: e.Minutes, Points: e.Points, CostFt: e.Cost}
}

// efforts adds up the period's completions per person (and from them per
// department and in total), per year and per training.
func (b *statsBase) efforts(st *Stats) error {
	p := b.f.Period
	byPerson, err := b.effortSums("c.person_id", false)
	if err != nil {
		return err
	}
	perDept := map[uint]*DeptEffort{}
	for i := range b.staff {
		m := &b.staff[i]
		d := perDept[m.dept()]
		if d == nil {
			d = &DeptEffort{DepartmentID: m.dept(), Name: b.deptNames[m.dept()]}
			perDept[m.dept()] = d
		}
		if m.Active {
			d.Staff++
		}
	}
	for _, g := range byPerson {
		id, _ := strconv.ParseUint(g.Grp, 10, 64)
		i, ok := b.byID[uint(id)]
		if !ok {
			continue // a person deleted outside Kapu's rules
		}
		m := &b.staff[i]
		pe := PersonEffort{PersonID: m.ID, Name: m.Name, DepartmentID: m.dept(), Department: b.deptNames[m.dept()], Effort: g.effort(), rank: i}
		d := perDept[pe.DepartmentID]
		d.Trained++
		d.Completions += pe.Completions
		d.Minutes += pe.Minutes
		d.Points += pe.Points
		d.CostFt += pe.CostFt
		st.Total.Completions += pe.Completions
		st.Total.Minutes += pe.Minutes
		st.Total.Points += pe.Points
		st.Total.CostFt += pe.CostFt
		st.People = append(st.People, pe)
	}
	st.Trained = len(st.People)
	sort.Slice(st.People, func(i, j int) bool {
		a, c := st.People[i], st.People[j]
		if a.Minutes != c.Minutes {
			return a.Minutes > c.Minutes
		}
		return a.rank < c.rank
	})
	// Departments: every one with active staff in scope, and any whose
	// people completed something; ordered by name, no department last.
	for id, d := range perDept {
		if d.Staff == 0 && d.Completions == 0 {
			continue
		}
		d.rank = b.deptRank[id]
		st.Depts = append(st.Depts, *d)
	}
	sort.Slice(st.Depts, func(i, j int) bool { return st.Depts[i].rank < st.Depts[j].rank })

	// A period within one year is that year's row; a longer one asks the database.
	if p.From.Year == p.Last().Year {
		st.Years = []YearEffort{{Year: p.From.Year, Trained: st.Trained, Effort: st.Total}}
	} else {
		byYear, err := b.effortSums("SUBSTR(c.completed_on, 1, 4)", true)
		if err != nil {
			return err
		}
		perYear := map[int]effortSum{}
		for _, g := range byYear {
			y, _ := strconv.Atoi(g.Grp)
			perYear[y] = g
		}
		for y := p.From.Year; y <= p.Last().Year; y++ {
			g := perYear[y]
			st.Years = append(st.Years, YearEffort{Year: y, Trained: g.People, Effort: g.effort()})
		}
	}

	byTraining, err := b.effortSums("c.training_id", false)
	if err != nil {
		return err
	}
	for _, g := range byTraining {
		id, _ := strconv.ParseUint(g.Grp, 10, 64)
		st.Trainings = append(st.Trainings, TrainingEffort{Training: b.training(uint(id)), Effort: g.effort()})
	}
	sort.Slice(st.Trainings, func(i, j int) bool {
		a, c := st.Trainings[i], st.Trainings[j]
		if a.Completions != c.Completions {
			return a.Completions > c.Completions
		}
		return statsByCode(a.Training, c.Training)
	})
	return nil
}
