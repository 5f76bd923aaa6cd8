package appointments

import (
	"context"
	"errors"
	"fmt"
	"kapu/modules/platform/web"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
)

// Errors of the abuse tools.
var (
	ErrNoEmail       = errs.New(errs.Invalid, "appointments: an email address is needed")
	ErrReasonTooLong = errs.New(errs.Invalid, "appointments: the reason is too long")
)

// maxReason bounds a reason the front desk gives (a cancellation, a move,
// a phone booking, a bulk cancellation).
const maxReason = 500

// upcomingStatuses are the appointments still ahead of the citizen: the ones
// a bot's bookings are and the front desk may cancel at once.
var upcomingStatuses = []string{StatusPending, StatusBooked}

// Upcoming is one active future appointment of an address, for the abuse page.
type Upcoming struct {
	Appointment
	CaseType CaseType `gorm:"-"`
	Office   Office   `gorm:"-"`
}

// normEmail is an address as the abuse tools compare it: trimmed, lower case.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// upcomingByEmail reads, through q, the active future appointments booked
// with email (in any letter case), soonest first.
func (s *Service) upcomingByEmail(q *gorm.DB, email string, now time.Time) ([]Appointment, error) {
	offices, err := officeIDs(q)
	if err != nil || len(offices) == 0 {
		return nil, err
	}
	var out []Appointment
	err = q.Where("office_id IN ? AND start_at > ? AND status IN ? AND lower(email) = ?", offices, now, upcomingStatuses, email).
		Order("start_at, id").Find(&out).Error
	return out, err
}

// UpcomingByEmail lists the active future appointments booked with an
// address, with their case types and offices, for the front desk.
func (s *Service) UpcomingByEmail(ctx context.Context, a actor.Actor, email string) ([]Upcoming, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	email = normEmail(email)
	if email == "" {
		return nil, ErrNoEmail
	}
	q := s.db.R.WithContext(ctx)
	rows, err := s.upcomingByEmail(q, email, s.now().UTC())
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	f, err := facts(q)
	if err != nil {
		return nil, err
	}
	out := make([]Upcoming, len(rows))
	for i, r := range rows {
		out[i].Appointment = r
		if t := f.types[r.CaseTypeID]; t != nil {
			out[i].CaseType = *t
		}
		if o := f.offices[r.OfficeID]; o != nil {
			out[i].Office = *o
		}
	}
	return out, nil
}

// CancelAllByEmail cancels, in one transaction, every active future
// appointment booked with email: a bot's bookings, undone at once. Each is
// moved through history (its audit row), its slot is freed at once (no
// BlockMinutes: the times go back to real citizens) and its citizen is
// mailed in their language with the reason. Only the front desk and
// administrators may; it says how many it cancelled.
func (s *Service) CancelAllByEmail(ctx context.Context, a actor.Actor, email, reason string) (int, error) {
	defer s.busyChanged() // citizens see the freed or taken time at once
	if !isStaff(a) {
		return 0, ErrForbidden
	}
	email, reason = normEmail(email), strings.TrimSpace(reason)
	if email == "" {
		return 0, ErrNoEmail
	}
	if reason == "" {
		return 0, ErrReason
	}
	if !web.ValidText(reason, maxReason) {
		return 0, ErrReasonTooLong
	}
	now := s.now().UTC()
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		n = 0
		rows, err := s.upcomingByEmail(tx, email, now)
		if err != nil || len(rows) == 0 {
			return err
		}
		f, err := facts(tx)
		if err != nil {
			return err
		}
		for i := range rows {
			r := &rows[i]
			err := history.Move(tx, a, history.Transition{
				Entity: "appointment", Model: &Appointment{}, ID: r.ID, From: []string{r.Status}, To: StatusCancelled,
				Set:   map[string]any{"cancelled_at": now, "cancel_reason": reason, "blocked_until": nil, "updated_at": now},
				Audit: "appointments.cancel_bulk", Action: "cancel", Comment: reason, At: now,
			})
			if errors.Is(err, history.ErrStateChanged) {
				continue // cancelled or called meanwhile by someone else
			}
			if err != nil {
				return err
			}
			if err := s.enqueue(tx, f, r, "appointments_cancelled_bulk", fmt.Sprintf("appointments/%d/cancelled_bulk", r.ID), false,
				func(m *apptMail) { m.Reason, m.Link = reason, "" }); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
