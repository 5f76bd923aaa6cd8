package training

import "kapu/modules/platform/db"

// Constraint names, the same on both databases, for db.IsConstraint.
const (
	// ConstraintSeats refuses a session with more enrolled than seats.
	ConstraintSeats = "training_seats"
	// ConstraintEnrolOnce refuses a second active place of one person with
	// one training.
	ConstraintEnrolOnce = "training_enrolment_once"
)

// Migrations are the invariants the database keeps whatever the service
// checked: a session never holds more than its seats (PostgreSQL a CHECK,
// SQLite triggers raising the same name, as SQLite cannot add a constraint
// to a table GORM made), and a person holds one active place per training
// (a partial unique index, the same SQL on both).
func Migrations() []db.Migration {
	seatsSQLite := func(event string) string {
		return `CREATE TRIGGER training_seats_` + event + ` BEFORE ` + event + ` ON training_sessions
		 BEGIN
		   SELECT RAISE(ABORT, '` + ConstraintSeats + `') WHERE NEW.enrolled < 0 OR NEW.enrolled > NEW.seats;
		 END`
	}
	once := `CREATE UNIQUE INDEX ` + ConstraintEnrolOnce + ` ON training_enrolments (training_id, person_id)
		 WHERE status IN ('pending', 'approved', 'enrolled', 'waiting')`
	waiting := `CREATE INDEX training_enrolment_waiting ON training_enrolments (session_id, waiting_since, id)
		 WHERE status = 'waiting'`
	return append([]db.Migration{{
		ID:     "training/0001_seats_and_places",
		SQLite: []string{seatsSQLite("insert"), seatsSQLite("update"), once, waiting},
		Postgres: []string{
			`ALTER TABLE training_sessions ADD CONSTRAINT ` + ConstraintSeats + ` CHECK (enrolled >= 0 AND enrolled <= seats)`,
			once, waiting,
		},
	}}, append(recordMigrations(), statsMigrations()...)...)
}
