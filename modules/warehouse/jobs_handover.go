package warehouse

import (
	"context"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/schedule"
)

// reminderWorkdays is how many working days a handover waits for the
// requester's confirmation before the reminder.
const reminderWorkdays = 2

// handoverJobs registers the daily reminder of unconfirmed handovers.
func (m *Module) handoverJobs(j schedule.Registrar) error {
	return j.Daily("warehouse.handover_reminder", 8, 10, m.handoverReminderJob)
}

// handoverReminderJob reminds each requester whose handed-over lines wait
// for a confirmation for 2 working days (the platform's calendar), once:
// the lines' reminded_at is set in the mail's transaction, so a second run
// finds nothing.
func (m *Module) handoverReminderJob(ctx context.Context) error {
	n, err := m.svc.RemindHandovers(ctx)
	return schedule.Did(n, err)
}

// RemindHandovers mails the reminders due now and returns how many
// requests were reminded.
func (s *Service) RemindHandovers(ctx context.Context) (int, error) {
	var lines []RequestLine
	if err := s.db.R.WithContext(ctx).Where("state = ? AND reminded_at IS NULL AND handed_over_at IS NOT NULL", LineHandedOver).
		Order("request_id, seq").Find(&lines).Error; err != nil {
		return 0, err
	}
	now := s.now()
	due := map[uint][]RequestLine{}
	var order []uint
	for _, l := range lines {
		n, err := s.workdaysSince(ctx, *l.HandedOverAt, now)
		if err != nil {
			return 0, err
		}
		if n < reminderWorkdays {
			continue
		}
		if due[l.RequestID] == nil {
			order = append(order, l.RequestID)
		}
		due[l.RequestID] = append(due[l.RequestID], l)
	}
	sent := 0
	for _, id := range order {
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			var r Request
			if err := tx.Limit(1).Find(&r, id).Error; err != nil || r.ID == 0 {
				return err
			}
			var ids []uint
			for _, l := range due[id] {
				ids = append(ids, l.ID)
			}
			res := tx.Model(&RequestLine{}).Where("id IN ? AND state = ? AND reminded_at IS NULL", ids, LineHandedOver).
				Update("reminded_at", now)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			raw, err := s.newConfirmLink(tx, r.ID)
			if err != nil {
				return err
			}
			facts, err := linesFacts(tx, due[id], nil)
			if err != nil {
				return err
			}
			if err := noteStep(tx, actor.System(), r.ID, eventReminded, now, facts); err != nil {
				return err
			}
			sent++
			return s.mailRequester(tx, &r, due[id], "warehouse.handover.mail.reminder", "reminder", s.ConfirmURL(raw))
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
