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

// Engagement is a day a person is booked away from their desk by a service
// other than leave (a training session), for the team calendar, the
// person's calendar feed and approvals' deputies.
type Engagement struct {
	PersonID         uint
	Day              calendar.Date
	TitleHU, TitleEN string
	// FromMin and ToMin are the day's hours in minutes after midnight (local).
	FromMin, ToMin int
	// Path is the page about it, for those who may open it.
	Path string
}

// Title is the engagement's title in lang.
func (e Engagement) Title(lang string) string {
	if lang == "en" && e.TitleEN != "" {
		return e.TitleEN
	}
	return e.TitleHU
}

// Engagements lists people's engagements on the days from to to (both
// included), by person and day. The training module implements it; leave
// reads it for the team calendar and for Away.
type Engagements interface {
	Engagements(ctx context.Context, personIDs []uint, from, to calendar.Date) ([]Engagement, error)
}

// NoEngagements is the Engagements of an installation without training.
type NoEngagements struct{}

// Engagements lists none.
func (NoEngagements) Engagements(context.Context, []uint, calendar.Date, calendar.Date) ([]Engagement, error) {
	return nil, nil
}
