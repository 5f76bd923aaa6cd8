package leave

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
)

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
	if err := s.activePeople(ctx, depts, "").Select(personColumns).Order(s.db.ByName("p.name") + ", p.id").Scan(&ppl).Error; err != nil {
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
