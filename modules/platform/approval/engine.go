// Package approval is the one approval engine every service uses: a module
// registers a kind, submits requests with ordered steps, and the engine routes
// each step (to a deputy when the approver is away), emails safe one-use links,
// records every decision, reminds, escalates and tells the requester the outcome.
package approval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"kapu/config"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/history"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// Errors callers turn into pages and messages.
var (
	ErrUnknownKind    = errors.New("approval: unknown kind")
	ErrNoApprover     = errs.New(errs.Invalid, "approval: no approver")
	ErrNotFound       = errs.New(errs.NotFound, "approval: not found")
	ErrNotApprover    = errs.New(errs.Forbidden, "approval: not an approver of this step")
	ErrDecided        = errs.New(errs.Conflict, "approval: already decided")
	ErrReasonRequired = errs.New(errs.Invalid, "approval: a rejection needs a reason")
	ErrForbidden      = errs.New(errs.Forbidden, "approval: not allowed")
	ErrNotRequester   = errs.New(errs.Forbidden, "approval: only the requester may withdraw")
	ErrCommentTooLong = errs.New(errs.Invalid, "approval: comment too long")
	ErrSelfApproval   = errs.New(errs.Forbidden, "approval: a requester cannot approve their own request")
)

// Line is one fact about a request ("Dates: 3–7 March").
type Line struct {
	Label string
	Value string
}

// Summary is what emails and pages show about a request, written in the
// reader's language when it is shown or sent (never stored).
type Summary struct {
	Title string // what and for whom: "Annual leave: Papp Eszter"
	// What, About, When and Extent are the short facts lists and email
	// subjects show: the kind as a noun in a sentence ("annual leave", "room
	// booking"), whom or what it is about ("Deák Milán", "Nagyterem"), when
	// ("12–14 Jan", "3 Mar 09:00–11:00") and how long or how much ("3
	// working days", "2 hours", "14 000 Ft"). A kind may leave them empty;
	// subjects then use Title.
	What   string
	About  string
	When   string
	Extent string
	// Away is the stretch of days the request keeps its requester away (leave):
	// lists then name who else of the requester's team is away then (AlsoAway).
	Away     *Span
	AlsoAway []string
	Lines    []Line
	Path     string // the request's own page in its module, if it has one
	// Attachments go with the requester's mail when the request is approved,
	// e.g. the .ics of an approved car booking.
	Attachments []notify.Attachment
}

// Kind is a sort of request a module registers, with its callbacks. The
// callbacks run inside the deciding transaction, so the module's own change
// commits or fails together with the decision; Decider(ctx) is who decided.
//
// Describe, when set, builds the short part of the Summary (Title, What,
// About, When, Extent, Away; no Lines) of many requests at once, in a few
// queries whatever their number, for lists such as the inbox; the result is
// in the order of reqs. Without it lists call Summary once per request.
//
// Lowerer, when set, lets the approver of an email link approve less than
// asked of the request's parts on the link's page (see Lowerer).
type Kind struct {
	Name      string
	Summary   func(ctx context.Context, tx *gorm.DB, req *Request, lang string) (Summary, error)
	Describe  func(ctx context.Context, q *gorm.DB, reqs []Request, lang string) ([]Summary, error)
	OnApprove func(ctx context.Context, tx *gorm.DB, req *Request) error
	OnReject  func(ctx context.Context, tx *gorm.DB, req *Request, reason string) error
	Lowerer   *Lowerer
}

type deciderKey struct{}

// Decider is who decided the request whose callback runs with ctx, so the
// module's own audit rows and timeline name the approver; Kapu itself
// outside a decision.
func Decider(ctx context.Context) actor.Actor {
	if a, ok := ctx.Value(deciderKey{}).(actor.Actor); ok {
		return a
	}
	return actor.System()
}

// Settings are the engine's tunables.
type Settings struct {
	LinkTTL       time.Duration // how long an email link works
	RemindAfter   int           // working days before a reminder
	EscalateAfter int           // working days before escalation to the approver's manager
}

// Engine runs approvals for every registered kind.
type Engine struct {
	db       *db.DB
	people   *people.Service
	outbox   *notify.Outbox
	cal      *calendar.Calendar
	cfg      *config.Config
	settings Settings

	// Absences tells who is away; the leave module replaces the default.
	Absences people.Absences

	mu    sync.RWMutex
	kinds map[string]Kind
	now   func() time.Time
}

