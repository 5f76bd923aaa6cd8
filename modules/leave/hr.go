package leave

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
)

// FieldErrors maps form fields to message keys: the service checks every field
// of an input at once, so a form shows all its problems in one go.
type FieldErrors map[string]string

// Error lists the fields and their keys, for logs.
func (e FieldErrors) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k+": "+e[k])
	}
	sort.Strings(keys)
	return "leave: " + strings.Join(keys, ", ")
}

// cleanText drops what PostgreSQL refuses in text (invalid UTF-8, NUL), so
// odd input is a field error or a miss, never a failed query.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}

// ---- leave types ----

// TypeInput is a leave type as HR's form describes it.
type TypeInput struct {
	Code, NameHU, NameEN, Color                                            string
	CountsAgainst, NeedsApproval, HalfDays, Private, AllowNegative, Active bool
	MaxConsecutive, SortOrder                                              int
}

var (
	codeRe  = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
	colorRe = regexp.MustCompile(`^#[0-9a-f]{6}$`)
)

// TypeByID loads one leave type, active or not, for HR's form.
func (s *Service) TypeByID(ctx context.Context, id uint) (*Type, error) {
	t, err := s.typeByID(s.db.R.WithContext(ctx), id)
	if errors.Is(err, ErrUnknownType) {
		return nil, ErrNotFound
	}
	return t, err
}

// check normalises the input and lists what is wrong with it.
func (in *TypeInput) check() FieldErrors {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.NameHU, in.NameEN = strings.TrimSpace(cleanText(in.NameHU)), strings.TrimSpace(cleanText(in.NameEN))
	in.Color = strings.ToLower(strings.TrimSpace(in.Color))
	errs := FieldErrors{}
	if !codeRe.MatchString(in.Code) {
		errs["code"] = "leave.hr.type.error.code"
	}
	for field, v := range map[string]string{"name_hu": in.NameHU, "name_en": in.NameEN} {
		switch {
		case v == "":
			errs[field] = "leave.hr.error.required"
		case utf8.RuneCountInString(v) > 100:
			errs[field] = "validation.too_long"
		}
	}
	if !colorRe.MatchString(in.Color) {
		errs["color"] = "leave.hr.type.error.color"
	}
	if in.MaxConsecutive < 0 || in.MaxConsecutive > 366 {
		errs["max_consecutive"] = "leave.hr.type.error.max_consecutive"
	}
	if in.SortOrder < 0 || in.SortOrder > 9999 {
		errs["sort_order"] = "leave.hr.type.error.sort_order"
	}
	return errs
}

