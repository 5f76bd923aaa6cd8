package people

import (
	"context"
	"errors"

	"kapu/modules/platform/calendar"
)

// Absences tells whether a person is away on a day. The leave module implements it
// with approved leave; until then nobody is ever away.
type Absences interface {
	Away(ctx context.Context, personID uint, day calendar.Date) (bool, error)
}

// NobodyAway is the Absences of an installation without the leave module.
type NobodyAway struct{}

// Away always answers no.
func (NobodyAway) Away(context.Context, uint, calendar.Date) (bool, error) { return false, nil }

// DeputyFor returns who acts for p on day: p's deputy when p is away or has
// let the deputy act until a date not yet past, and the deputy is active; else nil.
func (s *Service) DeputyFor(ctx context.Context, p *Person, day calendar.Date, away Absences) (*Person, error) {
	if p.DeputyID == nil {
		return nil, nil
	}
	acting := !p.DeputyUntil.IsZero() && !p.DeputyUntil.Before(day)
	if !acting {
		isAway, err := away.Away(ctx, p.ID, day)
		if err != nil {
			return nil, err
		}
		if !isAway {
			return nil, nil
		}
	}
	d, err := s.Person(ctx, *p.DeputyID)
	if errors.Is(err, ErrNotFound) || (err == nil && !d.Active) {
		return nil, nil
	}
	return d, err
}
