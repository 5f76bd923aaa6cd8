package notify

import "kapu/modules/platform/audit"

// AuditNames lets the audit log name mails by subject and recipient.
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{
		"mail": audit.Names(m.out.db, "SELECT id, subject || ' → ' || to_addr AS name FROM outbox WHERE id IN ?"),
	}
}
