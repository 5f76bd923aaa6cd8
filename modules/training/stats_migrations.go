package training

import "kapu/modules/platform/db"

// statsMigrations are the statistics' indexes (training/0050–0059): a
// period's completions read from an index by their day with the columns
// the figures add up (no visit of the table), and the mandatory codes'
// completions by training with their validity, for compliance.
func statsMigrations() []db.Migration {
	byDay := `CREATE INDEX training_completion_day ON training_completions (completed_on, person_id, training_id, minutes, points)`
	validity := `CREATE INDEX training_completion_validity ON training_completions (training_id, person_id, valid_until, completed_on)`
	return []db.Migration{{
		ID:       "training/0050_stats_indexes",
		SQLite:   []string{byDay, validity},
		Postgres: []string{byDay, validity},
	}}
}
