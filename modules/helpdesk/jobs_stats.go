package helpdesk

import (
	"context"
	"time"

	"kapu/modules/platform/schedule"
)

// JobStats is the statistics rollup job's key (jobs.name.* in
// locales/jobs.*.json).
const JobStats = "helpdesk.stats"

// statsJobs rebuilds the rollup's dirty days every few minutes, so the
// statistics page seldom finds more than the last minutes' changes to
// fold in before it reads.
func (m *Module) statsJobs(j schedule.Registrar) error {
	return j.Every(JobStats, 5*time.Minute, func(ctx context.Context) error {
		return schedule.Did(m.svc.rollupDirty(ctx, 0))
	})
}
