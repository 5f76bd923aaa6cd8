package training

import "kapu/modules/platform/db"

// ConstraintCompletionOnce refuses a second completion of one training by
// one person on one day: a roster, a record on behalf and an import racing
// each other (or one file imported twice at once) cannot count it twice.
const ConstraintCompletionOnce = "training_completion_once"

// recordMigrations are the records' steps (training/0030..0039).
func recordMigrations() []db.Migration {
	once := `CREATE UNIQUE INDEX ` + ConstraintCompletionOnce + ` ON training_completions (person_id, training_id, completed_on)`
	return []db.Migration{{ID: "training/0030_completion_once", SQLite: []string{once}, Postgres: []string{once}}}
}

// duplicateAsConflict turns the database's refusal of a second completion
// into ErrDuplicate.
func duplicateAsConflict(err error) error {
	if db.IsConstraint(err, ConstraintCompletionOnce) {
		return ErrDuplicate
	}
	return err
}
