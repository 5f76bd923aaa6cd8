package leave

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/schedule"
)

// Jobs registers the module's scheduled work. Each job is safe to run twice:
// the ledger refuses a second carry-over or expiry, mail keys refuse a second
// reminder. The jobs that act on a date are catch-up jobs: each run applies
// every due date that passed while Kapu was not running, and Kapu runs them
// at start-up too, so balances are true the morning after any outage.
func (m *Module) Jobs(r schedule.Registrar) error {
	s := m.svc
	for _, j := range []struct {
		name    string
		hh, mm  int
		fn      func(ctx context.Context) error
		catchUp bool
	}{
		{"leave.new_year", 0, 20, s.NewYear, true},
		{"leave.carryover_expiry", 1, 0, s.ExpiryDue, true},
		{"leave.check_balances", 2, 40, s.checkJob, false},
		{"leave.autumn_reminder", 9, 0, s.AutumnReminder, true},
	} {
		add := r.Daily
		if j.catchUp {
			add = r.DailyCatchUp
		}
		if err := add(j.name, j.hh, j.mm, j.fn); err != nil {
			return err
		}
	}
	return nil
}

// settingOpenedYear holds the last year NewYear opened: the key that makes
// each year open once, however late the job first runs in it.
const settingOpenedYear = "leave_opened_year"

// NewYear opens every year since the last one it opened, up to this one, in
// order: each person's allocation (last year's base, pro-rata, or
// KAPU_LEAVE_BASE_DAYS) and what they had left carried over. Due on 1 January,
// it opens a year missed while Kapu was down whenever it next runs. On a
// database where it never ran it opens this year only when the ledger already
// has last year (an installation in use); a new one starts with what HR sets.
func (s *Service) NewYear(ctx context.Context) error {
	today := s.Today()
	v, err := s.db.GetSetting(ctx, settingOpenedYear)
	if err != nil {
		return err
	}
	last, err := strconv.Atoi(v)
	if err != nil { // never ran on this database
		var inUse []uint
		if err := s.db.R.WithContext(ctx).Model(&Entry{}).Where("year = ?", today.Year-1).Limit(1).Pluck("id", &inUse).Error; err != nil {
			return err
		}
		if len(inUse) == 0 { // a new installation: this year is HR's to set up
			return s.db.SetSetting(ctx, settingOpenedYear, strconv.Itoa(today.Year))
		}
		last = today.Year - 1
	}
	for y := last + 1; y <= today.Year; y++ {
		if err := s.OpenYear(ctx, y); err != nil {
			return fmt.Errorf("opening %d: %w", y, err)
		}
		if err := s.db.SetSetting(ctx, settingOpenedYear, strconv.Itoa(y)); err != nil {
			return err
		}
	}
	return nil
}

// OpenYear allocates year for every active person and carries year-1 over,
// after expiring what was carried into year-1 and not used in time (due long
// before, but a year opened late may find it not yet applied).
func (s *Service) OpenYear(ctx context.Context, year int) error {
	sys := actor.System()
	expireFirst := s.carryUntil(year - 1).Before(s.Today())
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
		if expireFirst {
			if _, err := s.ExpireCarryOver(ctx, sys, p.ID, year-1); err != nil {
				errs = append(errs, fmt.Errorf("person %d expiry: %w", p.ID, err))
				continue // carrying over before the expiry would carry expired days
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

// ExpiryDue expires unused carried-over days from the day after their expiry:
// every person's every year whose expiry day has passed and whose ledger has
// no expiry entry yet, so a day missed while Kapu was down (or a demo loaded
// in December) is made good by the next run. A week before this year's
// expiry it emails the people who still have carried-over days.
func (s *Service) ExpiryDue(ctx context.Context) error {
	today := s.Today()
	var due []struct {
		PersonID uint
		Year     int
	}
	err := s.db.R.WithContext(ctx).Model(&Entry{}).Distinct("person_id", "year").
		Where("year <= ? AND kind = ? AND halves > 0", today.Year, KindCarryOver).
		Where("NOT EXISTS (SELECT 1 FROM leave_ledger x WHERE x.person_id = leave_ledger.person_id AND x.year = leave_ledger.year AND x.kind = ?)", KindExpiry).
		Order("year, person_id").Scan(&due).Error
	if err != nil {
		return err
	}
	var errs []error
	var warn []uint
	for _, d := range due {
		switch expiry := s.carryUntil(d.Year); {
		case today.After(expiry):
			if _, err := s.ExpireCarryOver(ctx, actor.System(), d.PersonID, d.Year); err != nil {
				errs = append(errs, fmt.Errorf("person %d year %d: %w", d.PersonID, d.Year, err))
			}
		case d.Year == today.Year && today.DaysUntil(expiry) <= 7:
			warn = append(warn, d.PersonID)
		}
	}
	if len(warn) > 0 {
		errs = append(errs, s.warnExpiry(ctx, warn, today.Year, s.carryUntil(today.Year)))
	}
	return errors.Join(errs...)
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
