package training

import (
	"context"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// engagedRow is one person's place on one session that keeps them away
// from their desk, with what the calendars show of it.
type engagedRow struct {
	PersonID  uint
	SessionID uint
	FirstDay  calendar.Date
	LastDay   calendar.Date
	FromMin   int
	ToMin     int
	Place     string
	RoomID    *uint
	TitleHU   string
	TitleEN   string
}

// engaged lists the sessions (not cancelled) between from and to on which
// the people are enrolled, or that they attended or completed, in one query
// for all of them, by first day.
func (s *Service) engaged(ctx context.Context, personIDs []uint, from, to calendar.Date) ([]engagedRow, error) {
	if len(personIDs) == 0 || to.Before(from) {
		return nil, nil
	}
	var rows []engagedRow
	err := s.db.R.WithContext(ctx).Table("training_enrolments AS e").
		Select("e.person_id, s.id AS session_id, s.first_day, s.last_day, s.from_min, s.to_min, s.place, s.room_id, t.title_hu, t.title_en").
		Joins("JOIN training_sessions s ON s.id = e.session_id").
		Joins("JOIN training_trainings t ON t.id = s.training_id").
		Where("e.person_id IN ? AND s.status <> ? AND s.first_day <= ? AND s.last_day >= ?", personIDs, SessionCancelled, to, from).
		Where("e.status = ? OR (e.status = ? AND e.outcome IN ?)", EnrolEnrolled, EnrolDone, []string{OutcomeAttended, OutcomeCompleted}).
		Order("s.first_day, s.id, e.person_id").
		Scan(&rows).Error
	return rows, err
}

// Engagements implements people.Engagements: a day for each working day
// from a session's first to its last day (weekends and holidays skipped, as
// s.deps.Calendar says), between from and to, for every person of ids
// enrolled on it or who attended or completed it. Leave's team calendar
// draws them and counts them as away for approvals' deputies.
func (s *Service) Engagements(ctx context.Context, personIDs []uint, from, to calendar.Date) ([]people.Engagement, error) {
	rows, err := s.engaged(ctx, personIDs, from, to)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	days, err := s.deps.Calendar.Span(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []people.Engagement
	for _, r := range rows {
		for d := laterDate(r.FirstDay, from); !d.After(r.LastDay) && !d.After(to); d = d.AddDays(1) {
			if !days.IsWorkday(d) {
				continue
			}
			out = append(out, people.Engagement{PersonID: r.PersonID, Day: d, TitleHU: r.TitleHU, TitleEN: r.TitleEN,
				FromMin: r.FromMin, ToMin: r.ToMin, Path: "/training"})
		}
	}
	return out, nil
}

// laterDate is the later of two days.
func laterDate(a, b calendar.Date) calendar.Date {
	if a.Before(b) {
		return b
	}
	return a
}

var _ people.Engagements = (*Service)(nil)
