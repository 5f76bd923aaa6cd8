package helpdesk

import "kapu/modules/platform/db"

// Migrations are the module's SQL steps GORM cannot express.
//
// helpdesk_queue_indexes serve the queue page (QueueTickets) on a few
// hundred thousand tickets: each of its sorts reads its first page straight
// off an index of the queue's tickets in that order, so neither database
// sorts a queue's whole history to show fifty rows. The open tickets' view
// uses GORM's (queue_id, state, due_at) index and sorts the few that are
// open. PostgreSQL sorts NULLs last by itself; SQLite needs the "no due
// time" flag as an expression in its index (the same expression as the
// query's ORDER BY in queueOrder).
func Migrations() []db.Migration {
	return []db.Migration{{
		ID: "helpdesk_queue_indexes",
		SQLite: []string{
			`CREATE INDEX helpdesk_ticket_queue_due ON helpdesk_tickets (queue_id, due_at IS NULL, due_at, priority, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_new ON helpdesk_tickets (queue_id, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_prio ON helpdesk_tickets (queue_id, priority, created_at, id)`,
		},
		Postgres: []string{
			`CREATE INDEX helpdesk_ticket_queue_due ON helpdesk_tickets (queue_id, due_at, priority, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_new ON helpdesk_tickets (queue_id, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_prio ON helpdesk_tickets (queue_id, priority, created_at, id)`,
		},
	}}
}
