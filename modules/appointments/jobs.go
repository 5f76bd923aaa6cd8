package appointments

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/schedule"
)

// thanksWithin is how long after the visit a thank-you mail still makes
// sense; older served appointments (a first start, an outage) get none.
const thanksWithin = 7 * 24 * time.Hour

// defaultRetention is used when the configuration says nothing (unit tests).
const defaultRetention = 90 * 24 * time.Hour

// eraseBatch is how many appointments one UPDATE of Erase touches, so the
// writer is never held for long.
const eraseBatch = 1000

// Ratings are the scores a thank-you mail offers, worst first.
var Ratings = []int{1, 2, 3, 4, 5}

// jobs registers the reminders, thank-you mails, hold releases and the
// erasure of old personal data. All of them act on state, not on dates, so a
// run missed while Kapu was down is made good by the next one.
func (m *Module) jobs(j schedule.Registrar) error {
	s := m.svc
	for _, job := range []struct {
		name  string
		every time.Duration
		fn    func(ctx context.Context) (int, error)
	}{
		{"appointments.reminders", 15 * time.Minute, s.SendReminders},
		{"appointments.thanks", 15 * time.Minute, s.SendThanks},
		{"appointments.release_holds", time.Minute, s.ReleaseHolds},
	} {
		fn := job.fn
		if err := j.Every(job.name, job.every, func(ctx context.Context) error { return schedule.Did(fn(ctx)) }); err != nil {
			return err
		}
	}
	return j.Daily("appointments.erase", 3, 10, func(ctx context.Context) error { return schedule.Did(s.Erase(ctx)) })
}

type ratingLink struct {
	Score int
	URL   string
}

