package helpdesk

import (
	"context"
	"time"

	"kapu/modules/platform/schedule"
)

// JobStats is the statistics rollup job's key (jobs.name.* in
// locales/jobs.*.json).
const JobStats = "helpdesk.stats"

// statsJobs rebuilds the rollups' dirty days and assets (the statistics'
// and the renewal report's) every few minutes, so either page seldom
// finds more than the last minutes' changes to fold in before it reads.
func (m *Module) statsJobs(j schedule.Registrar) error {
	return j.Every(JobStats, 5*time.Minute, func(ctx context.Context) error {
		days, err := m.svc.rollupDirty(ctx, 0)
		if err != nil {
			return err
		}
		assets, err := m.svc.rollupRenewalDirty(ctx)
		return schedule.Did(days+assets, err)
	})
}
