package training

import (
	"context"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
)

// CatalogueEntity names a year's catalogue in the audit log (its id is the year).
const CatalogueEntity = "training_catalogue"

// Errors of the catalogue and its trainings; form_admin.go places each by its field.
var (
	ErrNotHR             = errs.New(errs.Forbidden, "training: only HR keeps the catalogue")
	ErrTrainingNotFound  = errs.New(errs.NotFound, "training: no such training")
	ErrYearNotFound      = errs.New(errs.NotFound, "training: no catalogue for that year")
	ErrYearRange         = errs.New(errs.Invalid, "training: a catalogue is started for this year or the next")
	ErrYearExists        = errs.New(errs.Conflict, "training: the year's catalogue is already started")
	ErrCopyFrom          = errs.New(errs.Invalid, "training: no catalogue to copy from that year")
	ErrPublished         = errs.New(errs.Conflict, "training: the catalogue is already published")
	ErrYearEmpty         = errs.New(errs.Conflict, "training: a catalogue without active trainings is not published")
	ErrTrainingTitle     = errs.New(errs.Invalid, "training: the training needs a Hungarian title")
	ErrAdminText         = errs.New(errs.Invalid, "training: a text is too long or holds control characters")
	ErrTrainingCode      = errs.New(errs.Invalid, "training: the code is capital letters, digits and dashes")
	ErrTrainingCodeTaken = errs.New(errs.Conflict, "training: another training of the year has that code")
	ErrTrainingKind      = errs.New(errs.Invalid, "training: unknown kind")
	ErrTrainingHours     = errs.New(errs.Invalid, "training: the hours are out of range")
	ErrTrainingPoints    = errs.New(errs.Invalid, "training: the study points are out of range")
	ErrTrainingCost      = errs.New(errs.Invalid, "training: the cost is out of range")
	ErrTargetKind        = errs.New(errs.Invalid, "training: unknown target group")
	ErrTargetEmpty       = errs.New(errs.Invalid, "training: the target group names nobody")
	ErrTargetDept        = errs.New(errs.Invalid, "training: unknown department in the target group")
	ErrTargetRole        = errs.New(errs.Invalid, "training: unknown role in the target group")
	ErrValidityRange     = errs.New(errs.Invalid, "training: the validity is out of range")
	ErrValidityNoCert    = errs.New(errs.Invalid, "training: only a certificate has a validity")
	ErrDueBy             = errs.New(errs.Invalid, "training: the due date is outside the catalogue's year")
	ErrDueByOptional     = errs.New(errs.Invalid, "training: only a mandatory training has a due date")
	ErrPastYear          = errs.New(errs.Conflict, "training: a past year's completions keep what the training was")
	ErrPastYearCreate    = errs.New(errs.Conflict, "training: a past year's catalogue takes no new trainings")
	ErrTrainingRetired   = errs.New(errs.Conflict, "training: the training is no longer offered")
)

// LockedError refuses a change of one field of a past year's training: the
// completions of that year were recorded against it (their hours, points
// and certificates), so changing it would rewrite them. It is ErrPastYear.
type LockedError struct{ Field string }

func (e *LockedError) Error() string { return ErrPastYear.Error() + ": " + e.Field }

// Is makes errors.Is(err, ErrPastYear) and the Conflict kind hold.
func (e *LockedError) Is(target error) bool {
	return target == ErrPastYear || errors.Is(ErrPastYear, target)
}

// CatalogueRow is one year on HR's overview, with what the year holds.
type CatalogueRow struct {
	Catalogue
	Trainings int64 // active trainings
	Mandatory int64 // of which mandatory
	Sessions  int64 // scheduled sessions
}

// Catalogues lists every year's catalogue, newest first.
func (s *Service) Catalogues(ctx context.Context, a actor.Actor) ([]CatalogueRow, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	var rows []CatalogueRow
	err := s.db.R.WithContext(ctx).Table("training_catalogues AS c").
		Select(`c.*,
		 (SELECT COUNT(*) FROM training_trainings t WHERE t.year = c.year AND t.active = ?) AS trainings,
		 (SELECT COUNT(*) FROM training_trainings t WHERE t.year = c.year AND t.active = ? AND t.mandatory = ?) AS mandatory,
		 (SELECT COUNT(*) FROM training_sessions x JOIN training_trainings t ON t.id = x.training_id
		   WHERE t.year = c.year AND x.status <> ?) AS sessions`, true, true, true, SessionCancelled).
		Order("c.year DESC").Scan(&rows).Error
	return rows, err
}