// officeIDs are every office's id: "office_id IN ?" lets the queries below
// range over the (office_id, start_at) index instead of reading the table.
func officeIDs(q *gorm.DB) ([]uint, error) {
	var ids []uint
	err := q.Model(&Office{}).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// reminderHorizon is the end of the last local day whose appointments are
// due for their reminder at now: an appointment is reminded from s.reminderHour
// of the working day before it (Friday for Monday, Thursday before a Friday
// holiday too), and any still unreminded after that — Kapu was down, the
// booking came late — on the next run.
func (s *Service) reminderHorizon(ctx context.Context, now time.Time) (time.Time, error) {
	today := calendar.DateOf(now, s.tz)
	work, err := s.cal.IsWorkday(ctx, today)
	if err != nil {
		return time.Time{}, err
	}
	covered := today
	if work && now.In(s.tz).Hour() >= s.reminderHour {
		covered = today.AddDays(1)
	}
	// Every day up to the next working day from covered has its reminder
	// moment (the working day before it, s.reminderHour) behind it.
	last, err := s.cal.NextWorkday(ctx, covered)
	if err != nil {
		return time.Time{}, err
	}
	return last.AddDays(1).Start(s.tz).UTC(), nil
}

// SendReminders mails every booked appointment (and every confirmed one
// still pending) whose reminder is due, once: the guarded UPDATE of
// reminded_at and the mail share a transaction, so two runs or two replicas
// send one. A booking made after today's reminder moment is skipped: its
// confirmation has just told the citizen everything. It says how many it sent.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	now := s.now().UTC()
	until, err := s.reminderHorizon(ctx, now)
	if err != nil {
		return 0, err
	}
	q := s.db.R.WithContext(ctx)
	offices, err := officeIDs(q)
	if err != nil || len(offices) == 0 {
		return 0, err
	}
	var due []Appointment
	if err := q.Where("office_id IN ? AND start_at > ? AND start_at < ?", offices, now, until).
		Where("(status = ? OR (status = ? AND confirmed_at IS NOT NULL))", StatusBooked, StatusPending).
		Where("reminded_at IS NULL AND erased_at IS NULL AND email <> ''").
		Order("start_at, id").Find(&due).Error; err != nil {
		return 0, err
	}
	if due, err = s.notJustBooked(ctx, due, now); err != nil {
		return 0, err
	}
	return s.eachMail(ctx, due, func(tx *gorm.DB, f *mailFacts, a *Appointment) (bool, error) {
		res := tx.Model(&Appointment{}).Where("id = ? AND reminded_at IS NULL", a.ID).
			Where("(status = ? OR (status = ? AND confirmed_at IS NOT NULL))", StatusBooked, StatusPending).
			Updates(map[string]any{"reminded_at": now, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return false, res.Error
		}
		// The key names the time: a moved appointment is reminded of its new one.
		key := fmt.Sprintf("appointments/%d/reminder/%d", a.ID, a.StartAt.Unix())
		return true, s.enqueue(tx, f, a, "appointments_reminder", key, false, nil)
	})
}

// notJustBooked drops the appointments booked after their own reminder
// moment (s.reminderHour of the working day before them): the confirmation
// has just told those citizens everything a reminder would.
func (s *Service) notJustBooked(ctx context.Context, due []Appointment, now time.Time) ([]Appointment, error) {
	if len(due) == 0 {
		return due, nil
	}
	first := calendar.DateOf(*due[0].StartAt, s.tz)
	last := calendar.DateOf(*due[len(due)-1].StartAt, s.tz)
	// Two weeks back always holds a working day, whatever the holidays.
	days, err := s.cal.Span(ctx, first.AddDays(-14), last)
	if err != nil {
		return nil, err
	}
	out := due[:0]
	for _, a := range due {
		prev := calendar.DateOf(*a.StartAt, s.tz).AddDays(-1)
		for i := 0; i < 14 && !days.IsWorkday(prev); i++ {
			prev = prev.AddDays(-1)
		}
		moment := time.Date(prev.Year, prev.Month, prev.Day, s.reminderHour, 0, 0, 0, s.tz)
		if a.BookedAt.Before(moment) {
			out = append(out, a)
		}
	}
	return out, nil
}

// SendThanks mails each citizen served in the last week a thank-you with
// five one-click rating links, once (thanked_at, guarded as the reminder's).
func (s *Service) SendThanks(ctx context.Context) (int, error) {
	now := s.now().UTC()
	since := now.Add(-thanksWithin)
	q := s.db.R.WithContext(ctx)
	offices, err := officeIDs(q)
	if err != nil || len(offices) == 0 {
		return 0, err
	}
	// Two queries, each over an index's range: the planned appointments by
	// start, and the walk-ins served from the waiting list (no desk, no start).
	var due, walkIns []Appointment
	served := func(q *gorm.DB) *gorm.DB {
		return q.Where("status = ? AND served_at > ? AND served_at <= ? AND thanked_at IS NULL AND rating = 0", StatusServed, since, now).
			Where("erased_at IS NULL AND email <> ''")
	}
	if err := served(q.Where("office_id IN ? AND start_at > ?", offices, since.Add(-24*time.Hour))).Find(&due).Error; err != nil {
		return 0, err
	}
	if err := served(q.Where("desk_id IS NULL AND start_at IS NULL AND office_id IN ? AND booked_at > ?", offices, since.Add(-24*time.Hour))).
		Find(&walkIns).Error; err != nil {
		return 0, err
	}
	due = append(due, walkIns...)
	sort.SliceStable(due, func(i, j int) bool { return due[i].ServedAt.Before(*due[j].ServedAt) })
	return s.eachMail(ctx, due, func(tx *gorm.DB, f *mailFacts, a *Appointment) (bool, error) {
		res := tx.Model(&Appointment{}).Where("id = ? AND status = ? AND thanked_at IS NULL", a.ID, StatusServed).
			Updates(map[string]any{"thanked_at": now, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return false, res.Error
		}
		return true, s.enqueue(tx, f, a, "appointments_thanks", fmt.Sprintf("appointments/%d/thanks", a.ID), false, func(m *apptMail) {
			for _, n := range Ratings {
				m.Ratings = append(m.Ratings, ratingLink{Score: n, URL: fmt.Sprintf("%s/rate?score=%d", m.Link, n)})
			}
		})
	})
}

// ReleaseHolds expires the pending appointments whose hold ran out unconfirmed,
// which frees their slot (expired is not an active status), audits it and
// tells the citizen. A hold confirmed meanwhile is left alone by the guarded
// move. It says how many it released.
func (s *Service) ReleaseHolds(ctx context.Context) (int, error) {
	defer s.busyChanged() // citizens see the freed or taken time at once
	now := s.now().UTC()
	var due []Appointment
	if err := s.db.R.WithContext(ctx).Where("status = ? AND hold_until IS NOT NULL AND hold_until < ?", StatusPending, now).
		Order("hold_until, id").Find(&due).Error; err != nil {
		return 0, err
	}
	return s.eachMail(ctx, due, func(tx *gorm.DB, f *mailFacts, a *Appointment) (bool, error) {
		err := history.Move(tx, actor.System(), history.Transition{
			Entity: "appointment", Model: &Appointment{}, ID: a.ID, From: []string{StatusPending}, To: StatusExpired,
			Guard: []any{"hold_until IS NOT NULL AND hold_until < ?", now}, Set: map[string]any{"updated_at": now},
			Audit: "appointments.expire", Action: "expire", At: now,
		})
		if errors.Is(err, history.ErrStateChanged) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return true, s.enqueue(tx, f, a, "appointments_lapsed", fmt.Sprintf("appointments/%d/lapsed", a.ID), false, nil)
	})
}

// eachMail runs fn for each appointment in a transaction of its own, so a
// long list never holds the writer (the public booking path) for long; fn
// reports whether it acted. The case types and offices are read once.
func (s *Service) eachMail(ctx context.Context, due []Appointment, fn func(tx *gorm.DB, f *mailFacts, a *Appointment) (bool, error)) (int, error) {
	if len(due) == 0 {
		return 0, nil
	}
	f, err := facts(s.db.R.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	// One row that fails (a mail that cannot be written) must not hold up
	// the rows after it: each goes on, and the failures come back together.
	n := 0
	var failed []error
	for i := range due {
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			ok, err := fn(tx, f, &due[i])
			if ok && err == nil {
				n++
			}
			return err
		})
		if err != nil {
			failed = append(failed, fmt.Errorf("appointment %d: %w", due[i].ID, err))
		}
	}
	return n, errors.Join(failed...)
}

// Erase removes the personal data (name, email, phone, note, client address,
// the personal link and the rating's comment) of every appointment whose
// start — a walk-in's arrival when it had none — is older than the
// retention, and marks it erased; the outbox's copies of the appointment
// mails to those addresses older than the retention go too. Counts, times,
// case type, office, desk and rating stay for the statistics. It works in
// batches of eraseBatch rows, one transaction each, and touches nothing
// twice; it says how many appointments it erased. The blocks of moved-away
// times that have passed go too.
func (s *Service) Erase(ctx context.Context) (int, error) {
	keep := s.retention
	if keep <= 0 {
		keep = defaultRetention
	}
	now := s.now().UTC()
	cutoff := now.Add(-keep)
	// The blocks of times moved away from are of no use once they pass.
	if err := s.db.W.WithContext(ctx).Where("until < ?", now).Delete(&Block{}).Error; err != nil {
		return 0, err
	}
	total := 0
	for {
		var n int
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			var batch []struct {
				ID    uint
				Email string
			}
			if err := tx.Raw(`SELECT id, email FROM appointments WHERE erased_at IS NULL
				AND ((start_at IS NOT NULL AND start_at < ?) OR (start_at IS NULL AND booked_at < ?))
				ORDER BY id LIMIT ?`, cutoff, cutoff, eraseBatch).Scan(&batch).Error; err != nil {
				return err
			}
			if n = len(batch); n == 0 {
				return nil
			}
			ids := make([]uint, n)
			seen := map[string]bool{}
			var emails []string
			for i, b := range batch {
				ids[i] = b.ID
				if b.Email != "" && !seen[b.Email] {
					seen[b.Email] = true
					emails = append(emails, b.Email)
				}
			}
			if err := tx.Exec(`UPDATE appointments SET name = '', email = '', phone = '', note = '', ip = '',
				link_salt = '', manage_hash = '', rating_note = '', cancel_reason = '', erased_at = ?, updated_at = ?
				WHERE id IN ? AND erased_at IS NULL`, now, now, ids).Error; err != nil {
				return err
			}
			// The timeline's comments (reasons typed at the desk) and the
			// citizen's address on timeline and audit rows go too.
			if err := tx.Exec(`UPDATE history_entries SET comment = '', ip = '' WHERE entity = ? AND entity_id IN ?`,
				entity, ids).Error; err != nil {
				return err
			}
			sids := make([]string, len(ids))
			for i, id := range ids {
				sids[i] = strconv.FormatUint(uint64(id), 10)
			}
			if err := tx.Exec(`UPDATE audit_log SET ip = '' WHERE entity = ? AND entity_id IN ? AND actor_id IS NULL`,
				entity, sids).Error; err != nil {
				return err
			}
			if len(emails) == 0 {
				return nil
			}
			// Every appointment mail's key starts "appointments/" (see
			// enqueue). Mails still to be sent (a newer appointment of the
			// same address) stay; every other copy goes, whenever it was made.
			return tx.Exec(`DELETE FROM outbox WHERE to_addr IN ? AND "key" LIKE 'appointments/%' AND status IN ?`,
				emails, []string{notify.StatusSent, notify.StatusFailed, notify.StatusCancelled}).Error
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < eraseBatch {
			return total, nil
		}
	}
}
