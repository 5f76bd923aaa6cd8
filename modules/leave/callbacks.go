package leave

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	sum := s.brief(lang, ar.Kind, r, t, p.Name)
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
	if away, err := s.teamAway(tx, r); err == nil && away != "" {
		lines = append(lines, approval.Line{Label: cat.T(lang, "leave.summary.also_away"), Value: away})
		if note := s.staffingNote(ctx, p.DepartmentID); note != "" {
			lines = append(lines, approval.Line{Label: cat.T(lang, "leave.summary.staffing"), Value: note})
		}
	}
	if r.Comment != "" {
		lines = append(lines, approval.Line{Label: cat.T(lang, "leave.comment"), Value: r.Comment})
	}
	sum.Lines, sum.Path = lines, fmt.Sprintf("/leave/requests/%d", r.ID)
	return sum, nil
}

// describe is the short summary of many leave requests (or cancellations)
// for lists, in the reader's language: three queries whatever their number.
func (s *Service) describe(ctx context.Context, q *gorm.DB, ars []approval.Request, lang string) ([]approval.Summary, error) {
	ids := make([]uint, len(ars))
	for i := range ars {
		id, err := ars[i].RowID()
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	var rs []Request
	if err := q.Where("id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Request, len(rs))
	var typeIDs, personIDs []uint
	for i := range rs {
		byID[rs[i].ID] = &rs[i]
		typeIDs = append(typeIDs, rs[i].TypeID)
		personIDs = append(personIDs, rs[i].PersonID)
	}
	var types []Type
	if err := q.Where("id IN ?", typeIDs).Find(&types).Error; err != nil {
		return nil, err
	}
	typeByID := make(map[uint]*Type, len(types))
	for i := range types {
		typeByID[types[i].ID] = &types[i]
	}
	nameByID, err := people.NamesOf(q, personIDs)
	if err != nil {
		return nil, err
	}
	out := make([]approval.Summary, len(ars))
	for i := range ars {
		r := byID[ids[i]]
		if r == nil || typeByID[r.TypeID] == nil {
			out[i] = approval.Summary{Title: ars[i].Title} // the leave request is gone
			continue
		}
		out[i] = s.brief(lang, ars[i].Kind, r, typeByID[r.TypeID], nameByID[r.PersonID])
	}
	return out, nil
}

// brief is what lists and email subjects say about a leave request: "Annual
// leave: Papp Eszter", "12–14 Jan", "3 working days"; a pending request also
// names its days, so the inbox can say who else of the team is away then.
func (s *Service) brief(lang, kind string, r *Request, t *Type, name string) approval.Summary {
	cat := s.catalog()
	typeName := t.Name(lang)
	year := calendar.DateOf(s.now(), s.cfg.TZ).Year
	sum := approval.Summary{
		Title:  cat.T(lang, "leave.summary.title", "Name", name, "Type", typeName),
		What:   lowerFirst(typeName),
		About:  name,
		When:   i18n.FormatDateRangeIn(lang, r.StartDate.Start(time.UTC), r.EndDate.Start(time.UTC), year),
		Extent: workingDays(cat, lang, r.Days()),
	}
	if kind == KindCancel {
		sum.Title = cat.T(lang, "leave.summary.cancel_title", "Name", name, "Type", typeName)
		sum.What = cat.T(lang, "leave.approval.what_cancel", "Type", lowerFirst(typeName))
	} else if r.Status == StatusPending {
		sum.Away = &approval.Span{PersonID: r.PersonID, From: r.StartDate, To: r.EndDate}
	}
	return sum
}

// workingDays writes a number of working days: "1 working day", "2.5 working days".
func workingDays(cat *i18n.Catalog, lang string, days float64) string {
	return cat.T(lang, "leave.approval.days", "Count", strconv.FormatFloat(days, 'f', -1, 64), "Days", i18n.FormatFigure(lang, days))
}

// lowerFirst makes a type's name fit inside a sentence ("Annual leave" →
// "annual leave"), leaving abbreviations ("IT training") as they are.
func lowerFirst(s string) string {
	first, size := utf8.DecodeRuneInString(s)
	if first == utf8.RuneError {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(first)) + s[size:]
}

var _ approval.TeamAbsences = (*Service)(nil)

// TeamAway implements approval.TeamAbsences: for each span, the colleagues
// of the person's department with approved leave on any of its days, for
// every span in one query.
func (s *Service) TeamAway(ctx context.Context, spans []approval.Span) ([][]string, error) {
	out := make([][]string, len(spans))
	if len(spans) == 0 {
		return out, nil
	}
	ids := make([]uint, len(spans))
	from, to := spans[0].From, spans[0].To
	for i, sp := range spans {
		ids[i] = sp.PersonID
		if sp.From.Before(from) {
			from = sp.From
		}
		if sp.To.After(to) {
			to = sp.To
		}
	}
	var rows []struct {
		ForID     uint
		Name      string
		StartDate calendar.Date
		EndDate   calendar.Date
	}
	err := s.db.R.WithContext(ctx).Table("people AS rq").
		Select("rq.id AS for_id, pp.name, lr.start_date, lr.end_date").
		Joins("JOIN people AS pp ON pp.department_id = rq.department_id AND pp.id <> rq.id AND pp.active = ?", true).
		Joins("JOIN leave_requests AS lr ON lr.person_id = pp.id").
		Where("rq.id IN ? AND lr.status IN ? AND lr.start_date <= ? AND lr.end_date >= ?",
			ids, []string{StatusApproved, StatusCancelRequested}, to, from).
		Order(s.db.ByName("pp.name") + ", lr.start_date").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for i, sp := range spans {
		seen := map[string]bool{}
		for _, r := range rows {
			if r.ForID == sp.PersonID && !r.StartDate.After(sp.To) && !r.EndDate.Before(sp.From) && !seen[r.Name] {
				seen[r.Name] = true
				out[i] = append(out[i], r.Name)
			}
		}
	}
	return out, nil
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
				Title: cat.T(lang, "leave.approval.hr_title", "What", lowerFirst(t.Name(lang)), "Name", p.Name,
					"When", i18n.FormatDateRangeIn(lang, r.StartDate.Start(time.UTC), r.EndDate.Start(time.UTC), calendar.DateOf(s.now(), s.cfg.TZ).Year)),
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

// teamAway names the colleagues of the same department away on any of the
// request's days: TeamAway for one span, read through tx.
func (s *Service) teamAway(tx *gorm.DB, r *Request) (string, error) {
	away, err := s.TeamAway(tx.Statement.Context, []approval.Span{{PersonID: r.PersonID, From: r.StartDate, To: r.EndDate}})
	if err != nil {
		return "", err
	}
	return strings.Join(away[0], ", "), nil
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
