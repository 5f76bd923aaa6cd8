package training

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// The states of a mandatory training for one person.
const (
	MandatoryDone     = "done"     // done, and its certificate (if any) holds beyond the warning
	MandatoryExpiring = "expiring" // done, but the certificate runs out within the warning
	MandatoryOpen     = "open"     // not done, its due day is beyond the warning
	MandatoryDueSoon  = "due_soon" // not done, due within the warning
	MandatoryOverdue  = "overdue"  // not done and its due day has passed
)

// MandatoryItem is one mandatory training of a person's year.
type MandatoryItem struct {
	Training Training
	Due      calendar.Date
	State    string
	Done     *codedCompletion // the completion that counts, newest first
}

// Light is the compliance light the item alone gives.
func (m MandatoryItem) Light() Light {
	switch m.State {
	case MandatoryOverdue:
		return Red
	case MandatoryDueSoon, MandatoryExpiring:
		return Amber
	}
	return Green
}

// codedCompletion is a completion with its training's code and title, as
// the overview and the compliance view read them: a certificate earned
// under a code in an earlier year still counts for the code this year.
type codedCompletion struct {
	Completion
	Code    string
	TitleHU string
	TitleEN string
	HasFile bool
}

// Title is the completion's training title in lang.
func (c *codedCompletion) Title(lang string) string {
	if lang == "en" && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.TitleHU
}

// certificate states.
const (
	CertValid    = "valid"
	CertExpiring = "expiring"
	CertExpired  = "expired"
	CertForever  = "forever"
)

// CertState is the state of the completion's certificate on today with a
// warning of amberDays.
func (c *codedCompletion) CertState(today calendar.Date, amberDays int) string {
	switch {
	case c.ValidUntil.IsZero():
		return CertForever
	case c.ValidUntil.Before(today):
		return CertExpired
	case today.DaysUntil(c.ValidUntil) < amberDays:
		return CertExpiring
	}
	return CertValid
}

// Overview is a person's "my trainings": what is mandatory and by when,
// certificates and their expiry, the points of the current period, and the
// completed trainings.
type Overview struct {
	Person       people.Person
	Department   string
	Year         int
	Today        calendar.Date
	Profile      Profile
	HasProfile   bool
	Mandatory    []MandatoryItem
	Certificates []*codedCompletion // with a certificate, newest first
	Completed    []*codedCompletion // every completion, newest first
	Points       PointsStanding
	AmberDays    int
	Light        Light
	MayEdit      bool // the viewer keeps the profile (HR)
	// Teaching are the open sessions the person trains, on their own page:
	// where a trainer finds the rosters to record.
	Teaching []TrainerSession
}

// TrainerSession is a session its trainer still has to record.
type TrainerSession struct {
	Session
	TitleHU, TitleEN string
}

// Title is the session's training title in lang.
func (t *TrainerSession) Title(lang string) string {
	return (&Training{TitleHU: t.TitleHU, TitleEN: t.TitleEN}).Title(lang)
}

