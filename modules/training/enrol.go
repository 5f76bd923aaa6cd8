package training

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Errors of requests, enrolments and plans; the forms put them by their
// fields (enrolFields in handler_enrol_request.go).
var (
	ErrSignedOut = errs.New(errs.Forbidden, "training: sign in first")
	// ErrNotOffered is a training that is not in a published catalogue of
	// this year (or next year), or no longer active in it.
	ErrNotOffered           = errs.New(errs.NotFound, "training: the training is not in this year's catalogue")
	ErrNotForYou            = errs.New(errs.Forbidden, "training: the training's target group does not take you in")
	ErrSessionNotOfTraining = errs.New(errs.Invalid, "training: the session is not one of the training's")
	ErrSessionStarted       = errs.New(errs.Conflict, "training: the session has started or is cancelled")
	ErrReasonRequired       = errs.New(errs.Invalid, "training: a request outside the plan needs a reason")
	ErrReasonText           = errs.New(errs.Invalid, "training: the reason is too long or holds control characters")
	ErrAlreadyEnrolled      = errs.New(errs.Conflict, "training: you already have a request or a place for this training")
	ErrNoApprover           = errs.New(errs.Invalid, "training: you have no manager to approve the request")
	ErrNoApproval           = errs.New(errs.Invalid, "training: approvals are not available")
	ErrEnrolNotFound        = errs.New(errs.NotFound, "training: no such enrolment")
	ErrNotCancellable       = errs.New(errs.Conflict, "training: the enrolment can no longer be cancelled")
	ErrEnrolNotYours        = errs.New(errs.Forbidden, "training: only the person or HR cancels an enrolment")
	ErrPlanNotFound         = errs.New(errs.NotFound, "training: no such plan")
	ErrPlanLocked           = errs.New(errs.Conflict, "training: the plan is submitted or approved and cannot change")
	ErrPlanEmpty            = errs.New(errs.Invalid, "training: the plan has no trainings")
	ErrPlanTraining         = errs.New(errs.Invalid, "training: a training of the plan is not in that year's catalogue")
	ErrPlanYear             = errs.New(errs.Invalid, "training: plans are made for a year whose catalogue is published")
	ErrPlanTooManyItems     = errs.New(errs.Invalid, "training: too many trainings in one plan")
)

// Approval kinds.
const (
	KindRequest = "training.request"
	KindPlan    = "training.plan"
)

// maxPlanItems bounds a plan (a crafted form cannot post thousands).
const maxPlanItems = 60

// EnrolInput is a person's request for a training, on one of its sessions
// (SessionID 0: none, e.g. e-learning), with the reason a request outside
// the plan needs.
type EnrolInput struct {
	TrainingID uint
	SessionID  uint
	Reason     string
}