// New returns an engine with the default settings (links valid for
// cfg.LinkTTL, reminder after 2 working days, escalation after 5).
func New(d *db.DB, ppl *people.Service, outbox *notify.Outbox, cal *calendar.Calendar, cfg *config.Config) *Engine {
	return &Engine{
		db: d, people: ppl, outbox: outbox, cal: cal, cfg: cfg,
		settings: Settings{LinkTTL: cfg.LinkTTL, RemindAfter: 2, EscalateAfter: 5},
		Absences: people.NobodyAway{},
		kinds:    map[string]Kind{},
		now:      func() time.Time { return time.Now().UTC() },
	}
}

// Register adds a kind. Registering a name twice is a programming error.
func (e *Engine) Register(k Kind) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, dup := e.kinds[k.Name]; dup || k.Summary == nil {
		panic(fmt.Sprintf("approval: kind %q registered twice or without Summary", k.Name))
	}
	e.kinds[k.Name] = k
}

func (e *Engine) kind(name string) (Kind, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	k, ok := e.kinds[name]
	return k, ok
}

// Submit creates a request with one step per approver, in order, inside the
// caller's transaction, and sends the first step on its way. Every read it
// makes, the people and absences it looks up included, goes through tx: the
// caller may hold a lock that requests queued on the pool are waiting for.
func (e *Engine) Submit(ctx context.Context, tx *gorm.DB, kind, subjectID string, requester actor.Actor, approvers []uint) (*Request, error) {
	ctx = db.WithTx(ctx, tx)
	k, ok := e.kind(kind)
	if !ok {
		return nil, ErrUnknownKind
	}
	if len(approvers) == 0 {
		return nil, ErrNoApprover
	}
	req := &Request{Kind: kind, SubjectID: subjectID, RequesterID: requester.ID, Status: StatusPending, Version: 1, CurrentStep: 1, Title: kind}
	if err := tx.Create(req).Error; err != nil {
		return nil, err
	}
	sum, err := k.Summary(ctx, tx, req, e.langOf(ctx, requester.ID))
	if err != nil {
		return nil, err
	}
	req.Title = truncate(sum.Title, 300)
	if err := tx.Model(req).Update("title", req.Title).Error; err != nil {
		return nil, err
	}
	steps := make([]Step, len(approvers))
	for i, id := range approvers {
		if id == requester.ID {
			return nil, ErrSelfApproval
		}
		if p, err := e.people.Person(ctx, id); err != nil || !p.Active {
			return nil, fmt.Errorf("%w: person %d", ErrNoApprover, id)
		}
		steps[i] = Step{RequestID: req.ID, Seq: i + 1, ApproverID: id, Status: StepWaiting}
	}
	if err := tx.Create(&steps).Error; err != nil {
		return nil, err
	}
	if err := e.note(tx, req, requester, "submitted", 0, ""); err != nil {
		return nil, err
	}
	if err := audit.Record(tx, requester, "approval.request.submit", Entity, req.ID, nil, req); err != nil {
		return nil, err
	}
	return req, e.activate(ctx, tx, req, &steps[0])
}

// activate makes step the pending one: routes it to a deputy when needed and
// emails its deciders.
func (e *Engine) activate(ctx context.Context, tx *gorm.DB, req *Request, step *Step) error {
	ctx = db.WithTx(ctx, tx)
	now := e.now()
	step.Status = StepPending
	step.ActivatedAt = &now
	approver, err := e.people.Person(ctx, step.ApproverID)
	if err != nil {
		return err
	}
	deputy, err := e.people.DeputyFor(ctx, approver, calendar.DateOf(now, e.cfg.TZ), e.Absences)
	if err != nil {
		return err
	}
	if deputy != nil && deputy.ID != req.RequesterID {
		step.DeputyID = &deputy.ID
		if err := e.note(tx, req, actor.System(), "routed", step.Seq, deputy.Name); err != nil {
			return err
		}
	}
	if err := tx.Select("status", "activated_at", "deputy_id").Updates(step).Error; err != nil {
		return err
	}
	return e.mailDeciders(ctx, tx, req, step, mailRequest)
}

