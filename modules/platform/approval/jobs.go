package approval

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/schedule"
)

// Jobs adds the engine's scheduled work: reminders and escalations each
// morning, and the digest for people who asked for one.
func (m *Module) Jobs(j schedule.Registrar) error {
	e := m.engine
	remind := func(ctx context.Context) error { return e.RemindAndEscalate(ctx, e.now()) }
	if err := j.Daily("approval.remind", 8, 0, remind); err != nil {
		return err
	}
	return j.Daily("approval.digest", 7, 30, e.SendDigests)
}

// RemindAndEscalate reminds the deciders of steps that have waited RemindAfter
// working days by the time now, and hands steps waiting EscalateAfter working
// days to the approver's manager as well. Markers on the step make a second
// run a no-op; on days off it does nothing.
func (e *Engine) RemindAndEscalate(ctx context.Context, now time.Time) error {
	today := calendar.DateOf(now, e.cfg.TZ)
	if ok, err := e.cal.IsWorkday(ctx, today); err != nil || !ok {
		return err // nobody is reminded on a day off
	}
	var steps []Step
	err := e.db.R.WithContext(ctx).Table("approval_steps AS s").Select("s.*").
		Joins("JOIN approval_requests AS r ON r.id = s.request_id AND r.current_step = s.seq").
		Where("s.status = ? AND r.status = ? AND s.activated_at IS NOT NULL", StepPending, StatusPending).
		Where("s.reminded_at IS NULL OR s.escalated_at IS NULL").Find(&steps).Error
	if err != nil {
		return err
	}
	for i := range steps {
		s := &steps[i]
		waited, err := e.cal.WorkdaysBetween(ctx, calendar.DateOf(*s.ActivatedAt, e.cfg.TZ).AddDays(1), today)
		if err != nil {
			return err
		}
		switch {
		case waited >= e.settings.EscalateAfter && s.EscalatedAt == nil:
			err = e.escalate(ctx, s)
		case waited >= e.settings.RemindAfter && s.RemindedAt == nil:
			err = e.remind(ctx, s)
		}
		if err != nil {
			return fmt.Errorf("step %d: %w", s.ID, err)
		}
	}
	return nil
}

func (e *Engine) remind(ctx context.Context, s *Step) error {
	return e.db.Tx(ctx, func(tx *gorm.DB) error {
		now := e.now()
		res := tx.Model(&Step{}).Where("id = ? AND reminded_at IS NULL AND status = ?", s.ID, StepPending).Update("reminded_at", now)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var req Request
		if err := tx.First(&req, s.RequestID).Error; err != nil {
			return err
		}
		if err := e.note(tx, &req, actor.System(), "reminded", s.Seq, ""); err != nil {
			return err
		}
		return e.mailDeciders(ctx, tx, &req, s, mailReminder)
	})
}

// escalate adds the approver's manager as a decider; the approver keeps the step too.
func (e *Engine) escalate(ctx context.Context, s *Step) error {
	approver, err := e.people.Person(ctx, s.ApproverID)
	if err != nil {
		return err
	}
	mgr, err := e.people.ManagerOf(ctx, approver)
	if err != nil {
		return err
	}
	return e.db.Tx(ctx, func(tx *gorm.DB) error {
		var req Request
		if err := tx.First(&req, s.RequestID).Error; err != nil {
			return err
		}
		now := e.now()
		set := map[string]any{"escalated_at": now, "reminded_at": now}
		if mgr != nil && mgr.Active && mgr.ID != req.RequesterID {
			set["escalated_to_id"] = mgr.ID
		}
		res := tx.Model(&Step{}).Where("id = ? AND escalated_at IS NULL AND status = ?", s.ID, StepPending).Updates(set)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		if mgr == nil || set["escalated_to_id"] == nil {
			// Nobody above: keep reminding the approver instead.
			return e.mailDeciders(ctx, tx, &req, s, mailReminder)
		}
		s.EscalatedToID = &mgr.ID
		if err := e.note(tx, &req, actor.System(), "escalated", s.Seq, mgr.Name); err != nil {
			return err
		}
		if err := e.mailStep(ctx, tx, &req, s, mgr, mailRequest); err != nil {
			return err
		}
		return e.mailStepTo(ctx, tx, &req, s, approver.ID, mailReminder)
	})
}

func (e *Engine) mailStepTo(ctx context.Context, tx *gorm.DB, req *Request, s *Step, personID uint, template string) error {
	ctx = db.WithTx(ctx, tx)
	p, err := e.people.Person(ctx, personID)
	if err != nil || !p.Active {
		return err
	}
	return e.mailStep(ctx, tx, req, s, p, template)
}

// DigestMail is the daily list of requests waiting for one person.
type DigestMail struct {
	Items    []StepMail
	InboxURL string
}

// SendDigests emails each person who chose the digest one message listing
// everything waiting for them, each item with its own links. One per person per day.
func (e *Engine) SendDigests(ctx context.Context) error {
	var prefs []Pref
	if err := e.db.R.WithContext(ctx).Where("digest = ?", true).Find(&prefs).Error; err != nil {
		return err
	}
	day := calendar.DateOf(e.now(), e.cfg.TZ)
	for _, pref := range prefs {
		items, err := e.Inbox(ctx, pref.PersonID)
		if err != nil || len(items) == 0 {
			continue
		}
		p, err := e.people.Person(ctx, pref.PersonID)
		if err != nil || !p.Active {
			continue
		}
		err = e.db.Tx(ctx, func(tx *gorm.DB) error {
			d := DigestMail{InboxURL: e.cfg.BaseURL + "/approvals"}
			for _, it := range items {
				var req Request
				var s Step
				if err := tx.First(&req, it.RequestID).Error; err != nil {
					return err
				}
				if err := tx.Where("request_id = ? AND seq = ?", req.ID, req.CurrentStep).First(&s).Error; err != nil {
					return err
				}
				m, _, err := e.stepMail(ctx, tx, &req, &s, p)
				if err != nil {
					return err
				}
				d.Items = append(d.Items, m)
			}
			return e.outbox.Enqueue(tx, notify.Message{
				Key: fmt.Sprintf("approval/digest/%d/%s", p.ID, day), To: p.Email, ToName: p.Name,
				Lang: e.langFor(p), Template: mailDigest, Data: d, Reason: "approval.reason.digest",
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