// RequestTraining is a asking for a training. A training in a's approved
// plan for its year, or a mandatory one whose target group covers a, is
// booked without asking: straight to a seat or the waiting list. Any other
// needs a reason and goes to a's manager through the approval engine.
func (s *Service) RequestTraining(ctx context.Context, a actor.Actor, in EnrolInput) (*Enrolment, error) {
	if a.ID == 0 {
		return nil, ErrSignedOut
	}
	reason := trim(in.Reason)
	var e *Enrolment
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		o, err := s.offerFor(ctx, tx, a.ID, in.TrainingID, in.SessionID)
		if err != nil {
			return err
		}
		var problems []error
		if o.Source == SourceRequest {
			switch {
			case !web.ValidText(reason, maxReason):
				problems = append(problems, ErrReasonText)
			case reason == "":
				problems = append(problems, ErrReasonRequired)
			}
		} else if !web.ValidText(reason, maxReason) {
			problems = append(problems, ErrReasonText)
		}
		if o.Current != nil {
			problems = append(problems, ErrAlreadyEnrolled)
		}
		if len(problems) > 0 {
			return errors.Join(problems...)
		}
		now := s.now()
		e = &Enrolment{TrainingID: o.Training.ID, PersonID: a.ID, Status: EnrolPending, Source: o.Source, Reason: reason, CreatedAt: now, UpdatedAt: now}
		if o.Session != nil {
			id := o.Session.ID
			e.SessionID = &id
		}
		if err := tx.Create(e).Error; err != nil {
			if db.IsConstraint(err, ConstraintEnrolOnce) {
				return ErrAlreadyEnrolled
			}
			return err
		}
		if err := audit.Record(tx, a, "training.enrolment.request", EnrolmentEntity, e.ID, nil, enrolAudit(e)); err != nil {
			return err
		}
		if o.Source != SourceRequest {
			return s.place(ctx, tx, a, e, o.Training, o.Session)
		}
		return s.submitRequest(ctx, tx, a, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// submitRequest sends pending enrolment e of a to a's manager.
func (s *Service) submitRequest(ctx context.Context, tx *gorm.DB, a actor.Actor, e *Enrolment) error {
	if s.deps.Approval == nil {
		return ErrNoApproval
	}
	approvers, err := s.approversOf(ctx, tx, a.ID)
	if err != nil {
		return err
	}
	req, err := s.deps.Approval.Submit(ctx, tx, KindRequest, web.FormatID(e.ID), a, approvers)
	if err != nil {
		return err
	}
	e.ApprovalID = &req.ID
	if err := tx.Model(&Enrolment{}).Where("id = ?", e.ID).Update("approval_id", req.ID).Error; err != nil {
		return err
	}
	return history.Note(tx, a, history.Entry{Entity: EnrolmentEntity, EntityID: e.ID, At: s.now(), Action: "submitted"})
}

// approversOf is who approves person id's requests and plan: their
// manager (people.ManagerOf), never themselves.
func (s *Service) approversOf(ctx context.Context, tx *gorm.DB, id uint) ([]uint, error) {
	if s.deps.People == nil {
		return nil, ErrNoApprover
	}
	ctx = db.WithTx(ctx, tx)
	p, err := s.deps.People.Person(ctx, id)
	if err != nil {
		return nil, err
	}
	m, err := s.deps.People.ManagerOf(ctx, p)
	if err != nil && !errors.Is(err, people.ErrNotFound) {
		return nil, err
	}
	if m == nil || !m.Active || m.ID == id {
		return nil, ErrNoApprover
	}
	return []uint{m.ID}, nil
}

// Offer is what a person's request for a training would be: the training,
// the session asked for (nil: none), how it would be booked (Source: plan
// and mandatory need no approval) and the person's current place with the
// training, if any.
type Offer struct {
	Training *Training
	Session  *Session
	Sessions []SessionOffer // the training's sessions still open to requests
	Source   string
	Current  *Enrolment
}

// NoApproval reports whether the offer is booked without asking.
func (o *Offer) NoApproval() bool { return o.Source != SourceRequest }

// Cost writes the training's cost per person in lang.
func (o *Offer) Cost(lang string) string { return forintsIn(lang, o.Training.CostFt) }

// Hours writes the training's length in hours in lang.
func (o *Offer) Hours(lang string) string {
	return i18n.FormatFigure(lang, float64(o.Training.Minutes)/60)
}

// OfferFor is the request form's facts for a: training id on session
// sessionID (0: none chosen yet, or none), refused like the request would be.
func (s *Service) OfferFor(ctx context.Context, a actor.Actor, trainingID, sessionID uint) (*Offer, error) {
	if a.ID == 0 {
		return nil, ErrSignedOut
	}
	o, err := s.offerFor(ctx, s.db.R.WithContext(ctx), a.ID, trainingID, sessionID)
	if err != nil {
		return nil, err
	}
	return o, s.showOfferRooms(ctx, o.Sessions)
}

// offerFor checks, through q, that training id is offered to person
// personID now and sessionID (if any) is one of its open sessions.
func (s *Service) offerFor(ctx context.Context, q *gorm.DB, personID, trainingID, sessionID uint) (*Offer, error) {
	t, err := s.offeredTraining(q, trainingID)
	if err != nil {
		return nil, err
	}
	p, roles, err := s.personOf(ctx, q, personID)
	if err != nil {
		return nil, err
	}
	if !t.Covers(p, roles) {
		return nil, ErrNotForYou
	}
	o := &Offer{Training: t, Source: SourceRequest}
	open, err := s.openSessions(q, []uint{t.ID})
	if err != nil {
		return nil, err
	}
	for _, sess := range open {
		o.Sessions = append(o.Sessions, SessionOffer{Session: sess, Left: sess.Seats - sess.Enrolled})
	}
	if sessionID != 0 {
		var sess Session
		if err := q.Limit(1).Find(&sess, sessionID).Error; err != nil {
			return nil, err
		}
		switch {
		case sess.ID == 0 || sess.TrainingID != t.ID:
			return nil, ErrSessionNotOfTraining
		case sess.Status != SessionScheduled || s.started(&sess):
			return nil, ErrSessionStarted
		}
		o.Session = &sess
	}
	inPlan, err := inApprovedPlan(q, personID, t)
	if err != nil {
		return nil, err
	}
	switch {
	case inPlan:
		o.Source = SourcePlan
	case t.Mandatory:
		o.Source = SourceMandatory // Covers above: the person is in its target group
	}
	var cur Enrolment
	if err := q.Where("training_id = ? AND person_id = ? AND status IN ?", t.ID, personID, ActiveEnrolment).Limit(1).Find(&cur).Error; err != nil {
		return nil, err
	}
	if cur.ID != 0 {
		o.Current = &cur
	}
	return o, nil
}

// offeredTraining is training id when it is active in a published
// catalogue of this year or the next.
func (s *Service) offeredTraining(q *gorm.DB, id uint) (*Training, error) {
	var t Training
	if err := q.Limit(1).Find(&t, id).Error; err != nil {
		return nil, err
	}
	if t.ID == 0 {
		return nil, ErrTrainingNotFound
	}
	years, err := s.offeredYears(q)
	if err != nil {
		return nil, err
	}
	if !t.Active || !containsInt(years, t.Year) {
		return nil, ErrNotOffered
	}
	return &t, nil
}

// offeredYears are the years whose published catalogue staff choose from:
// this year's, and next year's once published.
func (s *Service) offeredYears(q *gorm.DB) ([]int, error) {
	y := s.today().Year
	var years []int
	err := q.Model(&Catalogue{}).Where("year IN ? AND status = ?", []int{y, y + 1}, CataloguePublished).
		Order("year").Pluck("year", &years).Error
	return years, err
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

// personOf is person id with their roles, read through q.
func (s *Service) personOf(ctx context.Context, q *gorm.DB, id uint) (*people.Person, []string, error) {
	var p people.Person
	if err := q.Preload("Roles").Limit(1).Find(&p, id).Error; err != nil {
		return nil, nil, err
	}
	if p.ID == 0 {
		return nil, nil, ErrSignedOut
	}
	return &p, p.RoleNames(), nil
}

// inApprovedPlan reports whether t is in the person's approved plan for t's year.
func inApprovedPlan(q *gorm.DB, personID uint, t *Training) (bool, error) {
	var n int64
	err := q.Table("training_plan_items AS i").Joins("JOIN training_plans AS p ON p.id = i.plan_id").
		Where("p.person_id = ? AND p.year = ? AND p.status = ? AND i.training_id = ?", personID, t.Year, PlanApproved, t.ID).
		Count(&n).Error
	return n > 0, err
}

// openSessions are the scheduled sessions of the trainings not started yet,
// first first.
func (s *Service) openSessions(q *gorm.DB, trainingIDs []uint) ([]Session, error) {
	var out []Session
	if len(trainingIDs) == 0 {
		return out, nil
	}
	err := q.Where("training_id IN ? AND status = ? AND first_day >= ?", trainingIDs, SessionScheduled, s.today()).
		Order("first_day, from_min, id").Find(&out).Error
	if err != nil {
		return nil, err
	}
	open := out[:0]
	for i := range out {
		if !s.started(&out[i]) {
			open = append(open, out[i])
		}
	}
	return open, nil
}

// started reports whether sess's first day has begun its hours by now.
func (s *Service) started(sess *Session) bool {
	today := s.today()
	if sess.FirstDay.After(today) {
		return false
	}
	if sess.FirstDay.Before(today) {
		return true
	}
	start, err := calendar.At(sess.FirstDay, sess.FromMin/60, sess.FromMin%60, s.deps.Cfg.TZ)
	return err != nil || !s.now().Before(start)
}

// place books enrolment e (new or just approved) of training t: a seat of
// session sess by one guarded update, or with the session full its waiting
// list from now; without a session it is simply approved. The person gets
// a mail saying which.
func (s *Service) place(ctx context.Context, tx *gorm.DB, a actor.Actor, e *Enrolment, t *Training, sess *Session) error {
	to, set := EnrolApproved, map[string]any{}
	if sess != nil {
		seated, err := takeSeat(tx, sess.ID)
		if err != nil {
			return err
		}
		if seated {
			to = EnrolEnrolled
		} else {
			now := s.now()
			to, set["waiting_since"] = EnrolWaiting, now
			e.WaitingSince = &now
		}
	}
	err := history.Move(tx, a, history.Transition{Entity: EnrolmentEntity, Model: &Enrolment{}, ID: e.ID,
		From: []string{EnrolPending}, To: to, Set: set, Audit: "training.enrolment." + to, Action: to, At: s.now()})
	if err != nil {
		return err
	}
	e.Status = to
	return s.mailPlaced(tx, e, t, sess)
}

// takeSeat takes one seat of session id if one is free, by one guarded
// update, so concurrent requests can never pass the seats.
func takeSeat(tx *gorm.DB, id uint) (bool, error) {
	res := tx.Exec(`UPDATE training_sessions SET enrolled = enrolled + 1 WHERE id = ? AND status = 'scheduled' AND enrolled < seats`, id)
	return res.RowsAffected == 1, res.Error
}

// freeSeat gives a seat of session id back.
func freeSeat(tx *gorm.DB, id uint) error {
	return tx.Exec(`UPDATE training_sessions SET enrolled = enrolled - 1 WHERE id = ? AND enrolled > 0`, id).Error
}

// lockEnrolment reads enrolment id for update.
func (s *Service) lockEnrolment(tx *gorm.DB, id uint) (*Enrolment, error) {
	q := db.ForUpdate(tx)
	var e Enrolment
	if err := q.Limit(1).Find(&e, id).Error; err != nil {
		return nil, err
	}
	if e.ID == 0 {
		return nil, ErrEnrolNotFound
	}
	return &e, nil
}

// CancelEnrolment is the person (or HR) giving up enrolment id before its
// session starts: a pending request's approval is withdrawn, a held seat
// goes to the first waiting (FIFO by waiting_since, id), who is mailed,
// all in one transaction.
func (s *Service) CancelEnrolment(ctx context.Context, a actor.Actor, id uint) error {
	if a.ID == 0 {
		return ErrSignedOut
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var peek Enrolment
		if err := tx.Limit(1).Find(&peek, id).Error; err != nil {
			return err
		}
		if err := s.mayCancel(ctx, tx, a, &peek); err != nil {
			return err
		}
		// Lock order: the engine's request row first, as its callbacks do.
		if peek.Status == EnrolPending && peek.ApprovalID != nil && s.deps.Approval != nil {
			err := s.deps.Approval.Withdraw(ctx, tx, actor.System(), *peek.ApprovalID)
			if err != nil && !errors.Is(err, approval.ErrDecided) {
				return err
			}
		}
		e, err := s.lockEnrolment(tx, id)
		if err != nil {
			return err
		}
		if err := s.mayCancel(ctx, tx, a, e); err != nil {
			return err
		}
		err = history.Move(tx, a, history.Transition{Entity: EnrolmentEntity, Model: &Enrolment{}, ID: e.ID,
			From: []string{e.Status}, To: EnrolCancelled, Set: map[string]any{"waiting_since": nil},
			Audit: "training.enrolment.cancel", Action: "cancelled", At: s.now()})
		if err != nil {
			return err
		}
		if e.Status != EnrolEnrolled || e.SessionID == nil {
			return nil
		}
		if err := freeSeat(tx, *e.SessionID); err != nil {
			return err
		}
		return s.promoteWaiting(ctx, tx, *e.SessionID)
	})
}

// mayCancel checks that a may cancel e now: someone who may not see it is
// told there is none. A seat is given up only before its session starts; a
// request still pending, or a place on the waiting list, any time.
func (s *Service) mayCancel(ctx context.Context, tx *gorm.DB, a actor.Actor, e *Enrolment) error {
	if e.ID == 0 {
		return ErrEnrolNotFound
	}
	if ok, err := s.maySeePerson(ctx, tx, a, e.PersonID); err != nil {
		return err
	} else if !ok {
		return ErrEnrolNotFound
	}
	if e.PersonID != a.ID && !isStaff(a) {
		return ErrEnrolNotYours
	}
	if !containsString(ActiveEnrolment, e.Status) {
		return ErrNotCancellable
	}
	if e.SessionID != nil && (e.Status == EnrolEnrolled || e.Status == EnrolApproved) {
		var sess Session
		if err := tx.Limit(1).Find(&sess, *e.SessionID).Error; err != nil {
			return err
		}
		if sess.ID != 0 && sess.Status == SessionScheduled && s.started(&sess) {
			return ErrNotCancellable
		}
	}
	return nil
}

func containsString(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// promoteWaiting gives a free seat of session id to its first waiting, in
// tx, and mails them; nobody waiting leaves the seat free.
func (s *Service) promoteWaiting(ctx context.Context, tx *gorm.DB, sessionID uint) error {
	var sess Session
	if err := tx.First(&sess, sessionID).Error; err != nil {
		return err
	}
	if sess.Status != SessionScheduled {
		return nil
	}
	var t Training
	if err := tx.First(&t, sess.TrainingID).Error; err != nil {
		return err
	}
	var tried []uint
	for range 20 { // each miss is someone who cancelled at this very moment
		q := tx.Where("session_id = ? AND status = ?", sessionID, EnrolWaiting)
		if len(tried) > 0 {
			q = q.Where("id NOT IN ?", tried)
		}
		var next Enrolment
		if err := q.Order("waiting_since, id").Limit(1).Find(&next).Error; err != nil {
			return err
		}
		if next.ID == 0 {
			return nil
		}
		tried = append(tried, next.ID)
		err := history.Move(tx, actor.System(), history.Transition{Entity: EnrolmentEntity, Model: &Enrolment{}, ID: next.ID,
			From: []string{EnrolWaiting}, To: EnrolEnrolled, Set: map[string]any{"waiting_since": nil},
			Audit: "training.enrolment.promote", Action: "promoted", At: s.now()})
		if errors.Is(err, history.ErrStateChanged) {
			continue
		}
		if err != nil {
			return err
		}
		seated, err := takeSeat(tx, sessionID)
		if err != nil {
			return err
		}
		if !seated { // cannot be while this transaction holds the freed seat
			return errs.New(errs.Conflict, "training: the freed seat was taken")
		}
		next.Status, next.WaitingSince = EnrolEnrolled, nil
		return s.mailPromoted(tx, &next, &t, &sess)
	}
	return nil
}

// maySeePerson reports whether a sees person id's training records: their
// own, their reports' (people.ScopeOf), HR everyone's.
func (s *Service) maySeePerson(ctx context.Context, tx *gorm.DB, a actor.Actor, id uint) (bool, error) {
	if a.ID == 0 {
		return false, nil
	}
	if a.ID == id || isStaff(a) {
		return true, nil
	}
	if s.deps.People == nil {
		return false, nil
	}
	ok, err := s.deps.People.MaySee(db.WithTx(ctx, tx), a, people.ScopeOf(a, StaffRole), id)
	if errors.Is(err, people.ErrNotFound) || db.IsNotFound(err) {
		return false, nil
	}
	return ok, err
}

// enrolAudit is what the audit log keeps of an enrolment.
func enrolAudit(e *Enrolment) map[string]any {
	return map[string]any{"training_id": e.TrainingID, "session_id": e.SessionID, "person_id": e.PersonID,
		"status": e.Status, "source": e.Source, "reason": e.Reason}
}

// EnrolmentRow is one of a person's enrolments for the lists ("My
// trainings", my requests): the training's titles (Title picks the
// reader's), its session's days and hours, status and, on the waiting
// list, the place in it (1 = next).
type EnrolmentRow struct {
	ID                uint
	TrainingID        uint
	TitleHU, TitleEN  string
	Kind              string
	Year              int
	CostFt            int64
	Status            string
	Source            string
	Outcome           string
	SessionID         *uint
	RoomID            *uint // the session's Kapu room, whose name the rows show as Place
	FirstDay, LastDay calendar.Date
	FromMin, ToMin    int
	Place             string
	WaitingPosition   int
	CreatedAt         time.Time
}

// Title is the training's title in lang.
func (r *EnrolmentRow) Title(lang string) string {
	t := Training{TitleHU: r.TitleHU, TitleEN: r.TitleEN}
	return t.Title(lang)
}

// HasSession reports whether the row is on a session.
func (r *EnrolmentRow) HasSession() bool { return r.SessionID != nil }

// Cancellable reports whether the row still holds a place one may give up
// (the service checks the session's start again).
func (r *EnrolmentRow) Cancellable() bool { return containsString(ActiveEnrolment, r.Status) }

// EnrolmentsOf are person personID's enrolments for trainings of year, as a
// may see them (their own, their reports', HR everyone's; else none), the
// newest first.
func (s *Service) EnrolmentsOf(ctx context.Context, a actor.Actor, personID uint, year int) ([]EnrolmentRow, error) {
	q := s.db.R.WithContext(ctx)
	if ok, err := s.maySeePerson(ctx, q, a, personID); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrEnrolNotFound
	}
	return s.enrolmentRows(q, "e.person_id = ? AND t.year = ?", personID, year)
}

// enrolmentRows reads enrolment rows matching where, with waiting positions.
func (s *Service) enrolmentRows(q *gorm.DB, where string, args ...any) ([]EnrolmentRow, error) {
	var rows []EnrolmentRow
	err := q.Table("training_enrolments AS e").
		Select(`e.id, e.training_id, t.title_hu, t.title_en, t.kind, t.year, t.cost_ft, e.status, e.source, e.outcome,
			e.session_id, s.room_id, s.first_day, s.last_day, s.from_min, s.to_min, s.place, e.created_at`).
		Joins("JOIN training_trainings AS t ON t.id = e.training_id").
		Joins("LEFT JOIN training_sessions AS s ON s.id = e.session_id").
		Where(where, args...).Order("e.created_at DESC, e.id DESC").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	err = s.showRoomNames(q.Statement.Context, len(rows), func(i int) (*uint, *string) { return rows[i].RoomID, &rows[i].Place })
	if err != nil {
		return nil, err
	}
	var sessions []uint
	for i := range rows {
		if rows[i].Status == EnrolWaiting && rows[i].SessionID != nil {
			sessions = append(sessions, *rows[i].SessionID)
		}
	}
	if len(sessions) == 0 {
		return rows, nil
	}
	pos, err := waitingPositions(q, sessions)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].WaitingPosition = pos[rows[i].ID]
	}
	return rows, nil
}

