package helpdesk

import (
	"context"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/helpdesk/sla"
	"kapu/modules/platform/web"
)

// ticketLine is one line of the ticket's history: a status-log row or a
// comment, merged in time order.
type ticketLine struct {
	At          time.Time
	By          string
	Kind        string // an Event kind, or "note" for a comment
	From, To    string
	Assignee    string
	Text        string
	Internal    bool
	Attachments []Attachment
}

// slaView is one SLA clock as the ticket page shows it to staff.
type slaView struct {
	Key        string // helpdesk.sla.response | helpdesk.sla.resolution
	State      string // sla.None, OK, Warning, Breached
	Stopped    bool
	Waiting    bool
	LeftH      int
	LeftM      int
	Due        *time.Time
	BadgeClass string
}

func slaViewOf(key string, m sla.Measure) slaView {
	v := slaView{Key: key, State: m.State, Stopped: m.Stopped, Waiting: m.Waiting,
		LeftH: int(m.Left / time.Hour), LeftM: int(m.Left%time.Hour) / int(time.Minute)}
	if !m.Due.IsZero() && !m.Stopped {
		d := m.Due
		v.Due = &d
	}
	switch m.State {
	case sla.Warning:
		v.BadgeClass = "badge-warning"
	case sla.Breached:
		v.BadgeClass = "badge-danger"
	case sla.OK:
		v.BadgeClass = "badge-success"
	default:
		v.BadgeClass = "badge-muted"
	}
	return v
}

// assigneeOptions are the people who work queue q (its role, its lead), for "assign to".
func (s *Service) assigneeOptions(ctx context.Context, q *Queue) ([]web.Option, error) {
	staff, err := s.staffOf(s.db.R.WithContext(ctx), q)
	if err != nil {
		return nil, err
	}
	out := make([]web.Option, len(staff))
	for i, p := range staff {
		out[i] = web.Option{Value: web.FormatID(p.ID), Label: p.Name}
	}
	return out, nil
}

// handleTicketShow is the ticket page: the facts, the SLA clock for staff,
// the history with comments, and what the viewer may do next.
func (m *Module) handleTicketShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.showTicket(c, id, nil, nil, 0)
}

// showTicket renders ticket id's page; after a refused action, form is what
// was typed, with errs by its fields (422) or the status of a refusal the
// page's flash explains.
func (m *Module) showTicket(c *fiber.Ctx, id uint, form *ticketForm, errs web.Errors, status int) error {
	ctx, a, lang := c.UserContext(), web.ActorOf(c), web.LangOf(c)
	s := m.svc
	v, err := s.TicketView(ctx, a, id)
	if err != nil {
		return err
	}
	t, q, staff, names := v.Ticket, v.Queue, v.Staff, v.Names
	byComment := map[uint][]Attachment{}
	var photos []Attachment
	for _, at := range v.Attachments {
		if at.CommentID != nil {
			byComment[*at.CommentID] = append(byComment[*at.CommentID], at)
		} else {
			photos = append(photos, at)
		}
	}
	var items []ticketLine
	for _, e := range v.Events {
		if e.Kind == EventComment {
			continue // the comment itself is its line
		}
		it := ticketLine{At: e.At, By: names[e.ByID], Kind: e.Kind, From: e.From, To: e.To, Text: e.Comment}
		if e.AssigneeID != nil {
			it.Assignee = names[*e.AssigneeID]
		}
		items = append(items, it)
	}
	for _, cm := range v.Comments {
		items = append(items, ticketLine{At: cm.CreatedAt, By: names[cm.ByID], Kind: "note", Text: cm.Body,
			Internal: cm.Internal, Attachments: byComment[cm.ID]})
	}
	slices.SortStableFunc(items, func(x, y ticketLine) int { return x.At.Compare(y.At) })

	data := fiber.Map{
		"T": t, "Queue": q.Name(lang), "QueueKey": q.Key, "Category": v.Category.Name(lang),
		"StateClass": ticketBadgeClass(t.State), "Reporter": names[t.ReporterID], "Staff": staff,
		"Timeline": items, "Photos": photos, "Open": t.State != StateClosed,
		"Waiting": t.State == StateWaitingReporter,
	}
	if t.RecordedByID != nil {
		data["RecordedBy"] = names[*t.RecordedByID]
	}
	if form == nil {
		form = &ticketForm{Impact: t.Impact, Urgency: t.Urgency}
		if t.AssigneeID != nil {
			form.AssigneeID = web.FormatID(*t.AssigneeID)
		}
	}
	if t.AssigneeID != nil {
		data["Assignee"] = names[*t.AssigneeID]
	}
	if v.Asset != nil {
		data["Asset"] = *v.Asset
	}
	if !staff {
		data["CanReopen"] = t.ReporterID == a.ID && t.State == StateResolved
	} else {
		data["Clocks"] = []slaView{slaViewOf("helpdesk.sla.response", v.Clock.Response), slaViewOf("helpdesk.sla.resolution", v.Clock.Resolution)}
		data["CanTake"] = t.State == StateNew && t.AssigneeID == nil
		if stillOpen(t.State) {
			if data["Assignees"], err = s.assigneeOptions(ctx, q); err != nil {
				return err
			}
		}
		var moves []string
		for _, to := range transitions[t.State] {
			if to != StateResolved {
				moves = append(moves, to)
			}
		}
		data["Moves"] = moves
		data["CanResolve"] = Allowed(t.State, StateResolved)
		data["Codes"] = keyedOptions(c, "helpdesk.resolution.", ResolutionCodes)
		data["Impacts"] = keyedOptions(c, "helpdesk.impact.", []string{ImpactBlocks, ImpactHinders, ImpactCanWait})
		data["Urgencies"] = keyedOptions(c, "helpdesk.urgency.", []string{UrgencyHigh, UrgencyMedium, UrgencyLow})
	}
	return web.RenderForm(c, "helpdesk/ticket", web.Page{Title: "helpdesk.ticket.title", Data: data, Form: form, Errors: errs, Status: status})
}

// handleAttachmentShow serves a ticket's photo to whoever may see the
// ticket (web.SendStored).
func (m *Module) handleAttachmentShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	at, err := m.svc.AttachmentFile(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	return web.SendStored(c, at.ContentType, "photo-"+web.FormatID(at.ID)+at.Ext(), at.Data)
}
