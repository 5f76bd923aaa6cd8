package leave

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/people"
)

// Half-day marks of a team calendar cell.
const (
	HalfNone      = ""
	HalfMorning   = "am" // the last day of a request that ends at noon
	HalfAfternoon = "pm" // the first day of a request that starts at noon
)

// TeamView is one month of a department's leave: a row per person, a column per day.
type TeamView struct {
	Year     int
	Month    time.Month
	DeptID   uint
	DeptName string
	Depts    []TeamDept // the departments the viewer may open, in tree order
	Days     []TeamDay
	Rows     []TeamRow
	Types    []Type // legend: the types the viewer sees by name
	Masked   bool   // private types show to this viewer only as "away"
	Empty    bool   // the viewer has no department to look at
}

// TeamDept is a department the viewer may choose.
type TeamDept struct {
	ID    uint
	Name  string
	Depth int
}

// TeamDay is a column of the grid.
type TeamDay struct {
	Date   calendar.Date
	Reason string // translation key of why the day is off, "" on working days
	Today  bool
	Away   int // people on approved leave that day (working days only)
}

// Weekday is the day's key in the weekday.* messages.
func (d TeamDay) Weekday() string {
	return [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[d.Date.Weekday()]
}

// TeamRow is one person's line.
type TeamRow struct {
	PersonID  uint
	Name      string
	Dept      string
	DeptStart bool // the first row of its department: the grid names the department above it
	Cells     []TeamCell
}

// TeamCell is one person on one day; Mark is nil when they are at work.
type TeamCell struct {
	Class string // "off" or "holiday" on days off, so the template need not work it out 1,500 times
	Fill  string // the shading of a day off
	Mark  *TeamMark
	// Training is a day the person is away at a training (people.Engagements),
	// drawn when no leave is.
	Training *TeamTraining
}

// TeamTraining is a training day drawn in a cell.
type TeamTraining struct {
	TitleHU, TitleEN string
}

// Title is the training's title in lang.
func (t TeamTraining) Title(lang string) string {
	return people.Engagement{TitleHU: t.TitleHU, TitleEN: t.TitleEN}.Title(lang)
}

// TrainingColor is the fill of a training day, named in the legend.
func (v *TeamView) TrainingColor() string { return trainingColor }

// TeamMark is leave drawn in a cell.
type TeamMark struct {
	RequestID      uint
	Color          string
	TypeHU, TypeEN string
	Pending        bool
	Masked         bool   // a private type the viewer sees only as "away"
	Half           string // HalfMorning, HalfAfternoon or HalfNone
}

// TypeName is the mark's type in lang ("" when masked: the template says "away").
func (m TeamMark) TypeName(lang string) string {
	if m.Masked {
		return ""
	}
	if lang == "en" && m.TypeEN != "" {
		return m.TypeEN
	}
	return m.TypeHU
}

// X is where the mark's box starts in a 16-pixel cell, moved in by inset:
// a morning fills the left half, an afternoon the right half.
func (m TeamMark) X(inset int) int {
	if m.Half == HalfAfternoon {
		return 8 + inset
	}
	return inset
}

// W is the mark's width, less shrink (an outline is drawn inside the cell).
func (m TeamMark) W(shrink int) int {
	if m.Half != HalfNone {
		return 8 - shrink
	}
	return 16 - shrink
}

// Cols is the grid's width in columns: the names and the days.
func (v *TeamView) Cols() int { return len(v.Days) + 1 }

// MonthParam is the view's month as the ?month= parameter reads it.
func (v *TeamView) MonthParam() string { return fmt.Sprintf("%04d-%02d", v.Year, int(v.Month)) }

// PrevParam is the month before, for the navigation.
func (v *TeamView) PrevParam() string {
	d := calendar.NewDate(v.Year, v.Month-1, 1)
	return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
}

// NextParam is the month after, for the navigation.
func (v *TeamView) NextParam() string {
	d := calendar.NewDate(v.Year, v.Month+1, 1)
	return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
}

// Colours drawn as SVG fills (the page may not carry inline styles): private
// leave in a neutral grey that says nothing of the type, days off as the
// admin calendar shades them.
const (
	maskedColor   = "#9ca3af"
	trainingColor = "#d97706"
	weekendFill   = "#e6eaf0"
	holidayFill   = "#fdeceb"
)

// teamPerson is a row of the people query.
type teamPerson struct {
	ID           uint
	Name         string
	DepartmentID uint
}

// teamLeave is a row of the month's one leave query.
type teamLeave struct {
	ID        uint
	PersonID  uint
	StartDate calendar.Date
	EndDate   calendar.Date
	StartHalf bool
	EndHalf   bool
	Status    string
	NameHU    string
	NameEN    string
	Color     string
	Private   bool
}

// TeamMonth builds the month of a department and the departments under it.
// HR may open any department; others their own and, as heads, the ones they
// head with everything below. deptID 0 opens the viewer's own department.
func (s *Service) TeamMonth(ctx context.Context, a actor.Actor, deptID uint, year int, month time.Month) (*TeamView, error) {
	viewer, err := s.people.Person(ctx, a.ID)
	if errors.Is(err, people.ErrNotFound) {
		return nil, ErrForbidden
	}
	if err != nil {
		return nil, err
	}
	tree, err := s.people.DepartmentTree(ctx)
	if err != nil {
		return nil, err
	}
	v := &TeamView{Year: year, Month: month, Masked: !a.Has(actor.HR)}
	allowed := teamAllowed(a, viewer, tree)
	for _, n := range tree {
		if allowed[n.ID] {
			v.Depts = append(v.Depts, TeamDept{ID: n.ID, Name: n.Name, Depth: n.Depth})
		}
	}
	if deptID == 0 {
		switch {
		case viewer.DepartmentID != nil && allowed[*viewer.DepartmentID]:
			deptID = *viewer.DepartmentID
		case len(v.Depts) > 0:
			deptID = v.Depts[0].ID
		default:
			v.Empty = true
			return v, nil
		}
	}
	if !allowed[deptID] {
		if a.Has(actor.HR) {
			return nil, ErrNotFound // HR may see every department; this one does not exist
		}
		return nil, ErrForbidden
	}
	v.DeptID = deptID
	under := people.Subtree(tree, deptID)
	order := make(map[uint]int, len(under))
	deptIDs := make([]uint, 0, len(under))
	for i, n := range under {
		order[n.ID] = i
		deptIDs = append(deptIDs, n.ID)
	}
	v.DeptName = under[0].Name

	first := calendar.NewDate(year, month, 1)
	last := calendar.NewDate(year, month+1, 0)
	days, err := s.cal.Span(ctx, first, last)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	col := map[calendar.Date]int{}
	for d := first; !d.After(last); d = d.AddDays(1) {
		col[d] = len(v.Days)
		v.Days = append(v.Days, TeamDay{Date: d, Reason: days.Reason(d), Today: d.Equal(today)})
	}

	q := s.db.R.WithContext(ctx)
	var ppl []teamPerson
	if err := q.Model(&people.Person{}).Select("id, name, department_id").
		Where("active = ? AND department_id IN ?", true, deptIDs).Scan(&ppl).Error; err != nil {
		return nil, err
	}
	names := make(map[uint]string, len(under))
	for _, n := range under {
		names[n.ID] = n.Name
	}
	coll := db.NewNameCollator()
	sort.SliceStable(ppl, func(i, j int) bool {
		if oi, oj := order[ppl[i].DepartmentID], order[ppl[j].DepartmentID]; oi != oj {
			return oi < oj
		}
		return coll.CompareString(ppl[i].Name, ppl[j].Name) < 0
	})
	rowOf := make(map[uint]int, len(ppl))
	v.Rows = make([]TeamRow, len(ppl))
	for i, p := range ppl {
		rowOf[p.ID] = i
		cells := make([]TeamCell, len(v.Days))
		for j := range cells {
			switch v.Days[j].Reason {
			case "":
			case calendar.ReasonWeekend:
				cells[j].Class, cells[j].Fill = "off", weekendFill
			default:
				cells[j].Class, cells[j].Fill = "holiday", holidayFill
			}
		}
		v.Rows[i] = TeamRow{PersonID: p.ID, Name: p.Name, Dept: names[p.DepartmentID], Cells: cells,
			DeptStart: i == 0 || ppl[i-1].DepartmentID != p.DepartmentID}
	}

	// All leave of the shown people in the month, in one query.
	var leave []teamLeave
	err = q.Table("leave_requests AS r").
		Select("r.id, r.person_id, r.start_date, r.end_date, r.start_half, r.end_half, r.status, t.name_hu, t.name_en, t.color, t.private").
		Joins("JOIN people p ON p.id = r.person_id").
		Joins("JOIN leave_types t ON t.id = r.type_id").
		Where("p.active = ? AND p.department_id IN ? AND r.status IN ? AND r.start_date <= ? AND r.end_date >= ?",
			true, deptIDs, activeStatuses, last, first).
		Scan(&leave).Error
	if err != nil {
		return nil, err
	}
	for i := range leave {
		l := &leave[i]
		row, ok := rowOf[l.PersonID]
		if !ok {
			continue
		}
		base := TeamMark{RequestID: l.ID, Color: l.Color, TypeHU: l.NameHU, TypeEN: l.NameEN, Pending: l.Status == StatusPending}
		if l.Private && v.Masked {
			base = TeamMark{RequestID: l.ID, Color: maskedColor, Pending: base.Pending, Masked: true}
		}
		for d := maxDate(l.StartDate, first); !d.After(l.EndDate) && !d.After(last); d = d.AddDays(1) {
			if !days.IsWorkday(d) {
				continue // leave is counted in working days; days off stay days off
			}
			m := base
			switch {
			case l.StartHalf && d.Equal(l.StartDate):
				m.Half = HalfAfternoon
			case l.EndHalf && d.Equal(l.EndDate):
				m.Half = HalfMorning
			}
			c := col[d]
			v.Rows[row].Cells[c].Mark = &m
			if !m.Pending {
				v.Days[c].Away++
			}
		}
	}

	if err := s.markEngagements(ctx, v, ppl, rowOf, col, first, last, days); err != nil {
		return nil, err
	}

	types, err := s.Types(ctx, true)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		if !(t.Private && v.Masked) {
			v.Types = append(v.Types, t)
		}
	}
	return v, nil
}

