package training

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/schedule"
)

// jobs registers the module's scheduled work. Every job is safe to run
// twice: what it mailed is keyed in training_sent (markSent) in the same
// transaction as the mail, and the outbox refuses a key twice besides.
// Reminders, expiry warnings and feedback links look at a window of dates,
// so a run after a day Kapu was down makes good what it missed; the yearly
// plan reminder is due on a date and is a catch-up job.
func (m *Module) jobs(j schedule.Registrar) error {
	s := m.svc
	if err := j.Daily("training.reminders", 7, 0, s.SendReminders); err != nil {
		return err
	}
	if err := j.Daily("training.expiry", 7, 15, s.WarnExpiries); err != nil {
		return err
	}
	if err := j.DailyCatchUp("training.plan_reminder", 8, 0, s.RemindPlans); err != nil {
		return err
	}
	return j.Every("training.feedback", time.Hour, s.SendFeedbackLinks)
}

// markSent records that the job did kind for key, in tx; false when it was
// done already (by an earlier run, or a run beside this one).
func (s *Service) markSent(tx *gorm.DB, kind, key string) (bool, error) {
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Sent{Kind: kind, Key: key, CreatedAt: s.now()})
	return res.RowsAffected == 1, res.Error
}
