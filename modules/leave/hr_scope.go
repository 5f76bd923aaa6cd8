package leave

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

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
	under := people.Subtree(tree, id)
	if under == nil {
		return nil, ErrNotFound
	}
	out := make([]uint, len(under))
	for i, n := range under {
		out[i] = n.ID
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
	err := s.activePeople(ctx, nil, "").Select("p.id, p.name, d.name AS department").Order(s.db.ByName("p.name") + ", p.id").Scan(&out).Error
	return out, err
}