// Overview is person's trainings in year (0: this year), for the person,
// their manager and HR; anyone else gets not found.
func (s *Service) Overview(ctx context.Context, a actor.Actor, personID uint, year int) (*Overview, error) {
	ok, err := s.maySeePerson(ctx, s.db.R.WithContext(ctx), a, personID)
	if err != nil || !ok {
		return nil, hiddenAsNotFound(err)
	}
	q := s.db.R.WithContext(ctx)
	var p people.Person
	if err := q.Preload("Roles").Where("id = ?", personID).Limit(1).Find(&p).Error; err != nil {
		return nil, err
	}
	if p.ID == 0 {
		return nil, ErrRecordNotFound
	}
	today := s.today()
	if year == 0 {
		year = today.Year
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	v := &Overview{Person: p, Year: year, Today: today, AmberDays: rules.AmberDays, MayEdit: isStaff(a)}
	if p.DepartmentID != nil {
		names, err := people.DepartmentNamesOf(q, []uint{*p.DepartmentID})
		if err != nil {
			return nil, err
		}
		v.Department = names[*p.DepartmentID]
	}
	mandatory, err := mandatoryOfYear(q, year)
	if err != nil {
		return nil, err
	}
	comps, err := codedCompletions(q, []uint{personID}, nil)
	if err != nil {
		return nil, err
	}
	mine := comps[personID]
	v.Completed = mine
	for _, c := range mine {
		if !c.ValidUntil.IsZero() || c.CertificateNo != "" {
			v.Certificates = append(v.Certificates, c)
		}
	}
	v.Mandatory = mandatoryFor(mandatory, &p, p.RoleNames(), mine, year, today, rules.AmberDays)

	profs, err := profilesOf(q, []uint{personID})
	if err != nil {
		return nil, err
	}
	_, v.HasProfile = profs[personID]
	v.Profile = profileOrDefault(profs, personID)
	rows, err := pointsRows(q, []uint{personID}, rules.PeriodOf(today))
	if err != nil {
		return nil, err
	}
	v.Points = standingOf(rules, &p, v.Profile, rows[personID], today)
	v.Light = personLight(v.Mandatory, v.Profile, v.Points)
	if a.ID == personID {
		err := q.Table("training_sessions AS s").Select("s.*, t.title_hu, t.title_en").
			Joins("JOIN training_trainings t ON t.id = s.training_id").
			Where("s.trainer_id = ? AND s.status = ?", personID, SessionScheduled).
			Order("s.first_day, s.id").Limit(50).Scan(&v.Teaching).Error
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

// personLight is the compliance light of a person: the worst of the
// mandatory trainings and, for a civil servant, the points standing.
func personLight(items []MandatoryItem, prof Profile, points PointsStanding) Light {
	light := Green
	if prof.CivilServant {
		light = points.Light
	}
	for _, m := range items {
		light = worseLight(light, m.Light())
	}
	return light
}

// worseLight is the worse of two lights.
func worseLight(a, b Light) Light {
	rank := map[Light]int{Green: 0, Amber: 1, Red: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// mandatoryOfYear are the active mandatory trainings of year's
// catalogue, if it is published (a draft assigns nothing yet).
func mandatoryOfYear(q *gorm.DB, year int) ([]Training, error) {
	var cat Catalogue
	if err := q.Where("year = ?", year).Limit(1).Find(&cat).Error; err != nil {
		return nil, err
	}
	if cat.Status != CataloguePublished {
		return nil, nil
	}
	var ts []Training
	err := q.Where("year = ? AND mandatory = ? AND active = ?", year, true, true).Order("code").Find(&ts).Error
	return ts, err
}

// codedCompletions reads the people's completions with their trainings'
// codes and titles, newest first, by person; codes, when given, keeps only
// the completions of those codes. One query, whatever the number of people.
func codedCompletions(q *gorm.DB, ids []uint, codes []string) (map[uint][]*codedCompletion, error) {
	out := map[uint][]*codedCompletion{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []codedCompletion
	sel := q.Table("training_completions AS c").
		Select("c.*, t.code, t.title_hu, t.title_en, EXISTS (SELECT 1 FROM training_certificate_files f WHERE f.completion_id = c.id) AS has_file").
		Joins("JOIN training_trainings t ON t.id = c.training_id").
		Where("c.person_id IN ?", ids)
	if codes != nil {
		if len(codes) == 0 {
			return out, nil
		}
		sel = sel.Where("t.code IN ?", codes)
	}
	if err := sel.Order("c.completed_on DESC, c.id DESC").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		out[rows[i].PersonID] = append(out[rows[i].PersonID], &rows[i])
	}
	return out, nil
}

// mandatoryFor is the state of each mandatory training that covers the
// person, from their completions (newest first). A completion of the same
// code counts while its certificate holds; one without a valid-until counts
// in the year it was done, or for ever when the training's certificate does
// not expire.
func mandatoryFor(ts []Training, p *people.Person, roles []string, comps []*codedCompletion, year int, today calendar.Date, amberDays int) []MandatoryItem {
	var out []MandatoryItem
	for _, t := range ts {
		if !t.Covers(p, roles) {
			continue
		}
		due := t.DueBy
		if due.IsZero() {
			due = calendar.NewDate(year, 12, 31)
		}
		item := MandatoryItem{Training: t, Due: due}
		i := slices.IndexFunc(comps, func(c *codedCompletion) bool {
			if c.Code != t.Code {
				return false
			}
			if !c.ValidUntil.IsZero() {
				return !c.ValidUntil.Before(today)
			}
			return c.CompletedOn.Year == year || (t.Certificate && t.ValidMonths == 0 && c.CompletedOn.Year <= year)
		})
		switch {
		case i >= 0:
			item.Done = comps[i]
			item.State = MandatoryDone
			if comps[i].CertState(today, amberDays) == CertExpiring {
				item.State = MandatoryExpiring
			}
		case due.Before(today):
			item.State = MandatoryOverdue
		case today.DaysUntil(due) < amberDays:
			item.State = MandatoryDueSoon
		default:
			item.State = MandatoryOpen
		}
		out = append(out, item)
	}
	return out
}

// Hours is the completion's length in hours, for the screens.
func (c *codedCompletion) Hours() float64 { return float64(c.Minutes) / 60 }

// Badge is the badge class a light is shown with.
func (l Light) Badge() string {
	switch l {
	case Red:
		return "badge-danger"
	case Amber:
		return "badge-warning"
	}
	return "badge-success"
}

// Badge is the badge class of a mandatory training's state.
func (m MandatoryItem) Badge() string {
	switch m.State {
	case MandatoryDone:
		return "badge-success"
	case MandatoryOpen:
		return "badge-muted"
	}
	return m.Light().Badge()
}

// CertBadge is the badge class of a certificate's state.
func CertBadge(state string) string {
	switch state {
	case CertExpired:
		return "badge-danger"
	case CertExpiring:
		return "badge-warning"
	case CertForever:
		return "badge-muted"
	}
	return "badge-success"
}

// CertState is the completion's certificate state on the overview's day.
func (v *Overview) CertState(c *codedCompletion) string { return c.CertState(v.Today, v.AmberDays) }

// CertBadge is CertBadge of the completion on the overview's day.
func (v *Overview) CertBadge(c *codedCompletion) string { return CertBadge(v.CertState(c)) }
