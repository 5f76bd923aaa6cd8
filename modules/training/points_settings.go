package training

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/web"
)

// pointsRulesSetting holds HR's study-points settings as JSON; unset, the
// decree's defaults apply.
const pointsRulesSetting = "training.points_rules"

// settingsEntity is the audit log's name of the module's settings.
const settingsEntity = "training_settings"

// Rules are the study-points settings every figure is computed under: what
// HR saved, or the decree's defaults (DefaultPointsRules).
func (s *Service) Rules(ctx context.Context) (PointsRules, error) {
	raw, err := s.db.GetSetting(ctx, pointsRulesSetting)
	if err != nil || raw == "" {
		return DefaultPointsRules(), err
	}
	var r PointsRules
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return PointsRules{}, fmt.Errorf("training: the stored points rules: %w", err)
	}
	return r, nil
}

// SaveRules stores r as the study-points settings (HR), once Validate
// passes, with an audit row of before and after in the same transaction.
func (s *Service) SaveRules(ctx context.Context, a actor.Actor, r PointsRules) error {
	if !isStaff(a) {
		return ErrRecordForbidden
	}
	if err := r.Validate(); err != nil {
		return err
	}
	before, err := s.Rules(ctx)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
			Create(&db.Setting{Key: pointsRulesSetting, Value: string(raw)}).Error
		if err != nil {
			return err
		}
		return audit.Record(tx, a, "training.points_rules.save", settingsEntity, "points", before, r)
	})
}

// pointsForm is the settings form as typed.
type pointsForm struct {
	FirstPeriodStart, PeriodYears, Graduate, Secondary            string
	MinYearlyShare, ByThirdYearShare, InternalCapShare, AmberDays string
}

// pointsFormOf is r as the form shows it.
func pointsFormOf(r PointsRules) pointsForm {
	n := strconv.Itoa
	return pointsForm{FirstPeriodStart: r.FirstPeriodStart.String(), PeriodYears: n(r.PeriodYears),
		Graduate: n(r.Required[Graduate]), Secondary: n(r.Required[Secondary]),
		MinYearlyShare: n(r.MinYearlyShare), ByThirdYearShare: n(r.ByThirdYearShare),
		InternalCapShare: n(r.InternalCapShare), AmberDays: n(r.AmberDays)}
}

// rules reads the form into settings, each problem by its field: the
// numbers within Validate's limits, then the rules that tie two settings
// together, put by the field a person would change.
func (f pointsForm) rules() (PointsRules, web.Errors) {
	errs := web.Errors{}
	r := PointsRules{
		FirstPeriodStart: calendar.ParseDateField(f.FirstPeriodStart, "first_period_start", errs),
		PeriodYears:      web.ParseInt(f.PeriodYears, "period_years", 1, maxPeriodYears, errs),
		Required: map[Education]int{
			Graduate:  web.ParseInt(f.Graduate, "graduate", 0, maxRequired, errs),
			Secondary: web.ParseInt(f.Secondary, "secondary", 0, maxRequired, errs),
		},
		MinYearlyShare:   web.ParseInt(f.MinYearlyShare, "min_yearly_share", 0, 100, errs),
		ByThirdYearShare: web.ParseInt(f.ByThirdYearShare, "by_third_year_share", 0, 100, errs),
		InternalCapShare: web.ParseInt(f.InternalCapShare, "internal_cap_share", 0, 100, errs),
		AmberDays:        web.ParseInt(f.AmberDays, "amber_days", 0, maxAmberDays, errs),
	}
	if errs.Any() {
		return r, errs
	}
	switch {
	case r.FirstPeriodStart.Month == 2 && r.FirstPeriodStart.Day == 29:
		errs.Add("first_period_start", "training.points.err.feb29")
	case r.MinYearlyShare*r.PeriodYears > 100:
		errs.Add("min_yearly_share", "training.points.err.yearly_too_much", "Years", r.PeriodYears)
	case r.ByThirdYearShare > 0 && r.PeriodYears < 3:
		errs.Add("by_third_year_share", "training.points.err.no_third_year", "Years", r.PeriodYears)
	}
	return r, errs
}
