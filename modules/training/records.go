package training

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// The records' refusals. Those a form can place go next to their field
// (recordFields in handler_roster_record.go and handler_completion_create.go).
var (
	ErrRecordNotFound  = errs.New(errs.NotFound, "training: not found")
	ErrRecordForbidden = errs.New(errs.Forbidden, "training: not allowed")
	ErrRosterClosed    = errs.New(errs.Conflict, "training: the session's roster is already recorded or the session was cancelled")
	ErrRosterEarly     = errs.New(errs.Invalid, "training: the session has not ended yet")
	ErrOutcome         = errs.New(errs.Invalid, "training: choose an outcome")
	ErrScore           = errs.New(errs.Invalid, "training: the score must be 0 to 100")
	ErrCertificateNo   = errs.New(errs.Invalid, "training: the certificate number is too long or not on one line")
	ErrValidUntil      = errs.New(errs.Invalid, "training: valid until is before the day of completion")
	ErrNotCompleted    = errs.New(errs.Invalid, "training: only a completed training has a certificate")
	ErrCompletedOn     = errs.New(errs.Invalid, "training: the day of completion is missing or in the future")
	ErrPerson          = errs.New(errs.Invalid, "training: choose a person")
	ErrTraining        = errs.New(errs.Invalid, "training: choose a training")
	ErrMinutes         = errs.New(errs.Invalid, "training: the hours are out of range")
	ErrPoints          = errs.New(errs.Invalid, "training: the points are out of range")
	ErrDuplicate       = errs.New(errs.Conflict, "training: this completion is already recorded")
)

// maxScore is the top of a score (a percentage).
const maxScore = 100

// RosterLine is what the roster records of one enrolled person.
type RosterLine struct {
	EnrolmentID   uint
	Outcome       string
	Score         *int
	CertificateNo string
	ValidUntil    calendar.Date // zero: the training's default
	File          *web.Upload
}

// LineProblem is a refusal of one roster line's field (Line indexes the
// lines as given).
type LineProblem struct {
	Line  int
	Field string // outcome, score, certificate_no, valid_until, file
	Err   error
}

// RosterError lists every problem of a roster; nothing was recorded.
type RosterError struct{ Problems []LineProblem }

func (e *RosterError) Error() string {
	return "training: the roster has " + strconv.Itoa(len(e.Problems)) + " problems"
}

// Is makes a RosterError an invalid input.
func (e *RosterError) Is(target error) bool { return target == errs.Invalid }

// RosterView is a session's roster: the session, its training, and each
// enrolled person with what was recorded.
type RosterView struct {
	Session   Session
	Training  Training
	Lines     []RosterRow
	MayRecord bool // the roster is still open
	// Early: the session has not ended yet, so its roster cannot be recorded today.
	Early bool
	// Default is the valid-until a completion on the session's last day gets.
	Default calendar.Date
}

// RosterRow is one person on the roster.
type RosterRow struct {
	Enrolment  Enrolment
	Name       string
	Completion *Completion
}

// mayKeepRoster reports whether a records the session's roster: HR or the
// session's own trainer.
func mayKeepRoster(a actor.Actor, sess *Session) bool {
	return isStaff(a) || (a.ID != 0 && sess.TrainerID != nil && *sess.TrainerID == a.ID)
}

// rosterSession reads a session and its training through q.
func rosterSession(q *gorm.DB, id uint) (*Session, *Training, error) {
	var sess Session
	if err := q.Where("id = ?", id).Limit(1).Find(&sess).Error; err != nil {
		return nil, nil, err
	}
	if sess.ID == 0 {
		return nil, nil, ErrRecordNotFound
	}
	var t Training
	if err := q.Where("id = ?", sess.TrainingID).Limit(1).Find(&t).Error; err != nil {
		return nil, nil, err
	}
	if t.ID == 0 {
		return nil, nil, ErrRecordNotFound
	}
	return &sess, &t, nil
}

