package booking

import (
	"context"
	"time"

	"kapu/modules/platform/schedule"
)

// Jobs registers the booking module's scheduled work: lapsed car holds,
// the drivers' pickup reminders and rooms nobody checked in to.
func (m *Module) Jobs(j schedule.Registrar) error {
	s := m.svc
	for _, job := range []struct {
		name  string
		every time.Duration
		fn    func(ctx context.Context) (int, error) // how many it acted on
	}{
		{"booking.expire_holds", 5 * time.Minute, s.ExpireHolds},
		{"booking.pickup_reminder", 15 * time.Minute, s.SendPickupReminders},
		{"booking.release_no_shows", time.Minute, s.ReleaseNoShows},
	} {
		fn := job.fn
		if err := j.Every(job.name, job.every, func(ctx context.Context) error {
			return schedule.Did(fn(ctx))
		}); err != nil {
			return err
		}
	}
	return nil
}
