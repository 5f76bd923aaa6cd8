package appointments

import (
	"context"

	"kapu/modules/platform/audit"
)

// AuditNames lets the audit log name offices, desks (with their office, as
// "3. ablak, Okmányiroda") and case types in the reader's language.
func (m *Module) AuditNames() map[string]audit.Namer {
	d := m.svc.db
	hu := audit.Names(d, "SELECT id, name_hu AS name FROM appt_case_types WHERE id IN ?")
	en := audit.Names(d, "SELECT id, CASE WHEN name_en <> '' THEN name_en ELSE name_hu END AS name FROM appt_case_types WHERE id IN ?")
	return map[string]audit.Namer{
		"appt_office": audit.Names(d, "SELECT id, name FROM appt_offices WHERE id IN ?"),
		"appt_desk": audit.Names(d, `SELECT d.id, d.name || ', ' || o.name AS name FROM appt_desks d
			JOIN appt_offices o ON o.id = d.office_id WHERE d.id IN ?`),
		"appt_case_type": func(ctx context.Context, lang string, ids []string) (map[string]string, error) {
			if lang == "en" {
				return en(ctx, lang, ids)
			}
			return hu(ctx, lang, ids)
		},
	}
}
