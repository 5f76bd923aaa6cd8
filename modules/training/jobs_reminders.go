package training

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
)

// sessionPlace is a session with its training and its people's places, as
// the reminders and the feedback mail describe it.
type sessionPlace struct {
	EnrolmentID uint
	PersonID    uint
	SessionID   uint
	FirstDay    calendar.Date
	LastDay     calendar.Date
	FromMin     int
	ToMin       int
	Place       string
	RoomID      *uint
	TitleHU     string
	TitleEN     string
}

// title is the training's title in lang.
func (p *sessionPlace) title(lang string) string {
	return (&Training{TitleHU: p.TitleHU, TitleEN: p.TitleEN}).Title(lang)
}

// enrolledOn reads through tx the places on sessions (not cancelled) whose
// first day is from to to, in the enrolment statuses given (with the
// outcomes when done is listed), by first day.
func enrolledOn(tx *gorm.DB, from, to calendar.Date, dayCol string, statuses []string, outcomes []string) ([]sessionPlace, error) {
	var rows []sessionPlace
	q := tx.Table("training_enrolments AS e").
		Select("e.id AS enrolment_id, e.person_id, s.id AS session_id, s.first_day, s.last_day, s.from_min, s.to_min, s.place, s.room_id, t.title_hu, t.title_en").
		Joins("JOIN training_sessions s ON s.id = e.session_id").
		Joins("JOIN training_trainings t ON t.id = s.training_id").
		Joins("JOIN people p ON p.id = e.person_id AND p.active = ?", true).
		Where("s.status <> ? AND s."+dayCol+" >= ? AND s."+dayCol+" <= ?", SessionCancelled, from, to)
	if len(outcomes) > 0 {
		q = q.Where("e.status IN ? OR (e.status = ? AND e.outcome IN ?)", statuses, EnrolDone, outcomes)
	} else {
		q = q.Where("e.status IN ?", statuses)
	}
	err := q.Order("s.first_day, s.id, e.id").Scan(&rows).Error
	return rows, err
}

// SendReminders mails everyone enrolled on a session a week before it
// (first day 2 to 7 days ahead: someone enrolled five days before gets it
// too) and the day before (first day tomorrow), once each per place and
// session.
func (s *Service) SendReminders(ctx context.Context) error {
	today := s.today()
	rooms, err := s.roomNames(ctx)
	if err != nil {
		return err
	}
	n := 0
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, w := range []struct {
			kind     string
			from, to int
		}{{sentRemindDay, 1, 1}, {sentRemindWeek, 2, 7}} {
			rows, err := enrolledOn(tx, today.AddDays(w.from), today.AddDays(w.to), "first_day", []string{EnrolEnrolled}, nil)
			if err != nil {
				return err
			}
			for i := range rows {
				r := &rows[i]
				key := fmt.Sprintf("%d/%d", r.EnrolmentID, r.SessionID)
				fresh, err := s.markSent(tx, w.kind, key)
				if err != nil {
					return err
				}
				if !fresh {
					continue
				}
				to, err := people.RecipientOf(tx, s.deps.Cfg.Lang, r.PersonID)
				if err != nil {
					return err
				}
				if err := s.mailReminder(tx, w.kind, key, to, r, rooms, today); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return schedule.Did(n, err)
}
