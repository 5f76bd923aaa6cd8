package helpdesk

import (
	"kapu/modules/platform/audit"
)

// AuditNames lets the audit log name tickets by number and title
// ("IT-00042 A nyomtató nem nyomtat").
func (m *Module) AuditNames() map[string]audit.Namer {
	return map[string]audit.Namer{
		"helpdesk_ticket":           audit.Names(m.svc.db, "SELECT id, number || ' ' || title AS name FROM helpdesk_tickets WHERE id IN ?"),
		assetEntity:                 audit.Names(m.svc.db, "SELECT id, tag || ' ' || type AS name FROM helpdesk_assets WHERE id IN ?"),
		queueEntity:                 audit.Names(m.svc.db, "SELECT id, name_hu AS name FROM helpdesk_queues WHERE id IN ?"),
		categoryEntity:              audit.Names(m.svc.db, "SELECT id, name_hu AS name FROM helpdesk_categories WHERE id IN ?"),
		"helpdesk_maintenance_plan": audit.Names(m.svc.db, "SELECT id, title AS name FROM helpdesk_maintenance_plans WHERE id IN ?"),
	}
}
