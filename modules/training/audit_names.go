package training

import (
	"context"
	"strconv"

	"kapu/modules/platform/audit"
)

// AuditNames lets the audit log name the module's records in the reader's
// language: a catalogue by its year, a training by code and title, a
// session by its training and days, an enrolment by its training and
// person, a plan by its year and person, a completion by its person,
// training and day.
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{
		CatalogueEntity:  m.svc.catalogueNames,
		TrainingEntity:   m.svc.trainingNames,
		SessionEntity:    m.svc.sessionNames,
		EnrolmentEntity:  m.svc.enrolmentNames,
		PlanEntity:       m.svc.planNames,
		CompletionEntity: m.svc.completionNames,
	}
}

// catalogueNames is the Namer of CatalogueEntity: the year itself.
func (s *Service) catalogueNames(_ context.Context, _ string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for _, id := range audit.NumericIDs(ids) {
		out[strconv.FormatUint(id, 10)] = strconv.FormatUint(id, 10)
	}
	return out, nil
}

// trainingNames is the Namer of TrainingEntity: "TUZV-ALAP Tűzvédelmi oktatás (2027)".
func (s *Service) trainingNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var ts []Training
	if err := s.db.R.WithContext(ctx).Select("id, year, code, title_hu, title_en").Where("id IN ?", nums).Find(&ts).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ts))
	for i := range ts {
		out[strconv.FormatUint(uint64(ts[i].ID), 10)] = trainingName(&ts[i], lang)
	}
	return out, nil
}

func trainingName(t *Training, lang string) string {
	return t.Code + " " + t.Title(lang) + " (" + strconv.Itoa(t.Year) + ")"
}

// sessionNames is the Namer of SessionEntity: "TUZV-ALAP Tűzvédelmi oktatás, 2027. jan. 12. 9:00–12:00".
func (s *Service) sessionNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	q := s.db.R.WithContext(ctx)
	var xs []Session
	if err := q.Where("id IN ?", nums).Find(&xs).Error; err != nil {
		return nil, err
	}
	tids := make([]uint, 0, len(xs))
	for _, x := range xs {
		tids = append(tids, x.TrainingID)
	}
	var ts []Training
	if err := q.Select("id, year, code, title_hu, title_en").Where("id IN ?", tids).Find(&ts).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Training, len(ts))
	for i := range ts {
		byID[ts[i].ID] = &ts[i]
	}
	out := make(map[string]string, len(xs))
	for i := range xs {
		name := xs[i].When(lang, 0)
		if t := byID[xs[i].TrainingID]; t != nil {
			name = t.Code + " " + t.Title(lang) + ", " + name
		}
		out[strconv.FormatUint(uint64(xs[i].ID), 10)] = name
	}
	return out, nil
}
