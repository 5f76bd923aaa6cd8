package leave

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/calendar"
)

// post appends one ledger entry and moves the cached balance by the same amount,
// in the caller's transaction: the cache can never disagree with a committed entry.
func (s *Service) post(tx *gorm.DB, e Entry) error {
	if err := tx.Create(&e).Error; err != nil {
		return err
	}
	delta := Balance{PersonID: e.PersonID, Year: e.Year, UpdatedAt: s.now()}
	switch e.Kind {
	case KindAllocation, KindAdjustment:
		delta.Allocated = e.Halves
	case KindCarryOver:
		delta.Carried = e.Halves
	case KindUsage, KindCancellation:
		delta.Used = -e.Halves
	case KindExpiry:
		delta.Expired = -e.Halves
	default:
		return fmt.Errorf("leave: unknown ledger kind %q", e.Kind)
	}
	return tx.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "person_id"}, {Name: "year"}},
		DoUpdates: clause.Set{
			{Column: clause.Column{Name: "allocated"}, Value: gorm.Expr("leave_balances.allocated + ?", delta.Allocated)},
			{Column: clause.Column{Name: "carried"}, Value: gorm.Expr("leave_balances.carried + ?", delta.Carried)},
			{Column: clause.Column{Name: "used"}, Value: gorm.Expr("leave_balances.used + ?", delta.Used)},
			{Column: clause.Column{Name: "expired"}, Value: gorm.Expr("leave_balances.expired + ?", delta.Expired)},
			{Column: clause.Column{Name: "updated_at"}, Value: delta.UpdatedAt},
		},
	}).Create(&delta).Error
}

// balanceOf reads the cached balance of a person's year (zero when none yet).
func balanceOf(q *gorm.DB, personID uint, year int) (Balance, error) {
	b := Balance{PersonID: personID, Year: year}
	err := q.Where("person_id = ? AND year = ?", personID, year).Limit(1).Find(&b).Error
	return b, err
}

// Drift is a cached balance that disagrees with the sum of its ledger.
type Drift struct {
	PersonID uint
	Year     int
	Cached   Balance
	Summed   Balance
}

// CheckBalances re-sums the whole ledger and compares it with the cache. It
// changes nothing: a drift means a bug, and a person should look at it.
func (s *Service) CheckBalances(ctx context.Context) ([]Drift, error) {
	type sum struct {
		PersonID                          uint
		Year                              int
		Allocated, Carried, Used, Expired int
	}
	var sums []sum
	err := s.db.R.WithContext(ctx).Model(&Entry{}).Select(`person_id, year,
		SUM(CASE WHEN kind IN ('allocation','adjustment') THEN halves ELSE 0 END) AS allocated,
		SUM(CASE WHEN kind = 'carryover' THEN halves ELSE 0 END) AS carried,
		-SUM(CASE WHEN kind IN ('usage','cancellation') THEN halves ELSE 0 END) AS used,
		-SUM(CASE WHEN kind = 'expiry' THEN halves ELSE 0 END) AS expired`).
		Group("person_id, year").Scan(&sums).Error
	if err != nil {
		return nil, err
	}
	var cached []Balance
	if err := s.db.R.WithContext(ctx).Find(&cached).Error; err != nil {
		return nil, err
	}
	byKey := map[[2]int]Balance{}
	for _, b := range cached {
		byKey[[2]int{int(b.PersonID), b.Year}] = b
	}
	var out []Drift
	for _, x := range sums {
		k := [2]int{int(x.PersonID), x.Year}
		c := byKey[k]
		delete(byKey, k)
		if c.Allocated != x.Allocated || c.Carried != x.Carried || c.Used != x.Used || c.Expired != x.Expired {
			out = append(out, Drift{PersonID: x.PersonID, Year: x.Year, Cached: c,
				Summed: Balance{PersonID: x.PersonID, Year: x.Year, Allocated: x.Allocated, Carried: x.Carried, Used: x.Used, Expired: x.Expired}})
		}
	}
	for _, c := range byKey {
		if c.Allocated != 0 || c.Carried != 0 || c.Used != 0 || c.Expired != 0 {
			out = append(out, Drift{PersonID: c.PersonID, Year: c.Year, Cached: c, Summed: Balance{PersonID: c.PersonID, Year: c.Year}})
		}
	}
	return out, nil
}

// Figures are a person's numbers for one year, as every screen and export shows them.
type Figures struct {
	Year        int
	Allocated   int // allocation + adjustments
	Carried     int
	CarryExpiry calendar.Date
	Taken       int // approved leave on days up to today
	Future      int // approved leave on later days
	Pending     int
	Planned     int
	Expired     int
	Remaining   int // in the ledger: allocated + carried − used − expired
	Available   int // remaining less pending
}
