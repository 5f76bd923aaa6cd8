package training

import (
	"context"
	"strconv"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
)

// completionNames is the audit log's Namer of CompletionEntity: the person,
// the training in the reader's language and the day ("Papp Eszter:
// Tűzvédelmi oktatás, 2026. márc. 5."), one query for the page's ids.
func (s *Service) completionNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID               uint
		Name             string
		TitleHU, TitleEN string
		CompletedOn      calendar.Date
	}
	err := s.db.R.WithContext(ctx).Table("training_completions AS c").
		Select("c.id, p.name, t.title_hu, t.title_en, c.completed_on").
		Joins("JOIN people p ON p.id = c.person_id").Joins("JOIN training_trainings t ON t.id = c.training_id").
		Where("c.id IN ?", nums).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		t := Training{TitleHU: r.TitleHU, TitleEN: r.TitleEN}
		out[strconv.FormatUint(uint64(r.ID), 10)] = r.Name + ": " + t.Title(lang) + ", " + mailDay(lang, r.CompletedOn)
	}
	return out, nil
}
