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
	if err := j.Every("booking.expire_holds", 5*time.Minute, func(ctx context.Context) error {
		_, err := s.ExpireHolds(ctx)
		return err
	}); err != nil {
		return err
	}
	if err := j.Every("booking.pickup_reminder", 15*time.Minute, func(ctx context.Context) error {
		_, err := s.SendPickupReminders(ctx)
		return err
	}); err != nil {
		return err
	}
	return j.Every("booking.release_no_shows", time.Minute, func(ctx context.Context) error {
		_, err := s.ReleaseNoShows(ctx)
		return err
	})
}
