package training

import (
	"slices"
	"sort"
	"strings"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// statsValidity is one completion's span: valid from its day to Until (both
// included); a zero Until is valid for ever.
type statsValidity struct {
	From, Until calendar.Date
}

func (v statsValidity) covers(day calendar.Date) bool {
	return !day.Before(v.From) && (v.Until.IsZero() || !day.After(v.Until))
}

// compliance works out, for each month of the period, how many people each
// mandatory training of that month's year covered (Training.Covers, by the
// people's department, title and roles now; employed at the month's end)
// and how many of them held a valid completion of its code then, from any
// year's training of that code.
func (b *statsBase) compliance(st *Stats) error {
	p := b.f.Period
	// The months, each ending on its last day, today while it runs.
	for m := calendar.NewDate(p.From.Year, p.From.Month, 1); m.Before(p.To); m = calendar.NewDate(m.Year, m.Month+1, 1) {
		end := calendar.NewDate(m.Year, m.Month+1, 1).AddDays(-1)
		cm := ComplianceMonth{Month: m, End: end}
		switch {
		case m.After(st.Today):
			cm.Future = true
		case !end.Before(st.Today):
			cm.Now, cm.End = true, st.Today
		}
		st.Compliance = append(st.Compliance, cm)
	}
	if len(st.Compliance) == 0 {
		return nil
	}

	// The mandatory trainings of each year in the period, and their codes.
	firstYear, lastYear := st.Compliance[0].Month.Year, st.Compliance[len(st.Compliance)-1].Month.Year
	byYear := map[int][]*Training{}
	codeIndex := map[string]int{}
	for _, t := range b.trainings {
		if !t.Mandatory || !t.Active || t.Year < firstYear || t.Year > lastYear {
			continue
		}
		byYear[t.Year] = append(byYear[t.Year], t)
		if i, ok := codeIndex[t.Code]; !ok {
			codeIndex[t.Code] = len(st.Mandatory)
			st.Mandatory = append(st.Mandatory, Mandatory{Code: t.Code, Training: t})
		} else if t.Year > st.Mandatory[i].Training.Year {
			st.Mandatory[i].Training = t
		}
	}
	if len(st.Mandatory) == 0 {
		return nil
	}
	sort.Slice(st.Mandatory, func(i, j int) bool { return st.Mandatory[i].Code < st.Mandatory[j].Code })
	for i, m := range st.Mandatory {
		codeIndex[m.Code] = i
	}

	// Whom each mandatory training covers, worked out once per training.
	roles, err := b.rolesIfNeeded(byYear)
	if err != nil {
		return err
	}
	covers := map[uint][]bool{}
	for _, ts := range byYear {
		for _, t := range ts {
			in := make([]bool, len(b.staff))
			for i := range b.staff {
				m := &b.staff[i]
				in[i] = t.Covers(&people.Person{ID: m.ID, DepartmentID: m.DepartmentID, JobTitle: m.JobTitle}, roles[m.ID])
			}
			covers[t.ID] = in
		}
	}

	// Every completion of a mandatory code that may be valid in the
	// period: done by its last month's end and valid past its first. A
	// completion valid for ever counts from the first of them.
	var ids []uint
	codeOf := map[uint]int{}
	for id, t := range b.trainings {
		if i, ok := codeIndex[t.Code]; ok {
			ids, codeOf[id] = append(ids, id), i
		}
	}
	slices.Sort(ids)
	q := b.q.Table("training_completions").
		Select("person_id, training_id, MIN(completed_on) AS completed_on, valid_until").
		Where("training_id IN ? AND completed_on <= ? AND (valid_until IS NULL OR valid_until >= ?)",
			ids, st.Compliance[len(st.Compliance)-1].End, st.Compliance[0].End).
		Group("person_id, training_id, valid_until")
	rows, err := b.inScope(q, "person_id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	// valid[code][person] are the person's spans of the code.
	valid := make([][][]statsValidity, len(st.Mandatory))
	for i := range valid {
		valid[i] = make([][]statsValidity, len(b.staff))
	}
	for rows.Next() {
		var personID, trainingID uint
		var v statsValidity
		if err := rows.Scan(&personID, &trainingID, &v.From, &v.Until); err != nil {
			return err
		}
		if i, ok := b.byID[personID]; ok {
			ci := codeOf[trainingID]
			valid[ci][i] = append(valid[ci][i], v)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}

	for mi := range st.Compliance {
		cm := &st.Compliance[mi]
		cm.Codes = make([]Coverage, len(st.Mandatory))
		if cm.Future {
			continue
		}
		for _, t := range byYear[cm.Month.Year] {
			ci, in := codeIndex[t.Code], covers[t.ID]
			for i := range b.staff {
				if !in[i] || !b.staff[i].employedOn(cm.End) {
					continue
				}
				cm.Codes[ci].Covered++
				if slices.ContainsFunc(valid[ci][i], func(v statsValidity) bool { return v.covers(cm.End) }) {
					cm.Codes[ci].Valid++
				}
			}
		}
		for _, c := range cm.Codes {
			cm.All.Covered += c.Covered
			cm.All.Valid += c.Valid
		}
	}
	return nil
}

// rolesIfNeeded reads the roles of the people in scope when a training
// targets roles, and nothing otherwise.
func (b *statsBase) rolesIfNeeded(byYear map[int][]*Training) (map[uint][]string, error) {
	need := false
	for _, ts := range byYear {
		need = need || slices.ContainsFunc(ts, func(t *Training) bool { return t.Target == TargetRoles })
	}
	if !need {
		return nil, nil
	}
	var rs []people.PersonRole
	if err := b.inScope(b.q.Model(&people.PersonRole{}), "person_id").Find(&rs).Error; err != nil {
		return nil, err
	}
	out := map[uint][]string{}
	for _, r := range rs {
		out[r.PersonID] = append(out[r.PersonID], r.Role)
	}
	return out, nil
}

// noShows counts outcomes per training of the sessions that began in the
// period: the no-show rate is the enrolments marked no_show over all with
// an outcome.
func (b *statsBase) noShows(st *Stats) error {
	var counts []struct {
		TrainingID uint
		Outcome    string
		N          int
	}
	q := b.q.Table("training_enrolments e").Select("e.training_id, e.outcome, COUNT(*) AS n").
		Joins("JOIN training_sessions s ON s.id = e.session_id").
		Where("e.outcome <> '' AND s.first_day >= ? AND s.first_day < ?", b.f.Period.From, b.f.Period.To).
		Group("e.training_id, e.outcome")
	if err := b.inScope(q, "e.person_id").Scan(&counts).Error; err != nil {
		return err
	}
	per := map[uint]*NoShows{}
	for _, c := range counts {
		n := per[c.TrainingID]
		if n == nil {
			n = &NoShows{Training: b.training(c.TrainingID)}
			per[c.TrainingID] = n
		}
		n.Outcomes += c.N
		st.NoShow.Outcomes += c.N
		if c.Outcome == OutcomeNoShow {
			n.NoShows += c.N
			st.NoShow.NoShows += c.N
		}
	}
	for _, n := range per {
		st.NoShows = append(st.NoShows, *n)
	}
	sort.Slice(st.NoShows, func(i, j int) bool {
		a, c := st.NoShows[i], st.NoShows[j]
		if a.NoShows != c.NoShows {
			return a.NoShows > c.NoShows
		}
		return statsByCode(a.Training, c.Training)
	})
	return nil
}

// ratings are the feedback given on the period's sessions, per training
// and per provider (the training's provider in its year).
func (b *statsBase) ratings(st *Stats) error {
	var counts []struct {
		TrainingID uint
		Score      int
		N          int
	}
	q := b.q.Table("training_feedback f").Select("e.training_id, f.score, COUNT(*) AS n").
		Joins("JOIN training_enrolments e ON e.id = f.enrolment_id").
		Joins("JOIN training_sessions s ON s.id = e.session_id").
		Where("s.first_day >= ? AND s.first_day < ?", b.f.Period.From, b.f.Period.To).
		Group("e.training_id, f.score")
	if err := b.inScope(q, "e.person_id").Scan(&counts).Error; err != nil {
		return err
	}
	per := map[uint]*Rating{}
	providers := map[string]*Rating{}
	for _, c := range counts {
		if c.Score < 1 || c.Score > 5 {
			continue
		}
		r := per[c.TrainingID]
		if r == nil {
			t := b.training(c.TrainingID)
			r = &Rating{Training: t, Provider: strings.TrimSpace(t.Provider)}
			per[c.TrainingID] = r
		}
		r.Scores[c.Score] += c.N
		pr := providers[r.Provider]
		if pr == nil {
			pr = &Rating{Provider: r.Provider}
			providers[r.Provider] = pr
		}
		pr.Scores[c.Score] += c.N
	}
	for _, r := range per {
		st.Ratings = append(st.Ratings, *r)
	}
	sort.Slice(st.Ratings, func(i, j int) bool {
		a, c := st.Ratings[i].Scores.Count(), st.Ratings[j].Scores.Count()
		if a != c {
			return a > c
		}
		return statsByCode(st.Ratings[i].Training, st.Ratings[j].Training)
	})
	for _, r := range providers {
		st.Providers = append(st.Providers, *r)
	}
	sort.Slice(st.Providers, func(i, j int) bool {
		a, c := st.Providers[i].Scores.Count(), st.Providers[j].Scores.Count()
		if a != c {
			return a > c
		}
		return st.Providers[i].Provider < st.Providers[j].Provider
	})
	return nil
}

// expiring lists the active people's certificates whose validity ends
// from today to ExpiringDays ahead, soonest first, leaving out those a
// later completion of the same code already renewed (valid longer, or for
// ever). The renewals are looked up for the candidates' people and codes
// only, through the person's index, rather than by a correlated subquery
// (which PostgreSQL answers by reading every completion).
func (b *statsBase) expiring(st *Stats) error {
	type held struct {
		ID, PersonID, TrainingID uint
		CompletedOn, ValidUntil  calendar.Date
		CertificateNo            string
	}
	var found []held
	q := b.q.Table("training_completions").
		Select("id, person_id, training_id, completed_on, valid_until, certificate_no").
		Where("valid_until >= ? AND valid_until <= ?", st.Today, st.Today.AddDays(ExpiringDays)).
		Order("valid_until, id")
	if err := b.inScope(q, "person_id").Scan(&found).Error; err != nil {
		return err
	}
	persons, codes := map[uint]bool{}, map[string]bool{}
	earliest := st.Today
	cands := found[:0]
	for _, f := range found {
		if i, ok := b.byID[f.PersonID]; !ok || !b.staff[i].Active {
			continue
		}
		cands = append(cands, f)
		persons[f.PersonID], codes[b.training(f.TrainingID).Code] = true, true
		if f.CompletedOn.Before(earliest) {
			earliest = f.CompletedOn
		}
	}
	if len(cands) == 0 {
		return nil
	}
	var trainingIDs []uint
	for id, t := range b.trainings {
		if codes[t.Code] {
			trainingIDs = append(trainingIDs, id)
		}
	}
	ids := make([]uint, 0, len(persons))
	for id := range persons {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	slices.Sort(trainingIDs)
	later := map[uint][]held{}
	for chunk := range slices.Chunk(ids, 1000) {
		var rows []held
		if err := b.q.Table("training_completions").Select("id, person_id, training_id, completed_on, valid_until").
			Where("person_id IN ? AND training_id IN ? AND completed_on >= ? AND (valid_until IS NULL OR valid_until > ?)",
				chunk, trainingIDs, earliest, st.Today).
			Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			later[r.PersonID] = append(later[r.PersonID], r)
		}
	}
	for _, f := range cands {
		code := b.training(f.TrainingID).Code
		if slices.ContainsFunc(later[f.PersonID], func(r held) bool {
			return r.ID != f.ID && b.training(r.TrainingID).Code == code && !r.CompletedOn.Before(f.CompletedOn) &&
				(r.ValidUntil.IsZero() || r.ValidUntil.After(f.ValidUntil))
		}) {
			continue
		}
		m := &b.staff[b.byID[f.PersonID]]
		st.Expiring = append(st.Expiring, Expiring{CompletionID: f.ID, PersonID: f.PersonID, Person: m.Name,
			Department: b.deptNames[m.dept()], Training: b.training(f.TrainingID), CertificateNo: f.CertificateNo,
			ValidUntil: f.ValidUntil, DaysLeft: st.Today.DaysUntil(f.ValidUntil)})
	}
	return nil
}

// training is the training of id, an empty one for a row whose training
// went (the figures still count it).
func (b *statsBase) training(id uint) *Training {
	if t := b.trainings[id]; t != nil {
		return t
	}
	return &Training{ID: id}
}

// statsByCode orders trainings by code, the latest year first.
func statsByCode(a, c *Training) bool {
	if a.Code != c.Code {
		return a.Code < c.Code
	}
	return a.Year > c.Year
}
