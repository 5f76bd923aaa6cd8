package approval

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// Email templates of the engine (views/emails/<name>.tmpl).
const (
	mailRequest  = "approval_request"
	mailReminder = "approval_reminder" // the request template with Reminder set
	mailOutcome  = "approval_outcome"
	mailDigest   = "approval_digest"
)

// StepMail is what a decider's email shows.
type StepMail struct {
	Title         string
	Headline      string // the title with the dates, for the subject
	Lines         []Line
	RequesterName string
	OnBehalfOf    string // the approver's name when the mail goes to their deputy or manager
	Seq, Steps    int
	Reminder      bool
	Lowerable     bool // the approve page lets the approver give less than asked (the kind's Lowerer)
	ApproveURL    string
	RejectURL     string
	RequestURL    string
}

// OutcomeMail is what the requester's email about the decision shows.
type OutcomeMail struct {
	Title      string
	What       string // "annual leave": the subject says "Approved annual leave: …"
	About      string
	When       string
	Lines      []Line
	Status     string
	DecidedBy  string
	Comment    string
	RequestURL string
}

// mailDeciders emails everyone who may decide step, each with their own links.
// People who chose the daily digest get it there instead.
func (e *Engine) mailDeciders(ctx context.Context, tx *gorm.DB, req *Request, step *Step, template string) error {
	ctx = db.WithTx(ctx, tx)
	for _, id := range step.Deciders() {
		p, err := e.people.Person(ctx, id)
		if err != nil {
			return err
		}
		if !p.Active || e.wantsDigest(tx, p.ID) {
			continue
		}
		if err := e.mailStep(ctx, tx, req, step, p, template); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) wantsDigest(tx *gorm.DB, personID uint) bool {
	var pref Pref
	tx.Where("person_id = ?", personID).Limit(1).Find(&pref)
	return pref.Digest
}

// stepMail builds one decider's email content with fresh links.
func (e *Engine) stepMail(ctx context.Context, tx *gorm.DB, req *Request, step *Step, p *people.Person) (StepMail, string, error) {
	ctx = db.WithTx(ctx, tx)
	lang := e.langFor(p)
	k, ok := e.kind(req.Kind)
	if !ok {
		return StepMail{}, lang, ErrUnknownKind
	}
	sum, err := k.Summary(ctx, tx, req, lang)
	if err != nil {
		return StepMail{}, lang, err
	}
	approve, err := e.newToken(tx, step, p.ID, ActionApprove, req.Version)
	if err != nil {
		return StepMail{}, lang, err
	}
	reject, err := e.newToken(tx, step, p.ID, ActionReject, req.Version)
	if err != nil {
		return StepMail{}, lang, err
	}
	var steps int64
	tx.Model(&Step{}).Where("request_id = ?", req.ID).Count(&steps)
	m := StepMail{
		Title: sum.Title, Headline: sum.Headline(), Lines: sum.Lines, Seq: step.Seq, Steps: int(steps), Lowerable: k.Lowerer != nil,
		ApproveURL: e.cfg.BaseURL + "/a/" + approve,
		RejectURL:  e.cfg.BaseURL + "/a/" + reject,
		RequestURL: e.cfg.BaseURL + "/approvals/" + web.FormatID(req.ID),
	}
	if r, err := e.people.Person(ctx, req.RequesterID); err == nil {
		m.RequesterName = r.Name
	}
	if p.ID != step.ApproverID {
		if a, err := e.people.Person(ctx, step.ApproverID); err == nil {
			m.OnBehalfOf = a.Name
		}
	}
	return m, lang, nil
}

func (e *Engine) mailStep(ctx context.Context, tx *gorm.DB, req *Request, step *Step, p *people.Person, template string) error {
	m, lang, err := e.stepMail(ctx, tx, req, step, p)
	if err != nil {
		return err
	}
	m.Reminder = template == mailReminder
	return e.outbox.Enqueue(tx, notify.Message{
		Key: fmt.Sprintf("approval/%d/v%d/s%d/%s", req.ID, req.Version, step.Seq, template),
		To:  p.Email, ToName: p.Name, Lang: lang,
		Template: mailRequest, Data: m, Reason: "approval.reason.approver",
	})
}

// mailOutcome tells the requester how their request ended.
func (e *Engine) mailOutcome(ctx context.Context, tx *gorm.DB, req *Request, by actor.Actor, comment string) error {
	ctx = db.WithTx(ctx, tx)
	p, err := e.people.Person(ctx, req.RequesterID)
	if err != nil || !p.Active {
		return nil // nobody left to tell
	}
	lang := e.langFor(p)
	k, _ := e.kind(req.Kind)
	sum, err := k.Summary(ctx, tx, req, lang)
	if err != nil {
		return err
	}
	var files []notify.Attachment
	if req.Status == StatusApproved {
		files = sum.Attachments
	}
	return e.outbox.Enqueue(tx, notify.Message{
		Key: fmt.Sprintf("approval/%d/outcome", req.ID), Attachments: files,
		To: p.Email, ToName: p.Name, Lang: lang,
		Template: mailOutcome, Reason: "approval.reason.requester",
		Data: OutcomeMail{
			Title: sum.Title, What: sum.What, About: sum.About, When: sum.When,
			Lines: sum.Lines, Status: req.Status, DecidedBy: by.Name, Comment: comment,
			RequestURL: e.cfg.BaseURL + "/approvals/" + web.FormatID(req.ID),
		},
	})
}

func (e *Engine) langFor(p *people.Person) string { return people.MailLang(p.Lang, e.cfg.Lang) }
