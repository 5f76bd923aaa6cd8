package calendar

import (
	"context"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/i18n"
)

// AuditNames lets the audit log name calendar days (their id is the date).
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{
		"calendar_override": func(_ context.Context, lang string, ids []string) (map[string]string, error) {
			out := map[string]string{}
			for _, id := range ids {
				if d, err := ParseDate(id); err == nil {
					y, mo, dd := d.Civil()
					out[id] = i18n.FormatDate(lang, y, mo, dd)
				}
			}
			return out, nil
		},
	}
}
