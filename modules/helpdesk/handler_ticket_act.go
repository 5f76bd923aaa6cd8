package helpdesk

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// ticketForm is what the ticket page's action forms carry: shown again,
// as typed, when the service refuses it.
type ticketForm struct {
	Which      string // the form posted (comment, reopen, state, resolve, priority, assign, take), where its messages go
	Body       string // comment
	Internal   bool
	Note       string // state change
	Comment    string // reopen reason or word to the reporter on resolving
	Code       string // resolution code
	Impact     string
	Urgency    string
	AssigneeID string
}

// Each form's refusals that belong next to one of its fields.
var (
	commentErrors = map[error]web.FieldMessage{
		ErrCommentNeeded: {"body", "helpdesk.err.comment_needed"}, ErrText: {"body", "helpdesk.err.text"},
		ErrPhotoTooLarge: {"photo", "helpdesk.err.photo_too_large"}, ErrPhotoType: {"photo", "helpdesk.err.photo_type"},
	}
	reopenErrors   = map[error]web.FieldMessage{ErrText: {"comment", "helpdesk.err.text"}}
	stateErrors    = map[error]web.FieldMessage{ErrText: {"note", "helpdesk.err.text"}}
	resolveErrors  = map[error]web.FieldMessage{ErrResolutionCode: {"code", "helpdesk.err.resolution_code"}, ErrText: {"comment", "helpdesk.err.text"}}
	priorityErrors = map[error]web.FieldMessage{ErrImpact: {"impact", "helpdesk.err.impact"}, ErrUrgency: {"urgency", "helpdesk.err.urgency"}}
	assignErrors   = map[error]web.FieldMessage{ErrAssignee: {"assignee_id", "helpdesk.err.assignee"}}
)

// ticketAct runs one action of the ticket page. Done, it returns to the page
// (post/redirect/get) with the flash done naming the ticket's number. Refused
// for something the form can show, the page comes again with what was typed:
// a field's problem next to the field (422), a refusal about the ticket
// (someone was first, it is closed, too late) as the page's message over its
// fresh state (409). Anything else (404, 403) is the error page, and a
// stranger learns nothing, since the page again checks who may see it.
func (m *Module) ticketAct(c *fiber.Ctx, form ticketForm, fields map[error]web.FieldMessage, done string, do func(ctx context.Context, a actor.Actor, id uint) error) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	if err := do(ctx, a, id); err != nil {
		if fe, ok := web.FieldErrors(err, fields); ok {
			return m.showTicket(c, id, &form, fe, 0)
		}
		key, args := Message(err)
		if key == "" {
			return err
		}
		status := fiber.StatusUnprocessableEntity
		if errors.Is(err, errs.Conflict) {
			status = fiber.StatusConflict
		}
		web.AddFlash(c, "error", web.T(c, key, args...))
		return m.showTicket(c, id, &form, nil, status)
	}
	t, err := m.svc.Get(ctx, a, id)
	if err != nil {
		return err
	}
	web.Success(c, done, "Number", t.Number, "State", web.T(c, "helpdesk.state."+t.State))
	return c.Redirect("/helpdesk/tickets/"+web.FormatID(id), fiber.StatusSeeOther)
}

// handleTicketComment adds a comment (staff may mark it internal), with a
// photo when one is chosen; a refused photo adds nothing.
func (m *Module) handleTicketComment(c *fiber.Ctx) error {
	form := ticketForm{Which: "comment", Body: c.FormValue("body"), Internal: c.FormValue("internal") != ""}
	var up *web.Upload
	var upErr error
	if fh, err := c.FormFile("photo"); err == nil {
		up, upErr = ReadPhoto(fh)
	}
	return m.ticketAct(c, form, commentErrors, "helpdesk.ticket.commented", func(ctx context.Context, a actor.Actor, id uint) error {
		if upErr != nil {
			return upErr // the page shown again checks who may see the ticket
		}
		cm, err := m.svc.AddComment(ctx, a, id, form.Body, form.Internal)
		if err != nil || up == nil {
			return err
		}
		_, err = m.svc.Attach(ctx, a, id, &cm.ID, *up)
		return err
	})
}

// handleTicketReopen is the reporter's "it is not fixed": back to in
// progress within the reopen window.
func (m *Module) handleTicketReopen(c *fiber.Ctx) error {
	form := ticketForm{Which: "reopen", Comment: c.FormValue("comment")}
	return m.ticketAct(c, form, reopenErrors, "helpdesk.ticket.reopened", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.ChangeState(ctx, a, id, StateInProgress, form.Comment)
	})
}

// handleTicketTake gives a new ticket to the staff member who clicks first.
func (m *Module) handleTicketTake(c *fiber.Ctx) error {
	return m.ticketAct(c, ticketForm{Which: "take"}, nil, "helpdesk.ticket.taken", m.svc.Take)
}

// handleTicketAssign gives the ticket to a colleague of the queue.
func (m *Module) handleTicketAssign(c *fiber.Ctx) error {
	form := ticketForm{Which: "assign", AssigneeID: c.FormValue("assignee_id")}
	return m.ticketAct(c, form, assignErrors, "helpdesk.ticket.assigned", func(ctx context.Context, a actor.Actor, id uint) error {
		person, ok := web.ID(form.AssigneeID)
		if !ok {
			if _, _, err := loadForStaff(m.svc.db.R.WithContext(ctx), a, id); err != nil {
				return err
			}
			return ErrAssignee
		}
		return m.svc.Assign(ctx, a, id, person)
	})
}

// handleTicketState moves the ticket along one of the allowed transitions.
func (m *Module) handleTicketState(c *fiber.Ctx) error {
	to, form := c.FormValue("to"), ticketForm{Which: "state", Note: c.FormValue("note")}
	return m.ticketAct(c, form, stateErrors, "helpdesk.ticket.moved", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.ChangeState(ctx, a, id, to, form.Note)
	})
}

// handleTicketResolve resolves the ticket with how and a word to the reporter.
func (m *Module) handleTicketResolve(c *fiber.Ctx) error {
	form := ticketForm{Which: "resolve", Code: c.FormValue("code"), Comment: c.FormValue("comment")}
	return m.ticketAct(c, form, resolveErrors, "helpdesk.ticket.resolved", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.Resolve(ctx, a, id, form.Code, form.Comment)
	})
}

// handleTicketPriority corrects impact and urgency; the priority follows.
func (m *Module) handleTicketPriority(c *fiber.Ctx) error {
	form := ticketForm{Which: "priority", Impact: c.FormValue("impact"), Urgency: c.FormValue("urgency")}
	return m.ticketAct(c, form, priorityErrors, "helpdesk.ticket.prioritised", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.SetPriority(ctx, a, id, form.Impact, form.Urgency)
	})
}
