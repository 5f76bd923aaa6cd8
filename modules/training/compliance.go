package training

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
)

// ComplianceRoles open the compliance view: HR sees every department, a
// manager their own people (people.ScopeOf's team).
var ComplianceRoles = []string{StaffRole, actor.Manager}

// ComplianceRow is one person of the compliance view.
type ComplianceRow struct {
	PersonID     uint
	Name         string
	DepartmentID uint
	Department   string
	Light        Light
	Missing      []MandatoryItem // overdue or due soon
	Expiring     []MandatoryItem // done, certificate running out
	CivilServant bool
	Points       PointsStanding
}

// Short is how many points the person still owes in the period.
func (r ComplianceRow) Short() int { return max(0, r.Points.Required-r.Points.Counted) }

// ComplianceDept is a department the viewer may filter on.
type ComplianceDept struct {
	ID    uint
	Name  string
	Depth int
}

// ComplianceView is the compliance of the people a viewer sees, in one
// department (and the ones under it) or all of them.
type ComplianceView struct {
	Year        int
	Today       calendar.Date
	DeptID      uint
	Departments []ComplianceDept
	Rows        []ComplianceRow
	Counts      map[string]int
}

// Compliance is, per department and person, what is mandatory and missing
// or expiring and how many points are short, with the light. HR sees every
// department, a manager the people they manage; deptID 0 is all of them.
// It reads a fixed number of queries whatever the number of people: the
// people, their roles, the year's mandatory trainings, the completions of
// those codes, the ledger (pointsRows, the same read as the person's page)
// and the profiles.
func (s *Service) Compliance(ctx context.Context, a actor.Actor, deptID uint) (*ComplianceView, error) {
	if a.ID == 0 || !a.Has(ComplianceRoles...) {
		return nil, ErrRecordForbidden
	}
	q := s.db.R.WithContext(ctx)
	today := s.today()
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	v := &ComplianceView{Year: today.Year, Today: today, DeptID: deptID, Counts: map[string]int{}}

	var team []uint
	sc := people.ScopeOf(a, StaffRole)
	if sc != people.ScopeAll {
		var err error
		if team, err = people.Reports(q, a.ID); err != nil {
			return nil, err
		}
	}
	tree, err := s.deps.People.DepartmentTree(ctx)
	if err != nil {
		return nil, err
	}
	deptNames := make(map[uint]string, len(tree))
	for _, n := range tree {
		deptNames[n.ID] = n.Name
	}

	pq := q.Model(&people.Person{}).Where("active = ?", true)
	if sc != people.ScopeAll {
		if len(team) == 0 {
			return v, nil
		}
		pq = pq.Where("id IN ?", team)
	}
	if deptID != 0 {
		sub := people.Subtree(tree, deptID)
		if sub == nil {
			return nil, ErrRecordNotFound
		}
		ids := make([]uint, len(sub))
		for i, n := range sub {
			ids[i] = n.ID
		}
		pq = pq.Where("department_id IN ?", ids)
	}
	var ppl []people.Person
	if err := pq.Select("id, name, department_id, job_title, employed_from, employed_until").Find(&ppl).Error; err != nil {
		return nil, err
	}
	if v.Departments, err = complianceDepts(q, tree, sc, team); err != nil {
		return nil, err
	}

	ids := make([]uint, len(ppl))
	for i, p := range ppl {
		ids[i] = p.ID
	}
	roles, err := recordRolesOf(q, ids)
	if err != nil {
		return nil, err
	}
	mandatory, err := mandatoryOfYear(q, v.Year)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(mandatory))
	for _, t := range mandatory {
		codes = append(codes, t.Code)
	}
	comps, err := codedCompletions(q, ids, codes)
	if err != nil {
		return nil, err
	}
	ledger, err := pointsRows(q, ids, rules.PeriodOf(today))
	if err != nil {
		return nil, err
	}
	profs, err := profilesOf(q, ids)
	if err != nil {
		return nil, err
	}
	for i := range ppl {
		p := &ppl[i]
		prof := profileOrDefault(profs, p.ID)
		items := mandatoryFor(mandatory, p, roles[p.ID], comps[p.ID], v.Year, today, rules.AmberDays)
		row := ComplianceRow{PersonID: p.ID, Name: p.Name, CivilServant: prof.CivilServant,
			Points: standingOf(rules, p, prof, ledger[p.ID], today)}
		if p.DepartmentID != nil {
			row.DepartmentID, row.Department = *p.DepartmentID, deptNames[*p.DepartmentID]
		}
		for _, m := range items {
			switch m.State {
			case MandatoryOverdue, MandatoryDueSoon:
				row.Missing = append(row.Missing, m)
			case MandatoryExpiring:
				row.Expiring = append(row.Expiring, m)
			}
		}
		row.Light = personLight(items, prof, row.Points)
		v.Counts[string(row.Light)]++
		v.Rows = append(v.Rows, row)
	}
	coll := db.NewNameCollator()
	slices.SortStableFunc(v.Rows, func(x, y ComplianceRow) int {
		if c := coll.CompareString(x.Department, y.Department); c != 0 {
			return c
		}
		if c := coll.CompareString(x.Name, y.Name); c != 0 {
			return c
		}
		return int(x.PersonID) - int(y.PersonID)
	})
	return v, nil
}

// complianceDepts are the departments the viewer may filter on: all for HR,
// those of the team for a manager, in tree order.
func complianceDepts(q *gorm.DB, tree []people.DeptNode, sc people.Scope, team []uint) ([]ComplianceDept, error) {
	keep := func(uint) bool { return true }
	if sc != people.ScopeAll {
		var ds []uint
		if err := q.Model(&people.Person{}).Where("id IN ? AND department_id IS NOT NULL", append(team, 0)).
			Distinct("department_id").Pluck("department_id", &ds).Error; err != nil {
			return nil, err
		}
		keep = func(id uint) bool { return slices.Contains(ds, id) }
	}
	var out []ComplianceDept
	for _, n := range tree {
		if keep(n.ID) {
			out = append(out, ComplianceDept{ID: n.ID, Name: n.Name, Depth: n.Depth})
		}
	}
	return out, nil
}

// recordRolesOf reads the roles of the people, by person.
func recordRolesOf(q *gorm.DB, ids []uint) (map[uint][]string, error) {
	out := make(map[uint][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rs []people.PersonRole
	if err := q.Where("person_id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, err
	}
	for _, r := range rs {
		out[r.PersonID] = append(out[r.PersonID], r.Role)
	}
	return out, nil
}

// ComplianceExport is the view's rows as an export writes them, in lang,
// with t translating keys: the same rows as the page, in the same order.
func ComplianceExport(v *ComplianceView, lang string, t func(key string, args ...any) string) (head []string, rows [][]any) {
	head = []string{t("training.compliance.col.department"), t("training.compliance.col.person"),
		t("training.compliance.col.light"), t("training.compliance.col.missing"), t("training.compliance.col.expiring"),
		t("training.compliance.col.points"), t("training.compliance.col.required"), t("training.compliance.col.short")}
	titles := func(items []MandatoryItem) string {
		var ts []string
		for _, m := range items {
			ts = append(ts, m.Training.Title(lang))
		}
		return strings.Join(ts, "; ")
	}
	for _, r := range v.Rows {
		rows = append(rows, []any{r.Department, r.Name, t("training.compliance.light." + string(r.Light)),
			titles(r.Missing), titles(r.Expiring), r.Points.Counted, r.Points.Required, r.Short()})
	}
	return head, rows
}
