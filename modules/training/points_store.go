package training

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
)

// pointsRows is the one read of the study-points ledger: every row of the
// people in period p, by person, as Standing takes them. The person's page,
// the compliance view and its export all read through it, so a person's
// points are the same sum with the same cap everywhere.
func pointsRows(q *gorm.DB, personIDs []uint, p Period) (map[uint][]Earned, error) {
	out := make(map[uint][]Earned, len(personIDs))
	if len(personIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PersonID          uint
		Day               calendar.Date
		Points            int
		Internal, Central bool
	}
	err := q.Model(&PointsRow{}).Select("person_id, day, points, internal, central").
		Where("person_id IN ? AND day >= ? AND day <= ?", personIDs, p.Start, p.End).
		Order("person_id, day, id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.PersonID] = append(out[r.PersonID], Earned{Day: r.Day, Points: r.Points, Internal: r.Internal, Central: r.Central})
	}
	return out, nil
}

// ledgerRowOf is the ledger's row of a completion: its points on its day,
// internal or central as the training was when it was recorded, so a later
// move of the training onto or off the central list changes no past figure.
func ledgerRowOf(c *Completion, t *Training) PointsRow {
	id := c.ID
	return PointsRow{PersonID: c.PersonID, Day: c.CompletedOn, Points: c.Points, Internal: t.Internal(),
		Central: t.Central, CompletionID: &id, CreatedAt: c.CreatedAt}
}

// writeCompletion stores a completion and its ledger row in tx, with the
// audit row under action: the only way a completion is written, so there is
// never one without its points.
func writeCompletion(tx *gorm.DB, a actor.Actor, action string, c *Completion, t *Training) error {
	if err := tx.Create(c).Error; err != nil {
		return err
	}
	row := ledgerRowOf(c, t)
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	return audit.Record(tx, a, action, CompletionEntity, c.ID, nil, c)
}

// profilesOf reads the points profiles of the people; a person without one
// is missing from the map (and counts as a graduate civil servant).
func profilesOf(q *gorm.DB, ids []uint) (map[uint]Profile, error) {
	out := make(map[uint]Profile, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var ps []Profile
	if err := q.Where("person_id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.PersonID] = p
	}
	return out, nil
}

// profileOrDefault is a person's profile, or the default one: a graduate
// civil servant, the larger requirement, so a missing profile never hides a
// shortfall.
func profileOrDefault(ps map[uint]Profile, id uint) Profile {
	if p, ok := ps[id]; ok {
		return p
	}
	return Profile{PersonID: id, Education: Graduate, CivilServant: true}
}

// standingOf is a person's standing in the period of today, from the rows
// pointsRows read.
func standingOf(r PointsRules, p *people.Person, prof Profile, rows []Earned, today calendar.Date) PointsStanding {
	return r.Standing(prof.Education, p.EmployedFrom, p.EmployedUntil, rows, r.PeriodOf(today), today)
}

// PointsOf is the person's standing in the period containing day, read as
// every screen reads it (for tests and the statistics).
func (s *Service) PointsOf(ctx context.Context, personID uint, day calendar.Date) (PointsStanding, error) {
	q := s.db.R.WithContext(ctx)
	var p people.Person
	if err := q.Where("id = ?", personID).Limit(1).Find(&p).Error; err != nil {
		return PointsStanding{}, err
	}
	if p.ID == 0 {
		return PointsStanding{}, ErrRecordNotFound
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return PointsStanding{}, err
	}
	period := rules.PeriodOf(day)
	rows, err := pointsRows(q, []uint{personID}, period)
	if err != nil {
		return PointsStanding{}, err
	}
	profs, err := profilesOf(q, []uint{personID})
	if err != nil {
		return PointsStanding{}, err
	}
	prof := profileOrDefault(profs, personID)
	return rules.Standing(prof.Education, p.EmployedFrom, p.EmployedUntil, rows[personID], period, day), nil
}

// ProfileInput is what HR sets of a person's points profile.
type ProfileInput struct {
	Education    Education
	CivilServant bool
}

// SaveProfile sets a person's education and civil-servant flag (HR only).
func (s *Service) SaveProfile(ctx context.Context, a actor.Actor, personID uint, in ProfileInput) error {
	if !isStaff(a) {
		return ErrRecordForbidden
	}
	if in.Education != Graduate && in.Education != Secondary {
		return ErrUnknownEducation
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&people.Person{}).Where("id = ?", personID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrRecordNotFound
		}
		var before Profile
		if err := tx.Where("person_id = ?", personID).Limit(1).Find(&before).Error; err != nil {
			return err
		}
		after := Profile{PersonID: personID, Education: in.Education, CivilServant: in.CivilServant, UpdatedAt: s.now()}
		upsert := clause.OnConflict{Columns: []clause.Column{{Name: "person_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"education", "civil_servant", "updated_at"})}
		if err := tx.Clauses(upsert).Create(&after).Error; err != nil {
			return err
		}
		// An insert leaves a false CivilServant to the column's default (true): set it as given.
		if err := tx.Model(&Profile{}).Where("person_id = ?", personID).Update("civil_servant", in.CivilServant).Error; err != nil {
			return err
		}
		var was any
		if before.PersonID != 0 {
			was = &before
		}
		return audit.Record(tx, a, "training.profile.save", "person", personID, was, &after)
	})
}
