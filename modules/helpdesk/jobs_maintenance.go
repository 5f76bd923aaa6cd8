package helpdesk

import (
	"context"

	"kapu/modules/platform/schedule"
)

// JobMaintenance is the preventive maintenance job's key (jobs.name.* in
// locales/jobs.*.json).
const JobMaintenance = "helpdesk.maintenance"

// maintenanceJobs opens the tickets of the maintenance plans due. It is a
// catch-up job: RunMaintenance applies every plan due up to today that the
// database (the plan's next due date, the run ledger) says is not done, so a
// run after days of downtime makes good what was missed, and a second run
// does nothing.
func (m *Module) maintenanceJobs(j schedule.Registrar) error {
	return j.DailyCatchUp(JobMaintenance, 6, 15, func(ctx context.Context) error {
		return schedule.Did(m.svc.RunMaintenance(ctx))
	})
}
