package training

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/history"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// PlanView is a person's plan for a year as a viewer sees it: the plan
// (ID 0 and draft when none was made yet), its trainings, and what the
// viewer may do with it.
type PlanView struct {
	Plan
	PersonName string
	Trainings  []Training
	CostFt     int64
	Mine       bool
	// Editable: the owner may change the trainings (draft or rejected).
	Editable bool
}

// Has reports whether training id is in the plan.
func (v *PlanView) Has(id uint) bool {
	return slices.ContainsFunc(v.Trainings, func(t Training) bool { return t.ID == id })
}

// PlanOf is person personID's plan for year as a sees it: their own, their
// reports' (the manager decides it), HR everyone's; else none.
func (s *Service) PlanOf(ctx context.Context, a actor.Actor, personID uint, year int) (*PlanView, error) {
	q := s.db.R.WithContext(ctx)
	if ok, err := s.maySeePerson(ctx, q, a, personID); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrPlanNotFound
	}
	var p Plan
	if err := q.Where("person_id = ? AND year = ?", personID, year).Limit(1).Find(&p).Error; err != nil {
		return nil, err
	}
	if p.ID == 0 {
		p = Plan{PersonID: personID, Year: year, Status: PlanDraft}
	}
	return s.planView(q, a, &p)
}

// PlanByID is plan id as a sees it (the approval kind's page).
func (s *Service) PlanByID(ctx context.Context, a actor.Actor, id uint) (*PlanView, error) {
	q := s.db.R.WithContext(ctx)
	var p Plan
	if err := q.Limit(1).Find(&p, id).Error; err != nil {
		return nil, err
	}
	if p.ID == 0 {
		return nil, ErrPlanNotFound
	}
	if ok, err := s.maySeePerson(ctx, q, a, p.PersonID); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrPlanNotFound
	}
	return s.planView(q, a, &p)
}

func (s *Service) planView(q *gorm.DB, a actor.Actor, p *Plan) (*PlanView, error) {
	v := &PlanView{Plan: *p, Mine: p.PersonID == a.ID}
	v.Editable = v.Mine && (p.Status == PlanDraft || p.Status == PlanRejected)
	if p.ID != 0 {
		err := q.Joins("JOIN training_plan_items AS i ON i.training_id = training_trainings.id").
			Where("i.plan_id = ?", p.ID).Order("training_trainings.title_hu, training_trainings.id").Find(&v.Trainings).Error
		if err != nil {
			return nil, err
		}
	}
	for _, t := range v.Trainings {
		v.CostFt += t.CostFt
	}
	names, err := people.NamesOf(q, []uint{p.PersonID})
	if err != nil {
		return nil, err
	}
	v.PersonName = names[p.PersonID]
	return v, nil
}

// SetPlanItems makes a's plan for year hold exactly trainingIDs, trainings
// of that year's published catalogue a may take. Only a draft or a
// rejected plan changes (a rejected one becomes a draft again).
func (s *Service) SetPlanItems(ctx context.Context, a actor.Actor, year int, trainingIDs []uint) (*Plan, error) {
	if a.ID == 0 {
		return nil, ErrSignedOut
	}
	ids := uniqueIDs(trainingIDs)
	if len(ids) > maxPlanItems {
		return nil, ErrPlanTooManyItems
	}
	var p Plan
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		years, err := s.offeredYears(tx)
		if err != nil {
			return err
		}
		if !slices.Contains(years, year) {
			return ErrPlanYear
		}
		if err := s.checkPlanTrainings(ctx, tx, a.ID, year, ids); err != nil {
			return err
		}
		if err := tx.Where("person_id = ? AND year = ?", a.ID, year).Limit(1).Find(&p).Error; err != nil {
			return err
		}
		now := s.now()
		if p.ID == 0 {
			p = Plan{PersonID: a.ID, Year: year, Status: PlanDraft, CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(&p).Error; err != nil {
				return err
			}
		} else if p.Status != PlanDraft && p.Status != PlanRejected {
			return ErrPlanLocked
		}
		var before []uint
		if err := tx.Model(&PlanItem{}).Where("plan_id = ?", p.ID).Order("training_id").Pluck("training_id", &before).Error; err != nil {
			return err
		}
		if err := tx.Where("plan_id = ?", p.ID).Delete(&PlanItem{}).Error; err != nil {
			return err
		}
		if len(ids) > 0 {
			items := make([]PlanItem, len(ids))
			for i, id := range ids {
				items[i] = PlanItem{PlanID: p.ID, TrainingID: id}
			}
			if err := tx.Create(&items).Error; err != nil {
				return err
			}
		}
		if p.Status == PlanRejected {
			err := history.Move(tx, a, history.Transition{Entity: PlanEntity, Model: &Plan{}, ID: p.ID,
				From: []string{PlanRejected}, To: PlanDraft, Audit: "training.plan.reopen", Action: "reopened", At: now})
			if err != nil {
				return err
			}
			p.Status = PlanDraft
		}
		return audit.Record(tx, a, "training.plan.items", PlanEntity, p.ID, map[string]any{"trainings": before}, map[string]any{"trainings": ids})
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// checkPlanTrainings checks that every training is active in year and its
// target group takes in the person.
func (s *Service) checkPlanTrainings(ctx context.Context, tx *gorm.DB, personID uint, year int, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	var ts []Training
	if err := tx.Where("id IN ? AND year = ? AND active = ?", ids, year, true).Find(&ts).Error; err != nil {
		return err
	}
	if len(ts) != len(ids) {
		return ErrPlanTraining
	}
	p, roles, err := s.personOf(ctx, tx, personID)
	if err != nil {
		return err
	}
	for i := range ts {
		if !ts[i].Covers(p, roles) {
			return ErrPlanTraining
		}
	}
	return nil
}

// uniqueIDs drops zeros and repeats, keeping the order.
func uniqueIDs(ids []uint) []uint {
	var out []uint
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// SubmitPlan sends a's plan for year to a's manager for one approval;
// approved, its trainings are booked without asking again.
func (s *Service) SubmitPlan(ctx context.Context, a actor.Actor, year int) (*Plan, error) {
	if a.ID == 0 {
		return nil, ErrSignedOut
	}
	if s.deps.Approval == nil {
		return nil, ErrNoApproval
	}
	var p Plan
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("person_id = ? AND year = ?", a.ID, year).Limit(1).Find(&p).Error; err != nil {
			return err
		}
		if p.ID == 0 {
			return ErrPlanEmpty
		}
		if p.Status != PlanDraft && p.Status != PlanRejected {
			return ErrPlanLocked
		}
		var n int64
		if err := tx.Model(&PlanItem{}).Where("plan_id = ?", p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrPlanEmpty
		}
		approvers, err := s.approversOf(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		req, err := s.deps.Approval.Submit(ctx, tx, KindPlan, web.FormatID(p.ID), a, approvers)
		if err != nil {
			return err
		}
		err = history.Move(tx, a, history.Transition{Entity: PlanEntity, Model: &Plan{}, ID: p.ID,
			From: []string{p.Status}, To: PlanPending, Set: map[string]any{"approval_id": req.ID},
			Audit: "training.plan.submit", Action: "submitted", At: s.now()})
		if err != nil {
			return err
		}
		p.Status, p.ApprovalID = PlanPending, &req.ID
		return nil
	})
	if errors.Is(err, history.ErrStateChanged) {
		return nil, ErrPlanLocked
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}
