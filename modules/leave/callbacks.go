package leave

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// summary describes a leave request (or its cancellation) for the approver:
// who, what, when, how many days, and the balance after it.
func (s *Service) summary(ctx context.Context, tx *gorm.DB, ar *approval.Request, lang string) (approval.Summary, error) {
	r, err := s.loadSubject(tx, ar)
	if err != nil {
		return approval.Summary{}, err
	}
	t, err := s.typeByID(tx, r.TypeID)
	if err != nil {
		return approval.Summary{}, err
	}
	p, err := s.people.Person(ctx, r.PersonID)
	if err != nil {
		return approval.Summary{}, err
	}
	cat := s.catalog()
	title := cat.T(lang, "leave.summary.title", "Name", p.Name, "Type", t.Name(lang))
	if ar.Kind == KindCancel {
		title = cat.T(lang, "leave.summary.cancel_title", "Name", p.Name, "Type", t.Name(lang))
	}
	lines := []approval.Line{
		{Label: cat.T(lang, "leave.dates"), Value: s.dateRange(lang, r)},
		{Label: cat.T(lang, "leave.days"), Value: i18n.FormatFigure(lang, r.Days())},
	}
	if t.CountsAgainst {
		for _, y := range []int{r.StartDate.Year, r.EndDate.Year} {
			b, err := balanceOf(tx, r.PersonID, y)
			if err != nil {
				return approval.Summary{}, err
			}
			after := b.Remaining()
			if r.Status == StatusPending {
				perYear, _, err := s.count(ctx, RequestInput{Start: r.StartDate, End: r.EndDate, StartHalf: r.StartHalf, EndHalf: r.EndHalf})
				if err != nil {
					return approval.Summary{}, err
				}
				after -= perYear[y]
			}
			lines = append(lines, approval.Line{Label: cat.T(lang, "leave.summary.balance_after", "Year", y), Value: i18n.FormatFigure(lang, float64(after)/2)})
			if r.StartDate.Year == r.EndDate.Year {
				break
			}
		}
	}
	if away, err := s.teamAway(ctx, tx, r); err == nil && away != "" {
		lines = append(lines, approval.Line{Label: cat.T(lang, "leave.summary.also_away"), Value: away})
		if note := s.staffingNote(ctx, p.DepartmentID); note != "" {
			lines = append(lines, approval.Line{Label: cat.T(lang, "leave.summary.staffing"), Value: note})
		}
	}
	if r.Comment != "" {
		lines = append(lines, approval.Line{Label: cat.T(lang, "leave.comment"), Value: r.Comment})
	}
	return approval.Summary{Title: title, Lines: lines, Path: fmt.Sprintf("/leave/requests/%d", r.ID)}, nil
}

// onApprove runs in the manager's deciding transaction.
func (s *Service) onApprove(ctx context.Context, tx *gorm.DB, ar *approval.Request) error {
	r, err := s.loadSubject(tx, ar)
	if err != nil {
		return err
	}
	return s.approve(ctx, tx, r, approval.Decider(ctx))
}

// onReject runs in the manager's deciding transaction.
func (s *Service) onReject(ctx context.Context, tx *gorm.DB, ar *approval.Request, reason string) error {
	r, err := s.loadSubject(tx, ar)
	if err != nil {
		return err
	}
	err = s.move(tx, approval.Decider(ctx), history.Transition{ID: r.ID, From: []string{StatusPending}, To: StatusRejected,
		Set: map[string]any{"decided_at": s.now()}, Audit: "leave.request.reject", Action: "rejected", Comment: reason,
		Before: map[string]string{"status": r.Status}, After: map[string]string{"status": StatusRejected, "reason": reason}})
	return decidedError(err)
}

// onCancelApproved gives the days back when the manager agrees to a cancellation.
func (s *Service) onCancelApproved(ctx context.Context, tx *gorm.DB, ar *approval.Request) error {
	r, err := s.loadSubject(tx, ar)
	if err != nil {
		return err
	}
	return s.setCancelled(tx, r, approval.Decider(ctx), true)
}

