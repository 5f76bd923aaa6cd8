package helpdesk

import (
	"errors"

	"kapu/modules/platform/errs"
)

// Errors the service returns; a later form maps them to field messages in
// the reader's language (helpdesk.err.* keys).
var (
	ErrTitle          = errs.New(errs.Invalid, "helpdesk: a title is needed")
	ErrTitleTooLong   = errs.New(errs.Invalid, "helpdesk: the title is too long")
	ErrText           = errs.New(errs.Invalid, "helpdesk: a text is too long or holds control characters")
	ErrQueue          = errs.New(errs.Invalid, "helpdesk: unknown queue")
	ErrCategory       = errs.New(errs.Invalid, "helpdesk: the category is not one of the queue's")
	ErrImpact         = errs.New(errs.Invalid, "helpdesk: say how badly the fault stops you")
	ErrUrgency        = errs.New(errs.Invalid, "helpdesk: unknown urgency")
	ErrReporter       = errs.New(errs.Invalid, "helpdesk: unknown reporter")
	ErrOnBehalf       = errs.New(errs.Forbidden, "helpdesk: only the queue's staff report for someone else")
	ErrNotFound       = errs.New(errs.NotFound, "helpdesk: no such ticket")
	ErrForbidden      = errs.New(errs.Forbidden, "helpdesk: not allowed")
	ErrTaken          = errs.New(errs.Conflict, "helpdesk: someone else has taken the ticket")
	ErrNotNew         = errs.New(errs.Conflict, "helpdesk: the ticket is no longer new")
	ErrAssignee       = errs.New(errs.Invalid, "helpdesk: the assignee does not work this queue")
	ErrTransition     = errs.New(errs.Conflict, "helpdesk: that change is not allowed from the ticket's state")
	ErrState          = errs.New(errs.Invalid, "helpdesk: unknown state")
	ErrReopenExpired  = errs.New(errs.Conflict, "helpdesk: the time to reopen the ticket has passed")
	ErrCommentNeeded  = errs.New(errs.Invalid, "helpdesk: an answer needs a comment")
	ErrChanged        = errs.New(errs.Conflict, "helpdesk: the ticket changed meanwhile, look again")
	ErrClosed         = errs.New(errs.Conflict, "helpdesk: the ticket is closed")
	ErrResolutionCode = errs.New(errs.Invalid, "helpdesk: say how the ticket was resolved")
)

// TakenError is ErrTaken naming who has the ticket, so the loser of two
// staff taking it at once is told who won.
type TakenError struct {
	By     string // the assignee's name
	ByID   uint
	Number string
}

func (e *TakenError) Error() string { return ErrTaken.Error() + ": " + e.By }

// Is makes errors.Is(err, ErrTaken) and the Conflict kind hold.
func (e *TakenError) Is(target error) bool { return target == ErrTaken || errors.Is(ErrTaken, target) }

// messages are each error's sentence in the catalogs (helpdesk.*.json), for
// the pages and mails of the next slice.
var messages = map[error]string{
	ErrAssetTag: "helpdesk.asset.err.tag", ErrAssetTagTaken: "helpdesk.asset.err.tag_taken", ErrAssetType: "helpdesk.asset.err.type",
	ErrAssetText: "helpdesk.asset.err.text", ErrAssetState: "helpdesk.asset.err.state", ErrAssetPrice: "helpdesk.asset.err.price",
	ErrAssetLife: "helpdesk.asset.err.life", ErrAssetWarranty: "helpdesk.asset.err.warranty", ErrAssetOwner: "helpdesk.asset.err.owner",
	ErrAssetDept: "helpdesk.asset.err.department", ErrAssetNotFound: "helpdesk.asset.err.not_found",
	ErrAssetForbidden: "helpdesk.asset.err.forbidden",
	ErrTitle:          "helpdesk.err.title", ErrTitleTooLong: "helpdesk.err.title_too_long", ErrText: "helpdesk.err.text",
	ErrQueue: "helpdesk.err.queue", ErrCategory: "helpdesk.err.category", ErrImpact: "helpdesk.err.impact",
	ErrUrgency: "helpdesk.err.urgency", ErrReporter: "helpdesk.err.reporter", ErrOnBehalf: "helpdesk.err.on_behalf",
	ErrNotNew: "helpdesk.err.not_new", ErrAssignee: "helpdesk.err.assignee", ErrTransition: "helpdesk.err.transition",
	ErrState: "helpdesk.err.transition", ErrReopenExpired: "helpdesk.err.reopen_expired",
	ErrCommentNeeded: "helpdesk.err.comment_needed", ErrChanged: "helpdesk.err.changed", ErrClosed: "helpdesk.err.closed",
	ErrResolutionCode: "helpdesk.err.resolution_code",
}

// Message is the catalog key and arguments that tell a person what went
// wrong; "" for an error the web layer's status page explains.
func Message(err error) (key string, args []any) {
	var te *TakenError
	if errors.As(err, &te) {
		return "helpdesk.err.taken", []any{"Name", te.By}
	}
	for e, k := range messages {
		if errors.Is(err, e) {
			return k, nil
		}
	}
	return "", nil
}