// waitingPositions are the places (1 = next) of everyone waiting for the
// sessions, by enrolment id.
func waitingPositions(q *gorm.DB, sessions []uint) (map[uint]int, error) {
	var list []struct {
		ID        uint
		SessionID uint
	}
	err := q.Model(&Enrolment{}).Select("id, session_id").Where("session_id IN ? AND status = ?", sessions, EnrolWaiting).
		Order("session_id, waiting_since, id").Scan(&list).Error
	if err != nil {
		return nil, err
	}
	out := make(map[uint]int, len(list))
	n, last := 0, uint(0)
	for _, w := range list {
		if w.SessionID != last {
			n, last = 0, w.SessionID
		}
		n++
		out[w.ID] = n
	}
	return out, nil
}

// WaitingList is session id's waiting list in its order, for HR and the tests.
func (s *Service) WaitingList(ctx context.Context, sessionID uint) ([]Enrolment, error) {
	var out []Enrolment
	err := s.db.R.WithContext(ctx).Where("session_id = ? AND status = ?", sessionID, EnrolWaiting).
		Order("waiting_since, id").Find(&out).Error
	return out, err
}

// EnrolmentView is one enrolment's page: the row, who it is, whether the
// viewer may cancel it, and its timeline.
type EnrolmentView struct {
	EnrolmentRow
	PersonID   uint
	PersonName string
	Reason     string
	ApprovalID *uint
	CanCancel  bool
	Mine       bool
}

