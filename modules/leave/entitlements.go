package leave

import (
	"context"
	"math"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
)

// ErrReasonRequired means an adjustment needs a reason for the ledger.
var ErrReasonRequired = errs.New(errs.Invalid, "leave: an adjustment needs a reason")

// ErrBadDays means a number of days outside what makes sense (negative base, absurd amounts).
var ErrBadDays = errs.New(errs.Invalid, "leave: days out of range")

// SetAllocation makes a person's base allocation for the year equal halves,
// by appending the difference to the ledger (nothing when it already is).
func (s *Service) SetAllocation(ctx context.Context, a actor.Actor, personID uint, year, halves int, reason string) error {
	if !a.Has(actor.HR) && a.Channel != actor.ChannelSystem {
		return ErrForbidden
	}
	if halves < 0 || halves > 2*366 {
		return ErrBadDays
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error { return s.setAllocation(tx, a, personID, year, halves, reason) })
}

func (s *Service) setAllocation(tx *gorm.DB, a actor.Actor, personID uint, year, halves int, reason string) error {
	if err := s.lockPerson(tx, personID); err != nil { // the sum below and the entry as one step
		return err
	}
	var current int
	if err := tx.Model(&Entry{}).Select("COALESCE(SUM(halves), 0)").
		Where("person_id = ? AND year = ? AND kind = ?", personID, year, KindAllocation).Scan(&current).Error; err != nil {
		return err
	}
	if current == halves {
		return nil
	}
	e := Entry{PersonID: personID, Year: year, Kind: KindAllocation, Halves: halves - current, Reason: reason, CreatedBy: a.ID}
	if err := s.post(tx, e); err != nil {
		return err
	}
	return audit.Record(tx, a, "leave.allocation.set", "person", personID,
		map[string]int{"year": year, "days_x2": current}, map[string]int{"year": year, "days_x2": halves})
}

// Adjust adds (or, negative, removes) days for a reason such as age or children.
func (s *Service) Adjust(ctx context.Context, a actor.Actor, personID uint, year, halves int, reason string) error {
	if !a.Has(actor.HR) {
		return ErrForbidden
	}
	if reason == "" {
		return ErrReasonRequired
	}
	if halves == 0 || halves < -2*366 || halves > 2*366 {
		return ErrBadDays
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		e := Entry{PersonID: personID, Year: year, Kind: KindAdjustment, Halves: halves, Reason: reason, CreatedBy: a.ID}
		if err := s.post(tx, e); err != nil {
			return err
		}
		return audit.Record(tx, a, "leave.adjustment.create", "person", personID, nil, e)
	})
}

// ProRata scales a yearly base (half days) to the part of the year a person is
// employed, rounded to the nearest half day. Zero dates mean "all year".
func ProRata(baseHalves, year int, from, until calendar.Date) int {
	first, last := calendar.NewDate(year, time.January, 1), calendar.NewDate(year, time.December, 31)
	start, end := first, last
	if !from.IsZero() && from.After(start) {
		start = from
	}
	if !until.IsZero() && until.Before(end) {
		end = until
	}
	if end.Before(start) {
		return 0
	}
	share := float64(start.DaysUntil(end)+1) / float64(first.DaysUntil(last)+1)
	return int(math.Round(float64(baseHalves) * share))
}

// CarryOver moves what is left of fromYear into the next year, to be used by
// the configured expiry day. Running it twice moves nothing more.
func (s *Service) CarryOver(ctx context.Context, a actor.Actor, personID uint, fromYear int) (int, error) {
	moved := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		// Two runs at once (a replica's job, the demo) wait here, and the second
		// sees the first one's entry.
		if err := s.lockPerson(tx, personID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Entry{}).Where("person_id = ? AND year = ? AND kind = ? AND halves > 0", personID, fromYear+1, KindCarryOver).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		b, err := balanceOf(tx, personID, fromYear)
		if err != nil {
			return err
		}
		left := b.Remaining()
		if left <= 0 {
			return nil
		}
		expires := s.carryUntil(fromYear + 1)
		if err := s.post(tx, Entry{PersonID: personID, Year: fromYear, Kind: KindCarryOver, Halves: -left, CreatedBy: a.ID, Reason: "carried to next year"}); err != nil {
			return err
		}
		if err := s.post(tx, Entry{PersonID: personID, Year: fromYear + 1, Kind: KindCarryOver, Halves: left, ExpiresOn: expires, CreatedBy: a.ID, Reason: "carried from last year"}); err != nil {
			return err
		}
		moved = left
		return audit.Record(tx, a, "leave.carryover", "person", personID, nil, map[string]int{"from_year": fromYear, "days_x2": left})
	})
	return moved, err
}

// ExpireCarryOver removes the carried-over days of year not used by their
// expiry day. Leave taken on or before that day uses carried days first. Its
// expiry entry, of zero days when all were used, marks the year's expiry as
// applied, so it is worked out once.
func (s *Service) ExpireCarryOver(ctx context.Context, a actor.Actor, personID uint, year int) (int, error) {
	expired := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockPerson(tx, personID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Entry{}).Where("person_id = ? AND year = ? AND kind = ?", personID, year, KindExpiry).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		var carried int
		if err := tx.Model(&Entry{}).Select("COALESCE(SUM(halves), 0)").
			Where("person_id = ? AND year = ? AND kind = ? AND halves > 0", personID, year, KindCarryOver).Scan(&carried).Error; err != nil {
			return err
		}
		if carried <= 0 {
			return nil
		}
		used, err := s.usedBy(ctx, tx, personID, year, s.carryUntil(year))
		if err != nil {
			return err
		}
		if used >= carried {
			return s.post(tx, Entry{PersonID: personID, Year: year, Kind: KindExpiry, Halves: 0, CreatedBy: a.ID, Reason: "carried-over days all used in time"})
		}
		expired = carried - used
		if err := s.post(tx, Entry{PersonID: personID, Year: year, Kind: KindExpiry, Halves: -expired, CreatedBy: a.ID, Reason: "carried-over days not used in time"}); err != nil {
			return err
		}
		return audit.Record(tx, a, "leave.carryover.expire", "person", personID, nil, map[string]int{"year": year, "days_x2": expired})
	})
	return expired, err
}

// usedBy sums the counting leave a person has approved on working days of year up to day.
func (s *Service) usedBy(ctx context.Context, tx *gorm.DB, personID uint, year int, day calendar.Date) (int, error) {
	first := calendar.NewDate(year, time.January, 1)
	var reqs []Request
	err := tx.Joins("JOIN leave_types t ON t.id = leave_requests.type_id AND t.counts_against = ?", true).
		Where("leave_requests.person_id = ? AND leave_requests.status IN ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			personID, []string{StatusApproved, StatusCancelRequested}, day, first).Find(&reqs).Error
	if err != nil || len(reqs) == 0 {
		return 0, err
	}
	days, err := s.cal.Span(ctx, first, day)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, r := range reqs {
		for d := maxDate(r.StartDate, first); !d.After(r.EndDate) && !d.After(day); d = d.AddDays(1) {
			if days.IsWorkday(d) {
				total += halvesOn(&r, d)
			}
		}
	}
	return total, nil
}
