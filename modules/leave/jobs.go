package leave

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/schedule"
)

// Jobs registers the module's scheduled work. Each job is safe to run twice:
// the ledger refuses a second carry-over or expiry, mail keys refuse a second reminder.
func (m *Module) Jobs(r schedule.Registrar) error {
	s := m.svc
	for _, j := range []struct {
		name   string
		hh, mm int
		fn     func(ctx context.Context) error
	}{
		{"leave.new_year", 0, 20, s.NewYear},
		{"leave.carryover_expiry", 1, 0, s.ExpiryDue},
		{"leave.check_balances", 2, 40, s.checkJob},
		{"leave.autumn_reminder", 9, 0, s.AutumnReminder},
	} {
		if err := r.Daily(j.name, j.hh, j.mm, j.fn); err != nil {
			return err
		}
	}
	return nil
}

// NewYear, on the first days of a year, gives everyone active the year's
// allocation (last year's base, pro-rata, or KAPU_LEAVE_BASE_DAYS) and carries over what
// they had left. Running it again later in January does nothing new.
func (s *Service) NewYear(ctx context.Context) error {
	today := s.Today()
	if today.Month != time.January || today.Day > 7 {
		return nil
	}
	return s.OpenYear(ctx, today.Year)
}

// OpenYear allocates year for every active person and carries year-1 over.
func (s *Service) OpenYear(ctx context.Context, year int) error {
	sys := actor.System()
	var people []struct {
		ID                          uint
		EmployedFrom, EmployedUntil calendar.Date
	}
	if err := s.db.R.WithContext(ctx).Table("people").Select("id, employed_from, employed_until").Where("active = ?", true).Scan(&people).Error; err != nil {
		return err
	}
	var errs []error
	for _, p := range people {
		base, err := s.lastBase(ctx, p.ID, year-1)
		if err != nil {
			return err
		}
		var has int64
		s.db.R.WithContext(ctx).Model(&Entry{}).Where("person_id = ? AND year = ? AND kind = ?", p.ID, year, KindAllocation).Count(&has)
		if has == 0 {
			if err := s.SetAllocation(ctx, sys, p.ID, year, ProRata(base, year, p.EmployedFrom, p.EmployedUntil), "yearly allocation"); err != nil {
				errs = append(errs, fmt.Errorf("person %d: %w", p.ID, err))
			}
		}
		if _, err := s.CarryOver(ctx, sys, p.ID, year-1); err != nil {
			errs = append(errs, fmt.Errorf("person %d carry-over: %w", p.ID, err))
		}
	}
	return errors.Join(errs...)
}

// lastBase is the person's allocation of a year, or the configured base when there is none.
func (s *Service) lastBase(ctx context.Context, personID uint, year int) (int, error) {
	var sum int
	var n int64
	q := s.db.R.WithContext(ctx).Model(&Entry{}).Where("person_id = ? AND year = ? AND kind = ?", personID, year, KindAllocation)
	if err := q.Count(&n).Error; err != nil || n == 0 {
		return s.cfg.LeaveBaseDays * 2, err
	}
	err := q.Select("COALESCE(SUM(halves), 0)").Scan(&sum).Error
	return sum, err
}

