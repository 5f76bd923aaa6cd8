package training

import (
	"context"
	"errors"

	"kapu/modules/platform/actor"
)

// demoReasons are the demo requests' reasons, in Hungarian as staff write them.
var demoReasons = []string{
	"Az ügyfélszolgálati munkámhoz szükséges, a vezetőmmel egyeztettem.",
	"Az új szabályozás miatt kell, a csoportban én foglalkozom vele.",
}

// SeedDemoEnrolments gives the demo city hall's Hatósági Osztály life on
// the employees' screens, for year's published catalogue (the catalogue's
// own demo writes it first): two requests waiting for `manager`, a plan
// waiting for them too, and seats taken on a mandatory session without
// asking. Trainings or people that are missing are passed over; a second
// run finds the places taken and adds nothing.
func (s *Service) SeedDemoEnrolments(ctx context.Context, year int) error {
	if s.deps.People == nil {
		return nil
	}
	q := s.db.R.WithContext(ctx)
	var optional, mandatory []Training
	if err := q.Where("year = ? AND active = ? AND mandatory = ? AND target = ?", year, true, false, TargetEveryone).
		Order("id").Find(&optional).Error; err != nil {
		return err
	}
	if err := q.Where("year = ? AND active = ? AND mandatory = ? AND target = ?", year, true, true, TargetEveryone).
		Order("id").Find(&mandatory).Error; err != nil {
		return err
	}
	who := func(username string) (actor.Actor, bool) {
		p, err := s.deps.People.ByUsername(ctx, username)
		if err != nil || p == nil || !p.Active {
			return actor.Actor{}, false
		}
		return p.Actor(), true
	}
	firstSession := func(t *Training) uint {
		open, err := s.openSessions(q, []uint{t.ID})
		if err != nil || len(open) == 0 {
			return 0
		}
		return open[0].ID
	}
	skip := func(err error) error {
		if err == nil || errors.Is(err, ErrAlreadyEnrolled) || errors.Is(err, ErrPlanLocked) ||
			errors.Is(err, ErrNotOffered) || errors.Is(err, ErrNoApprover) || errors.Is(err, ErrPlanYear) {
			return nil
		}
		return err
	}
	for i, username := range []string{"employee", "lakatos.bence"} {
		a, ok := who(username)
		if !ok || i >= len(optional) {
			continue
		}
		t := &optional[i]
		_, err := s.RequestTraining(ctx, a, EnrolInput{TrainingID: t.ID, SessionID: firstSession(t), Reason: demoReasons[i%len(demoReasons)]})
		if err := skip(err); err != nil {
			return err
		}
	}
	if a, ok := who("simon.reka"); ok && len(optional) > 0 {
		// Two trainings after the ones requested above, when there are so many.
		start := min(2, len(optional)-1)
		var ids []uint
		for _, t := range optional[start:min(start+2, len(optional))] {
			ids = append(ids, t.ID)
		}
		_, err := s.SetPlanItems(ctx, a, year, ids)
		if err == nil {
			_, err = s.SubmitPlan(ctx, a, year)
		}
		if err := skip(err); err != nil {
			return err
		}
	}
	if len(mandatory) > 0 {
		t := &mandatory[0]
		if sess := firstSession(t); sess != 0 {
			for _, username := range []string{"balogh.tamas", "fekete.noemi"} {
				if a, ok := who(username); ok {
					if _, err := s.RequestTraining(ctx, a, EnrolInput{TrainingID: t.ID, SessionID: sess}); skip(err) != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}
