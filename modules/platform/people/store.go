package people

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
)

// PeopleFilter narrows the people list.
type PeopleFilter struct {
	Q            string // part of name, username, email or job title
	DepartmentID uint
	Role         string
	Status       string // "active" (default), "inactive" or "all"
	Page         int
}

// PerPage is the size of a people list page.
const PerPage = 50

// PersonRow is one line of the people list.
type PersonRow struct {
	Person
	DepartmentName string
}

// ListPeople returns one page of people matching f, by name, and the number matching.
func (s *Service) ListPeople(ctx context.Context, a actor.Actor, f PeopleFilter) ([]PersonRow, int64, error) {
	if !canManagePeople(a) {
		return nil, 0, ErrForbidden
	}
	q := s.db.R.WithContext(ctx).Table("people AS p").
		Joins("LEFT JOIN departments AS d ON d.id = p.department_id")
	if term := strings.ToLower(strings.TrimSpace(f.Q)); term != "" {
		like := "%" + term + "%"
		q = q.Where("LOWER(p.name) LIKE ? OR p.username LIKE ? OR p.email LIKE ? OR LOWER(p.job_title) LIKE ?", like, like, like, like)
	}
	if f.DepartmentID > 0 {
		q = q.Where("p.department_id = ?", f.DepartmentID)
	}
	if f.Role != "" {
		q = q.Where("EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.role = ?)", f.Role)
	}
	switch f.Status {
	case "all":
	case "inactive":
		q = q.Where("p.active = ?", false)
	default:
		q = q.Where("p.active = ?", true)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	var rows []PersonRow
	err := q.Select("p.*, d.name AS department_name").Order(s.db.ByName("p.name") + ", p.id").
		Limit(PerPage).Offset((f.Page - 1) * PerPage).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return rows, total, err
	}
	// One query for the roles of the whole page.
	ids := make([]uint, len(rows))
	byID := make(map[uint]*PersonRow, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
		byID[rows[i].ID] = &rows[i]
	}
	var roles []PersonRole
	if err := s.db.R.WithContext(ctx).Where("person_id IN ?", ids).Find(&roles).Error; err != nil {
		return nil, 0, err
	}
	for _, r := range roles {
		byID[r.PersonID].Roles = append(byID[r.PersonID].Roles, r)
	}
	return rows, total, nil
}

// Choice is one entry of a select list of people or departments.
type Choice struct {
	ID    uint
	Label string
	Depth int
}

// ActivePeople lists every active person as choices for manager and deputy fields.
func (s *Service) ActivePeople(ctx context.Context) ([]Choice, error) {
	var out []Choice
	err := s.db.R.WithContext(ctx).Model(&Person{}).Select("id, name AS label").
		Where("active = ?", true).Order(s.db.ByName("name") + ", id").Scan(&out).Error
	return out, err
}

// DeptNode is a department placed in the tree, with what the tree page shows.
type DeptNode struct {
	Department
	Depth    int
	HeadName string
	People   int64
	Children int
}

// DepartmentTree returns every department in tree order (each parent before its
// children, siblings by name) with its depth, head and head count.
func (s *Service) DepartmentTree(ctx context.Context) ([]DeptNode, error) {
	var all []DeptNode
	err := s.db.R.WithContext(ctx).Table("departments AS d").
		Select("d.*, h.name AS head_name, (SELECT COUNT(*) FROM people p WHERE p.department_id = d.id AND p.active = ?) AS people", true).
		Joins("LEFT JOIN people AS h ON h.id = d.head_id").
		Order(s.db.ByName("d.name") + ", d.id").Scan(&all).Error
	if err != nil {
		return nil, err
	}
	kids := map[uint][]int{} // parent id (0 for roots) → indexes in all
	known := map[uint]bool{}
	for _, n := range all {
		known[n.ID] = true
	}
	for i, n := range all {
		var parent uint
		if n.ParentID != nil && known[*n.ParentID] {
			parent = *n.ParentID
		}
		kids[parent] = append(kids[parent], i)
	}
	out := make([]DeptNode, 0, len(all))
	var walk func(parent uint, depth int)
	walk = func(parent uint, depth int) {
		for _, i := range kids[parent] {
			n := all[i]
			n.Depth = depth
			n.Children = len(kids[n.ID])
			out = append(out, n)
			walk(n.ID, depth+1)
		}
	}
	walk(0, 0)
	return out, nil
}

// Department loads one department.
func (s *Service) Department(ctx context.Context, id uint) (*Department, error) {
	var d Department
	err := s.db.R.WithContext(ctx).First(&d, id).Error
	if db.IsNotFound(err) {
		return nil, ErrNotFound
	}
	return &d, err
}

// DepartmentInput is a department as its form describes it.
type DepartmentInput struct {
	Name         string
	ParentID     *uint
	HeadID       *uint
	StaffingNote string
}

// SaveDepartment creates (id 0) or updates a department. Only admins may; a
// department cannot be moved under itself or its own descendants.
func (s *Service) SaveDepartment(ctx context.Context, a actor.Actor, id uint, in DepartmentInput) (*Department, error) {
	if !a.Has(actor.Admin) {
		return nil, ErrForbidden
	}
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.StaffingNote = strings.TrimSpace(in.StaffingNote)
	if in.Name == "" || len(in.Name) > 120 {
		return nil, &FieldError{"name", "departments.error.name"}
	}
	if len(in.StaffingNote) > 300 {
		return nil, &FieldError{"staffing_note", "validation.too_long"}
	}
	var d Department
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before *Department
		if id != 0 {
			if err := tx.First(&d, id).Error; err != nil {
				if db.IsNotFound(err) {
					return ErrNotFound
				}
				return err
			}
			copy := d
			before = &copy
		}
		if in.ParentID != nil {
			if !exists(tx, &Department{}, *in.ParentID) {
				return &FieldError{"parent_id", "departments.error.parent"}
			}
			if id != 0 && s.isUnder(tx, *in.ParentID, id) {
				return &FieldError{"parent_id", "departments.error.cycle"}
			}
		}
		if in.HeadID != nil && !exists(tx, &Person{}, *in.HeadID) {
			return &FieldError{"head_id", "people.error.person"}
		}
		d.Name, d.ParentID, d.HeadID, d.StaffingNote = in.Name, in.ParentID, in.HeadID, in.StaffingNote
		if err := tx.Save(&d).Error; err != nil {
			return err
		}
		action := "people.department.update"
		if before == nil {
			action = "people.department.create"
		}
		return audit.Record(tx, a, action, "department", d.ID, before, d)
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// isUnder reports whether department id is ancestor or equal to node.
func (s *Service) isUnder(tx *gorm.DB, node, ancestor uint) bool {
	cur := &node
	for depth := 0; cur != nil && depth < 64; depth++ {
		if *cur == ancestor {
			return true
		}
		var d Department
		if tx.Select("id, parent_id").First(&d, *cur).Error != nil {
			return false
		}
		cur = d.ParentID
	}
	return false
}

// DeleteDepartment removes an empty department (no people, no sub-departments).
func (s *Service) DeleteDepartment(ctx context.Context, a actor.Actor, id uint) error {
	if !a.Has(actor.Admin) {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var d Department
		if err := tx.First(&d, id).Error; err != nil {
			if db.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		var n int64
		tx.Model(&Person{}).Where("department_id = ?", id).Count(&n)
		if n == 0 {
			tx.Model(&Department{}).Where("parent_id = ?", id).Count(&n)
		}
		if n > 0 {
			return ErrDepartmentInUse
		}
		if err := tx.Delete(&d).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "people.department.delete", "department", d.ID, d, nil)
	})
}
