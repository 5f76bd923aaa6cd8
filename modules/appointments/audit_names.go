package appointments

import (
	"context"

	"kapu/modules/platform/audit"
)

// AuditNames lets the audit log name offices, desks (with their office, as
// "3. ablak, Okmányiroda"), case types in the reader's language, and
// appointments by their code and case type ("K7F-3QX, Útlevél"), never by
// the citizen, whose data is erased later.
func (m *Module) AuditNames() map[string]audit.Namer {
	d := m.svc.db
	hu := audit.Names(d, "SELECT id, name_hu AS name FROM appt_case_types WHERE id IN ?")
	en := audit.Names(d, "SELECT id, CASE WHEN name_en <> '' THEN name_en ELSE name_hu END AS name FROM appt_case_types WHERE id IN ?")
	apptHU := audit.Names(d, `SELECT a.id, a.code || ', ' || t.name_hu AS name FROM appointments a
		JOIN appt_case_types t ON t.id = a.case_type_id WHERE a.id IN ?`)
	apptEN := audit.Names(d, `SELECT a.id, a.code || ', ' || CASE WHEN t.name_en <> '' THEN t.name_en ELSE t.name_hu END AS name
		FROM appointments a JOIN appt_case_types t ON t.id = a.case_type_id WHERE a.id IN ?`)
	byLang := func(hu, en audit.Namer) audit.Namer {
		return func(ctx context.Context, lang string, ids []string) (map[string]string, error) {
			if lang == "en" {
				return en(ctx, lang, ids)
			}
			return hu(ctx, lang, ids)
		}
	}
	return map[string]audit.Namer{
		"appt_office": audit.Names(d, "SELECT id, name FROM appt_offices WHERE id IN ?"),
		"appt_desk": audit.Names(d, `SELECT d.id, d.name || ', ' || o.name AS name FROM appt_desks d
			JOIN appt_offices o ON o.id = d.office_id WHERE d.id IN ?`),
		"appt_case_type": byLang(hu, en),
		entity:           byLang(apptHU, apptEN),
	}
}