// Decision is a decision made in the app.
type Decision struct {
	RequestID uint
	Approve   bool
	Comment   string
}

// Decide records a decision on a request's current step by an approver, their
// deputy or the escalation target.
func (e *Engine) Decide(ctx context.Context, a actor.Actor, d Decision) (*Request, error) {
	var req Request
	err := e.db.Tx(ctx, func(tx *gorm.DB) error {
		ctx := db.WithTx(ctx, tx)
		if err := e.lockRequest(tx, d.RequestID, &req); err != nil {
			return err
		}
		if req.Status != StatusPending {
			return ErrDecided
		}
		var step Step
		if err := tx.Where("request_id = ? AND seq = ?", req.ID, req.CurrentStep).First(&step).Error; err != nil {
			return err
		}
		if !step.CanDecide(a.ID) {
			return ErrNotApprover
		}
		return e.decideStep(ctx, tx, a, &req, &step, d.Approve, d.Comment)
	})
	if _, refused := AsRefusal(err); refused {
		err = e.afterRefusal(ctx, d.RequestID, err)
	}
	return &req, err
}

// lockRequest loads a request for update (PostgreSQL row lock; SQLite's
// immediate transaction already holds the write lock).
func (e *Engine) lockRequest(tx *gorm.DB, id uint, req *Request) error {
	q := db.ForUpdate(tx)
	err := q.First(req, id).Error
	if db.IsNotFound(err) {
		return ErrNotFound
	}
	return err
}

