package training

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
)

// feedbackLookBack is how long after a session its feedback mail may still
// go out: a first run on a database with years of history mails nobody
// about last year's courses.
const feedbackLookBack = 14

// SendFeedbackLinks mails everyone who took part in a session that has
// ended (enrolled, or recorded as attended, completed or failed; not a
// no-show) the one-click rating, once per place, with a link of their own.
func (s *Service) SendFeedbackLinks(ctx context.Context) error {
	today, now := s.today(), s.now()
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		rows, err := enrolledOn(tx, today.AddDays(-feedbackLookBack), today, "last_day",
			[]string{EnrolEnrolled}, []string{OutcomeAttended, OutcomeCompleted, OutcomeFailed})
		if err != nil {
			return err
		}
		for i := range rows {
			p := &rows[i]
			end, err := calendar.At(p.LastDay, p.ToMin/60, p.ToMin%60, s.deps.Cfg.TZ)
			if err != nil || end.After(now) {
				continue // not over yet (or a wall time the day lacks: its end is the next run's)
			}
			fresh, err := s.markSent(tx, sentFeedback, fmt.Sprint(p.EnrolmentID))
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			raw, err := s.newFeedbackLink(tx, p.EnrolmentID)
			if err != nil {
				return err
			}
			r, err := people.RecipientOf(tx, s.deps.Cfg.Lang, p.PersonID)
			if err != nil {
				return err
			}
			if r != nil {
				if err := s.mailFeedback(tx, r, p, raw, today); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return schedule.Did(n, err)
}
