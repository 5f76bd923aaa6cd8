package leave

import (
	"context"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/people"
)

// Demo, with the demo's history, gives everyone allowances for last, this
// and next year and a believable history: leave taken, leave booked ahead,
// a few sick days, and requests waiting for the managers (the demo
// `manager` has several). It needs the demo people and calendar.
func (m *Module) Demo(ctx context.Context, o demo.Options) error {
	if !o.History {
		return nil
	}
	s := m.svc
	today := calendar.Today(s.cfg.TZ)
	hr, err := s.people.ByUsername(ctx, "hr")
	if err != nil {
		return err
	}
	types, err := s.Types(ctx, true)
	if err != nil {
		return err
	}
	code := map[string]uint{}
	for _, t := range types {
		code[t.Code] = t.ID
	}
	var staff []people.Person
	if err := s.db.R.WithContext(ctx).Preload("Roles").Where("active = ?", true).Order("id").Find(&staff).Error; err != nil {
		return err
	}
	hrActor := hr.Actor()
	for i, p := range staff {
		base := 2 * (20 + i%6) // 20–25 days
		for _, y := range []int{today.Year - 1, today.Year, today.Year + 1} {
			if err := s.SetAllocation(ctx, hrActor, p.ID, y, base, "demo"); err != nil {
				return err
			}
		}
		// Last year: two weeks in summer, then what was left carried over.
		s.demoLeave(ctx, hrActor, p.ID, code["annual"], monday(today.Year-1, time.July, 1+i%4))
		if _, err := s.CarryOver(ctx, actor.System(), p.ID, today.Year-1); err != nil {
			return err
		}
		// This year: a summer week taken, a few sick days for some.
		s.demoLeave(ctx, hrActor, p.ID, code["annual"], monday(today.Year, time.August, 1+i%4))
		if i%5 == 0 {
			start := monday(today.Year, time.March, 1+i%3)
			s.Submit(ctx, hrActor, p.ID, RequestInput{TypeID: code["sick"], Start: start.AddDays(1), End: start.AddDays(3)})
		}
		// This week: a few people are away right now (never an approver, so the
		// demo's approvals stay with the managers rather than their deputies).
		if i%7 == 3 && !p.Actor().Has(actor.Manager) {
			s.demoLeave(ctx, hrActor, p.ID, code["annual"], nextMonday(today).AddDays(-7))
		}
		// Ahead: approved leave for some, and requests waiting for the manager for others.
		ahead := nextMonday(today).AddDays(7 * (i % 5))
		if i%2 == 0 {
			s.demoLeave(ctx, hrActor, p.ID, code["annual"], ahead)
		} else {
			s.Submit(ctx, p.Actor(), p.ID, RequestInput{TypeID: code["annual"], Start: ahead.AddDays(1), End: ahead.AddDays(3), Comment: "demo"})
		}
	}
	return nil
}

// demoLeave records a working week from monday as approved leave; a week the
// calendar or the balance does not allow is simply left out of the demo.
func (s *Service) demoLeave(ctx context.Context, hr actor.Actor, personID, typeID uint, monday calendar.Date) {
	_, _ = s.Submit(ctx, hr, personID, RequestInput{TypeID: typeID, Start: monday, End: monday.AddDays(4)})
}

// monday returns the Monday of the week-th week of a month.
func monday(year int, month time.Month, week int) calendar.Date {
	d := calendar.NewDate(year, month, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d.AddDays(7 * (week - 1))
}

func nextMonday(d calendar.Date) calendar.Date {
	d = d.AddDays(1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}