// decideStep records the decision, closes the step's links and moves the request on.
func (e *Engine) decideStep(ctx context.Context, tx *gorm.DB, a actor.Actor, req *Request, step *Step, approve bool, comment string) error {
	ctx = db.WithTx(ctx, tx) // the kind's callbacks read through it too
	ctx = context.WithValue(ctx, deciderKey{}, a)
	comment = strings.TrimSpace(comment)
	if !approve && comment == "" {
		return ErrReasonRequired
	}
	if len(comment) > 2000 {
		return ErrCommentTooLong
	}
	k, ok := e.kind(req.Kind)
	if !ok {
		return ErrUnknownKind
	}
	now := e.now()
	status, action := StepApproved, "approved"
	if !approve {
		status, action = StepRejected, "rejected"
	}
	res := tx.Model(&Step{}).Where("id = ? AND status = ?", step.ID, StepPending).Updates(map[string]any{
		"status": status, "decided_by_id": a.ID, "decided_at": now, "comment": comment, "channel": a.Channel,
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrDecided
	}
	if err := tx.Model(&Token{}).Where("step_id = ? AND used_at IS NULL", step.ID).Update("used_at", now).Error; err != nil {
		return err
	}
	before := *req
	oldVersion := req.Version
	req.Version++
	var next Step
	hasNext := approve && tx.Where("request_id = ? AND seq = ?", req.ID, step.Seq+1).Limit(1).Find(&next).Error == nil && next.ID != 0
	switch {
	case hasNext:
		req.CurrentStep = next.Seq
	case approve:
		req.Status, req.DecidedAt = StatusApproved, &now
	default:
		req.Status, req.DecidedAt = StatusRejected, &now
		if err := tx.Model(&Step{}).Where("request_id = ? AND status = ?", req.ID, StepWaiting).Update("status", StepClosed).Error; err != nil {
			return err
		}
	}
	err := e.move(tx, a, req.ID, history.Transition{
		From: []string{before.Status}, To: req.Status, Guard: []any{"version = ?", oldVersion},
		Set:   map[string]any{"version": req.Version, "current_step": req.CurrentStep, "decided_at": req.DecidedAt},
		Audit: "approval.request." + action, Action: action, Step: step.Seq, Comment: comment,
		Before: map[string]any{"status": before.Status, "step": step.Seq},
		After:  map[string]any{"status": req.Status, "step": req.CurrentStep, "comment": comment},
	})
	if err != nil {
		return err
	}
	switch {
	case hasNext:
		return e.activate(ctx, tx, req, &next)
	case approve:
		if k.OnApprove != nil {
			if err := k.OnApprove(ctx, tx, req); err != nil {
				return err
			}
		}
	default:
		if k.OnReject != nil {
			if err := k.OnReject(ctx, tx, req, comment); err != nil {
				return err
			}
		}
	}
	return e.mailOutcome(ctx, tx, req, a, comment)
}

// Withdraw ends a pending request at the requester's wish (or the module's, with
// the system actor); its links stop working.
func (e *Engine) Withdraw(ctx context.Context, tx *gorm.DB, a actor.Actor, requestID uint) error {
	var req Request
	if err := e.lockRequest(tx, requestID, &req); err != nil {
		return err
	}
	if req.Status != StatusPending {
		return ErrDecided
	}
	if a.ID != req.RequesterID && a.Channel != actor.ChannelSystem {
		return ErrNotRequester
	}
	now := e.now()
	err := e.move(tx, a, req.ID, history.Transition{
		From: []string{req.Status}, To: StatusWithdrawn, Set: map[string]any{"version": req.Version + 1, "decided_at": now},
		Audit: "approval.request.withdraw", Action: "withdrawn", Step: req.CurrentStep,
	})
	if err != nil {
		return err
	}
	return e.closeOpenSteps(tx, req.ID, now)
}

// Changed tells the engine that the module changed a pending request, inside
// the transaction of the change: the request gets a new version, links sent
// before stop working (their page says they were replaced) and the current
// deciders get an email of the new version.
func (e *Engine) Changed(ctx context.Context, tx *gorm.DB, a actor.Actor, requestID uint) error {
	ctx = db.WithTx(ctx, tx)
	var req Request
	if err := e.lockRequest(tx, requestID, &req); err != nil {
		return err
	}
	if req.Status != StatusPending {
		return ErrDecided
	}
	req.Version++
	if err := tx.Model(&Request{}).Where("id = ?", req.ID).Update("version", req.Version).Error; err != nil {
		return err
	}
	var step Step
	if err := tx.Where("request_id = ? AND seq = ?", req.ID, req.CurrentStep).First(&step).Error; err != nil {
		return err
	}
	if err := tx.Model(&Token{}).Where("step_id = ? AND used_at IS NULL", step.ID).Update("used_at", e.now()).Error; err != nil {
		return err
	}
	if err := e.note(tx, &req, a, "changed", step.Seq, ""); err != nil {
		return err
	}
	return e.mailDeciders(ctx, tx, &req, &step, mailRequest)
}

func (e *Engine) closeOpenSteps(tx *gorm.DB, requestID uint, now time.Time) error {
	if err := tx.Model(&Step{}).Where("request_id = ? AND status IN ?", requestID, []string{StepWaiting, StepPending}).
		Update("status", StepClosed).Error; err != nil {
		return err
	}
	return tx.Model(&Token{}).Where("used_at IS NULL AND step_id IN (?)",
		tx.Model(&Step{}).Select("id").Where("request_id = ?", requestID)).Update("used_at", now).Error
}

// move changes request id's status through history (audit row and timeline
// entry with it); a request no longer in the state it was read in is ErrDecided.
func (e *Engine) move(tx *gorm.DB, a actor.Actor, id uint, t history.Transition) error {
	t.Entity, t.Model, t.ID, t.At = Entity, &Request{}, id, e.now()
	err := history.Move(tx, a, t)
	if errors.Is(err, history.ErrStateChanged) {
		return ErrDecided
	}
	return err
}

// note adds a line to the request's timeline; other names the person the
// line is about (the deputy a step went to, the manager it escalated to).
func (e *Engine) note(tx *gorm.DB, req *Request, a actor.Actor, action string, seq int, other string) error {
	return history.Note(tx, a, history.Entry{Entity: Entity, EntityID: req.ID, At: e.now(), Action: action, Step: seq, Other: other})
}

// newToken creates a link token and returns the raw value for the URL; only its hash is kept.
func (e *Engine) newToken(tx *gorm.DB, step *Step, personID uint, action string, version int) (string, error) {
	raw, link := linktoken.New(e.now(), e.settings.LinkTTL)
	t := Token{Fields: link, StepID: step.ID, PersonID: personID, Action: action, Version: version}
	return raw, tx.Create(&t).Error
}

// langOf returns the language a person reads Kapu in.
func (e *Engine) langOf(ctx context.Context, personID uint) string {
	p, err := e.people.Person(ctx, personID)
	if err != nil {
		return e.cfg.Lang
	}
	return e.langFor(p)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n {
		r = r[:len(r)-1]
	}
	return string(r)
}
