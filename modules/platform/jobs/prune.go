package jobs

import (
	"context"

	"gorm.io/gorm"
)

// PruneJob keeps the job tables small; it runs at night, after the nightly work.
const (
	PruneJob    = "jobs.prune"
	pruneHour   = 3
	pruneMinute = 10
)

// The history the admin page can still show after pruning.
const (
	keepDays        = 30
	keepRunsFromJob = 50
)

// prune deletes slot locks and runs older than keepDays, but keeps the newest
// keepRunsFromJob runs of every job so a rarely run job still shows its history.
func (s *Scheduler) prune(ctx context.Context) error {
	cutoff := s.now().UTC().AddDate(0, 0, -keepDays)
	return s.d.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("acquired_at < ?", cutoff).Delete(&SlotLock{}).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM job_runs WHERE started_at < ? AND id NOT IN (
			SELECT id FROM (
				SELECT id, ROW_NUMBER() OVER (PARTITION BY job ORDER BY started_at DESC, id DESC) AS pos
				FROM job_runs
			) ranked WHERE pos <= ?
		)`, cutoff, keepRunsFromJob).Error
	})
}
