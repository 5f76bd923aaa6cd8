package training

import (
	"context"
	"slices"
	"strings"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/i18n"
)

// BrowseFilter narrows the employees' catalogue: a year among the
// published ones (0: the first), a kind, words of the title, code or
// provider, mandatory ones only.
type BrowseFilter struct {
	Year      int
	Kind      string
	Text      string
	Mandatory bool
}

// BrowseView is the catalogue a person may choose from.
type BrowseView struct {
	Filter BrowseFilter
	Years  []int // the published years on offer; none: nothing published
	Items  []BrowseItem
}

// BrowseItem is one training of the catalogue with its open sessions and
// the viewer's standing with it.
type BrowseItem struct {
	Training
	Sessions []SessionOffer
	Current  *Enrolment // the viewer's active place, if any
	InPlan   bool       // in the viewer's approved plan
	// NoApproval: booked without asking (in the approved plan, or mandatory).
	NoApproval bool
}

// SessionOffer is an open session with its free seats.
type SessionOffer struct {
	Session
	Left int
}

// Full reports whether the session has no seat left (a request joins the waiting list).
func (o SessionOffer) Full() bool { return o.Left <= 0 }

// Browse is the published catalogue's trainings whose target group takes a
// in, filtered, each with its sessions still open to requests.
func (s *Service) Browse(ctx context.Context, a actor.Actor, f BrowseFilter) (*BrowseView, error) {
	if a.ID == 0 {
		return nil, ErrSignedOut
	}
	q := s.db.R.WithContext(ctx)
	years, err := s.offeredYears(q)
	if err != nil {
		return nil, err
	}
	v := &BrowseView{Years: years}
	if len(years) == 0 {
		v.Filter = f
		return v, nil
	}
	if !slices.Contains(years, f.Year) {
		f.Year = years[0]
	}
	if !slices.Contains(Kinds, f.Kind) {
		f.Kind = ""
	}
	f.Text = trim(f.Text)
	v.Filter = f
	p, roles, err := s.personOf(ctx, q, a.ID)
	if err != nil {
		return nil, err
	}
	tq := q.Where("year = ? AND active = ?", f.Year, true)
	if f.Kind != "" {
		tq = tq.Where("kind = ?", f.Kind)
	}
	if f.Mandatory {
		tq = tq.Where("mandatory = ?", true)
	}
	var ts []Training
	if err := tq.Order("mandatory DESC, title_hu, id").Find(&ts).Error; err != nil {
		return nil, err
	}
	words := strings.Fields(strings.ToLower(f.Text))
	var ids []uint
	for i := range ts {
		t := &ts[i]
		if !t.Covers(p, roles) || !matchesAll(words, t.TitleHU, t.TitleEN, t.Code, t.Provider) {
			continue
		}
		v.Items = append(v.Items, BrowseItem{Training: *t})
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		return v, nil
	}
	sessions, err := s.openSessions(q, ids)
	if err != nil {
		return nil, err
	}
	var mine []Enrolment
	if err := q.Where("person_id = ? AND training_id IN ? AND status IN ?", a.ID, ids, ActiveEnrolment).Find(&mine).Error; err != nil {
		return nil, err
	}
	var planned []uint
	err = q.Table("training_plan_items AS i").Joins("JOIN training_plans AS p ON p.id = i.plan_id").
		Where("p.person_id = ? AND p.year = ? AND p.status = ?", a.ID, f.Year, PlanApproved).Pluck("i.training_id", &planned).Error
	if err != nil {
		return nil, err
	}
	for i := range v.Items {
		it := &v.Items[i]
		for _, sess := range sessions {
			if sess.TrainingID == it.ID {
				it.Sessions = append(it.Sessions, SessionOffer{Session: sess, Left: sess.Seats - sess.Enrolled})
			}
		}
		for j := range mine {
			if mine[j].TrainingID == it.ID {
				it.Current = &mine[j]
			}
		}
		it.InPlan = slices.Contains(planned, it.ID)
		it.NoApproval = it.InPlan || it.Mandatory
		if err := s.showOfferRooms(ctx, it.Sessions); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// matchesAll reports whether every word occurs in one of the texts.
func matchesAll(words []string, texts ...string) bool {
	for _, w := range words {
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(strings.ToLower(t), w) }) {
			return false
		}
	}
	return true
}

// PlanChoices are the trainings of year a may put in their plan, by title.
func (s *Service) PlanChoices(ctx context.Context, a actor.Actor, year int) ([]Training, error) {
	v, err := s.Browse(ctx, a, BrowseFilter{Year: year})
	if err != nil || v.Filter.Year != year {
		return nil, err
	}
	out := make([]Training, len(v.Items))
	for i := range v.Items {
		out[i] = v.Items[i].Training
	}
	return out, nil
}

// Days writes the session's days in lang, "2026. dec. 14–15.".
func (o SessionOffer) Days(lang string) string { return o.Session.Days(lang, 0) }

// Cost writes the training's cost per person in lang.
func (it BrowseItem) Cost(lang string) string { return forintsIn(lang, it.CostFt) }

// Hours writes the training's length in hours in lang, "4" or "2,5".
func (it BrowseItem) Hours(lang string) string {
	return i18n.FormatFigure(lang, float64(it.Minutes)/60)
}

// CurrentClass is the badge colour of the viewer's current place.
func (it BrowseItem) CurrentClass() string {
	if it.Current == nil {
		return ""
	}
	return enrolStatusClass(it.Current.Status)
}
