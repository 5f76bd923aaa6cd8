package approval

import (
	"context"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/people"
)

// What an email link finds when it is opened.
const (
	LinkValid      = linktoken.Valid   // the form may be shown and pressed
	LinkUnknown    = linktoken.Unknown // no such link (mistyped, or not Kapu's)
	LinkExpired    = linktoken.Expired // older than KAPU_LINK_TTL
	LinkDecided    = "decided"         // the step or the request was decided, through any channel
	LinkSuperseded = "superseded"      // the request changed or was withdrawn after the email
)

// ErrLinkNotValid means the link cannot decide anything any more; the view says why.
var ErrLinkNotValid = errs.New(errs.Conflict, "approval: link cannot be used")

// LinkView is what the page behind an email link shows.
type LinkView struct {
	State   string
	Action  string
	Request *Request
	Step    *Step
	Summary Summary
	Person  *people.Person // whom the link was sent to
	Decider string         // who decided the step, when it is decided
	// Progress says, after an approved step, whom the request waits for now.
	Progress *Progress
	// Lowerings are the parts an approve link's page lets the approver lower
	// (the kind's Lowerer), in the person's language.
	Lowerings []Lowering
}

// Link looks a link up without changing anything: GET and HEAD use it, so link
// scanners that fetch every URL in a mail decide nothing.
func (e *Engine) Link(ctx context.Context, raw string) (*LinkView, error) {
	return e.linkView(ctx, e.db.R.WithContext(ctx), raw)
}

func (e *Engine) linkView(ctx context.Context, q *gorm.DB, raw string) (*LinkView, error) {
	var t Token
	if found, err := linktoken.Find(q, &t, raw); err != nil || !found {
		if err != nil {
			return nil, err
		}
		return &LinkView{State: LinkUnknown}, nil
	}
	v := &LinkView{Action: t.Action, Request: &Request{}, Step: &Step{}}
	if err := q.First(v.Step, t.StepID).Error; err != nil {
		return nil, err
	}
	if err := q.First(v.Request, v.Step.RequestID).Error; err != nil {
		return nil, err
	}
	p, err := e.people.Person(ctx, t.PersonID)
	if err != nil {
		return nil, err
	}
	v.Person = p
	if k, ok := e.kind(v.Request.Kind); ok {
		if v.Summary, err = k.Summary(ctx, q, v.Request, e.langFor(p)); err != nil {
			return nil, err
		}
	} else {
		v.Summary = Summary{Title: v.Request.Title}
	}
	if v.Step.DecidedByID != nil {
		if d, err := e.people.Person(ctx, *v.Step.DecidedByID); err == nil {
			v.Decider = d.Name
		}
	}
	if v.Request.Status == StatusPending && v.Request.CurrentStep > 1 {
		steps, err := stepRows(q, v.Request.ID)
		if err != nil {
			return nil, err
		}
		v.Progress = progressOf(v.Request, steps)
	}
	decided := v.Step.Status == StepApproved || v.Step.Status == StepRejected
	token := t.State(e.now())
	switch {
	case decided:
		v.State = LinkDecided
	case v.Request.Status != StatusPending || token == linktoken.Used || t.Version != v.Request.Version || v.Step.Status != StepPending:
		v.State = LinkSuperseded
	case token == linktoken.Expired:
		v.State = LinkExpired
	case !v.Step.CanDecide(p.ID) || !p.Active:
		v.State = LinkSuperseded
	default:
		v.State = LinkValid
	}
	if v.Lowerings, err = e.lowerings(ctx, q, v, e.langFor(p)); err != nil {
		return nil, err
	}
	return v, nil
}

// DecideByLink records the decision a person made by pressing the button on an
// email link's page, with the fields the page posted (values; a kind's
// Lowerer reads its own there, nil for none). Anything but a valid link
// returns ErrLinkNotValid with the view explaining the request's state;
// nothing changes then, nor when the Lowerer refuses what was typed.
func (e *Engine) DecideByLink(ctx context.Context, raw, comment, ip string, values map[string]string) (*LinkView, error) {
	var view *LinkView
	err := e.db.Tx(ctx, func(tx *gorm.DB) error {
		ctx := db.WithTx(ctx, tx)
		v, err := e.linkView(ctx, tx, raw)
		if err != nil || v.State == LinkUnknown {
			view = v
			if err == nil {
				err = ErrLinkNotValid
			}
			return err
		}
		// Lock the request first, as the in-app Decide does, so concurrent
		// deciders queue instead of deadlocking; then look again.
		if err := e.lockRequest(tx, v.Request.ID, &Request{}); err != nil {
			return err
		}
		if v, err = e.linkView(ctx, tx, raw); err != nil {
			return err
		}
		view = v
		if v.State != LinkValid {
			return ErrLinkNotValid
		}
		a := actor.Actor{ID: v.Person.ID, Name: v.Person.Name, Roles: v.Person.RoleNames(), IP: ip, Channel: actor.ChannelEmail}
		if k, ok := e.kind(v.Request.Kind); ok && k.Lowerer != nil && v.Action == ActionApprove && values != nil {
			lctx := context.WithValue(db.WithTx(ctx, tx), deciderKey{}, a)
			if err := k.Lowerer.Lower(lctx, tx, v.Request, values, e.langFor(v.Person)); err != nil {
				return err
			}
		}
		return e.decideStep(ctx, tx, a, v.Request, v.Step, v.Action == ActionApprove, comment)
	})
	if _, refused := AsRefusal(err); refused && view != nil && view.Request != nil {
		// Nothing was decided; the page shows the kind's words and the
		// request as it stands now (withdrawn, if the kind asked for that).
		err = e.afterRefusal(ctx, view.Request.ID, err)
		v, _ := e.linkViewAfter(ctx, raw, view)
		return v, err
	}
	if err != nil {
		return view, err
	}
	// Show the request as it stands after the decision.
	return e.linkViewAfter(ctx, raw, view)
}

func (e *Engine) linkViewAfter(ctx context.Context, raw string, fallback *LinkView) (*LinkView, error) {
	v, err := e.Link(ctx, raw)
	if err != nil {
		return fallback, nil
	}
	return v, nil
}
