package leave

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
)

// ErrNothingToPlan says a plan added no day: every working day of the range
// was already planned with that type or already asked for.
var ErrNothingToPlan = errs.New(errs.Conflict, "leave: nothing new to plan in the range")

// PlanBlock is a run of planned working days of one type. Weekends and
// holidays inside do not break it, so a two-week holiday stays one line that
// one click turns into one request.
type PlanBlock struct {
	Start, End     calendar.Date
	TypeID         uint
	Days           int // planned working days
	TypeHU, TypeEN string
	Color          string
}

// TypeName is the block's type in lang.
func (b PlanBlock) TypeName(lang string) string {
	if lang == "en" && b.TypeEN != "" {
		return b.TypeEN
	}
	return b.TypeHU
}

// PlanView is the year plan page: twelve month grids and the blocks below them.
type PlanView struct {
	Year   int
	Months []PlanMonth
	Blocks []PlanBlock
	Types  []Type // active types, for the legend
}

// PlanMonth is one month of the plan in Monday-first weeks.
type PlanMonth struct {
	Month time.Month
	Weeks [][]PlanCell
}

// PlanCell is one day of a plan grid with what marks it.
type PlanCell struct {
	Date    calendar.Date
	InMonth bool
	Today   bool
	Reason  string      // translation key of why the day is off, "" on working days
	Planned *PlanBlock  // the block the day is planned in, on planned working days
	Leave   *RequestRow // an active request covering the day
}

// Class is the cell's class in the calendar vocabulary: planned days look
// like the admin calendar's moved days, days off like its weekends and holidays.
func (c PlanCell) Class() string {
	cls := ""
	switch {
	case !c.InMonth:
		return "other-month"
	case c.Planned != nil:
		cls = "moved"
	case c.Reason == calendar.ReasonWeekend:
		cls = "off"
	case c.Reason != "":
		cls = "holiday"
	}
	if c.Today && cls != "" {
		return cls + " today"
	}
	if c.Today {
		return "today"
	}
	return cls
}

// planData is what the plan screens read about one person around a year.
type planData struct {
	days    *calendar.Days
	plan    []PlanDay
	leaveOn map[calendar.Date]*RequestRow // days under an active request
	types   map[uint]Type
}

