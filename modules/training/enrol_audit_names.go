package training

import (
	"context"
	"strconv"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/people"
)

// enrolmentNames is the audit Namer of EnrolmentEntity: the training's
// title in the reader's language and the person, "Elsősegély – Papp Eszter".
func (s *Service) enrolmentNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID               uint
		PersonID         uint
		TitleHU, TitleEN string
	}
	q := s.db.R.WithContext(ctx)
	err := q.Table("training_enrolments AS e").Select("e.id, e.person_id, t.title_hu, t.title_en").
		Joins("JOIN training_trainings AS t ON t.id = e.training_id").Where("e.id IN ?", nums).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	pids := make([]uint, len(rows))
	for i, r := range rows {
		pids[i] = r.PersonID
	}
	names, err := people.NamesOf(q, pids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		t := Training{TitleHU: r.TitleHU, TitleEN: r.TitleEN}
		out[strconv.FormatUint(uint64(r.ID), 10)] = t.Title(lang) + " – " + names[r.PersonID]
	}
	return out, nil
}

// planNames is the audit Namer of PlanEntity: "Képzési terv 2027: Papp Eszter".
func (s *Service) planNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	q := s.db.R.WithContext(ctx)
	var plans []Plan
	if err := q.Select("id, person_id, year").Where("id IN ?", nums).Find(&plans).Error; err != nil {
		return nil, err
	}
	pids := make([]uint, len(plans))
	for i, p := range plans {
		pids[i] = p.PersonID
	}
	names, err := people.NamesOf(q, pids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(plans))
	for _, p := range plans {
		out[strconv.FormatUint(uint64(p.ID), 10)] = s.cat.T(lang, "training.enrol.plan.audit_name", "Year", p.Year, "Name", names[p.PersonID])
	}
	return out, nil
}