// SaveType creates (id 0) or updates a leave type. Types are never deleted,
// because requests keep pointing at them; HR deactivates them instead.
func (s *Service) SaveType(ctx context.Context, a actor.Actor, id uint, in TypeInput) (*Type, error) {
	if !a.Has(actor.HR) {
		return nil, ErrForbidden
	}
	if errs := in.check(); len(errs) > 0 {
		return nil, errs
	}
	var t Type
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before *Type
		if id != 0 {
			if err := tx.First(&t, id).Error; err != nil {
				if db.IsNotFound(err) {
					return ErrNotFound
				}
				return err
			}
			old := t
			before = &old
		}
		var taken int64
		if err := tx.Model(&Type{}).Where("code = ? AND id <> ?", in.Code, id).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return FieldErrors{"code": "leave.hr.type.error.code_taken"}
		}
		t.Code, t.NameHU, t.NameEN, t.Color = in.Code, in.NameHU, in.NameEN, in.Color
		t.CountsAgainst, t.NeedsApproval, t.HalfDays, t.Private = in.CountsAgainst, in.NeedsApproval, in.HalfDays, in.Private
		t.AllowNegative, t.Active, t.MaxConsecutive, t.SortOrder = in.AllowNegative, in.Active, in.MaxConsecutive, in.SortOrder
		// Save writes every column, so unticked flags (false) are stored too.
		if err := tx.Save(&t).Error; err != nil {
			if db.IsDuplicate(err) {
				return FieldErrors{"code": "leave.hr.type.error.code_taken"}
			}
			return err
		}
		if before == nil {
			return audit.Record(tx, a, "leave.type.create", "leave_type", t.ID, nil, t)
		}
		return audit.Record(tx, a, "leave.type.update", "leave_type", t.ID, before, t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ---- who is in scope ----

// deptScope lists a department and every department below it. Zero means
// everyone and returns nil; an unknown department is ErrNotFound.
func (s *Service) deptScope(ctx context.Context, id uint) ([]uint, error) {
	if id == 0 {
		return nil, nil
	}
	tree, err := s.people.DepartmentTree(ctx)
	if err != nil {
		return nil, err
	}
	// The tree lists each parent before its children, so one pass finds the subtree.
	in := map[uint]bool{id: true}
	found := false
	out := []uint{id}
	for _, n := range tree {
		if n.ID == id {
			found = true
			continue
		}
		if n.ParentID != nil && in[*n.ParentID] {
			in[n.ID] = true
			out = append(out, n.ID)
		}
	}
	if !found {
		return nil, ErrNotFound
	}
	return out, nil
}

// scopedPerson is an active person with what HR's screens show beside them.
type scopedPerson struct {
	ID                          uint
	Name                        string
	DepartmentID                *uint
	Department                  string
	EmployedFrom, EmployedUntil calendar.Date
}

// activePeople selects the active people of the departments (nil: everyone),
// optionally only those whose name contains q.
func (s *Service) activePeople(ctx context.Context, depts []uint, q string) *gorm.DB {
	tx := s.db.R.WithContext(ctx).Table("people AS p").
		Joins("LEFT JOIN departments AS d ON d.id = p.department_id").
		Where("p.active = ?", true)
	if depts != nil {
		tx = tx.Where("p.department_id IN ?", depts)
	}
	if term := strings.ToLower(strings.TrimSpace(cleanText(q))); term != "" {
		tx = tx.Where(`LOWER(p.name) LIKE ? ESCAPE '\'`, "%"+escapeLike(term)+"%")
	}
	return tx
}

// escapeLike makes % and _ in a search term match themselves.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const personColumns = "p.id, p.name, p.department_id, d.name AS department, p.employed_from, p.employed_until"

// PersonChoice is an active person for HR's person selects.
type PersonChoice struct {
	ID         uint
	Name       string
	Department string
}

// PersonChoices lists every active person by name, with their department to
// tell namesakes apart.
func (s *Service) PersonChoices(ctx context.Context) ([]PersonChoice, error) {
	var out []PersonChoice
	err := s.activePeople(ctx, nil, "").Select("p.id, p.name, d.name AS department").Order("p.name, p.id").Scan(&out).Error
	return out, err
}

// ---- the overview ----

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
	q = q.Select(personColumns).Order("p.name, p.id")
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

// ---- entitlements ----

// EntitlementInput is HR's bulk setting of the yearly base days.
type EntitlementInput struct {
	Year         int
	Halves       int  // the base, in half days
	DepartmentID uint // with the departments below it; 0 for everyone
	ProRata      bool // scale the base to the part of the year each person is employed
}

// EntitlementLine is one person's allocation before and after.
type EntitlementLine struct {
	PersonID   uint
	Name       string
	Department string
	Current    int
	New        int
	ProRated   bool
}

// EntitlementPlan is what a bulk setting does, shown before HR confirms it.
type EntitlementPlan struct {
	Lines    []EntitlementLine // everyone affected, by name
	Changes  int               // lines whose allocation changes
	ProRated int               // lines below the base because of the employment dates
}

// EntitlementError names the person at whom a bulk setting failed; nothing was changed.
type EntitlementError struct {
	Name string
	Err  error
}

func (e *EntitlementError) Error() string {
	return fmt.Sprintf("leave: entitlement of %s (nothing changed): %v", e.Name, e.Err)
}
func (e *EntitlementError) Unwrap() error { return e.Err }

// checkYear accepts last year, this year and next year: HR corrects the past
// year in January and prepares the next one in December.
func (s *Service) checkYear(year int, errs FieldErrors) {
	if today := s.Today(); year < today.Year-1 || year > today.Year+1 {
		errs["year"] = "leave.hr.error.year"
	}
}

// PlanEntitlements works out what setting the base would change, without saving.
func (s *Service) PlanEntitlements(ctx context.Context, a actor.Actor, in EntitlementInput) (*EntitlementPlan, error) {
	if !a.Has(actor.HR) {
		return nil, ErrForbidden
	}
	errs := FieldErrors{}
	s.checkYear(in.Year, errs)
	if in.Halves < 0 || in.Halves > 2*366 {
		errs["days"] = "leave.hr.error.days"
	}
	depts, err := s.deptScope(ctx, in.DepartmentID)
	if errors.Is(err, ErrNotFound) {
		errs["department_id"] = "validation.choice"
	} else if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var ppl []scopedPerson
	if err := s.activePeople(ctx, depts, "").Select(personColumns).Order("p.name, p.id").Scan(&ppl).Error; err != nil {
		return nil, err
	}
	var sums []struct {
		PersonID uint
		Halves   int
	}
	if err := s.db.R.WithContext(ctx).Model(&Entry{}).Select("person_id, SUM(halves) AS halves").
		Where("year = ? AND kind = ?", in.Year, KindAllocation).Group("person_id").Scan(&sums).Error; err != nil {
		return nil, err
	}
	current := make(map[uint]int, len(sums))
	for _, x := range sums {
		current[x.PersonID] = x.Halves
	}
	plan := &EntitlementPlan{Lines: make([]EntitlementLine, 0, len(ppl))}
	for _, p := range ppl {
		l := EntitlementLine{PersonID: p.ID, Name: p.Name, Department: p.Department, Current: current[p.ID], New: in.Halves}
		if in.ProRata {
			l.New = ProRata(in.Halves, in.Year, p.EmployedFrom, p.EmployedUntil)
			l.ProRated = l.New != in.Halves
		}
		if l.New != l.Current {
			plan.Changes++
		}
		if l.ProRated {
			plan.ProRated++
		}
		plan.Lines = append(plan.Lines, l)
	}
	return plan, nil
}

// ApplyEntitlements sets the allocation of everyone in the plan in one
// transaction: either the whole department gets its days, or nobody does and
// the error names the person it stopped at.
func (s *Service) ApplyEntitlements(ctx context.Context, a actor.Actor, in EntitlementInput) (*EntitlementPlan, error) {
	plan, err := s.PlanEntitlements(ctx, a, in)
	if err != nil {
		return nil, err
	}
	reason := "entitlement set by HR"
	if in.ProRata {
		reason += " (pro rata)"
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, l := range plan.Lines {
			// setAllocation re-reads the current allocation inside the transaction,
			// so a change made since the check is not counted twice.
			if err := s.setAllocation(tx, a, l.PersonID, in.Year, l.New, reason); err != nil {
				return &EntitlementError{Name: l.Name, Err: err}
			}
		}
		return audit.Record(tx, a, "leave.allocation.bulk", "department", in.DepartmentID, nil, map[string]any{
			"year": in.Year, "days_x2": in.Halves, "pro_rata": in.ProRata, "people": len(plan.Lines), "changed": plan.Changes})
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// AdjustPerson checks an adjustment from HR's form and books it with Adjust.
func (s *Service) AdjustPerson(ctx context.Context, a actor.Actor, personID uint, year, halves int, reason string) error {
	if !a.Has(actor.HR) {
		return ErrForbidden
	}
	reason = strings.TrimSpace(cleanText(reason))
	errs := FieldErrors{}
	if p, err := s.people.Person(ctx, personID); err != nil || !p.Active {
		errs["person_id"] = "validation.choice"
	}
	s.checkYear(year, errs)
	if halves == 0 || halves < -2*366 || halves > 2*366 {
		errs["days"] = "leave.hr.adjust.error.days"
	}
	switch {
	case reason == "":
		errs["reason"] = "leave.hr.adjust.error.reason"
	case utf8.RuneCountInString(reason) > 300:
		errs["reason"] = "validation.too_long"
	}
	if len(errs) > 0 {
		return errs
	}
	return s.Adjust(ctx, a, personID, year, halves, reason)
}

// ---- statistics ----

// StatsFilter narrows the statistics page.
type StatsFilter struct {
	Year         int
	DepartmentID uint // with the departments below it; 0 for everyone
}

// DeptStats sums one department's people (not those of the departments below it).
type DeptStats struct {
	DepartmentID                                                   uint // 0 for people without a department
	Name                                                           string
	Depth                                                          int
	People                                                         int
	Allocated, Carried, Taken, Future, Pending, Expired, Remaining int     // half days, as in Figures
	ByType                                                         []int   // approved half days per type, in the order of Stats.Types
	ByMonth                                                        [12]int // approved half days per month, every type
	Leave                                                          int     // approved half days, every type
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
	if err := s.activePeople(ctx, depts, "").Select(personColumns).Order("p.name, p.id").Scan(&ppl).Error; err != nil {
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
		d.Allocated += r.Allocated
		d.Carried += r.Carried
		d.Taken += r.Taken
		d.Future += r.Future
		d.Pending += r.Pending
		d.Expired += r.Expired
		d.Remaining += r.Remaining
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
		t.Allocated += d.Allocated
		t.Carried += d.Carried
		t.Taken += d.Taken
		t.Future += d.Future
		t.Pending += d.Pending
		t.Expired += d.Expired
		t.Remaining += d.Remaining
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