// EnrolmentOf is enrolment id as a sees it: the person, their manager and
// HR; anyone else is told there is none.
func (s *Service) EnrolmentOf(ctx context.Context, a actor.Actor, id uint) (*EnrolmentView, error) {
	q := s.db.R.WithContext(ctx)
	var e Enrolment
	if err := q.Limit(1).Find(&e, id).Error; err != nil {
		return nil, err
	}
	if e.ID == 0 {
		return nil, ErrEnrolNotFound
	}
	if ok, err := s.maySeePerson(ctx, q, a, e.PersonID); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrEnrolNotFound
	}
	rows, err := s.enrolmentRows(q, "e.id = ?", e.ID)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrEnrolNotFound
	}
	names, err := people.NamesOf(q, []uint{e.PersonID})
	if err != nil {
		return nil, err
	}
	v := &EnrolmentView{EnrolmentRow: rows[0], PersonID: e.PersonID, PersonName: names[e.PersonID], Reason: e.Reason,
		ApprovalID: e.ApprovalID, Mine: e.PersonID == a.ID}
	v.CanCancel = s.mayCancel(ctx, q, a, &e) == nil
	return v, nil
}

// Days writes the session's days in lang ("" without a session).
func (r *EnrolmentRow) Days(lang string) string {
	if r.SessionID == nil {
		return ""
	}
	return dayRange(lang, r.FirstDay, r.LastDay, 0)
}

// Hours writes the session's daily hours ("" without a session).
func (r *EnrolmentRow) Hours() string {
	if r.SessionID == nil {
		return ""
	}
	return clock(r.FromMin) + "–" + clock(r.ToMin)
}

// StatusClass is the status badge's colour.
func (r *EnrolmentRow) StatusClass() string { return enrolStatusClass(r.Status) }

func enrolStatusClass(status string) string {
	switch status {
	case EnrolEnrolled, EnrolApproved, EnrolDone:
		return "badge-success"
	case EnrolPending, EnrolWaiting:
		return "badge-warning"
	case EnrolRejected:
		return "badge-danger"
	}
	return "badge-muted"
}