// Roster is the session's roster for HR or its trainer; anyone else gets
// not found.
func (s *Service) Roster(ctx context.Context, a actor.Actor, sessionID uint) (*RosterView, error) {
	q := s.db.R.WithContext(ctx)
	sess, t, err := rosterSession(q, sessionID)
	if err != nil {
		return nil, err
	}
	if !mayKeepRoster(a, sess) {
		return nil, ErrRecordNotFound
	}
	var ens []Enrolment
	if err := q.Where("session_id = ? AND status IN ?", sessionID, []string{EnrolEnrolled, EnrolDone}).Order("id").Find(&ens).Error; err != nil {
		return nil, err
	}
	ids := make([]uint, len(ens))
	for i, e := range ens {
		ids[i] = e.PersonID
	}
	names, err := people.NamesOf(q, ids)
	if err != nil {
		return nil, err
	}
	var comps []Completion
	if err := q.Where("session_id = ?", sessionID).Find(&comps).Error; err != nil {
		return nil, err
	}
	byEnrolment := map[uint]*Completion{}
	for i := range comps {
		if comps[i].EnrolmentID != nil {
			byEnrolment[*comps[i].EnrolmentID] = &comps[i]
		}
	}
	v := &RosterView{Session: *sess, Training: *t, MayRecord: sess.Status == SessionScheduled, Early: s.rosterEarly(sess),
		Default: defaultValidUntil(t, sess.LastDay)}
	for _, e := range ens {
		v.Lines = append(v.Lines, RosterRow{Enrolment: e, Name: names[e.PersonID], Completion: byEnrolment[e.ID]})
	}
	slices.SortStableFunc(v.Lines, func(x, y RosterRow) int { return db.NewNameCollator().CompareString(x.Name, y.Name) })
	return v, nil
}

// defaultValidUntil is the valid-until of a certificate earned on day: the
// training's validity from that day; zero when it gives no certificate or
// one valid for ever.
func defaultValidUntil(t *Training, day calendar.Date) calendar.Date {
	if !t.Certificate || t.ValidMonths <= 0 || day.IsZero() {
		return calendar.Date{}
	}
	return AddMonths(day, t.ValidMonths)
}

// AddMonths is day n months later, on the month's last day when the day is
// past it (31 January + 1 month is 28 or 29 February, not 3 March).
func AddMonths(day calendar.Date, n int) calendar.Date {
	first := calendar.NewDate(day.Year, day.Month+time.Month(n), 1)
	last := calendar.NewDate(first.Year, first.Month+1, 1).AddDays(-1)
	return calendar.NewDate(first.Year, first.Month, min(day.Day, last.Day))
}

// checkCertificateFields checks a completion's score, certificate number,
// valid-until and file, and for an outcome other than completed that it
// carries no certificate; add collects each problem by its field.
func checkCertificateFields(completed bool, score *int, no string, validUntil, on calendar.Date, file *web.Upload, add func(field string, err error)) {
	if score != nil && (*score < 0 || *score > maxScore) {
		add("score", ErrScore)
	}
	if !validLine(no, 100) {
		add("certificate_no", ErrCertificateNo)
	}
	if !validUntil.IsZero() && validUntil.Before(on) {
		add("valid_until", ErrValidUntil)
	}
	if !completed {
		if no != "" {
			add("certificate_no", ErrNotCompleted)
		}
		if !validUntil.IsZero() {
			add("valid_until", ErrNotCompleted)
		}
		if file != nil {
			add("file", ErrNotCompleted)
		}
	}
	if file != nil {
		if _, err := certificateRule.Check(file); err != nil {
			add("file", err)
		}
	}
}