// loadPlan reads the person's plan days and active requests of the year and
// the years beside it, so blocks crossing New Year come out whole.
func (s *Service) loadPlan(ctx context.Context, personID uint, year int) (*planData, error) {
	from, to := calendar.NewDate(year-1, time.January, 1), calendar.NewDate(year+1, time.December, 31)
	q := s.db.R.WithContext(ctx)
	days, err := s.cal.Span(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := &planData{days: days, leaveOn: map[calendar.Date]*RequestRow{}, types: map[uint]Type{}}
	if err := q.Where("person_id = ? AND date >= ? AND date <= ?", personID, from, to).Order("date").Find(&out.plan).Error; err != nil {
		return nil, err
	}
	reqs, err := s.requestRows(q.Where("leave_requests.person_id = ? AND leave_requests.status IN ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
		personID, activeStatuses, to, from))
	if err != nil {
		return nil, err
	}
	for i := range reqs {
		r := &reqs[i]
		for d := maxDate(r.StartDate, from); !d.After(r.EndDate) && !d.After(to); d = d.AddDays(1) {
			out.leaveOn[d] = r
		}
	}
	var types []Type
	if err := q.Find(&types).Error; err != nil {
		return nil, err
	}
	for _, t := range types {
		out.types[t.ID] = t
	}
	return out, nil
}

// blocks groups the visible plan days: working days not already asked for.
// Two planned days of one type share a block when only days off lie between.
func (p *planData) blocks() []PlanBlock {
	var out []PlanBlock
	for _, pd := range p.plan {
		if !p.days.IsWorkday(pd.Date) || p.leaveOn[pd.Date] != nil {
			continue
		}
		if n := len(out); n > 0 && out[n-1].TypeID == pd.TypeID && p.onlyDaysOffBetween(out[n-1].End, pd.Date) {
			out[n-1].End = pd.Date
			out[n-1].Days++
			continue
		}
		t := p.types[pd.TypeID]
		out = append(out, PlanBlock{Start: pd.Date, End: pd.Date, TypeID: pd.TypeID, Days: 1, TypeHU: t.NameHU, TypeEN: t.NameEN, Color: t.Color})
	}
	return out
}

func (p *planData) onlyDaysOffBetween(a, b calendar.Date) bool {
	for d := a.AddDays(1); d.Before(b); d = d.AddDays(1) {
		if p.days.IsWorkday(d) {
			return false
		}
	}
	return true
}

// inYear keeps the blocks that touch the year.
func inYear(blocks []PlanBlock, year int) []PlanBlock {
	first, last := calendar.NewDate(year, time.January, 1), calendar.NewDate(year, time.December, 31)
	out := []PlanBlock{}
	for _, b := range blocks {
		if !b.End.Before(first) && !b.Start.After(last) {
			out = append(out, b)
		}
	}
	return out
}

// PlanBlocks lists the person's planned blocks touching the year, in date order.
// Days already inside an active request are not planned any more, so they are left out.
func (s *Service) PlanBlocks(ctx context.Context, personID uint, year int) ([]PlanBlock, error) {
	p, err := s.loadPlan(ctx, personID, year)
	if err != nil {
		return nil, err
	}
	return inYear(p.blocks(), year), nil
}

// PlanYear lays out the person's year for the plan page: days off, leave and plan.
func (s *Service) PlanYear(ctx context.Context, personID uint, year int) (*PlanView, error) {
	p, err := s.loadPlan(ctx, personID, year)
	if err != nil {
		return nil, err
	}
	all := p.blocks()
	plannedIn := map[calendar.Date]*PlanBlock{}
	for i := range all {
		b := &all[i]
		for d := b.Start; !d.After(b.End); d = d.AddDays(1) {
			if p.days.IsWorkday(d) {
				plannedIn[d] = b
			}
		}
	}
	types, err := s.Types(ctx, true)
	if err != nil {
		return nil, err
	}
	v := &PlanView{Year: year, Blocks: inYear(all, year), Types: types, Months: make([]PlanMonth, 12)}
	today := s.Today()
	for i := range v.Months {
		mon := time.Month(i + 1)
		first := calendar.NewDate(year, mon, 1)
		m := PlanMonth{Month: mon}
		// Weeks start on the Monday on or before the first of the month.
		for d := first.AddDays(-((int(first.Weekday()) + 6) % 7)); d.Month == mon || d.Before(first); {
			week := make([]PlanCell, 7)
			for j := range week {
				cell := PlanCell{Date: d, InMonth: d.Month == mon, Today: d.Equal(today), Reason: p.days.Reason(d), Planned: plannedIn[d]}
				if cell.Reason == "" {
					cell.Leave = p.leaveOn[d] // leave is taken on working days only
				}
				week[j] = cell
				d = d.AddDays(1)
			}
			m.Weeks = append(m.Weeks, week)
		}
		v.Months[i] = m
	}
	return v, nil
}

// checkPlanRange applies the request form's date rules to a plan range.
func (s *Service) checkPlanRange(start, end calendar.Date) error {
	today := s.Today()
	switch {
	case start.IsZero() || end.IsZero():
		return ErrNoWorkdays
	case end.Before(start):
		return ErrReversed
	case start.Year < today.Year-1 || end.Year > today.Year+1:
		return ErrOutsideWindow
	}
	return nil
}

// PlanAdd plans the working days of [start, end] with a type, skipping days
// off and days already asked for; a day planned with another type changes
// type. It returns how many days it planned or changed.
func (s *Service) PlanAdd(ctx context.Context, a actor.Actor, personID uint, start, end calendar.Date, typeID uint) (int, error) {
	if a.ID == 0 || a.ID != personID {
		return 0, ErrForbidden
	}
	if err := s.checkPlanRange(start, end); err != nil {
		return 0, err
	}
	days, err := s.cal.Span(ctx, start, end)
	if err != nil {
		return 0, err
	}
	if days.WorkdaysBetween(start, end) == 0 {
		return 0, ErrNoWorkdays
	}
	added := 0
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		t, err := s.typeByID(tx, typeID)
		if err != nil {
			return err
		}
		if !t.Active {
			return ErrUnknownType
		}
		var reqs []Request
		if err := tx.Where("person_id = ? AND status IN ? AND start_date <= ? AND end_date >= ?", personID, activeStatuses, end, start).
			Find(&reqs).Error; err != nil {
			return err
		}
		var existing []PlanDay
		if err := tx.Where("person_id = ? AND date >= ? AND date <= ?", personID, start, end).Find(&existing).Error; err != nil {
			return err
		}
		had := make(map[calendar.Date]uint, len(existing))
		for _, pd := range existing {
			had[pd.Date] = pd.TypeID
		}
		var rows []PlanDay
		for d := start; !d.After(end); d = d.AddDays(1) {
			if !days.IsWorkday(d) || requested(reqs, d) {
				continue
			}
			if old, ok := had[d]; ok && old == t.ID {
				continue
			}
			rows = append(rows, PlanDay{PersonID: personID, Date: d, TypeID: t.ID})
		}
		if len(rows) == 0 {
			return ErrNothingToPlan
		}
		// A second click racing the first must not fail on the primary key.
		err = tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "person_id"}, {Name: "date"}},
			DoUpdates: clause.AssignmentColumns([]string{"type_id"}),
		}).CreateInBatches(&rows, 200).Error
		if err != nil {
			return err
		}
		added = len(rows)
		return audit.Record(tx, a, "leave.plan.add", "leave_plan", personID, nil,
			map[string]any{"start": start.String(), "end": end.String(), "type": t.Code, "days": added})
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// requested reports whether one of the requests covers d.
func requested(reqs []Request, d calendar.Date) bool {
	for i := range reqs {
		if !d.Before(reqs[i].StartDate) && !d.After(reqs[i].EndDate) {
			return true
		}
	}
	return false
}

// PlanRemove deletes the person's plan days in [start, end], e.g. one block.
func (s *Service) PlanRemove(ctx context.Context, a actor.Actor, personID uint, start, end calendar.Date) error {
	if a.ID == 0 || a.ID != personID {
		return ErrForbidden
	}
	if start.IsZero() || end.IsZero() {
		return ErrNoWorkdays
	}
	if end.Before(start) {
		return ErrReversed
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var gone []PlanDay
		if err := tx.Where("person_id = ? AND date >= ? AND date <= ?", personID, start, end).Order("date").Find(&gone).Error; err != nil {
			return err
		}
		if len(gone) == 0 {
			return nil
		}
		if err := tx.Where("person_id = ? AND date >= ? AND date <= ?", personID, start, end).Delete(&PlanDay{}).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "leave.plan.remove", "leave_plan", personID,
			map[string]any{"start": gone[0].Date.String(), "end": gone[len(gone)-1].Date.String(), "days": len(gone)}, nil)
	})
}
