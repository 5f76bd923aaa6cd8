package people

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
)

// Scope is how much of the staff's records (leave, tickets, requests for
// stock, training) a viewer sees.
type Scope int

const (
	ScopeOwn  Scope = iota // only their own
	ScopeTeam              // their own and their reports' (see ManagerOf)
	ScopeAll               // everyone's
)

// ScopeOf is the scope a's roles give: everyone's records for a holder of one
// of the roles in all, which each module names (HR for leave, IT for the
// helpdesk), else the team's. Who is in a team is data, not a role: a person
// who manages nobody sees just their own.
func ScopeOf(a actor.Actor, all ...string) Scope {
	if a.Has(all...) {
		return ScopeAll
	}
	return ScopeTeam
}

// MaySee reports whether a, at scope sc, sees the records of person id: the
// one-record check of a page that opens a single leave request or ticket.
func (s *Service) MaySee(ctx context.Context, a actor.Actor, sc Scope, id uint) (bool, error) {
	switch {
	case sc == ScopeAll || (a.ID != 0 && a.ID == id):
		return true, nil
	case sc == ScopeOwn:
		return false, nil
	}
	p, err := s.Person(ctx, id)
	if err != nil {
		return false, err
	}
	mgr, err := s.ManagerOf(ctx, p)
	if errors.Is(err, ErrNotFound) { // a named manager who is gone manages nobody
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return mgr != nil && mgr.ID == a.ID, nil
}

// Visible is whose records a viewer sees, for lists.
type Visible struct {
	Scope Scope
	Self  uint
	Team  []uint // ScopeTeam: the people the viewer manages
}

// VisibleTo reads through q whose records a sees at scope sc.
func VisibleTo(q *gorm.DB, a actor.Actor, sc Scope) (Visible, error) {
	v := Visible{Scope: sc, Self: a.ID}
	if sc != ScopeTeam || a.ID == 0 {
		return v, nil
	}
	team, err := Reports(q, a.ID)
	v.Team = team
	return v, err
}

// Sees reports whether v includes the records of person id.
func (v Visible) Sees(id uint) bool {
	switch v.Scope {
	case ScopeAll:
		return true
	case ScopeTeam:
		return id == v.Self || slices.Contains(v.Team, id)
	}
	return id == v.Self
}

// Filter is a GORM scope that keeps the rows whose column, a person id, v
// sees: q.Scopes(v.Filter("tickets.requester_id")).
func (v Visible) Filter(column string) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		switch v.Scope {
		case ScopeAll:
			return q
		case ScopeTeam:
			return q.Where(column+" IN ?", append([]uint{v.Self}, v.Team...))
		}
		return q.Where(column+" = ?", v.Self)
	}
}

// Reports lists, read through q in id order, the people whose manager is
// managerID by ManagerOf's rule (active or not, as their records stay): the
// whole organisation in two queries, for lists.
func Reports(q *gorm.DB, managerID uint) ([]uint, error) {
	var ppl []struct {
		ID                      uint
		ManagerID, DepartmentID *uint
	}
	if err := q.Table("people").Select("id, manager_id, department_id").Order("id").Scan(&ppl).Error; err != nil {
		return nil, err
	}
	var depts []Department
	if err := q.Select("id, parent_id, head_id").Find(&depts).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]Department, len(depts))
	for _, d := range depts {
		byID[d.ID] = d
	}
	var out []uint
	for _, p := range ppl {
		if m := managerIn(byID, p.ID, p.ManagerID, p.DepartmentID); m == managerID {
			out = append(out, p.ID)
		}
	}
	return out, nil
}

// managerIn is ManagerOf's rule over loaded departments: the named manager,
// else the head of the nearest department up whose head is not the person;
// 0 for nobody.
func managerIn(depts map[uint]Department, id uint, managerID, deptID *uint) uint {
	if managerID != nil {
		return *managerID
	}
	for depth := 0; deptID != nil && depth < 32; depth++ {
		d, ok := depts[*deptID]
		if !ok {
			return 0
		}
		if d.HeadID != nil && *d.HeadID != id {
			return *d.HeadID
		}
		deptID = d.ParentID
	}
	return 0
}

// Subtree returns department id and every department under it from a
// DepartmentTree, which lists each parent before its children: they follow
// it until the depth climbs back. nil when id is not in the tree.
func Subtree(tree []DeptNode, id uint) []DeptNode {
	for i, n := range tree {
		if n.ID != id {
			continue
		}
		j := i + 1
		for j < len(tree) && tree[j].Depth > n.Depth {
			j++
		}
		return tree[i:j]
	}
	return nil
}
