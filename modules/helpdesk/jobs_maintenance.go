package helpdesk

import "kapu/modules/platform/schedule"

func (m *Module) maintenanceJobs(j schedule.Registrar) error { return nil }
