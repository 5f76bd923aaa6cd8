package helpdesk

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// act runs one action of the ticket page and returns to it (post/redirect/
// get): on success with the flash done naming the ticket's number, on a
// refusal the service explains (too late, someone was first, a closed
// ticket) with that sentence; anything else (404, 403) is the error page.
func (m *Module) ticketAct(c *fiber.Ctx, done string, do func(ctx context.Context, a actor.Actor, id uint) error) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	back := "/helpdesk/tickets/" + web.FormatID(id)
	if err := do(ctx, a, id); err != nil {
		key, args := Message(err)
		if key == "" {
			return err
		}
		if _, gerr := m.svc.Get(ctx, a, id); gerr != nil {
			return gerr // a stranger learns nothing from the sentence
		}
		web.AddFlash(c, "error", web.T(c, key, args...))
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	t, err := m.svc.Get(ctx, a, id)
	if err != nil {
		return err
	}
	web.Success(c, done, "Number", t.Number, "State", web.T(c, "helpdesk.state."+t.State))
	return c.Redirect(back, fiber.StatusSeeOther)
}

// handleTicketComment adds a comment (staff may mark it internal), with a
// photo when one is chosen; a refused photo adds nothing.
func (m *Module) handleTicketComment(c *fiber.Ctx) error {
	body, internal := c.FormValue("body"), c.FormValue("internal") != ""
	var up *PhotoUpload
	var upErr error
	if fh, err := c.FormFile("photo"); err == nil {
		up, upErr = ReadPhoto(fh)
	}
	return m.ticketAct(c, "helpdesk.ticket.commented", func(ctx context.Context, a actor.Actor, id uint) error {
		if upErr != nil {
			return upErr
		}
		cm, err := m.svc.AddComment(ctx, a, id, body, internal)
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
	comment := c.FormValue("comment")
	return m.ticketAct(c, "helpdesk.ticket.reopened", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.ChangeState(ctx, a, id, StateInProgress, comment)
	})
}

// handleTicketTake gives a new ticket to the staff member who clicks first.
func (m *Module) handleTicketTake(c *fiber.Ctx) error {
	return m.ticketAct(c, "helpdesk.ticket.taken", m.svc.Take)
}

// handleTicketAssign gives the ticket to a colleague of the queue.
func (m *Module) handleTicketAssign(c *fiber.Ctx) error {
	raw := c.FormValue("assignee_id")
	return m.ticketAct(c, "helpdesk.ticket.assigned", func(ctx context.Context, a actor.Actor, id uint) error {
		person, ok := web.ID(raw)
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
	to, comment := c.FormValue("to"), c.FormValue("note")
	return m.ticketAct(c, "helpdesk.ticket.moved", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.ChangeState(ctx, a, id, to, comment)
	})
}

// handleTicketResolve resolves the ticket with how and a word to the reporter.
func (m *Module) handleTicketResolve(c *fiber.Ctx) error {
	code, comment := c.FormValue("code"), c.FormValue("comment")
	return m.ticketAct(c, "helpdesk.ticket.resolved", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.Resolve(ctx, a, id, code, comment)
	})
}

// handleTicketPriority corrects impact and urgency; the priority follows.
func (m *Module) handleTicketPriority(c *fiber.Ctx) error {
	impact, urgency := c.FormValue("impact"), c.FormValue("urgency")
	return m.ticketAct(c, "helpdesk.ticket.prioritised", func(ctx context.Context, a actor.Actor, id uint) error {
		return m.svc.SetPriority(ctx, a, id, impact, urgency)
	})
}
