package leave

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
)

// Figures computes a person's numbers for a year from the ledger and their
// requests; "My leave", the HR overview and the exports all call it.
func (s *Service) Figures(ctx context.Context, personID uint, year int) (Figures, error) {
	q := s.db.R.WithContext(ctx)
	b, err := balanceOf(q, personID, year)
	if err != nil {
		return Figures{}, err
	}
	f := Figures{Year: year, Allocated: b.Allocated, Carried: b.Carried, Expired: b.Expired, Remaining: b.Remaining()}
	if f.Carried > 0 {
		f.CarryExpiry = s.carryUntil(year)
	}
	first, last := calendar.NewDate(year, time.January, 1), calendar.NewDate(year, time.December, 31)
	days, err := s.cal.Span(ctx, first, last)
	if err != nil {
		return Figures{}, err
	}
	var reqs []Request
	err = q.Joins("JOIN leave_types t ON t.id = leave_requests.type_id AND t.counts_against = ?", true).
		Where("leave_requests.person_id = ? AND leave_requests.status IN ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			personID, []string{StatusPending, StatusApproved, StatusCancelRequested}, last, first).
		Find(&reqs).Error
	if err != nil {
		return Figures{}, err
	}
	today := s.Today()
	for i := range reqs {
		countRequest(&f, &reqs[i], days, first, last, today)
	}
	f.Available = f.Remaining - f.Pending
	var planned int64
	// Planned days already inside a request are counted there, not twice.
	err = q.Model(&PlanDay{}).Where("person_id = ? AND date >= ? AND date <= ?", personID, maxDate(first, today.AddDays(1)), last).
		Where("NOT EXISTS (SELECT 1 FROM leave_requests r WHERE r.person_id = leave_plan.person_id AND r.status IN ? AND r.start_date <= leave_plan.date AND r.end_date >= leave_plan.date)", activeStatuses).
		Count(&planned).Error
	f.Planned = int(planned) * 2
	return f, err
}

// halvesOn is how many half days a request takes on one of its working days.
func halvesOn(r *Request, d calendar.Date) int {
	h := 2
	if r.StartHalf && d.Equal(r.StartDate) {
		h--
	}
	if r.EndHalf && d.Equal(r.EndDate) {
		h--
	}
	return h
}

func maxDate(a, b calendar.Date) calendar.Date {
	if a.After(b) {
		return a
	}
	return b
}

// MyRequests lists a person's requests touching the year, latest first.
func (s *Service) MyRequests(ctx context.Context, personID uint, year int) ([]RequestRow, error) {
	return s.requestRows(s.db.R.WithContext(ctx).
		Where("leave_requests.person_id = ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			personID, calendar.NewDate(year, time.December, 31), calendar.NewDate(year, time.January, 1)).
		Order("leave_requests.start_date DESC, leave_requests.id DESC"))
}

// RequestRow is a request with what lists show beside it.
type RequestRow struct {
	Request
	TypeCode  string
	TypeHU    string
	TypeEN    string
	Color     string
	Private   bool
	Person    string
	CanCancel bool
}

// TypeName is the row's type in lang.
func (r RequestRow) TypeName(lang string) string {
	if lang == "en" {
		return r.TypeEN
	}
	return r.TypeHU
}

func (s *Service) requestRows(q *gorm.DB) ([]RequestRow, error) {
	var rows []RequestRow
	err := q.Table("leave_requests").
		Select("leave_requests.*, t.code AS type_code, t.name_hu AS type_hu, t.name_en AS type_en, t.color, t.private, p.name AS person").
		Joins("JOIN leave_types t ON t.id = leave_requests.type_id").
		Joins("JOIN people p ON p.id = leave_requests.person_id").
		Scan(&rows).Error
	today := s.Today()
	for i := range rows {
		r := &rows[i]
		r.CanCancel = r.Status == StatusPending || (r.Status == StatusApproved && r.StartDate.After(today))
	}
	return rows, err
}
