package helpdesk

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/schedule"
)

// SettingCloseDays names the setting of how many full working days after
// its resolution a ticket nobody reopened is closed; DefaultCloseDays when
// unset, at most maxCloseDays.
const (
	SettingCloseDays = "helpdesk.close_days"
	DefaultCloseDays = 3
	maxCloseDays     = 60
)

// closeBatch bounds one run's work; the next run takes the rest.
const closeBatch = 500

// ticketJobs registers the auto-close. It acts on the tickets' state, not on
// a date, so a plain Every catches up by itself after a pause: each run
// closes whatever is due by then.
func (m *Module) ticketJobs(j schedule.Registrar) error {
	return j.Every("helpdesk.auto_close", time.Hour, func(ctx context.Context) error {
		return schedule.Did(m.svc.AutoClose(ctx))
	})
}

// errNotDue is a ticket the auto-close finds reopened (or re-resolved) by
// the time it holds the row: nothing to do, and nothing went wrong.
var errNotDue = errors.New("helpdesk: the ticket is no longer due to close")

// AutoClose closes, as the system, every resolved ticket whose resolution
// day is followed by the setting's number of full working days (holidays
// and weekends do not count), and says how many it closed. Each ticket is
// closed in its own transaction, which first claims the row with a guarded
// update: a reopen committed first leaves it alone, one that comes second
// finds it closed. Closing sends the reporter the rating mail.
func (s *Service) AutoClose(ctx context.Context) (int, error) {
	days, err := s.closeDays(ctx)
	if err != nil {
		return 0, err
	}
	cutoff, err := s.closeCutoff(ctx, calendar.DateOf(s.now(), s.tz), days)
	if err != nil {
		return 0, err
	}
	var ids []uint
	if err := s.db.R.WithContext(ctx).Model(&Ticket{}).Where("state = ? AND resolved_at < ?", StateResolved, cutoff).
		Order("id").Limit(closeBatch).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&Ticket{}).Where("id = ? AND state = ? AND resolved_at < ?", id, StateResolved, cutoff).
				Update("updated_at", gorm.Expr("updated_at"))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return errNotDue
			}
			t, _, err := load(tx, id)
			if err != nil {
				return err
			}
			return s.moveState(tx, actor.System(), t, StateClosed, "", "")
		})
		switch {
		case errors.Is(err, errNotDue), errors.Is(err, ErrChanged):
			continue
		case err != nil:
			return n, err
		}
		n++
	}
	return n, nil
}

// closeDays reads the setting; a missing or malformed value is the default.
func (s *Service) closeDays(ctx context.Context) (int, error) {
	var v string
	if err := s.db.R.WithContext(ctx).Table("settings").Select("value").Where("name = ?", SettingCloseDays).
		Limit(1).Scan(&v).Error; err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return DefaultCloseDays, nil
	}
	return min(n, maxCloseDays), nil
}

// closeCutoff is the instant a ticket must have been resolved before to be
// closed today: the start of the days-th working day before today, so that
// days full working days lie between the resolution day and today.
func (s *Service) closeCutoff(ctx context.Context, today calendar.Date, days int) (time.Time, error) {
	from := today.AddDays(-(days*3 + 31))
	span, err := s.cal.Span(ctx, from, today)
	if err != nil {
		return time.Time{}, err
	}
	d := today
	for k := 0; k < days && d.After(from); {
		d = d.AddDays(-1)
		if span.IsWorkday(d) {
			k++
		}
	}
	return d.Start(s.tz).UTC(), nil
}