// Catalogue is the year's catalogue.
func (s *Service) Catalogue(ctx context.Context, a actor.Actor, year int) (*Catalogue, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	return catalogueOf(s.db.R.WithContext(ctx), year)
}

func catalogueOf(q *gorm.DB, year int) (*Catalogue, error) {
	var c Catalogue
	if err := q.Where("year = ?", year).Limit(1).Find(&c).Error; err != nil {
		return nil, err
	}
	if c.Year == 0 {
		return nil, ErrYearNotFound
	}
	return &c, nil
}

// StartableYears are the years a catalogue may be started for today: this
// one and the next (a past year is history, a later one a guess).
func (s *Service) StartableYears() []int {
	y := s.today().Year
	return []int{y, y + 1}
}

// StartYear makes year's catalogue as a draft. With copyFrom (a year that
// has a catalogue) its active trainings become the new year's, as new rows
// with the same codes, so the old year's rows and completions stay as they
// were; 0 starts an empty catalogue. Sessions are never copied.
func (s *Service) StartYear(ctx context.Context, a actor.Actor, year, copyFrom int) error {
	if !isStaff(a) {
		return ErrNotHR
	}
	if !slices.Contains(s.StartableYears(), year) {
		return ErrYearRange
	}
	if copyFrom == year {
		return ErrCopyFrom
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := catalogueOf(tx, year); err == nil {
			return ErrYearExists
		} else if !errors.Is(err, ErrYearNotFound) {
			return err
		}
		var from []Training
		if copyFrom != 0 {
			if _, err := catalogueOf(tx, copyFrom); err != nil {
				if errors.Is(err, ErrYearNotFound) {
					return ErrCopyFrom
				}
				return err
			}
			if err := tx.Where("year = ? AND active = ?", copyFrom, true).Order("code").Find(&from).Error; err != nil {
				return err
			}
		}
		c := Catalogue{Year: year, Status: CatalogueDraft, CopiedFrom: copyFrom, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&c).Error; err != nil {
			if db.IsDuplicate(err) {
				return ErrYearExists
			}
			return err
		}
		for i := range from {
			t := from[i]
			t.ID, t.Year, t.CreatedAt, t.UpdatedAt = 0, year, now, now
			t.DueBy = sameDayIn(t.DueBy, year)
			if err := tx.Create(&t).Error; err != nil {
				return err
			}
		}
		return audit.Record(tx, a, "training.catalogue.start", CatalogueEntity, year, nil,
			map[string]any{"year": year, "copied_from": copyFrom, "trainings": len(from)})
	})
}

// sameDayIn moves a due date to the same day of year (28 February for a
// leap day); zero stays zero.
func sameDayIn(d calendar.Date, year int) calendar.Date {
	if d.IsZero() {
		return d
	}
	day := d.Day
	if d.Month == 2 && day == 29 {
		if n := calendar.NewDate(year, 2, 29); n.Month != 2 {
			day = 28
		}
	}
	return calendar.NewDate(year, d.Month, day)
}

// PublishYear publishes a draft catalogue: its trainings may then be
// requested, and its mandatory ones are due from everyone they cover.
func (s *Service) PublishYear(ctx context.Context, a actor.Actor, year int) error {
	if !isStaff(a) {
		return ErrNotHR
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		c, err := catalogueOf(tx, year)
		if err != nil {
			return err
		}
		if c.Status != CatalogueDraft {
			return ErrPublished
		}
		var active int64
		if err := tx.Model(&Training{}).Where("year = ? AND active = ?", year, true).Count(&active).Error; err != nil {
			return err
		}
		if active == 0 {
			return ErrYearEmpty
		}
		res := tx.Model(&Catalogue{}).Where("year = ? AND status = ?", year, CatalogueDraft).
			Updates(map[string]any{"status": CataloguePublished, "published_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrPublished
		}
		return audit.Record(tx, a, "training.catalogue.publish", CatalogueEntity, year,
			map[string]string{"status": CatalogueDraft}, map[string]string{"status": CataloguePublished})
	})
}

