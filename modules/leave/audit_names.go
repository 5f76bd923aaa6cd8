package leave

import (
	"context"
	"strconv"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
)

// AuditNames lets the audit log name leave requests by person and dates,
// plans by person, and types in the reader's language.
func (m *Module) AuditNames() map[string]audit.Namer {
	s := m.svc
	return map[string]audit.Namer{
		"leave_request": s.requestNames,
		"leave_plan":    audit.Names(s.db, "SELECT id, name FROM people WHERE id IN ?"),
		"leave_type": func(ctx context.Context, lang string, ids []string) (map[string]string, error) {
			col := "name_hu"
			if lang == "en" {
				col = "name_en"
			}
			return audit.Names(s.db, "SELECT id, "+col+" AS name FROM leave_types WHERE id IN ?")(ctx, lang, ids)
		},
	}
}

// requestNames names leave requests "Kiss Anna, 2026. 12. 21. – 2026. 12. 23.".
func (s *Service) requestNames(ctx context.Context, lang string, ids []string) (map[string]string, error) {
	nums := audit.NumericIDs(ids)
	if len(nums) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID                 uint64
		Name               string
		StartDate, EndDate calendar.Date
	}
	if err := s.db.R.WithContext(ctx).Raw(`SELECT r.id, p.name, r.start_date, r.end_date FROM leave_requests r
		JOIN people p ON p.id = r.person_id WHERE r.id IN ?`, nums).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[strconv.FormatUint(r.ID, 10)] = r.Name + ", " + s.span(lang, r.StartDate, r.EndDate)
	}
	return out, nil
}
