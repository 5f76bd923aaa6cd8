package leave

import (
	"context"
	"time"

	"kapu/modules/platform/calendar"
)

// StatsFilter narrows the statistics page.
type StatsFilter struct {
	Year         int
	DepartmentID uint // with the departments below it; 0 for everyone
}

// Sums are the Figures numbers that add up over people, in half days.
type Sums struct {
	Allocated, Carried, Taken, Future, Pending, Expired, Remaining int
}

func (s *Sums) add(o Sums) {
	s.Allocated += o.Allocated
	s.Carried += o.Carried
	s.Taken += o.Taken
	s.Future += o.Future
	s.Pending += o.Pending
	s.Expired += o.Expired
	s.Remaining += o.Remaining
}

// DeptStats sums one department's people (not those of the departments below it).
type DeptStats struct {
	DepartmentID uint // 0 for people without a department
	Name         string
	Depth        int
	People       int
	Sums
	ByType  []int   // approved half days per type, in the order of Stats.Types
	ByMonth [12]int // approved half days per month, every type
	Leave   int     // approved half days, every type
}

// Stats are the numbers of the statistics page, all in half days.
type Stats struct {
	Year        int
	Types       []Type      // active types and any inactive one with leave in the year
	ByMonth     [12][]int   // per month, per type
	ByType      []int       // per type
	Departments []DeptStats // in tree order; only departments with people
	Total       DeptStats
}

// Stats sums the active people of a department (and those below it) for a
// year: their figures as in the overview, and their approved leave of every
// type per month, per type and per department.
func (s *Service) Stats(ctx context.Context, f StatsFilter) (*Stats, error) {
	depts, err := s.deptScope(ctx, f.DepartmentID)
	if err != nil {
		return nil, err
	}
	tree, err := s.people.DepartmentTree(ctx)
	if err != nil {
		return nil, err
	}
	var ppl []scopedPerson
	if err := s.activePeople(ctx, depts, "").Select(personColumns).Order(s.db.ByName("p.name") + ", p.id").Scan(&ppl).Error; err != nil {
		return nil, err
	}
	rows, err := s.overviewRows(ctx, ppl, f.Year)
	if err != nil {
		return nil, err
	}
	allTypes, err := s.Types(ctx, false)
	if err != nil {
		return nil, err
	}

	// Approved leave of every type of the people in scope, in one query.
	first, last := calendar.NewDate(f.Year, time.January, 1), calendar.NewDate(f.Year, time.December, 31)
	ids := make([]uint, len(ppl))
	deptOf := make(map[uint]*uint, len(ppl))
	for i, p := range ppl {
		ids[i] = p.ID
		deptOf[p.ID] = p.DepartmentID
	}
	var all []Request
	if len(ids) > 0 {
		if err := s.yearRequests(ctx, ids, first, last).Find(&all).Error; err != nil {
			return nil, err
		}
	}
	reqs := all[:0]
	for _, r := range all {
		if _, in := deptOf[r.PersonID]; in && (r.Status == StatusApproved || r.Status == StatusCancelRequested) {
			reqs = append(reqs, r)
		}
	}
	days, err := s.cal.Span(ctx, first, last)
	if err != nil {
		return nil, err
	}

	// Active types, and inactive ones only when they were used this year.
	used := map[uint]bool{}
	for _, r := range reqs {
		used[r.TypeID] = true
	}
	st := &Stats{Year: f.Year}
	typeIdx := map[uint]int{}
	for _, t := range allTypes {
		if t.Active || used[t.ID] {
			typeIdx[t.ID] = len(st.Types)
			st.Types = append(st.Types, t)
		}
	}
	for m := range st.ByMonth {
		st.ByMonth[m] = make([]int, len(st.Types))
	}
	st.ByType = make([]int, len(st.Types))

	byDept := map[uint]*DeptStats{}
	dept := func(id *uint, name string) *DeptStats {
		var key uint
		if id != nil {
			key = *id
		}
		d, ok := byDept[key]
		if !ok {
			d = &DeptStats{DepartmentID: key, Name: name, ByType: make([]int, len(st.Types))}
			byDept[key] = d
		}
		return d
	}
	for i, p := range ppl {
		d, r := dept(p.DepartmentID, p.Department), rows[i]
		d.People++
		d.add(Sums{r.Allocated, r.Carried, r.Taken, r.Future, r.Pending, r.Expired, r.Remaining})
	}
	for i := range reqs {
		r := &reqs[i]
		ti, ok := typeIdx[r.TypeID]
		if !ok {
			continue
		}
		d := dept(deptOf[r.PersonID], "")
		for day := maxDate(r.StartDate, first); !day.After(r.EndDate) && !day.After(last); day = day.AddDays(1) {
			if !days.IsWorkday(day) {
				continue
			}
			h := halvesOn(r, day)
			st.ByMonth[day.Month-1][ti] += h
			st.ByType[ti] += h
			d.ByType[ti] += h
			d.ByMonth[day.Month-1] += h
			d.Leave += h
		}
	}

	// Departments in tree order, then people without one.
	st.Total = DeptStats{ByType: make([]int, len(st.Types))}
	add := func(d *DeptStats) {
		st.Departments = append(st.Departments, *d)
		t := &st.Total
		t.People += d.People
		t.add(d.Sums)
		t.Leave += d.Leave
		for i, h := range d.ByType {
			t.ByType[i] += h
		}
		for m, h := range d.ByMonth {
			t.ByMonth[m] += h
		}
	}
	base := 0 // depth of the chosen department, so its own row is not indented
	for _, n := range tree {
		if n.ID == f.DepartmentID {
			base = n.Depth
		}
	}
	for _, n := range tree {
		if d, ok := byDept[n.ID]; ok && d.People > 0 {
			d.Name, d.Depth = n.Name, n.Depth-base
			add(d)
		}
	}
	if d, ok := byDept[0]; ok && d.People > 0 {
		add(d)
	}
	return st, nil
}
