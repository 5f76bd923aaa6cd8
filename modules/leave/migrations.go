package leave

import (
	"kapu/modules/platform/db"
)

// Migrations are the invariants the database keeps itself: one person's active
// requests never overlap, whatever the application checked before.
func Migrations() []db.Migration {
	const active = "('pending','approved','cancel_requested')"
	return []db.Migration{{
		ID: "leave/0001_no_overlap",
		SQLite: []string{
			`CREATE TRIGGER leave_overlap_insert BEFORE INSERT ON leave_requests
			 WHEN NEW.status IN ` + active + `
			 BEGIN
			   SELECT RAISE(ABORT, 'leave_overlap') WHERE EXISTS (
			     SELECT 1 FROM leave_requests WHERE person_id = NEW.person_id AND status IN ` + active + `
			       AND start_date <= NEW.end_date AND end_date >= NEW.start_date);
			 END`,
			`CREATE TRIGGER leave_overlap_update BEFORE UPDATE OF start_date, end_date, status ON leave_requests
			 WHEN NEW.status IN ` + active + `
			 BEGIN
			   SELECT RAISE(ABORT, 'leave_overlap') WHERE EXISTS (
			     SELECT 1 FROM leave_requests WHERE person_id = NEW.person_id AND id <> NEW.id AND status IN ` + active + `
			       AND start_date <= NEW.end_date AND end_date >= NEW.start_date);
			 END`,
		},
		Postgres: []string{
			// Dates are stored as ISO text; ISO input reads the same under every DateStyle.
			`CREATE OR REPLACE FUNCTION kapu_date(text) RETURNS date LANGUAGE sql IMMUTABLE AS 'SELECT $1::date'`,
			`ALTER TABLE leave_requests ADD CONSTRAINT leave_overlap EXCLUDE USING gist (
			   int8range(person_id, person_id, '[]') WITH &&,
			   daterange(kapu_date(start_date), kapu_date(end_date), '[]') WITH &&
			 ) WHERE (status IN ` + active + `)`,
		},
	}}
}
