package helpdesk

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/schedule"
)

// slaBatch bounds one run of the SLA job; the next minute takes the rest.
const slaBatch = 200

func (m *Module) slaJobs(j schedule.Registrar) error {
	return j.Every("helpdesk.sla", time.Minute, func(ctx context.Context) error {
		return schedule.Did(m.svc.MailSLA(ctx))
	})
}

// MailSLA sends the SLA warnings and breach notices that are due: tickets
// whose cached warning or breach instant has passed and whose mail has not
// gone. Each one's clock is computed again from its log at this instant
// (the log may have changed since the columns were written), the columns
// refreshed, and a mail sent only for a clock that still runs and has
// reached its mark, once: the mailed-at columns remember it, in the same
// transaction as the outbox row. It returns how many mails it queued.
func (s *Service) MailSLA(ctx context.Context) (int, error) {
	now := s.now().UTC()
	var ids []uint
	err := s.db.R.WithContext(ctx).Model(&Ticket{}).
		Where("state NOT IN ?", []string{StateResolved, StateClosed}).
		Where("(sla_warn_at <= ? AND warn_mailed_at IS NULL) OR (sla_breach_at <= ? AND breach_mailed_at IS NULL)", now, now).
		Order("id").Limit(slaBatch).Pluck("id", &ids).Error
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			n, err := s.mailSLA(tx, id, now)
			sent += n
			return err
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// mailSLA is MailSLA for one ticket, in tx.
func (s *Service) mailSLA(tx *gorm.DB, id uint, now time.Time) (int, error) {
	t, q, err := load(tx, id)
	if err != nil || t.State == StateResolved || t.State == StateClosed {
		return 0, err
	}
	c, err := s.clockOf(tx, t, q, now)
	if err != nil {
		return 0, err
	}
	set := slaColumns(c, now)
	kind := ""
	switch {
	case reached(set["sla_breach_at"], now) && t.BreachMailedAt == nil:
		kind = ChangeBreach
		set["breach_mailed_at"] = now
		if t.WarnMailedAt == nil {
			set["warn_mailed_at"] = now
		}
	case reached(set["sla_warn_at"], now) && t.WarnMailedAt == nil:
		kind = ChangeWarning
		set["warn_mailed_at"] = now
	}
	res := tx.Model(&Ticket{}).Where("id = ? AND state = ?", t.ID, t.State).UpdateColumns(set)
	if res.Error != nil || res.RowsAffected == 0 || kind == "" {
		return 0, res.Error // moved on meanwhile: its change refreshed it, the next run looks again
	}
	return 1, s.notify(tx, actor.System(), t, q, change{Kind: kind})
}
