package training

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
)

// Days ahead of a certificate's end that its holder and their manager are warned.
const (
	expiryFirstWarning  = 90
	expirySecondWarning = 30
)

// WarnExpiries warns holders and their managers of certificates that run out
// within 90 days and again within 30, once each. Only a person's newest
// completion of a training code counts: a renewed certificate silences the
// old one. The completion keeps its own valid-until, so a training's
// validity changed since does not move the warning.
func (s *Service) WarnExpiries(ctx context.Context) error {
	today := s.today()
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		ctx := db.WithTx(ctx, tx)
		var rows []expiring
		err := tx.Table("training_completions AS c").
			Select("c.id AS completion_id, c.person_id, c.valid_until, t.title_hu, t.title_en").
			Joins("JOIN training_trainings t ON t.id = c.training_id").
			Joins("JOIN people p ON p.id = c.person_id AND p.active = ?", true).
			Where("c.valid_until >= ? AND c.valid_until <= ?", today, today.AddDays(expiryFirstWarning)).
			Where(`NOT EXISTS (SELECT 1 FROM training_completions c2 JOIN training_trainings t2 ON t2.id = c2.training_id
			  WHERE c2.person_id = c.person_id AND t2.code = t.code
			    AND (c2.completed_on > c.completed_on OR (c2.completed_on = c.completed_on AND c2.id > c.id)))`).
			Order("c.valid_until, c.id").Scan(&rows).Error
		if err != nil {
			return err
		}
		for i := range rows {
			e := &rows[i]
			kind := sentExpiry90
			if !e.ValidUntil.After(today.AddDays(expirySecondWarning)) {
				kind = sentExpiry30
			}
			fresh, err := s.markSent(tx, kind, fmt.Sprint(e.CompletionID))
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			holder, manager, err := s.holderAndManager(ctx, tx, e.PersonID)
			if err != nil {
				return err
			}
			if err := s.mailExpiry(tx, kind, e, holder, nil); err != nil {
				return err
			}
			if manager != nil {
				if err := s.mailExpiry(tx, kind, e, holder, manager); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return schedule.Did(n, err)
}

// holderAndManager reads, through tx, a person as a mail addresses them and
// their manager (people.ManagerOf; nil when none, or the person manages
// themselves).
func (s *Service) holderAndManager(ctx context.Context, tx *gorm.DB, personID uint) (*people.Recipient, *people.Recipient, error) {
	holder, err := people.RecipientOf(tx, s.deps.Cfg.Lang, personID)
	if err != nil || holder == nil {
		return nil, nil, err
	}
	mgrID, err := s.managerID(ctx, personID)
	if err != nil || mgrID == 0 {
		return holder, nil, err
	}
	mgr, err := people.RecipientOf(tx, s.deps.Cfg.Lang, mgrID)
	return holder, mgr, err
}

// managerID is who manages person id (people.ManagerOf), 0 for nobody.
func (s *Service) managerID(ctx context.Context, id uint) (uint, error) {
	p, err := s.deps.People.Person(ctx, id)
	if errors.Is(err, people.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	m, err := s.deps.People.ManagerOf(ctx, p)
	if err != nil || m == nil || m.ID == id {
		return 0, err
	}
	return m.ID, nil
}