// RecordRoster records the outcome of everyone enrolled on a session at
// once (HR or the session's trainer), in one transaction: each enrolment
// is done with its outcome, a completed one writes its Completion (the
// training's minutes and points, its own valid-until, defaulted from the
// training) and its ledger row, and the session is closed. Every enrolled
// person needs a line; any problem refuses the whole roster.
func (s *Service) RecordRoster(ctx context.Context, a actor.Actor, sessionID uint, lines []RosterLine) error {
	var mails []completionMail
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		sess, t, err := rosterSession(tx, sessionID)
		if err != nil {
			return err
		}
		if !mayKeepRoster(a, sess) {
			return ErrRecordNotFound
		}
		if sess.Status != SessionScheduled {
			return ErrRosterClosed
		}
		if s.rosterEarly(sess) {
			return ErrRosterEarly
		}
		var ens []Enrolment
		if err := tx.Where("session_id = ? AND status = ?", sessionID, EnrolEnrolled).Order("id").Find(&ens).Error; err != nil {
			return err
		}
		byID := make(map[uint]Enrolment, len(ens))
		for _, e := range ens {
			byID[e.ID] = e
		}
		var problems []LineProblem
		seen := map[uint]bool{}
		for i, l := range lines {
			if _, ok := byID[l.EnrolmentID]; !ok || seen[l.EnrolmentID] {
				return ErrRecordNotFound // a line for someone not on this roster is a forged form
			}
			seen[l.EnrolmentID] = true
			add := func(field string, err error) {
				problems = append(problems, LineProblem{Line: i, Field: field, Err: err})
			}
			if !slices.Contains(Outcomes, l.Outcome) {
				add("outcome", ErrOutcome)
			}
			checkCertificateFields(l.Outcome == OutcomeCompleted, l.Score, l.CertificateNo, l.ValidUntil, sess.LastDay, l.File, add)
		}
		if len(seen) != len(ens) {
			return ErrRosterChanged
		}
		if len(problems) > 0 {
			return &RosterError{Problems: problems}
		}
		now := s.now()
		for _, l := range lines {
			e := byID[l.EnrolmentID]
			if err := history.Move(tx, a, history.Transition{Entity: EnrolmentEntity, Model: &Enrolment{}, ID: e.ID,
				From: []string{EnrolEnrolled}, To: EnrolDone, Set: map[string]any{"outcome": l.Outcome},
				Audit: "training.enrolment.done", Action: "done", At: now,
				Before: map[string]string{"status": EnrolEnrolled}, After: map[string]string{"status": EnrolDone, "outcome": l.Outcome}}); err != nil {
				return err
			}
			if l.Outcome != OutcomeCompleted {
				continue
			}
			eid, sid := e.ID, sess.ID
			c := Completion{PersonID: e.PersonID, TrainingID: t.ID, SessionID: &sid, EnrolmentID: &eid,
				CompletedOn: sess.LastDay, Minutes: t.Minutes, Points: t.Points, Score: l.Score,
				CertificateNo: trim(l.CertificateNo), ValidUntil: l.ValidUntil, Source: CompletionRoster,
				RecordedByID: a.ID, CreatedAt: now}
			if c.ValidUntil.IsZero() {
				c.ValidUntil = defaultValidUntil(t, c.CompletedOn)
			}
			if err := writeCompletion(tx, a, "training.completion.roster", &c, t); err != nil {
				return err
			}
			if l.File != nil {
				if err := s.storeCertificate(tx, a, c.ID, l.File); err != nil {
					return err
				}
			}
			mails = append(mails, completionMail{c: c, t: *t})
		}
		if err := history.Move(tx, a, history.Transition{Entity: SessionEntity, Model: &Session{}, ID: sess.ID,
			From: []string{SessionScheduled}, To: SessionClosed, Audit: "training.session.close", Action: "close", At: now}); err != nil {
			return err
		}
		return s.mailCompletions(tx, mails)
	})
	if errors.Is(err, history.ErrStateChanged) {
		return ErrRosterChanged
	}
	return duplicateAsConflict(err)
}

// ErrRosterChanged means someone enrolled, cancelled or recorded since the
// roster was shown: it is shown again.
var ErrRosterChanged = errs.New(errs.Conflict, "training: the roster changed meanwhile")

// CompletionInput is a completion HR records on behalf of someone: an
// outside course, with or without a certificate. Minutes and Points nil
// take the training's.
type CompletionInput struct {
	PersonID      uint
	TrainingID    uint
	CompletedOn   calendar.Date
	Minutes       *int
	Points        *int
	Score         *int
	CertificateNo string
	ValidUntil    calendar.Date // zero: the training's default
	File          *web.Upload
}

// FieldProblems lists the refusals of a form by field; nothing was recorded.
type FieldProblems struct{ Problems []LineProblem }

func (e *FieldProblems) Error() string { return "training: the form has problems" }

// Is makes FieldProblems an invalid input.
func (e *FieldProblems) Is(target error) bool { return target == errs.Invalid }

// Unwrap gives each problem's error, for web.FieldErrors.
func (e *FieldProblems) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Err
	}
	return out
}

