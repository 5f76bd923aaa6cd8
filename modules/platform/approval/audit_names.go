package approval

import "kapu/modules/platform/audit"

// AuditNames lets the audit log name approval requests by their title.
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{
		Entity: audit.Names(m.engine.db, "SELECT id, title AS name FROM approval_requests WHERE id IN ?"),
	}
}
