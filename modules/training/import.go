package training

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// CompletionColumns are the columns of the past completions' CSV file. The
// header names each by its code or its head in either language
// (training.records.import.head.<code>), in any order and case:
//
//	person          username or e-mail address (required)
//	training        the training's code or title in the completion's year (required)
//	date            the day it was completed, 2024-03-05 or 2024.03.05. (required)
//	hours           its length; empty: the training's
//	points          the study points it earned; empty: the training's
//	certificate_no  the certificate's number, if any
//	valid_until     the day the certificate runs out; empty: the training's validity from the date
var CompletionColumns = []string{"person", "training", "date", "hours", "points", "certificate_no", "valid_until"}

var requiredCompletionColumns = []string{"person", "training", "date"}

// Limits of one import of past completions: ten years of a large city
// hall fit; a wrong file cannot tie up the server.
const (
	MaxCompletionImportBytes = 5 << 20
	MaxCompletionImportRows  = 50000
)

// ErrCompletionImportRejected means the file had problems and nothing changed.
var ErrCompletionImportRejected = errs.New(errs.Invalid, "training: import rejected")

// CompletionImportProblem is one rule one row broke (row 1 is the header).
type CompletionImportProblem struct {
	Row    int
	Column string // one of CompletionColumns; "" for the file or the row as a whole
	Key    string // catalog key of the message
	Value  string // the offending cell
}

// CompletionImportReport says what an import did, or why it did nothing.
type CompletionImportReport struct {
	Rows        int
	Completions int
	Trainings   int // trainings created from the file
	Problems    []CompletionImportProblem
}

// completionLine is one checked row.
type completionLine struct {
	row        int // the file's row, for its problems
	personID   uint
	training   *Training // nil: created from the file (newKey)
	newKey     string
	on         calendar.Date
	minutes    *int
	points     *int
	certNo     string
	validUntil calendar.Date
}

// ImportCompletions loads past completions from a CSV file (see
// CompletionColumns), HR only, all or nothing: every row is checked first
// and any problem refuses the whole file with each problem by its row and
// column; otherwise one transaction writes each row as a Completion
// (source import) with its ledger row. A training the file names that the
// year's catalogue does not hold is a problem, unless createUnknown: then it
// is created once in that year's catalogue (a draft catalogue is started
// when the year has none) as an internal, optional training named as the
// file names it, with the first row's hours and points. A row repeating a
// completion already recorded (or an earlier row) is a problem, so running
// the same file twice cannot count anything twice.
func (s *Service) ImportCompletions(ctx context.Context, a actor.Actor, file io.Reader, createUnknown bool) (CompletionImportReport, error) {
	var rep CompletionImportReport
	if !isStaff(a) {
		return rep, ErrRecordForbidden
	}
	lines, fresh, problems, err := s.parseCompletions(ctx, file, createUnknown)
	rep.Rows, rep.Problems = len(lines), problems
	if err != nil {
		return rep, err
	}
	if len(problems) > 0 {
		return rep, ErrCompletionImportRejected
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		created := map[string]*Training{}
		for _, key := range sortedTrainingKeys(fresh) {
			t := fresh[key]
			if err := importCatalogue(tx, t.Year, now); err != nil {
				return err
			}
			t.CreatedAt, t.UpdatedAt = now, now
			if err := tx.Select("*").Omit("id").Create(t).Error; err != nil {
				return err
			}
			if err := audit.Record(tx, a, "training.training.import", TrainingEntity, t.ID, nil, t); err != nil {
				return err
			}
			created[key] = t
			rep.Trainings++
		}
		for _, l := range lines {
			t := l.training
			if t == nil {
				t = created[l.newKey]
			}
			c := Completion{PersonID: l.personID, TrainingID: t.ID, CompletedOn: l.on, Minutes: t.Minutes, Points: t.Points,
				CertificateNo: l.certNo, ValidUntil: l.validUntil, Source: CompletionImport, RecordedByID: a.ID, CreatedAt: now}
			if l.minutes != nil {
				c.Minutes = *l.minutes
			}
			if l.points != nil {
				c.Points = *l.points
			}
			if c.ValidUntil.IsZero() {
				c.ValidUntil = defaultValidUntil(t, c.CompletedOn)
			}
			if err := writeCompletion(tx, a, "training.completion.import", &c, t); err != nil {
				return err
			}
			rep.Completions++
		}
		return nil
	})
	if err != nil {
		return CompletionImportReport{Rows: rep.Rows}, duplicateAsConflict(err)
	}
	return rep, nil
}