// RecordOnBehalf records a completion without an enrolment (HR only): the
// only way there is to record one, so a roster never gains a completion
// for someone who was not on it.
func (s *Service) RecordOnBehalf(ctx context.Context, a actor.Actor, in CompletionInput) (*Completion, error) {
	if !isStaff(a) {
		return nil, ErrRecordForbidden
	}
	in.CertificateNo = trim(in.CertificateNo)
	var c Completion
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var problems []LineProblem
		add := func(field string, err error) { problems = append(problems, LineProblem{Field: field, Err: err}) }
		var p people.Person
		if in.PersonID != 0 {
			if err := tx.Select("id").Where("id = ?", in.PersonID).Limit(1).Find(&p).Error; err != nil {
				return err
			}
		}
		if p.ID == 0 {
			add("person", ErrPerson)
		}
		var t Training
		if in.TrainingID != 0 {
			if err := tx.Where("id = ?", in.TrainingID).Limit(1).Find(&t).Error; err != nil {
				return err
			}
		}
		if t.ID == 0 {
			add("training", ErrTraining)
		}
		if in.CompletedOn.IsZero() || in.CompletedOn.After(s.today()) {
			add("completed_on", ErrCompletedOn)
		}
		if in.Minutes != nil && (*in.Minutes < 0 || *in.Minutes > maxMinutes) {
			add("hours", ErrMinutes)
		}
		if in.Points != nil && (*in.Points < 0 || *in.Points > maxPoints) {
			add("points", ErrPoints)
		}
		checkCertificateFields(true, in.Score, in.CertificateNo, in.ValidUntil, in.CompletedOn, in.File, add)
		if len(problems) > 0 {
			return &FieldProblems{Problems: problems}
		}
		var dup int64
		if err := tx.Model(&Completion{}).Where("person_id = ? AND training_id = ? AND completed_on = ?", p.ID, t.ID, in.CompletedOn).Count(&dup).Error; err != nil {
			return err
		}
		if dup > 0 {
			return ErrDuplicate
		}
		c = Completion{PersonID: p.ID, TrainingID: t.ID, CompletedOn: in.CompletedOn, Minutes: t.Minutes, Points: t.Points,
			Score: in.Score, CertificateNo: in.CertificateNo, ValidUntil: in.ValidUntil, Source: CompletionRecord,
			RecordedByID: a.ID, CreatedAt: s.now()}
		if in.Minutes != nil {
			c.Minutes = *in.Minutes
		}
		if in.Points != nil {
			c.Points = *in.Points
		}
		if c.ValidUntil.IsZero() {
			c.ValidUntil = defaultValidUntil(&t, c.CompletedOn)
		}
		if err := writeCompletion(tx, a, "training.completion.record", &c, &t); err != nil {
			return err
		}
		if in.File != nil {
			if err := s.storeCertificate(tx, a, c.ID, in.File); err != nil {
				return err
			}
		}
		return s.mailCompletions(tx, []completionMail{{c: c, t: t}})
	})
	if err != nil {
		return nil, duplicateAsConflict(err)
	}
	return &c, nil
}

// completionMail is a recorded completion to tell its person about.
type completionMail struct {
	c Completion
	t Training
}

// mailCompletions tells each person, in tx and their own language, that a
// completion was recorded for them (and until when its certificate holds).
func (s *Service) mailCompletions(tx *gorm.DB, ms []completionMail) error {
	if s.deps.Outbox == nil || s.cat == nil || len(ms) == 0 {
		return nil
	}
	lang := "hu"
	if s.deps.Cfg != nil {
		lang = s.deps.Cfg.Lang
	}
	for _, m := range ms {
		r, err := people.RecipientOf(tx, lang, m.c.PersonID)
		if err != nil {
			return err
		}
		if !r.Mailable() {
			continue
		}
		title := m.t.Title(r.Lang)
		lines := []string{s.cat.T(r.Lang, "training.records.mail.done_line", "Title", title,
			"Day", mailDay(r.Lang, m.c.CompletedOn), "Points", m.c.Points)}
		if !m.c.ValidUntil.IsZero() {
			lines = append(lines, s.cat.T(r.Lang, "training.records.mail.valid_line", "Day", mailDay(r.Lang, m.c.ValidUntil)))
		}
		err = s.deps.Outbox.Enqueue(tx, notify.Message{Key: "training/completion/" + strconv.FormatUint(uint64(m.c.ID), 10),
			To: r.Email, ToName: r.Name, Lang: r.Lang, Template: "generic", Reason: "training.records.mail.reason",
			Data: notify.Generic{Title: s.cat.T(r.Lang, "training.records.mail.done_title", "Title", title), Lines: lines,
				ActionURL: "/training", ActionLabel: s.cat.T(r.Lang, "training.records.mail.action")}})
		if err != nil {
			return err
		}
	}
	return nil
}

// mailDay is a day as a mail in lang writes it.
func mailDay(lang string, d calendar.Date) string {
	return i18n.FormatDate(lang, d.Year, d.Month, d.Day)
}

// rosterEarly reports whether sess has not ended yet: its completions are
// dated its last day, never ahead of today, so its roster waits till then.
func (s *Service) rosterEarly(sess *Session) bool { return s.today().Before(sess.LastDay) }