// onCancelRejected keeps the leave as it was.
func (s *Service) onCancelRejected(ctx context.Context, tx *gorm.DB, ar *approval.Request, reason string) error {
	r, err := s.loadSubject(tx, ar)
	if err != nil {
		return err
	}
	err = s.move(tx, approval.Decider(ctx), history.Transition{ID: r.ID, From: []string{StatusCancelRequested}, To: StatusApproved,
		Audit: "leave.request.cancel_refuse", Action: "cancel_refused", Comment: reason})
	return decidedError(err)
}

// decidedError is what a decision on a request that moved meanwhile says.
func decidedError(err error) error {
	if errors.Is(err, history.ErrStateChanged) {
		return approval.ErrDecided
	}
	return err
}

// tellHR emails every HR person about approved leave, in the same transaction.
func (s *Service) tellHR(ctx context.Context, tx *gorm.DB, r *Request, t *Type) error {
	p, err := people.RecipientOf(tx, s.cfg.Lang, r.PersonID)
	if err != nil {
		return err
	}
	if p == nil {
		return people.ErrNotFound
	}
	hr, err := people.RecipientsWithRole(tx, s.cfg.Lang, actor.HR)
	if err != nil {
		return err
	}
	cat := s.catalog()
	for _, h := range hr {
		lang := h.Lang
		err := s.outbox.Enqueue(tx, notify.Message{
			Key: fmt.Sprintf("leave/%d/approved/hr", r.ID), To: h.Email, ToName: h.Name, Lang: lang,
			Template: "generic", Reason: "leave.reason.hr",
			Data: notify.Generic{
				Title:       cat.T(lang, "leave.mail.hr_title", "Name", p.Name),
				Lines:       []string{t.Name(lang) + ": " + s.dateRange(lang, r), cat.T(lang, "leave.days") + ": " + i18n.FormatFigure(lang, r.Days())},
				ActionURL:   fmt.Sprintf("/leave/requests/%d", r.ID),
				ActionLabel: cat.T(lang, "leave.mail.open"),
			},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// dateRange writes a request's dates, with the half days, in lang.
func (s *Service) dateRange(lang string, r *Request) string {
	cat := s.catalog()
	from := i18n.FormatDate(lang, r.StartDate.Year, r.StartDate.Month, r.StartDate.Day)
	to := i18n.FormatDate(lang, r.EndDate.Year, r.EndDate.Month, r.EndDate.Day)
	if r.StartHalf {
		from += " (" + cat.T(lang, "leave.from_noon") + ")"
	}
	if r.EndHalf {
		to += " (" + cat.T(lang, "leave.until_noon") + ")"
	}
	if r.StartDate.Equal(r.EndDate) {
		if r.StartHalf || r.EndHalf {
			return from + " – " + cat.T(lang, "leave.half_day")
		}
		return from
	}
	return from + " – " + to
}

// teamAway names the colleagues of the same department away on any of the request's days.
func (s *Service) teamAway(ctx context.Context, tx *gorm.DB, r *Request) (string, error) {
	p, err := s.people.Person(ctx, r.PersonID)
	if err != nil || p.DepartmentID == nil {
		return "", err
	}
	var names []string
	err = tx.Table("leave_requests lr").Select("DISTINCT people.name").
		Joins("JOIN people ON people.id = lr.person_id").
		Where("people.department_id = ? AND lr.person_id <> ? AND lr.status IN ? AND lr.start_date <= ? AND lr.end_date >= ?",
			*p.DepartmentID, p.ID, []string{StatusApproved, StatusCancelRequested}, r.EndDate, r.StartDate).
		Order("people.name").Limit(10).Pluck("people.name", &names).Error
	if err != nil {
		return "", err
	}
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out, nil
}

func formatDate(lang string, d calendar.Date) string {
	return i18n.FormatDate(lang, d.Year, d.Month, d.Day)
}

// staffingNote is the minimum-staffing note of a department, if it has one.
func (s *Service) staffingNote(ctx context.Context, deptID *uint) string {
	if deptID == nil {
		return ""
	}
	d, err := s.people.Department(ctx, *deptID)
	if err != nil {
		return ""
	}
	return d.StaffingNote
}
