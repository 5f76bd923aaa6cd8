package helpdesk

import "kapu/modules/platform/schedule"

func (m *Module) ticketJobs(j schedule.Registrar) error { return nil }
