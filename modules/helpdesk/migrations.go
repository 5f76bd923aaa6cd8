package helpdesk

import "kapu/modules/platform/db"

// Migrations are the module's SQL steps GORM cannot express.
//
// helpdesk_queue_indexes serve the queue page (QueueTickets) on a few
// hundred thousand tickets, of which a few per cent are open:
//   - helpdesk_ticket_open holds only the open tickets (the page's default
//     view), in the due order, so that view never touches the closed
//     history; its condition is the query's own term (openStatesSQL), which
//     is how SQLite recognises that it may use it, and it carries every
//     filtered column, so a filter and its count read the index alone;
//   - the others give each sort of "all states" its first page straight off
//     an index, so neither database sorts a queue's history to show fifty
//     rows; PostgreSQL sorts NULLs last by itself, SQLite needs the "no due
//     time" flag as an expression in its index (queueOrder's ORDER BY);
//   - the building filter's list hops along (queue_id, building) (buildingsSQL).
//
// The statistics' and the renewal report's covering indexes are theirs
// (statsMigrations, renewalMigrations).
func Migrations() []db.Migration {
	open := ` WHERE state IN ` + openStatesSQL
	openFilters := `category_id, assignee_id, building, sla_breached, sla_breach_at, sla_warn_at`
	return append([]db.Migration{{
		ID: "helpdesk_queue_indexes",
		SQLite: []string{
			`CREATE INDEX helpdesk_ticket_open ON helpdesk_tickets (queue_id, due_at IS NULL, due_at, priority, created_at, id, ` + openFilters + `)` + open,
			`CREATE INDEX helpdesk_ticket_queue_due ON helpdesk_tickets (queue_id, due_at IS NULL, due_at, priority, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_new ON helpdesk_tickets (queue_id, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_prio ON helpdesk_tickets (queue_id, priority, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_building ON helpdesk_tickets (queue_id, building)`,
		},
		Postgres: []string{
			`CREATE INDEX helpdesk_ticket_open ON helpdesk_tickets (queue_id, due_at, priority, created_at, id) INCLUDE (` + openFilters + `)` + open,
			`CREATE INDEX helpdesk_ticket_queue_due ON helpdesk_tickets (queue_id, due_at, priority, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_new ON helpdesk_tickets (queue_id, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_prio ON helpdesk_tickets (queue_id, priority, created_at, id)`,
			`CREATE INDEX helpdesk_ticket_queue_building ON helpdesk_tickets (queue_id, building)`,
		},
	}}, append(statsMigrations(), renewalMigrations()...)...)
}