// ExpiryDue expires unused carried-over days on the day after their expiry,
// and a week before it emails the people who still have some.
func (s *Service) ExpiryDue(ctx context.Context) error {
	today := s.Today()
	expiry := s.carryUntil(today.Year)
	var ids []uint
	if err := s.db.R.WithContext(ctx).Model(&Entry{}).Distinct("person_id").
		Where("year = ? AND kind = ? AND halves > 0", today.Year, KindCarryOver).Pluck("person_id", &ids).Error; err != nil {
		return err
	}
	switch {
	case today.After(expiry):
		var errs []error
		for _, id := range ids {
			if _, err := s.ExpireCarryOver(ctx, actor.System(), id, today.Year); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	case today.DaysUntil(expiry) <= 7:
		return s.warnExpiry(ctx, ids, today.Year, expiry)
	}
	return nil
}

// warnExpiry emails each person with carried-over days still unused.
func (s *Service) warnExpiry(ctx context.Context, ids []uint, year int, expiry calendar.Date) error {
	for _, id := range ids {
		used, err := s.usedBy(ctx, s.db.R.WithContext(ctx), id, year, expiry)
		if err != nil {
			return err
		}
		b, err := balanceOf(s.db.R.WithContext(ctx), id, year)
		if err != nil {
			return err
		}
		left := b.Carried - used
		if left <= 0 {
			continue
		}
		if err := s.mailPerson(ctx, id, fmt.Sprintf("leave/carryover/%d/%d", year, id), "leave.mail.expiry_title",
			"leave.mail.expiry_text", "Days", float64(left)/2, "Date", expiry); err != nil {
			return err
		}
	}
	return nil
}

// AutumnReminder emails people with many unplanned days left, from the configured
// day on (off unless KAPU_LEAVE_AUTUMN_REMINDER is set). One mail per person per year.
func (s *Service) AutumnReminder(ctx context.Context) error {
	from, min := s.cfg.LeaveAutumnReminder, s.cfg.LeaveAutumnMinDays
	if from.IsZero() {
		return nil
	}
	today := s.Today()
	if today.Before(calendar.NewDate(today.Year, from.Month, from.Day)) {
		return nil
	}
	var ids []uint
	if err := s.db.R.WithContext(ctx).Model(&Balance{}).
		Where("year = ? AND allocated + carried - used - expired >= ?", today.Year, min*2).
		Pluck("person_id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		f, err := s.Figures(ctx, id, today.Year)
		if err != nil {
			return err
		}
		unplanned := f.Available - f.Planned
		if unplanned < min*2 {
			continue
		}
		if err := s.mailPerson(ctx, id, fmt.Sprintf("leave/autumn/%d/%d", today.Year, id), "leave.mail.autumn_title",
			"leave.mail.autumn_text", "Days", float64(unplanned)/2); err != nil {
			return err
		}
	}
	return nil
}

// mailPerson queues a generic mail in its own transaction.
func (s *Service) mailPerson(ctx context.Context, personID uint, key, titleKey, textKey string, args ...any) error {
	p, err := s.people.Person(ctx, personID)
	if err != nil || !p.Active {
		return nil
	}
	lang := p.Lang
	if lang == "" {
		lang = s.cfg.Lang
	}
	// Dates and days in the reader's forms, as the pages write them.
	for i := 1; i < len(args); i += 2 {
		switch v := args[i].(type) {
		case calendar.Date:
			args[i] = formatDate(lang, v)
		case float64:
			args[i] = i18n.FormatFigure(lang, v)
		}
	}
	return s.outbox.Enqueue(s.db.W.WithContext(ctx), notify.Message{
		Key: key, To: p.Email, ToName: p.Name, Lang: lang, Template: "generic", Reason: "leave.reason.self",
		Data: notify.Generic{
			Title: s.cat.T(lang, titleKey), Lines: []string{s.cat.T(lang, textKey, args...)},
			ActionURL: "/leave/plan", ActionLabel: s.cat.T(lang, "leave.plan"),
		},
	})
}

// checkJob re-sums every balance and logs the ones that drifted from their ledger.
func (s *Service) checkJob(ctx context.Context) error {
	drift, err := s.CheckBalances(ctx)
	if err != nil || len(drift) == 0 {
		return err
	}
	var b strings.Builder
	for _, d := range drift {
		fmt.Fprintf(&b, "person %d year %d cached %+v summed %+v; ", d.PersonID, d.Year, d.Cached, d.Summed)
	}
	slog.Error("leave balances drifted from the ledger", "count", len(drift), "details", b.String())
	return fmt.Errorf("%d leave balances drifted from the ledger", len(drift))
}