// markEngagements draws the shown people's training days of the month (one
// call for all of them) in the cells no leave took, and counts them as away.
func (s *Service) markEngagements(ctx context.Context, v *TeamView, ppl []teamPerson, rowOf map[uint]int,
	col map[calendar.Date]int, first, last calendar.Date, days *calendar.Days) error {
	ids := make([]uint, len(ppl))
	for i, p := range ppl {
		ids[i] = p.ID
	}
	es, err := s.Engagements.Engagements(ctx, ids, first, last)
	if err != nil {
		return err
	}
	for _, e := range es {
		row, ok := rowOf[e.PersonID]
		c, inMonth := col[e.Day]
		if !ok || !inMonth || !days.IsWorkday(e.Day) {
			continue
		}
		cell := &v.Rows[row].Cells[c]
		if cell.Training != nil || cell.Mark != nil && !cell.Mark.Pending {
			continue // one mark a day; approved leave is already counted as away
		}
		cell.Training = &TeamTraining{TitleHU: e.TitleHU, TitleEN: e.TitleEN}
		v.Days[c].Away++
	}
	return nil
}

// teamAllowed is the set of departments a viewer may open.
func teamAllowed(a actor.Actor, viewer *people.Person, tree []people.DeptNode) map[uint]bool {
	out := map[uint]bool{}
	if people.ScopeOf(a, actor.HR) == people.ScopeAll {
		for _, n := range tree {
			out[n.ID] = true
		}
	}
	if viewer.DepartmentID != nil {
		out[*viewer.DepartmentID] = true
	}
	for _, n := range tree {
		if n.HeadID != nil && *n.HeadID == viewer.ID {
			for _, u := range people.Subtree(tree, n.ID) {
				out[u.ID] = true
			}
		}
	}
	// Only departments that exist count, whatever the person row says.
	for id := range out {
		if !inTree(tree, id) {
			delete(out, id)
		}
	}
	return out
}