// importCatalogue starts a draft catalogue for year when there is none.
func importCatalogue(tx *gorm.DB, year int, now time.Time) error {
	var n int64
	if err := tx.Model(&Catalogue{}).Where("year = ?", year).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return tx.Create(&Catalogue{Year: year, Status: CatalogueDraft, CreatedAt: now, UpdatedAt: now}).Error
}

func sortedTrainingKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// completionImportHeads maps each column's code and its head in either language
// (lower case) to the code.
func (s *Service) completionImportHeads() map[string]string {
	out := map[string]string{}
	for _, c := range CompletionColumns {
		out[c] = c
		if s.cat != nil {
			for _, lang := range i18n.Langs {
				out[strings.ToLower(s.cat.T(lang, "training.records.import.head."+c))] = c
			}
		}
	}
	return out
}

// parseCompletions reads and checks the whole file, without writing: the
// rows, the trainings to create (by key), and every problem.
func (s *Service) parseCompletions(ctx context.Context, r io.Reader, createUnknown bool) ([]completionLine, map[string]*Training, []CompletionImportProblem, error) {
	const prefix = "training.records.import.err."
	records, comma, refused, err := web.ReadCSVFile(r, MaxCompletionImportBytes, MaxCompletionImportRows)
	if err != nil || refused != nil {
		if refused != nil {
			return nil, nil, []CompletionImportProblem{{Row: refused.Line, Key: prefix + refused.Reason, Value: refused.Detail}}, nil
		}
		return nil, nil, nil, err
	}
	heads := s.completionImportHeads()
	col, headProblems := web.ReadCSVHeader(records[0], func(h string) (string, bool) { c, ok := heads[h]; return c, ok }, requiredCompletionColumns)
	var problems []CompletionImportProblem
	for _, p := range headProblems {
		problems = append(problems, CompletionImportProblem{Row: 1, Column: p.Column, Key: prefix + p.Reason, Value: p.Value})
	}
	if len(problems) > 0 {
		return nil, nil, problems, nil
	}

	q := s.db.R.WithContext(ctx)
	var ppl []struct {
		ID              uint
		Username, Email string
	}
	if err := q.Table("people").Select("id, username, email").Scan(&ppl).Error; err != nil {
		return nil, nil, nil, err
	}
	personOf := make(map[string]uint, 2*len(ppl))
	for _, p := range ppl {
		personOf[strings.ToLower(p.Username)] = p.ID
		personOf[strings.ToLower(p.Email)] = p.ID
	}
	var trainings []Training
	if err := q.Find(&trainings).Error; err != nil {
		return nil, nil, nil, err
	}
	byName := map[string]*Training{} // "year|lower(code or title)"
	codes := map[string]bool{}       // "year|CODE" taken
	for i := range trainings {
		t := &trainings[i]
		codes[fmt.Sprint(t.Year, "|", strings.ToUpper(t.Code))] = true
		for _, name := range []string{t.TitleEN, t.TitleHU, t.Code} { // the code wins over a title
			if name != "" {
				byName[fmt.Sprint(t.Year, "|", strings.ToLower(name))] = t
			}
		}
	}

	today := s.today()
	fresh := map[string]*Training{}
	seen := map[string]int{} // person|training|day → first row
	var lines []completionLine
	var personIDs []uint
	for n, rec := range records[1:] {
		row := n + 2
		if web.BlankCSVRecord(rec) {
			continue
		}
		get := func(name string) string { return col.Cell(rec, name) }
		add := func(column, key string) {
			problems = append(problems, CompletionImportProblem{Row: row, Column: column, Key: prefix + key, Value: get(column)})
		}
		l := completionLine{row: row}
		if l.personID = personOf[strings.ToLower(get("person"))]; l.personID == 0 {
			add("person", "person")
		}
		l.on = completionDay(get("date"))
		switch {
		case l.on.IsZero():
			add("date", "date")
		case l.on.After(today):
			add("date", "future")
		}
		if v, ok := completionHours(get("hours"), comma == ','); !ok {
			add("hours", "hours")
		} else {
			l.minutes = v
		}
		if v := dropGroupSpaces(get("points")); v != "" {
			p, err := strconv.Atoi(v)
			if err != nil || p < 0 || p > maxPoints {
				add("points", "points")
			} else {
				l.points = &p
			}
		}
		if l.certNo = get("certificate_no"); !validLine(l.certNo, 100) {
			add("certificate_no", "text")
		}
		if v := get("valid_until"); v != "" {
			if l.validUntil = completionDay(v); l.validUntil.IsZero() {
				add("valid_until", "date")
			} else if !l.on.IsZero() && l.validUntil.Before(l.on) {
				add("valid_until", "valid_until")
			}
		}
		name := get("training")
		if !validLine(name, maxTitle) || name == "" {
			add("training", "training_name")
		} else if !l.on.IsZero() {
			key := fmt.Sprint(l.on.Year, "|", strings.ToLower(name))
			switch t := byName[key]; {
			case t != nil:
				l.training = t
			case createUnknown:
				if fresh[key] == nil {
					fresh[key] = newImportedTraining(l.on.Year, name, l, codes)
				}
				l.newKey = key
			default:
				add("training", "training")
			}
		}
		if l.personID != 0 && !l.on.IsZero() && (l.training != nil || l.newKey != "") {
			id := l.newKey
			if l.training != nil {
				id = strconv.FormatUint(uint64(l.training.ID), 10)
			}
			k := fmt.Sprint(l.personID, "|", id, "|", l.on)
			if first, dup := seen[k]; dup {
				problems = append(problems, CompletionImportProblem{Row: row, Key: prefix + "duplicate", Value: strconv.Itoa(first)})
			} else {
				seen[k] = row
			}
			personIDs = append(personIDs, l.personID)
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return nil, nil, []CompletionImportProblem{{Row: 1, Key: prefix + "empty"}}, nil
	}
	// A row recorded already, by an earlier import or a roster, is refused.
	recorded, err := recordedCompletions(q, personIDs)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, l := range lines {
		if l.training != nil && recorded[fmt.Sprint(l.personID, "|", l.training.ID, "|", l.on)] {
			problems = append(problems, CompletionImportProblem{Row: l.row, Key: prefix + "recorded"})
		}
	}
	slices.SortStableFunc(problems, func(a, b CompletionImportProblem) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return slices.Index(CompletionColumns, a.Column) - slices.Index(CompletionColumns, b.Column)
	})
	return lines, fresh, problems, nil
}

