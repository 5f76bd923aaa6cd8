package appointments

import "kapu/modules/platform/db"

// Migrations are the invariant the database keeps itself, whatever the
// service checked before: a desk never holds two active appointments whose
// times overlap, whatever the case types' durations. Intervals are half-open,
// so back-to-back appointments are fine. A walk-in on the waiting list has no
// desk or time and is not checked.
func Migrations() []db.Migration {
	const update = "UPDATE OF desk_id, start_at, end_at, status"
	overlap := func(name, event, self string) string {
		return `CREATE TRIGGER appt_overlap_` + name + ` BEFORE ` + event + ` ON appointments
		 WHEN NEW.desk_id IS NOT NULL AND NEW.status IN ` + activeSQL + `
		 BEGIN
		   SELECT RAISE(ABORT, 'appt_not_utc') WHERE NEW.start_at NOT LIKE '____-__-__ __:__:__%+00:00'
		     OR NEW.end_at NOT LIKE '____-__-__ __:__:__%+00:00';
		   SELECT RAISE(ABORT, 'appt_bad_interval') WHERE NOT (NEW.end_at > NEW.start_at);
		   SELECT RAISE(ABORT, 'appt_overlap') WHERE EXISTS (
		     SELECT 1 FROM appointments o WHERE o.desk_id = NEW.desk_id ` + self + `
		       AND o.status IN ` + activeSQL + `
		       AND o.start_at < NEW.end_at AND o.end_at > NEW.start_at);
		 END`
	}
	// The erasure walks the appointments whose data is not erased yet, by
	// id: a partial index holds only those (the last months and the
	// future), so it never reads years of erased rows.
	unerased := `CREATE INDEX idx_appt_unerased ON appointments (id) WHERE erased_at IS NULL`
	return []db.Migration{{
		ID: "appointments/0001_no_double_booking",
		SQLite: []string{
			overlap("insert", "INSERT", ""),
			overlap("update", update, "AND o.id <> NEW.id"),
		},
		Postgres: []string{
			`ALTER TABLE appointments ADD CONSTRAINT appt_interval
			   CHECK (desk_id IS NULL OR (start_at IS NOT NULL AND end_at > start_at))`,
			// int8range(id, id, '[]') makes the desk comparable with && in a
			// gist index without btree_gist (as booking does).
			`ALTER TABLE appointments ADD CONSTRAINT appt_overlap EXCLUDE USING gist (
			   int8range(desk_id, desk_id, '[]') WITH &&,
			   tstzrange(start_at, end_at, '[)') WITH &&
			 ) WHERE (desk_id IS NOT NULL AND status IN ` + activeSQL + `)`,
		},
	}, {ID: "appointments/0002_unerased", SQLite: []string{unerased}, Postgres: []string{unerased}}}
}