// TrainingInput is a catalogue entry as HR types it.
type TrainingInput struct {
	Code     string
	TitleHU  string
	TitleEN  string
	Provider string
	Kind     string
	Minutes  int // ParseHours reads the typed hours
	Points   int
	Central  bool
	CostFt   int64
	Target   string
	// TargetList are department ids (as text), job titles or role names, by Target.
	TargetList  []string
	Certificate bool
	ValidMonths int
	Mandatory   bool
	DueBy       calendar.Date // zero: the year's last day
}

// codePattern is a training code once upper-cased: capitals, digits, dashes.
var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,39}$`)

// ParseHours reads hours as people type them ("1,5", "1.5", "8") into
// whole minutes; ok is false for anything else or a negative figure.
func ParseHours(s string) (minutes int, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return 0, false
	}
	h, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) || h < 0 || h > maxMinutes/60 {
		return 0, false
	}
	return int(math.Round(h * 60)), true
}

// check trims the input and returns every problem in it at once; year is
// the catalogue's, for the due date. Departments are checked in check's
// caller, against the database.
func (in TrainingInput) check(year int) (TrainingInput, error) {
	in.Code = strings.ToUpper(trim(in.Code))
	in.TitleHU, in.TitleEN, in.Provider = trim(in.TitleHU), trim(in.TitleEN), trim(in.Provider)
	var problems []error
	if !codePattern.MatchString(in.Code) {
		problems = append(problems, ErrTrainingCode)
	}
	if in.TitleHU == "" {
		problems = append(problems, ErrTrainingTitle)
	}
	if !validLine(in.TitleHU, maxTitle) || !validLine(in.TitleEN, maxTitle) || !validLine(in.Provider, maxTitle) {
		problems = append(problems, ErrAdminText)
	}
	if !slices.Contains(Kinds, in.Kind) {
		problems = append(problems, ErrTrainingKind)
	}
	if in.Minutes <= 0 || in.Minutes > maxMinutes {
		problems = append(problems, ErrTrainingHours)
	}
	if in.Points < 0 || in.Points > maxPoints {
		problems = append(problems, ErrTrainingPoints)
	}
	if in.CostFt < 0 || in.CostFt > maxCostFt {
		problems = append(problems, ErrTrainingCost)
	}
	var list []string
	for _, item := range in.TargetList {
		if item = trim(item); item != "" && !slices.Contains(list, item) {
			list = append(list, item)
		}
	}
	in.TargetList = list
	switch in.Target {
	case TargetEveryone:
		in.TargetList = nil
	case TargetDepartments, TargetTitles, TargetRoles:
		if len(list) == 0 {
			problems = append(problems, ErrTargetEmpty)
		}
		for _, item := range list {
			switch {
			case !validLine(item, maxTitle):
				problems = append(problems, ErrAdminText)
			case in.Target == TargetRoles && !actor.IsRole(item):
				problems = append(problems, ErrTargetRole)
			case in.Target == TargetDepartments:
				if _, err := strconv.ParseUint(item, 10, 32); err != nil {
					problems = append(problems, ErrTargetDept)
				}
			}
		}
	default:
		problems = append(problems, ErrTargetKind)
	}
	if in.ValidMonths < 0 || in.ValidMonths > maxValidity {
		problems = append(problems, ErrValidityRange)
	} else if in.ValidMonths > 0 && !in.Certificate {
		problems = append(problems, ErrValidityNoCert)
	}
	if !in.DueBy.IsZero() {
		if !in.Mandatory {
			problems = append(problems, ErrDueByOptional)
		} else if in.DueBy.Year != year {
			problems = append(problems, ErrDueBy)
		}
	}
	return in, errors.Join(firstOfEach(problems)...)
}

// firstOfEach keeps the first of each error, so a form shows one message a field.
func firstOfEach(es []error) []error {
	var out []error
	for _, e := range es {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// checkDepartments refuses a department target naming a department that does not exist.
func checkDepartments(tx *gorm.DB, in TrainingInput) error {
	if in.Target != TargetDepartments || len(in.TargetList) == 0 {
		return nil
	}
	var n int64
	if err := tx.Model(&people.Department{}).Where("id IN ?", in.TargetList).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(in.TargetList) {
		return ErrTargetDept
	}
	return nil
}

// apply copies the input onto t.
func (in TrainingInput) apply(t *Training) {
	t.Code, t.TitleHU, t.TitleEN, t.Provider, t.Kind = in.Code, in.TitleHU, in.TitleEN, in.Provider, in.Kind
	t.Minutes, t.Points, t.Central, t.CostFt = in.Minutes, in.Points, in.Central, in.CostFt
	t.Target, t.TargetList = in.Target, strings.Join(in.TargetList, "\n")
	t.Certificate, t.ValidMonths, t.Mandatory, t.DueBy = in.Certificate, in.ValidMonths, in.Mandatory, in.DueBy
}

// InputOf is a stored training as an input, for its form.
func InputOf(t *Training) TrainingInput {
	return TrainingInput{Code: t.Code, TitleHU: t.TitleHU, TitleEN: t.TitleEN, Provider: t.Provider, Kind: t.Kind,
		Minutes: t.Minutes, Points: t.Points, Central: t.Central, CostFt: t.CostFt, Target: t.Target,
		TargetList: t.TargetItems(), Certificate: t.Certificate, ValidMonths: t.ValidMonths, Mandatory: t.Mandatory, DueBy: t.DueBy}
}

// lockedChanges are the fields whose change would rewrite a past year's
// completions (their code, hours, points, whether they count as central,
// their certificate), each a *LockedError naming the form field. Titles
// and the provider may still be corrected.
func lockedChanges(t *Training, in TrainingInput) []error {
	var out []error
	lock := func(changed bool, field string) {
		if changed {
			out = append(out, &LockedError{Field: field})
		}
	}
	lock(t.Code != in.Code, "code")
	lock(t.Minutes != in.Minutes, "hours")
	lock(t.Points != in.Points, "points")
	lock(t.Central != in.Central, "central")
	lock(t.Certificate != in.Certificate, "certificate")
	lock(t.ValidMonths != in.ValidMonths, "valid_months")
	return out
}

// isPast reports whether year is before the current one.
func (s *Service) isPast(year int) bool { return year < s.today().Year }

// CreateTraining adds a training to year's catalogue (started, this year or later).
func (s *Service) CreateTraining(ctx context.Context, a actor.Actor, year int, in TrainingInput) (*Training, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	in, err := in.check(year)
	if err != nil {
		return nil, err
	}
	var t Training
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := catalogueOf(tx, year); err != nil {
			return err
		}
		if s.isPast(year) {
			return ErrPastYearCreate
		}
		if err := checkDepartments(tx, in); err != nil {
			return err
		}
		if err := codeFree(tx, year, in.Code, 0); err != nil {
			return err
		}
		now := s.now()
		in.apply(&t)
		t.Year, t.Active, t.CreatedAt, t.UpdatedAt = year, true, now, now
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "training.training.create", TrainingEntity, t.ID, nil, &t)
	})
	if db.IsConstraint(err, "training_year_code") {
		return nil, ErrTrainingCodeTaken
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// codeFree refuses a code another training of the year has.
func codeFree(tx *gorm.DB, year int, code string, self uint) error {
	var n int64
	if err := tx.Model(&Training{}).Where("year = ? AND code = ? AND id <> ?", year, code, self).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrTrainingCodeTaken
	}
	return nil
}

// UpdateTraining changes a training. In a past year's catalogue only what
// does not rewrite completions may change (lockedChanges).
func (s *Service) UpdateTraining(ctx context.Context, a actor.Actor, id uint, in TrainingInput) (*Training, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	var t Training
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := db.ForUpdate(tx).Where("id = ?", id).Limit(1).Find(&t).Error; err != nil {
			return err
		}
		if t.ID == 0 {
			return ErrTrainingNotFound
		}
		var err error
		if in, err = in.check(t.Year); err != nil {
			return err
		}
		if s.isPast(t.Year) {
			if locked := lockedChanges(&t, in); len(locked) > 0 {
				return errors.Join(locked...)
			}
		}
		if err := checkDepartments(tx, in); err != nil {
			return err
		}
		if err := codeFree(tx, t.Year, in.Code, t.ID); err != nil {
			return err
		}
		before := t
		in.apply(&t)
		t.UpdatedAt = s.now()
		if err := tx.Model(&Training{}).Where("id = ?", id).Select("code", "title_hu", "title_en", "provider", "kind",
			"minutes", "points", "central", "cost_ft", "target", "target_list", "certificate", "valid_months",
			"mandatory", "due_by", "updated_at").Updates(&t).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "training.training.update", TrainingEntity, t.ID, &before, &t)
	})
	if db.IsConstraint(err, "training_year_code") {
		return nil, ErrTrainingCodeTaken
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// SetTrainingActive offers a training again or stops offering it; a
// training no longer offered keeps its sessions and completions.
func (s *Service) SetTrainingActive(ctx context.Context, a actor.Actor, id uint, active bool) error {
	if !isStaff(a) {
		return ErrNotHR
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Training{}).Where("id = ? AND active = ?", id, !active).
			Updates(map[string]any{"active": active, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&Training{}).Where("id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return ErrTrainingNotFound
			}
			return nil // already so
		}
		action := "training.training.retire"
		if active {
			action = "training.training.offer"
		}
		return audit.Record(tx, a, action, TrainingEntity, id,
			map[string]bool{"active": !active}, map[string]bool{"active": active})
	})
}

// AdminTraining is one training for HR's form.
func (s *Service) AdminTraining(ctx context.Context, a actor.Actor, id uint) (*Training, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	var t Training
	if err := s.db.R.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&t).Error; err != nil {
		return nil, err
	}
	if t.ID == 0 {
		return nil, ErrTrainingNotFound
	}
	return &t, nil
}

// TrainingFilter narrows a year's list: a kind, mandatory ("yes"/"no"),
// a text in the code, titles or provider.
type TrainingFilter struct {
	Kind      string
	Mandatory string
	Text      string
}

// TrainingRow is a training on the year's list, with its sessions.
type TrainingRow struct {
	Training
	Sessions int64 // scheduled or closed
}

// YearTrainings lists year's trainings by code, with the filter.
func (s *Service) YearTrainings(ctx context.Context, a actor.Actor, year int, f TrainingFilter) ([]TrainingRow, error) {
	if !isStaff(a) {
		return nil, ErrNotHR
	}
	q := s.db.R.WithContext(ctx).Table("training_trainings AS t").
		Select("t.*, (SELECT COUNT(*) FROM training_sessions x WHERE x.training_id = t.id AND x.status <> ?) AS sessions", SessionCancelled).
		Where("t.year = ?", year)
	if slices.Contains(Kinds, f.Kind) {
		q = q.Where("t.kind = ?", f.Kind)
	}
	switch f.Mandatory {
	case "yes":
		q = q.Where("t.mandatory = ?", true)
	case "no":
		q = q.Where("t.mandatory = ?", false)
	}
	if text := trim(f.Text); text != "" && validLine(text, maxTitle) {
		like := "%" + escapeAdminLike(strings.ToLower(text)) + "%"
		q = q.Where(`(LOWER(t.code) LIKE ? ESCAPE '\' OR LOWER(t.title_hu) LIKE ? ESCAPE '\' OR LOWER(t.title_en) LIKE ? ESCAPE '\' OR LOWER(t.provider) LIKE ? ESCAPE '\')`,
			like, like, like, like)
	}
	var rows []TrainingRow
	err := q.Order("t.active DESC, t.code").Scan(&rows).Error
	return rows, err
}

// escapeAdminLike escapes LIKE's wildcards in s (the escape is the backslash).
func escapeAdminLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