func inTree(tree []people.DeptNode, id uint) bool {
	for _, n := range tree {
		if n.ID == id {
			return true
		}
	}
	return false
}

// Feed is what a person's calendar subscription shows: their approved leave.
type Feed struct {
	Title  string // the calendar's name in the person's language
	Lang   string
	Events []FeedEvent
}

// FeedEvent is one approved request as an all-day event.
type FeedEvent struct {
	RequestID  uint
	Start, End calendar.Date // End is the last day, inclusive
	Summary    string        // the type's name with half-day notes, in the person's language
	Stamp      time.Time     // when the request last changed
}

// Feed lists a person's approved leave (and leave whose cancellation is only
// asked) from last year to next year, in the person's language. Private types
// show by name: the feed is the person's own.
func (s *Service) Feed(ctx context.Context, personID uint) (*Feed, error) {
	p, err := s.people.Person(ctx, personID)
	if errors.Is(err, people.ErrNotFound) || (err == nil && !p.Active) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	lang := p.Lang
	if lang != "hu" && lang != "en" {
		lang = s.cfg.Lang
	}
	today := s.Today()
	rows, err := s.requestRows(s.db.R.WithContext(ctx).
		Where("leave_requests.person_id = ? AND leave_requests.status IN ? AND leave_requests.start_date <= ? AND leave_requests.end_date >= ?",
			personID, []string{StatusApproved, StatusCancelRequested},
			calendar.NewDate(today.Year+1, time.December, 31), calendar.NewDate(today.Year-1, time.January, 1)).
		Order("leave_requests.start_date, leave_requests.id"))
	if err != nil {
		return nil, err
	}
	f := &Feed{Title: s.cat.T(lang, "leave.feed.calendar_name", "Name", p.Name), Lang: lang, Events: make([]FeedEvent, 0, len(rows))}
	for i := range rows {
		r := &rows[i]
		f.Events = append(f.Events, FeedEvent{RequestID: r.ID, Start: r.StartDate, End: r.EndDate,
			Summary: s.feedSummary(lang, r), Stamp: r.UpdatedAt})
	}
	return f, nil
}

// feedSummary names the leave with its half days, since an all-day event cannot show them.
func (s *Service) feedSummary(lang string, r *RequestRow) string {
	name := r.TypeName(lang)
	switch {
	case r.StartDate.Equal(r.EndDate) && (r.StartHalf || r.EndHalf):
		return name + " (" + s.cat.T(lang, "leave.feed.half_day") + ")"
	case r.StartHalf && r.EndHalf:
		return name + " (" + s.cat.T(lang, "leave.feed.first_from_noon") + ", " + s.cat.T(lang, "leave.feed.last_until_noon") + ")"
	case r.StartHalf:
		return name + " (" + s.cat.T(lang, "leave.feed.first_from_noon") + ")"
	case r.EndHalf:
		return name + " (" + s.cat.T(lang, "leave.feed.last_until_noon") + ")"
	}
	return name
}