// recordedCompletions are the person|training|day keys already recorded
// for the people.
func recordedCompletions(q *gorm.DB, ids []uint) (map[string]bool, error) {
	out := map[string]bool{}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		var rows []struct {
			PersonID, TrainingID uint
			CompletedOn          calendar.Date
		}
		if err := q.Model(&Completion{}).Select("person_id, training_id, completed_on").Where("person_id IN ?", chunk).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[fmt.Sprint(r.PersonID, "|", r.TrainingID, "|", r.CompletedOn)] = true
		}
	}
	return out, nil
}

// codeLike is a cell that reads as a training code rather than a title.
var codeLike = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$`)

// newImportedTraining is a training named by a file row: internal,
// optional, in the row's year; a code-like name is its code, a title gets
// a code of its own not taken in the year (codes records what is taken).
func newImportedTraining(year int, name string, l completionLine, codes map[string]bool) *Training {
	t := &Training{Year: year, TitleHU: name, Kind: KindClassroom, Target: TargetEveryone, Active: true,
		Certificate: l.certNo != "" || !l.validUntil.IsZero()}
	if l.minutes != nil {
		t.Minutes = *l.minutes
	}
	if l.points != nil {
		t.Points = *l.points
	}
	code := strings.ToUpper(name)
	if !codeLike.MatchString(name) {
		h := fnv.New32a()
		h.Write([]byte(strings.ToLower(name)))
		code = fmt.Sprintf("IMP-%08X", h.Sum32())
	}
	for i := 2; codes[fmt.Sprint(year, "|", code)]; i++ {
		code = fmt.Sprintf("%s-%d", strings.TrimSuffix(code, fmt.Sprintf("-%d", i-1)), i)
	}
	codes[fmt.Sprint(year, "|", code)] = true
	t.Code = code
	return t
}

// completionDay reads 2024-03-05 or the Hungarian 2024.03.05. (spaces allowed).
func completionDay(s string) calendar.Date {
	s = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(s), " ", ""), ".")
	d, err := calendar.ParseDate(strings.ReplaceAll(s, ".", "-"))
	if err != nil {
		return calendar.Date{}
	}
	return d
}

// completionHours reads hours as minutes: empty is nil (the training's); a
// decimal comma is taken except in a comma-separated file, where it cannot
// be told from a thousands separator.
func completionHours(s string, commaFile bool) (*int, bool) {
	s = dropGroupSpaces(s)
	if s == "" {
		return nil, true
	}
	if commaFile && strings.Contains(s, ",") {
		return nil, false
	}
	h, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || h < 0 || math.IsNaN(h) || h*60 > maxMinutes {
		return nil, false
	}
	m := int(math.Round(h * 60))
	return &m, true
}

// dropGroupSpaces drops the spaces (also no-break ones) spreadsheets put between digit groups.
func dropGroupSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
}
