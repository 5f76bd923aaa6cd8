package people

import "kapu/modules/platform/audit"

// AuditNames lets the audit log name people and departments.
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{
		"person":     audit.Names(m.svc.db, "SELECT id, name FROM people WHERE id IN ?"),
		"department": audit.Names(m.svc.db, "SELECT id, name FROM departments WHERE id IN ?"),
	}
}
