package training

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
	"kapu/modules/platform/schedule"
)

// The yearly plan reminder is due on 15 January and made good until the end
// of June: a later first run (an installation in December, a catalogue
// published in the autumn) would only remind of a year nearly gone.
var (
	planReminderFrom  = func(year int) calendar.Date { return calendar.NewDate(year, time.January, 15) }
	planReminderUntil = func(year int) calendar.Date { return calendar.NewDate(year, time.June, 30) }
)

// RemindPlans mails, from 15 January to 30 June and once a year, every manager
// whose people (civil servants: not those whose profile says otherwise) have
// no plan for the year yet (none submitted or approved),
// naming them. It waits for the year's catalogue to be published (there is
// nothing to plan before), so a late catalogue still gets its reminder; a
// year gone by is not reminded of. The year is keyed in training_sent with
// the mails, in one transaction.
func (s *Service) RemindPlans(ctx context.Context) error {
	today := s.today()
	year := today.Year
	if today.Before(planReminderFrom(year)) || today.After(planReminderUntil(year)) {
		return schedule.ErrNothingToDo
	}
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		ctx := db.WithTx(ctx, tx)
		var published int64
		if err := tx.Model(&Catalogue{}).Where("year = ? AND status = ?", year, CataloguePublished).Count(&published).Error; err != nil || published == 0 {
			return err
		}
		fresh, err := s.markSent(tx, sentPlanYear, strconv.Itoa(year))
		if err != nil || !fresh {
			return err
		}
		var ppl []struct {
			ID   uint
			Name string
		}
		err = tx.Table("people AS p").Select("p.id, p.name").Where("p.active = ?", true).
			Where("NOT EXISTS (SELECT 1 FROM training_plans pl WHERE pl.person_id = p.id AND pl.year = ? AND pl.status IN ?)",
				year, []string{PlanPending, PlanApproved}).
			// The plan is a civil servant's; someone recorded as not one owes none.
			Where("NOT EXISTS (SELECT 1 FROM training_profiles pr WHERE pr.person_id = p.id AND pr.civil_servant = ?)", false).
			Order(s.db.ByName("p.name") + ", p.id").Scan(&ppl).Error
		if err != nil {
			return err
		}
		byManager := map[uint][]string{}
		var managers []uint
		for _, p := range ppl {
			m, err := s.managerID(ctx, p.ID)
			if err != nil {
				return err
			}
			if m == 0 {
				continue
			}
			if _, seen := byManager[m]; !seen {
				managers = append(managers, m)
			}
			byManager[m] = append(byManager[m], p.Name)
		}
		rs, err := people.Recipients(tx, s.deps.Cfg.Lang, managers...)
		if err != nil {
			return err
		}
		for i := range rs {
			if err := s.mailPlanReminder(tx, year, &rs[i], byManager[rs[i].ID]); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return schedule.Did(n, err)
}
