package approval

import (
	"gorm.io/gorm"

	"kapu/modules/platform/db"
)

// Migrations are the engine's versioned steps.
func Migrations() []db.Migration {
	return []db.Migration{{ID: "approval/0001_events_to_history", Run: copyEventsToHistory}}
}

// copyEventsToHistory copies the request histories that approval_events kept
// before the history package into history_entries, once. A new database
// never had that table and has nothing to copy; an old one keeps it as it
// was. Routed and escalated events kept the deputy's or manager's name as
// their comment, which is now the entry's Other; a decision's states follow
// from its action (an approval of the last step approved the request).
func copyEventsToHistory(tx *gorm.DB) error {
	if !tx.Migrator().HasTable("approval_events") {
		return nil
	}
	return tx.Exec(`INSERT INTO history_entries
  (entity, entity_id, at, actor_id, actor_name, channel, ip, action, from_status, to_status, step, other, comment)
SELECT ?, e.request_id, e.at, e.actor_id, e.actor_name, COALESCE(e.channel, ''), COALESCE(e.ip, ''), e.action,
  CASE WHEN e.action IN ('approved', 'rejected', 'withdrawn') THEN 'pending' ELSE '' END,
  CASE
    WHEN e.action IN ('rejected', 'withdrawn') THEN e.action
    WHEN e.action = 'approved' AND e.step_seq >= (SELECT MAX(s.seq) FROM approval_steps s WHERE s.request_id = e.request_id) THEN 'approved'
    WHEN e.action = 'approved' THEN 'pending'
    ELSE ''
  END,
  COALESCE(e.step_seq, 0),
  CASE WHEN e.action IN ('routed', 'escalated') THEN COALESCE(e.comment, '') ELSE '' END,
  CASE WHEN e.action IN ('routed', 'escalated') THEN '' ELSE COALESCE(e.comment, '') END
FROM approval_events e ORDER BY e.id`, Entity).Error
}
