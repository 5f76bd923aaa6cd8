package leave

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
)

// OverviewPerPage is the size of a page of the HR overview.
const OverviewPerPage = 50

// OverviewFilter narrows the HR overview.
type OverviewFilter struct {
	Year         int
	DepartmentID uint // with the departments below it; 0 for everyone
	Q            string
	Page         int
	All          bool // every matching row, for exports
}

// OverviewRow is one person's line of the overview.
type OverviewRow struct {
	PersonID   uint
	Name       string
	Department string
	Figures
}

// manyPeople is where figuresOf stops listing ids and reads the whole year
// instead: cheaper for exports and statistics, and no IN list grows unbounded.
const manyPeople = 200

// Overview lists active people with their figures for the year, counted by the
// same rules as Figures but in a fixed number of queries: the count, the page
// of people, and the page's balances and requests (the whole year's, for an
// export). Planned days are left out: no HR screen shows them.
func (s *Service) Overview(ctx context.Context, f OverviewFilter) ([]OverviewRow, int64, error) {
	depts, err := s.deptScope(ctx, f.DepartmentID)
	if err != nil {
		return nil, 0, err
	}
	q := s.activePeople(ctx, depts, f.Q)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	q = q.Select(personColumns).Order(s.db.ByName("p.name") + ", p.id")
	if !f.All {
		if f.Page < 1 {
			f.Page = 1
		}
		q = q.Limit(OverviewPerPage).Offset((f.Page - 1) * OverviewPerPage)
	}
	var ppl []scopedPerson
	if err := q.Scan(&ppl).Error; err != nil {
		return nil, 0, err
	}
	rows, err := s.overviewRows(ctx, ppl, f.Year)
	return rows, total, err
}

// overviewRows computes the figures of people in the order given.
func (s *Service) overviewRows(ctx context.Context, ppl []scopedPerson, year int) ([]OverviewRow, error) {
	ids := make([]uint, len(ppl))
	for i, p := range ppl {
		ids[i] = p.ID
	}
	figs, err := s.figuresOf(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	out := make([]OverviewRow, len(ppl))
	for i, p := range ppl {
		out[i] = OverviewRow{PersonID: p.ID, Name: p.Name, Department: p.Department, Figures: figs[p.ID]}
	}
	return out, nil
}

// figuresOf is Figures for many people in two queries (and the calendar's);
// every id gets an entry. A page's people are looked up by id; past
// manyPeople the whole year is read and the rest left out here.
func (s *Service) figuresOf(ctx context.Context, ids []uint, year int) (map[uint]Figures, error) {
	q := s.db.R.WithContext(ctx)
	out := make(map[uint]Figures, len(ids))
	for _, id := range ids {
		out[id] = Figures{Year: year}
	}
	if len(ids) == 0 {
		return out, nil
	}
	first, last := calendar.NewDate(year, time.January, 1), calendar.NewDate(year, time.December, 31)
	days, err := s.cal.Span(ctx, first, last)
	if err != nil {
		return nil, err
	}
	bq := q.Where("year = ?", year)
	rq := s.yearRequests(ctx, ids, first, last).Joins("JOIN leave_types t ON t.id = leave_requests.type_id AND t.counts_against = ?", true)
	if len(ids) <= manyPeople {
		bq = bq.Where("person_id IN ?", ids)
	}
	var bals []Balance
	if err := bq.Find(&bals).Error; err != nil {
		return nil, err
	}
	for _, b := range bals {
		f, ok := out[b.PersonID]
		if !ok {
			continue
		}
		f.Allocated, f.Carried, f.Expired, f.Remaining = b.Allocated, b.Carried, b.Expired, b.Remaining()
		if f.Carried > 0 {
			f.CarryExpiry = s.carryUntil(year)
		}
		out[b.PersonID] = f
	}
	var reqs []Request
	if err := rq.Find(&reqs).Error; err != nil {
		return nil, err
	}
	today := s.Today()
	for i := range reqs {
		r := &reqs[i]
		f, ok := out[r.PersonID]
		if !ok || (r.Status != StatusPending && r.Status != StatusApproved && r.Status != StatusCancelRequested) {
			continue
		}
		countRequest(&f, r, days, first, last, today)
		out[r.PersonID] = f
	}
	for id, f := range out {
		f.Available = f.Remaining - f.Pending
		out[id] = f
	}
	return out, nil
}

// yearRequests selects the requests touching [first, last], of the people
// listed or (past manyPeople) of everyone, with only the columns day counting
// needs. Statuses are left to the caller: given a status list, SQLite's planner
// walks the status index through every approved request ever made.
func (s *Service) yearRequests(ctx context.Context, ids []uint, first, last calendar.Date) *gorm.DB {
	q := s.db.R.WithContext(ctx).Model(&Request{}).
		Select("leave_requests.id, leave_requests.person_id, leave_requests.type_id, leave_requests.start_date, leave_requests.end_date, leave_requests.start_half, leave_requests.end_half, leave_requests.status").
		Where("leave_requests.start_date <= ? AND leave_requests.end_date >= ?", last, first)
	if len(ids) <= manyPeople {
		q = q.Where("leave_requests.person_id IN ?", ids)
	}
	return q
}

// countRequest adds a counting request's working days in [first, last] to f
// by the rules of Figures: pending, approved up to today (taken) or later (ahead).
func countRequest(f *Figures, r *Request, days *calendar.Days, first, last, today calendar.Date) {
	for d := maxDate(r.StartDate, first); !d.After(r.EndDate) && !d.After(last); d = d.AddDays(1) {
		if !days.IsWorkday(d) {
			continue
		}
		h := halvesOn(r, d)
		switch {
		case r.Status == StatusPending:
			f.Pending += h
		case d.After(today):
			f.Future += h
		default:
			f.Taken += h
		}
	}
}
