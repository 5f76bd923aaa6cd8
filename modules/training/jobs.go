package training

import "kapu/modules/platform/schedule"

// jobs registers the module's scheduled work.
func (m *Module) jobs(j schedule.Registrar) error { return nil }
